import datetime

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from encyclopedia.models import Kind, PromotionLink, SiteSettings, Status

from .conftest import make_article

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return response.content.decode()


class TestHome:
    def test_shows_search_box_counts_per_kind_and_recently_updated(self, client):
        make_article(kind=Kind.SYMPTOM, title="Leg cramps")
        make_article(kind=Kind.SYMPTOM, title="Fever")
        make_article(kind=Kind.CONDITION, title="Asthma")
        make_article(kind=Kind.PROCEDURE, title="Hidden draft", status=Status.DRAFT)
        page = text_of(client.get("/"))
        assert 'action="/search/"' in page
        assert "2 articles" in page  # symptoms
        assert "1 article<" in page  # conditions
        assert "0 articles" in page  # procedures: the draft does not count
        assert "Leg cramps" in page and "Asthma" in page
        assert "Hidden draft" not in page

    def test_recently_updated_lists_newest_first(self, client):
        make_article(title="Older", updated_at=timezone.now() - datetime.timedelta(days=30))
        make_article(title="Newer", updated_at=timezone.now() - datetime.timedelta(days=1))
        page = text_of(client.get("/"))
        assert page.index("Newer") < page.index("Older")


class TestKindIndex:
    @pytest.mark.parametrize("path", ["/conditions/", "/symptoms/", "/procedures/"])
    def test_each_kind_has_an_index(self, client, path):
        response = client.get(path)
        assert response.status_code == 200
        assert "A to Z" in text_of(response)

    def test_lists_published_articles_of_that_kind_alphabetically(self, client):
        make_article(kind=Kind.SYMPTOM, title="Nausea")
        make_article(kind=Kind.SYMPTOM, title="MRI-like title")
        make_article(kind=Kind.SYMPTOM, title="migraine aura")
        make_article(kind=Kind.CONDITION, title="Asthma")
        make_article(kind=Kind.SYMPTOM, title="Draft symptom", status=Status.DRAFT)
        page = text_of(client.get("/symptoms/"))
        assert page.index("migraine aura") < page.index("MRI-like title") < page.index("Nausea")
        assert "Asthma" not in page
        assert "Draft symptom" not in page

    def test_letter_filter_and_letter_navigation(self, client):
        make_article(title="Cough")
        make_article(title="Chest pain")
        make_article(title="Fever")
        response = client.get("/symptoms/", {"letter": "c"})
        page = text_of(response)
        assert "Cough" in page and "Chest pain" in page
        assert "Fever" not in page
        assert '<a href="?letter=F"' in page  # F has articles: a link
        assert '<span class="letters__empty" aria-disabled="true">Z</span>' in page  # Z has none

    def test_unknown_letter_is_404(self, client):
        assert client.get("/symptoms/", {"letter": "zz"}).status_code == 404

    def test_pagination_keeps_the_letter(self, client):
        for number in range(61):
            make_article(title=f"Bruise {number:02d}")
        page = text_of(client.get("/symptoms/", {"letter": "B"}))
        assert "Page 1 of 2" in page
        assert 'href="?letter=B&amp;page=2"' in page
        assert "Bruise 60" in text_of(client.get("/symptoms/", {"letter": "B", "page": 2}))


