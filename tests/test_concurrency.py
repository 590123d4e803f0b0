"""Simultaneous feedback waits for the database instead of failing (SQLite: WAL, IMMEDIATE, busy timeout)."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client

from editorial.models import Feedback

from .conftest import SAME_ORIGIN
from .feedback_helpers import general


@pytest.mark.django_db(transaction=True)
def test_simultaneous_feedback_is_all_stored(settings):
    settings.FEEDBACK_MESSAGES_PER_WINDOW = 1000  # one test client, one address: not what is tested here

    def send(number: int) -> int:
        try:
            return Client().post("/feedback/", general(f"Message {number}"), headers=SAME_ORIGIN).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(send, range(40)))
    assert statuses == [302] * 40
    assert Feedback.objects.count() == 40


@pytest.mark.django_db
def test_sqlite_is_configured_for_concurrent_writers(settings):
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite only")
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert database["OPTIONS"]["timeout"] >= 5
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
