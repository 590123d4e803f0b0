from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["add_layterm", "change_layterm", "delete_layterm", "view_layterm"]


def grant(apps, schema_editor):
    """Editors and medical reviewers keep the everyday-words list, as they keep the plain-words list: the
    words readers use are editorial knowledge, not site administration."""
    encyclopedia = apps.get_app_config("encyclopedia")
    encyclopedia.models_module = True
    create_permissions(encyclopedia, apps=apps, verbosity=0)
    encyclopedia.models_module = None
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="encyclopedia", codename__in=CODENAMES)
    for group in apps.get_model("auth", "Group").objects.filter(name__in=["Editor", "Medical reviewer"]):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="encyclopedia", codename__in=CODENAMES)
    for group in apps.get_model("auth", "Group").objects.filter(name__in=["Editor", "Medical reviewer"]):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0014_triage_threads_outbox_and_roles"),
        ("encyclopedia", "0016_lay_terms"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