class TestArticlePage:
    def test_shows_every_part_of_the_article(self, client, leg_cramps):
        dehydration = make_article(kind=Kind.CONDITION, title="Dehydration", slug="dehydration")
        blood_test = make_article(kind=Kind.PROCEDURE, title="Blood test", slug="blood-test")
        leg_cramps.related.add(dehydration, blood_test)
        response = client.get("/symptoms/leg-cramps/")
        assert response.status_code == 200
        page = text_of(response)
        assert "<h1" in page and page.count("<h1") == 1
        assert ">Leg cramps</h1>" in page
        assert "Sudden, painful tightening of a leg muscle" in page
        assert "Also called: Charley horse" in page
        assert '<a href="#causes">Causes</a>' in page  # table of contents
        assert '<h2 id="causes">Causes</h2>' in page  # section with its anchor
        assert "How long do leg cramps last?" in page and "<strong>a few minutes</strong>" in page
        assert 'Last updated on <time datetime="2025-06-25">25 June 2025</time>' in page
        assert "<h3>Conditions</h3>" in page and 'href="/conditions/dehydration/"' in page
        assert "<h3>Procedures</h3>" in page and 'href="/procedures/blood-test/"' in page
        assert 'action="/feedback/"' in page
        assert "See more" in page and 'href="/procedures/"' in page
        assert "Medical disclaimer" in page

    def test_related_article_shows_the_link_back(self, client, leg_cramps):
        dehydration = make_article(kind=Kind.CONDITION, title="Dehydration", slug="dehydration")
        leg_cramps.related.add(dehydration)
        page = text_of(client.get("/conditions/dehydration/"))
        assert 'href="/symptoms/leg-cramps/"' in page

    def test_unpublished_related_articles_are_not_linked(self, client, leg_cramps):
        leg_cramps.related.add(make_article(title="Secret draft", status=Status.DRAFT))
        assert "Secret draft" not in text_of(client.get("/symptoms/leg-cramps/"))

    def test_draft_article_is_404_for_readers(self, client):
        make_article(slug="draft", status=Status.DRAFT)
        assert client.get("/symptoms/draft/").status_code == 404

    def test_scheduled_article_is_404_until_its_time(self, client):
        make_article(slug="soon", published_at=timezone.now() + datetime.timedelta(days=1))
        assert client.get("/symptoms/soon/").status_code == 404

    def test_article_is_only_found_under_its_own_kind(self, client, leg_cramps):
        assert client.get("/conditions/leg-cramps/").status_code == 404

    def test_hostile_markdown_is_sanitized_on_the_page(self, client):
        make_article(
            slug="hostile",
            body="<script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3))",
            faqs=(("Q?", "<script>alert(4)</script>[y](javascript:alert(5))"),),
        )
        page = text_of(client.get("/symptoms/hostile/"))
        assert "alert(" not in page
        assert "onerror" not in page
        assert "javascript:" not in page

    def test_promotional_block_shows_and_can_be_switched_off_per_article(self, client, leg_cramps):
        settings = SiteSettings.load()
        settings.promotion_title = "Take the encyclopedia with you"
        settings.save()
        PromotionLink.objects.create(site_settings=settings, label="Get the app", url="https://example.org/app")
        page = text_of(client.get("/symptoms/leg-cramps/"))
        assert "Take the encyclopedia with you" in page and 'href="https://example.org/app"' in page
        leg_cramps.show_promotion = False
        leg_cramps.save()
        assert "Take the encyclopedia with you" not in text_of(client.get("/symptoms/leg-cramps/"))

    def test_site_wide_texts_come_from_site_settings(self, client, leg_cramps):
        settings = SiteSettings.load()
        settings.site_name = "Family Health A–Z"
        settings.disclaimer = "Not a substitute for **your doctor**."
        settings.feedback_invitation = "Help us improve this page."
        settings.save()
        page = text_of(client.get("/symptoms/leg-cramps/"))
        assert "Family Health A–Z" in page
        assert "Not a substitute for <strong>your doctor</strong>." in page
        assert "Help us improve this page." in page

    def test_article_page_sets_no_cookie_for_an_anonymous_reader(self, client, leg_cramps):
        response = client.get("/symptoms/leg-cramps/")
        assert response.cookies == {}
        assert "Set-Cookie" not in response.headers
        assert "Cookie" not in response.headers.get("Vary", "")


class TestSearch:
    @pytest.mark.parametrize(
        "query",
        ["cramps", "CHARLEY HORSE", "painful tightening", "dehydration"],
        ids=["title", "alt-name", "summary", "body"],
    )
    def test_finds_articles_by_title_alternative_name_summary_or_body(self, client, leg_cramps, query):
        page = text_of(client.get("/search/", {"q": query}))
        assert 'href="/symptoms/leg-cramps/"' in page
        assert "1 article found" in page

    def test_drafts_are_not_found(self, client):
        make_article(title="Secret cramps", status=Status.DRAFT)
        assert "Secret cramps" not in text_of(client.get("/search/", {"q": "cramps"}))

    def test_no_result_page_offers_the_indexes(self, client, leg_cramps):
        page = text_of(client.get("/search/", {"q": "xylophone"}))
        assert "No articles match “xylophone”" in page
        assert 'href="/conditions/"' in page

    def test_empty_query_shows_the_search_page(self, client):
        response = client.get("/search/")
        assert response.status_code == 200
        assert "Search the encyclopedia" in text_of(response)

    def test_search_results_are_not_indexed_by_search_engines(self, client):
        assert '<meta name="robots" content="noindex">' in text_of(client.get("/search/", {"q": "x"}))


def test_404_page_is_in_the_site_design(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = text_of(response)
    assert "Page not found" in page
    assert 'class="site-header"' in page


def test_500_page_renders_without_a_request_or_database():
    page = render_to_string("500.html")
    assert "Something went wrong" in page


def test_disclaimer_is_shown_even_before_anyone_edits_the_site_settings(client, leg_cramps):
    SiteSettings.objects.all().delete()
    page = text_of(client.get("/symptoms/leg-cramps/"))
    assert "Medical disclaimer" in page
    assert "does not replace advice" in page
