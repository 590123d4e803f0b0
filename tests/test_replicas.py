"""Reads from a lagging PostgreSQL streaming replica, writes to the primary: an editor sees their
edit at once, and the page cache is never refilled with the old version.

Run by the test command against a real replica started with recovery_min_apply_delay=2s."""

import time

import pytest
from django.conf import settings
from django.db import OperationalError, ProgrammingError, connections
from django.test import Client
from django.urls import reverse

from encyclopedia.models import Article

from .conftest import make_article
from .test_admin import change_form_data

pytestmark = [pytest.mark.replica, pytest.mark.django_db(transaction=True, databases="__all__")]


@pytest.fixture(autouse=True)
def replica():
    if not settings.DATABASE_REPLICAS:
        pytest.fail("DATABASE_REPLICA_URLS is not set: the test command starts a replica for these tests.")
    alias = settings.DATABASE_REPLICAS[0]
    # The test database and its migrations reach the replica 2 s late too.
    wait_until(lambda: _applied_migrations(alias) == _applied_migrations("default"))
    return alias


def _applied_migrations(alias: str) -> int | None:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT count(*) FROM django_migrations")
            return cursor.fetchone()[0]
    except (OperationalError, ProgrammingError):
        connections[alias].close()
        return None


def wait_until(check, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the replica did not catch up"
        time.sleep(0.1)
        connections.close_all()


def on_replica(replica, pk):
    return Article.objects.using(replica).filter(pk=pk).values_list("title", flat=True).first()


def test_editor_sees_the_edit_at_once_and_readers_get_it_from_the_primary(replica, reviewer):
    article = make_article(slug="cramps", title="Leg cramps")
    wait_until(lambda: on_replica(replica, article.pk) == "Leg cramps")
    reader = Client()
    assert "Leg cramps" in reader.get("/symptoms/cramps/").content.decode()  # now in the page cache

    editor_client = Client()
    editor_client.force_login(reviewer)  # only a reviewer may approve
    # A published article changes through its working copy, approved by someone who may publish.
    editor_client.post(reverse("admin:encyclopedia_article_working_copy", args=[article.pk]))
    copy = Article.objects.using("default").get(live_article=article)  # the replica lags behind
    response = editor_client.post(
        reverse("admin:encyclopedia_article_change", args=[copy.pk]),
        change_form_data(copy, title="Leg cramps at night", transition="approve"),
    )
    assert response.status_code == 302
    assert on_replica(replica, article.pk) == "Leg cramps"  # the replica lags behind

    change_page = editor_client.get(reverse("admin:encyclopedia_article_change", args=[article.pk])).content.decode()
    assert "<title>Leg cramps at night |" in change_page  # the admin reads from the primary
    page = reader.get("/symptoms/cramps/")
    assert page["X-Page-Cache"] == "miss" and ">Leg cramps at night</h1>" in page.content.decode()
    assert on_replica(replica, article.pk) == "Leg cramps"  # still lagging: the page came from the primary
    assert reader.get("/symptoms/cramps/")["X-Page-Cache"] == "hit"
    wait_until(lambda: on_replica(replica, article.pk) == "Leg cramps at night")
    assert ">Leg cramps at night</h1>" in reader.get("/symptoms/cramps/").content.decode()


def test_reads_outside_the_page_cache_go_to_the_replica(replica):
    article = make_article(slug="fresh", title="Freshly written")
    assert on_replica(replica, article.pk) is None  # not there yet
    # The search page is not page-cached: it reads from the replica, which has not caught up.
    assert "Freshly written" not in Client().get("/search/", {"q": "Freshly"}).content.decode()
    wait_until(lambda: on_replica(replica, article.pk) == "Freshly written")
    assert "Freshly written" in Client().get("/search/", {"q": "Freshly"}).content.decode()
