"""Editors and medical reviewers upload and describe images in the media library; only a medical
reviewer deletes one (as only a reviewer deletes an article)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

WRITING = ["add_image", "change_image", "view_image"]
ROLES = {"Editor": WRITING, "Medical reviewer": [*WRITING, "delete_image"]}


def grant(apps, schema_editor):
    encyclopedia = apps.get_app_config("encyclopedia")
    encyclopedia.models_module = True
    create_permissions(encyclopedia, apps=apps, verbosity=0)
    encyclopedia.models_module = None
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="encyclopedia", codename__in=ROLES[group.name])
        )


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0011_text_without_control_characters"),
        ("encyclopedia", "0014_media_library"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
