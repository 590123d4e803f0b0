"""Pages, and deleting an article, cost a fixed number of queries, however many articles, relations or FAQs
there are.

The counts are for a page rendered afresh (the page cache is emptied first); a page served
from the cache runs none."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from encyclopedia.models import Kind

from .conftest import make_article

pytestmark = pytest.mark.django_db


def queries_for(client, path: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def add_related_and_faqs(article, count: int) -> None:
    for number in range(count):
        article.related.add(make_article(kind=list(Kind)[number % 3]))
        article.faqs.create(position=number, question=f"Question {number}?", answer="An answer.")
        article.alternative_names.create(name=f"Other name {article.pk}-{len(article.faqs.all())}")


# Every public page: site settings, promotion links, footer pages, and (for the page cache's
# expiry) the next scheduled publication time. The first three are cached until they change.
SITE_WIDE = 4
SITE_TEXTS = 3
# article with its reviewer, alternative names, FAQs, sources, medical codes, related, related articles' thumbnails
ARTICLE_PAGE_QUERIES = 7 + SITE_WIDE
# letters present, count, page of articles, cross-references (everyday terms listed in the A–Z)
INDEX_PAGE_QUERIES = 4 + SITE_WIDE
# counts per kind, recently updated
HOME_PAGE_QUERIES = 2 + SITE_WIDE


def test_article_page_queries_do_not_grow_with_relations_or_faqs(client):
    article = make_article(slug="subject")
    add_related_and_faqs(article, 1)
    assert queries_for(client, "/symptoms/subject/") == ARTICLE_PAGE_QUERIES
    add_related_and_faqs(article, 15)
    assert queries_for(client, "/symptoms/subject/") == ARTICLE_PAGE_QUERIES
    assert client.get("/symptoms/subject/").content.decode().count("<dt>Question ") == 16


@pytest.mark.parametrize("path", ["/", "/symptoms/", "/symptoms/subject/", "/about/"])
def test_a_page_served_from_the_cache_runs_no_query(client, django_assert_num_queries, path):
    make_article(slug="subject")
    assert client.get(path)["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        response = client.get(path)
    assert response["X-Page-Cache"] == "hit"


def test_index_queries_do_not_grow_with_the_number_of_articles(client):
    make_article(title="Alpha")
    few = queries_for(client, "/symptoms/")
    for number in range(80):
        make_article(title=f"Beta {number}")
    assert few == queries_for(client, "/symptoms/") == queries_for(client, "/symptoms/?letter=B&page=2")
    assert few == INDEX_PAGE_QUERIES


def test_home_queries_do_not_grow_with_the_number_of_articles(client):
    make_article()
    few = queries_for(client, "/")
    for _ in range(30):
        make_article()
    assert few == queries_for(client, "/") == HOME_PAGE_QUERIES


def test_internal_links_cost_at_most_two_queries_however_many(client, django_assert_max_num_queries):
    targets = [make_article(kind=Kind.CONDITION) for _ in range(12)]
    body = " ".join(f"[[conditions/{target.slug}]] [[conditions/gone-{target.pk}]]" for target in targets)
    make_article(slug="linked", body=body)
    cache.clear()
    with django_assert_max_num_queries(ARTICLE_PAGE_QUERIES + 2):  # targets, then old addresses
        response = client.get("/symptoms/linked/")
    assert response.content.decode().count('href="/conditions/') >= 12


def test_site_wide_texts_are_read_once_until_they_change(client):
    from encyclopedia.models import SiteSettings

    for slug in ("first", "second", "third"):
        make_article(slug=slug)
    cache.clear()
    client.get("/symptoms/first/")

    with CaptureQueriesContext(connection) as captured:
        assert "Medical disclaimer" in client.get("/symptoms/second/").content.decode()
    assert len(captured) == ARTICLE_PAGE_QUERIES - SITE_TEXTS

    settings = SiteSettings.load()
    settings.disclaimer = "A new disclaimer, written today."
    settings.save()
    with CaptureQueriesContext(connection) as captured:
        assert "A new disclaimer, written today." in client.get("/symptoms/third/").content.decode()
    assert len(captured) == ARTICLE_PAGE_QUERIES


def test_deleting_an_article_costs_the_same_queries_however_many_faqs_and_names():
    """Its FAQs and other names go with it: nothing of the article is measured or indexed again on the way."""

    def queries_to_delete(parts: int) -> int:
        article = make_article()
        for number in range(parts):
            article.faqs.create(position=number, question=f"Question {number}?", answer="An answer.")
            article.alternative_names.create(name=f"Other name {article.pk}-{number}")
        with CaptureQueriesContext(connection) as captured:
            article.delete()
        return len(captured)

    assert queries_to_delete(12) == queries_to_delete(2)
