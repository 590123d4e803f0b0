"""The editorial roles, as groups with their permissions (never created by hand).

- Editor: writes and edits drafts, submits them for review; cannot publish.
- Medical reviewer: everything an Editor does, plus approve and publish, request changes,
  unpublish, schedule and delete.
- Feedback triager: reads and triages reader feedback only.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

WRITING = [
    ("encyclopedia", "add_article"), ("encyclopedia", "change_article"), ("encyclopedia", "view_article"),
    *[("encyclopedia", f"{action}_{model}") for model in ("faq", "alternativename")
      for action in ("add", "change", "delete", "view")],
]  # fmt: skip
ROLES = {
    "Editor": WRITING,
    "Medical reviewer": [*WRITING, ("encyclopedia", "publish_article"), ("encyclopedia", "delete_article")],
    "Feedback triager": [("editorial", "view_feedback"), ("editorial", "change_feedback"), ("editorial", "view_vote")],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations have run; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            [Permission.objects.get(content_type__app_label=app, codename=codename) for app, codename in codenames]
        )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("encyclopedia", "0003_workflow"),
        ("editorial", "0005_workflow"),
    ]
    operations = [migrations.RunPython(create_roles, remove_roles)]
