"""`generate_articles`: bulk articles that look like the real ones, searchable at once."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from encyclopedia.markdown import render
from encyclopedia.models import FAQ, AlternativeName, Article, Status
from encyclopedia.search import search_articles

pytestmark = pytest.mark.django_db


def test_generated_articles_are_complete_and_shown_with_progress():
    output = io.StringIO()
    call_command("generate_articles", count=1200, stdout=output)
    assert "1,000 / 1,200 articles" in output.getvalue()
    assert "Made 1,200 articles" in output.getvalue()
    assert Article.objects.count() == 1200
    assert len(set(Article.objects.values_list("title", flat=True))) == 1200
    assert Article.objects.filter(status=Status.DRAFT).exists()
    assert FAQ.objects.count() == 4 * 1200
    assert AlternativeName.objects.count() >= 2 * 1200
    assert not Article.objects.filter(related=None).exists()


def test_generated_html_is_what_the_markdown_renderer_makes():
    call_command("generate_articles", count=60, stdout=io.StringIO())
    for article in Article.objects.all():
        rendered = render(article.body)
        assert (article.body_html, article.sections) == (rendered.html, rendered.outline), article.title
        for faq in article.faqs.all():
            assert faq.answer_html == render(faq.answer).html


def test_generated_articles_are_found_by_title_alternative_name_and_faq():
    call_command("generate_articles", count=90, stdout=io.StringIO())
    article = Article.objects.published().exclude(search_names="").first()
    name = article.alternative_names.first().name
    for query in (article.title, name, article.faqs.first().question):
        results = search_articles(query)
        assert article.slug in [hit.slug for hit in results.page.object_list[:3]], query


def test_count_must_be_positive():
    with pytest.raises(CommandError):
        call_command("generate_articles", count=0)


def test_rebuild_restores_search_data_written_behind_djangos_back(client, leg_cramps):
    Article.objects.filter(pk=leg_cramps.pk).update(search_names="", search_headings="", search_text="")
    call_command("rebuild_search_index", stdout=io.StringIO())
    assert "Also called Charley horse" in client.get("/search/", {"q": "charley horse"}).content.decode()
    assert "Leg cramps" in client.get("/search/", {"q": "how long do leg cramps last"}).content.decode()


def test_large_result_sets_are_cut_to_ten_pages_with_a_notice(client):
    call_command("generate_articles", count=700, stdout=io.StringIO())
    page = client.get("/search/", {"q": "seek medical attention"}).content.decode()  # in every article
    assert "More than 200 articles found; the first 200 are shown." in page
    assert "Page 1 of 10" in page
    last = client.get("/search/", {"q": "seek medical attention", "page": "10"}).content.decode()
    assert last.count('<h2 class="search-results__title">') == 20
    published = Article.objects.published().count()
    if connection.vendor == "postgresql":  # counting stops early there; the counts say so
        assert re.search(r"All <span class=\"search-kinds__count\">\(\d+\+\)</span>", page)
    else:
        assert f'All <span class="search-kinds__count">({published})</span>' in page
