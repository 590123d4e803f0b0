"""The faster reset between transactional tests (tests/quick_reset.py) leaves the database as migrations made it."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection

from encyclopedia.models import SiteSettings

from .conftest import SERIALIZED_CONTENTS, make_article


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_flush_and_restore_give_back_exactly_what_migrations_made():
    made_by_migrations = SERIALIZED_CONTENTS[connection.alias]
    assert connection.creation.serialize_db_to_string() == made_by_migrations
    # What a test commits: new rows, changed rows, a role's permissions changed, a role gone.
    make_article(title="Committed", slug="committed", faqs=(("Why?", "Because."),))
    SiteSettings.objects.update(emergency_number="000")
    editors = Group.objects.get(name="Editor")
    editors.permissions.set(Permission.objects.all()[:2])
    Group.objects.exclude(pk=editors.pk).first().delete()

    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)  # as a serialized test does
    connection.creation.deserialize_db_from_string(made_by_migrations)
    assert connection.creation.serialize_db_to_string() == made_by_migrations
