"""[[links]] to an article readers cannot see are plain text in every output: the page's HTML and
the API's Markdown fields alike, so the API does not give away the address of a draft or of an
article scheduled for later."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from encyclopedia.models import Kind, Status

from .conftest import make_article

pytestmark = pytest.mark.django_db

BODY = """Intro: see [[conditions/secret-draft|the new treatment]], [[conditions/coming-soon]] and
[[conditions/dehydration|dehydration]].

## Causes

Maybe [[conditions/coming-soon|the announcement]] or [[condition/secret-draft]].
"""
ANSWER = "Read [[conditions/secret-draft|this]] and [[conditions/dehydration]]."


@pytest.fixture(autouse=True)
def fresh_rate_limit_counters():
    cache.clear()


@pytest.fixture
def linking_article():
    make_article(kind=Kind.CONDITION, slug="dehydration", title="Dehydration")
    make_article(kind=Kind.CONDITION, slug="secret-draft", title="Secret draft", status=Status.DRAFT)
    make_article(kind=Kind.CONDITION, slug="coming-soon", title="Coming soon",
                 published_at=timezone.now() + datetime.timedelta(days=3))  # fmt: skip
    return make_article(slug="leg-cramps", title="Leg cramps", body=BODY, faqs=(("Why?", ANSWER),))


def test_the_api_markdown_names_no_unpublished_target(client, linking_article):
    data = client.get("/api/v1/articles/symptoms/leg-cramps/").json()
    markdown = [data["body_markdown"], *(s["markdown"] for s in data["sections"]), data["faqs"][0]["answer_markdown"]]
    for text in markdown:
        assert "secret-draft" not in text and "coming-soon" not in text
    assert data["body_markdown"] == BODY.replace("[[conditions/secret-draft|the new treatment]]", "the new treatment") \
        .replace("[[conditions/coming-soon]]", "coming soon").replace("[[conditions/coming-soon|the announcement]]",
        "the announcement").replace("[[condition/secret-draft]]", "secret draft")  # fmt: skip
    assert data["faqs"][0]["answer_markdown"] == "Read this and [[conditions/dehydration]]."
    # The published target keeps its link, in Markdown and in HTML.
    assert "[[conditions/dehydration|dehydration]]" in data["sections"][0]["markdown"]
    assert "/conditions/dehydration/" in data["body_html"]
    assert "secret-draft" not in data["body_html"] and "coming-soon" not in data["body_html"]


def test_the_reader_page_shows_unpublished_targets_as_plain_text(client, linking_article):
    page = client.get("/symptoms/leg-cramps/").content.decode()
    assert "secret-draft" not in page and "coming-soon" not in page
    assert "the new treatment" in page and "coming soon" in page
    assert 'href="/conditions/dehydration/"' in page
