import datetime
import io
import itertools
import os

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.servers.basehttp import WSGIRequestHandler
from django.test import Client
from django.utils import timezone

from encyclopedia.management.commands.load_demo_content import DEMO_REVIEWERS
from encyclopedia.models import FAQ, AlternativeName, Article, Image, Kind, PromotionLink, SiteSettings, Status

from . import quick_reset

# Playwright's sync API runs an event loop in the test thread; Django's ORM would refuse to run there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

quick_reset.install()

# The live server answers with its headers and body in separate writes; with Nagle's algorithm on, the body
# waited for the client's delayed acknowledgement of the headers (about 40 ms a response).
WSGIRequestHandler.disable_nagle_algorithm = True

_numbers = itertools.count(1)

# What migrations created (roles, site pages, site settings), serialized at database set-up, per
# database alias: tests/browser/conftest.py hands it to the connections the browser tests use.
SERIALIZED_CONTENTS: dict[str, str] = {}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """After pytest-django's order (tests in a transaction, then transactional ones, then those
    without a database): transactional tests that flush without restoring run after those that
    restore (the browser tests), since their flush lets post_migrate recreate content types and
    permissions under new ids, which the serialized data would then collide with. And the slow
    tests start first among the transactional ones, so that both workers (-n 2) finish together."""

    def transactional(item) -> bool:
        marker = item.get_closest_marker("django_db")
        fixtures = set(getattr(item, "fixturenames", ()))
        return bool(marker and marker.kwargs.get("transaction")) or bool(fixtures & {"transactional_db", "live_server"})

    def flushes_without_restoring(item) -> bool:
        marker = item.get_closest_marker("django_db")
        return transactional(item) and not (marker and marker.kwargs.get("serialized_rollback"))

    items.sort(key=flushes_without_restoring)
    first = next((index for index, item in enumerate(items) if transactional(item)), len(items))
    slow = [item for item in items[first:] if item.get_closest_marker("slow") and not flushes_without_restoring(item)]
    items[first:] = slow + [item for item in items[first:] if item not in slow]

    # A test that runs once (not on SQLite too) because it never uses the database must not be able
    # to: pytest-django refuses database access to a test without these.
    database_fixtures = {"db", "transactional_db", "live_server"}
    wrong = [
        item.nodeid
        for item in items
        if item.get_closest_marker("db_independent")
        and (item.get_closest_marker("django_db") or database_fixtures & set(getattr(item, "fixturenames", ())))
    ]
    if wrong:
        raise pytest.UsageError(f"{len(wrong)} test(s) marked db_independent may use the database: {wrong[:5]}")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    from django.db import connections

    for alias in connections:
        if (contents := getattr(connections[alias], "_test_serialized_contents", None)) is not None:
            SERIALIZED_CONTENTS[alias] = contents


def make_article(
    *,
    kind: Kind = Kind.SYMPTOM,
    title: str | None = None,
    slug: str | None = None,
    status: Status = Status.PUBLISHED,
    published_at: datetime.datetime | None = None,
    summary: str = "A short summary for readers.",
    body: str = "## Causes\n\nSome causes.\n\n## Treatment\n\nSome treatment.",
    alternative_names: tuple[str, ...] = (),
    faqs: tuple[tuple[str, str], ...] = (),
    **fields,
) -> Article:
    number = next(_numbers)
    title = title or f"Test article {number}"
    article = Article.objects.create(
        kind=kind,
        title=title,
        slug=slug or f"test-article-{number}",
        status=status,
        published_at=published_at
        or (timezone.now() - datetime.timedelta(days=1) if status == Status.PUBLISHED else None),
        summary=summary,
        body=body,
        **fields,
    )
    for name in alternative_names:
        AlternativeName.objects.create(article=article, name=name)
    for position, (question, answer) in enumerate(faqs, start=1):
        FAQ.objects.create(article=article, position=position, question=question, answer=answer)
    return article


@pytest.fixture
def article_factory(db):
    return make_article


@pytest.fixture
def leg_cramps(db) -> Article:
    return make_article(
        kind=Kind.SYMPTOM,
        title="Leg cramps",
        slug="leg-cramps",
        summary="Sudden, painful tightening of a leg muscle, most often in the calf.",
        body="## Causes\n\n- **Dehydration:** not drinking enough.\n\n## When to seek medical attention\n\nIf cramps are frequent.\n",
        alternative_names=("Charley horse",),
        faqs=(("How long do leg cramps last?", "Usually **a few minutes**."),),
        updated_at=datetime.datetime(2025, 6, 25, 9, 0, tzinfo=datetime.UTC),
    )


# Staff personas, one per role (the groups come from editorial's roles migration), each with a
# logged-in client. A test of what someone does in real life uses that person's role, so that it
# also checks the role's permissions; the superuser is for tests that need every permission, and
# such a test says why.

PASSWORD = "a-long-enough-password"


def person(django_user_model, username: str, role: str | None):
    user = django_user_model.objects.create_user(
        username, f"{username}@example.org", PASSWORD, is_staff=True,
        first_name=username.capitalize(), last_name="Example",
    )  # fmt: skip
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def superuser(django_user_model):
    """Alice is a superuser: every permission, whatever the roles say."""
    return django_user_model.objects.create_superuser("alice", "alice@example.org", PASSWORD)


@pytest.fixture
def writer(django_user_model):
    """Bob has the Editor role: he writes drafts and submits them."""
    return person(django_user_model, "bob", "Editor")


@pytest.fixture
def reviewer(django_user_model):
    """Carol is a Medical reviewer: she approves, publishes and asks for changes."""
    return person(django_user_model, "carol", "Medical reviewer")


@pytest.fixture
def triager(django_user_model):
    """Dan triages feedback and nothing else."""
    return person(django_user_model, "dan", "Feedback triager")


@pytest.fixture
def superuser_client(superuser) -> Client:
    return client_for(superuser)


@pytest.fixture
def writer_client(writer) -> Client:
    return client_for(writer)


@pytest.fixture
def reviewer_client(reviewer) -> Client:
    return client_for(reviewer)


@pytest.fixture
def triager_client(triager) -> Client:
    return client_for(triager)


SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"}


@pytest.fixture(autouse=True)
def empty_caches():
    """Each test starts with an empty cache: the page cache must not carry pages between tests."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture(scope="module")
def demo_content(django_db_setup, django_db_blocker):
    """The demo content, loaded once for a module of tests that only read it (loading takes seconds), and
    removed afterwards."""
    with django_db_blocker.unblock():
        call_command("load_demo_content", verbosity=0, stdout=io.StringIO())
    yield
    with django_db_blocker.unblock():
        Article.objects.all().delete()
        Image.objects.all().delete()
        PromotionLink.objects.all().delete()
        SiteSettings.objects.all().delete()
        SiteSettings.load()  # back to the default texts a new site starts with
        get_user_model().objects.filter(username__in=[username for username, *_ in DEMO_REVIEWERS]).delete()
