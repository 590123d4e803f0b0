"""Editors and medical reviewers edit an article's medical codes, like its sources."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["add_medicalcode", "change_medicalcode", "delete_medicalcode", "view_medicalcode"]


def grant(apps, schema_editor):
    encyclopedia = apps.get_app_config("encyclopedia")
    encyclopedia.models_module = True
    create_permissions(encyclopedia, apps=apps, verbosity=0)
    encyclopedia.models_module = None
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="encyclopedia", codename__in=CODENAMES)
    for group in apps.get_model("auth", "Group").objects.filter(name__in=["Editor", "Medical reviewer"]):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0008_source_permissions"),
        ("encyclopedia", "0008_medical_codes"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
