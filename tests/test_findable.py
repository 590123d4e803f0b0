"""Structured data, care levels, sitemaps, robots.txt, the feed, metadata and the site's own pages."""

import datetime
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import ValidationError

from encyclopedia.models import Kind, SitePage, SiteSettings, Status

from .conftest import make_article, person

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
CARE_BODY = """## When to seek medical attention

!!! routine "See a doctor if"
    - Cramps keep coming back

!!! urgent
    - The calf is **swollen** and warm

!!! emergency "Call {emergency_number} now if"
    - The leg is cold and pale
"""


def json_ld(page: str) -> list:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


class TestCareLevels:
    def test_three_levels_render_as_labelled_boxes(self, client):
        make_article(slug="cramps", body=CARE_BODY)
        page = client.get("/symptoms/cramps/").content.decode()
        assert '<div class="care care-routine" role="note">' in page
        # Headings, so that screen readers' heading lists name each box.
        assert '<h3 class="care-title" id="care-routine"><strong>Routine:</strong> See a doctor if</h3>' in page
        assert '<h3 class="care-title" id="care-urgent"><strong>Urgent:</strong> Get help today</h3>' in page
        assert '<h3 class="care-title" id="care-emergency"><strong>Emergency:</strong> Call 911 now if</h3>' in page

    def test_emergency_advice_comes_first_with_the_sites_number(self, client):
        site = SiteSettings.load()
        site.emergency_number = "999"
        site.save()
        make_article(slug="cramps", summary="Painful tightening.", body="## Causes\n\nMany.\n\n" + CARE_BODY)
        page = client.get("/symptoms/cramps/").content.decode()
        first = page.index('<aside class="care care-emergency care-first"')
        assert page.index("Painful tightening.") < first < page.index('id="causes"')
        box = page[first : page.index("</aside>", first)]
        assert "<strong>Emergency:</strong> Call 999 now if</h2>" in box
        assert "<li>The leg is cold and pale</li>" in box
        assert '<a href="#care-emergency">More on when to get help</a>' in box
        assert "Call 999 now if</h3>" in page  # the full box says the same number
        assert "{emergency_number}" not in page and not re.search(r"\b911\b", page)  # ids may hold "911"

    def test_urgent_advice_comes_first_when_there_is_no_emergency(self, client):
        site = SiteSettings.load()
        site.urgent_service_name, site.urgent_service_number = "NHS 111", "111"
        site.save()
        make_article(slug="cough", body=CARE_BODY.split("!!! emergency")[0])
        page = client.get("/symptoms/cough/").content.decode()
        first = page.index('<aside class="care care-urgent care-first"')
        box = page[first : page.index("</aside>", first)]
        assert "<strong>Urgent:</strong> Get help today</h2>" in box
        assert "Contact NHS 111 on 111, or your doctor." in box
        assert '<a href="#care-urgent">' in box

    def test_routine_advice_alone_is_not_brought_forward(self, client):
        make_article(slug="itch", body='!!! routine "See a doctor if"\n    - It lasts\n')
        assert "care-first" not in client.get("/symptoms/itch/").content.decode()

    def test_one_setting_changed_in_admin_changes_every_page_and_form(self, superuser_client, client):
        make_article(slug="cramps", body=CARE_BODY)
        site = SiteSettings.load()
        response = superuser_client.post(
            "/admin/encyclopedia/sitesettings/1/change/",
            {"site_name": site.site_name, "disclaimer": site.disclaimer, "feedback_invitation": site.feedback_invitation,
             "emergency_number": "112", "urgent_service_name": "", "urgent_service_number": "",
             "target_reading_age": site.target_reading_age,
             "promotion_title": "", "promotion_text": "", "promotion_links-TOTAL_FORMS": "0",
             "promotion_links-INITIAL_FORMS": "0"},
        )  # fmt: skip
        assert response.status_code == 302
        article = client.get("/symptoms/cramps/").content.decode()
        assert "Call 112 now if</h2>" in article and "Call 112 now if</h3>" in article
        assert "In an emergency, call 112 straight away." in article  # the disclaimer
        assert "call <strong>112</strong> now" in client.get("/feedback/").content.decode()
        assert "call 112." in client.get("/privacy/").content.decode()
        assert not re.search(r"\b911\b", article)  # the number, not three digits of an article's id

    def test_search_snippets_name_no_stale_number_and_no_placeholder(self, client):
        make_article(slug="cramps", body="If the leg turns cold and pale, call {emergency_number} at once.")
        page = client.get("/search/", {"q": "leg turns cold pale"}).content.decode()
        assert 'href="/symptoms/cramps/"' in page
        assert "{emergency_number}" not in page and "call the emergency number at once" in page

    def test_the_site_number_is_escaped_where_it_is_filled_in(self, client):
        site = SiteSettings.load()
        site.emergency_number = "<b>1</b>"
        site.save()
        make_article(slug="cramps", body=CARE_BODY)
        page = client.get("/symptoms/cramps/").content.decode()
        assert "<b>1</b>" not in page and "Call &lt;b&gt;1&lt;/b&gt; now if</h3>" in page

    def test_other_admonitions_and_forged_classes_get_no_care_styling(self, client):
        make_article(
            slug="plain", body='!!! note\n    Just a note.\n\n<h3 class="care-title evil" style="x">Forged</h3>'
        )
        page = client.get("/symptoms/plain/").content.decode()
        assert "<div>\n<p>Note</p>\n<p>Just a note.</p>\n</div>" in page
        assert 'class="care-title">Forged' in page and "evil" not in page and "style=" not in page


class TestStructuredData:
    def test_article_page_describes_the_article(self, client, django_user_model):
        reviewer = person(django_user_model, "carol", "Medical reviewer")
        cramps = make_article(
            kind=Kind.SYMPTOM, slug="leg-cramps", title="Leg cramps", summary="Painful tightening.", body=CARE_BODY,
            alternative_names=("Charley horse",), faqs=(("How long do they last?", "A **few** minutes."),),
            last_reviewed_on=datetime.date(2026, 5, 1), reviewed_by=reviewer,
            updated_at=datetime.datetime(2026, 5, 2, 8, 30, tzinfo=datetime.UTC),
        )  # fmt: skip
        page, faqs = json_ld(client.get("/symptoms/leg-cramps/").content.decode())
        assert page["@type"] == "MedicalWebPage"
        assert page["url"] == "http://testserver/symptoms/leg-cramps/"
        assert (page["name"], page["description"]) == (cramps.title, cramps.summary)
        assert page["about"] == {
            "@type": "MedicalSignOrSymptom",
            "name": "Leg cramps",
            "alternateName": ["Charley horse"],
        }
        assert page["lastReviewed"] == "2026-05-01"
        assert page["reviewedBy"] == {"@type": "Person", "name": "Carol Example"}
        assert page["dateModified"] == "2026-05-02T08:30:00+00:00"
        assert [part["name"] for part in page["hasPart"]] == [
            "Routine: See a doctor if", "Urgent: Get help today", "Emergency: Call 911 now if"
        ]  # fmt: skip
        site = {"@type": "Organization", "@id": "http://testserver/#organization", "name": "Health Encyclopedia",
                "url": "http://testserver/"}  # fmt: skip
        assert page["publisher"] == site and page["author"] == site
        assert page["hasPart"][1]["text"] == "The calf is swollen and warm"
        assert [item["name"] for item in page["breadcrumb"]["itemListElement"]] == ["Home", "Symptoms", "Leg cramps"]
        assert page["breadcrumb"]["itemListElement"][1]["item"] == "http://testserver/symptoms/"
        assert faqs["@type"] == "FAQPage"
        assert faqs["isPartOf"] == {"@id": page["@id"]} and faqs["url"] == page["url"]
        assert faqs["mainEntity"] == [
            {"@type": "Question", "name": "How long do they last?",
             "acceptedAnswer": {"@type": "Answer", "text": "A few minutes."}}
        ]  # fmt: skip

    @pytest.mark.parametrize(
        ("kind", "schema_type"), [(Kind.CONDITION, "MedicalCondition"), (Kind.PROCEDURE, "MedicalProcedure")]
    )
    def test_each_kind_has_its_schema_type(self, client, kind, schema_type):
        article = make_article(kind=kind)
        (page,) = json_ld(client.get(article.get_absolute_url()).content.decode())
        assert page["about"]["@type"] == schema_type
        assert "reviewedBy" not in page  # nobody named: nothing claimed

    def test_text_cannot_close_the_script(self, client):
        make_article(slug="tricky", title="</script><script>alert(1)</script>")
        page = client.get("/symptoms/tricky/").content.decode()
        assert "<script>alert(1)" not in page
        assert json_ld(page)[0]["name"] == "</script><script>alert(1)</script>"

    def test_home_page_offers_a_search_action(self, client):
        website = json_ld(client.get("/").content.decode())
        assert website["@type"] == "WebSite"
        assert website["potentialAction"]["target"]["urlTemplate"] == "http://testserver/search/?q={search_term_string}"


class TestMetadata:
    def test_article_has_canonical_description_open_graph_and_twitter_card(self, client):
        make_article(slug="fever", title="Fever", summary="A raised body temperature.")
        page = client.get("/symptoms/fever/?utm_source=x").content.decode()
        assert '<link rel="canonical" href="http://testserver/symptoms/fever/">' in page
        assert '<meta name="description" content="A raised body temperature.">' in page
        assert '<meta property="og:title" content="Fever">' in page
        assert '<meta property="og:type" content="article">' in page
        assert '<meta name="twitter:card" content="summary">' in page

    def test_related_articles_show_their_summaries(self, client):
        article = make_article(slug="a")
        article.related.add(
            make_article(kind=Kind.CONDITION, title="Dehydration", summary="Losing more fluid than you take in.")
        )
        assert "Losing more fluid than you take in." in client.get("/symptoms/a/").content.decode()


class TestSitemap:
    def test_lists_published_articles_and_indexes_with_lastmod(self, client):
        make_article(slug="public", updated_at=datetime.datetime(2026, 4, 1, tzinfo=datetime.UTC))
        make_article(slug="hidden", status=Status.DRAFT)
        response = client.get("/sitemap.xml")
        assert response.status_code == 200
        root = ET.fromstring(response.content)
        urls = {url.find("sm:loc", SITEMAP_NS).text: url.findtext("sm:lastmod", namespaces=SITEMAP_NS) for url in root}
        assert urls["http://testserver/symptoms/public/"] == "2026-04-01"
        assert "http://testserver/symptoms/hidden/" not in urls
        assert {"http://testserver/", "http://testserver/symptoms/", "http://testserver/about/"} <= set(urls)
        assert urls["http://testserver/symptoms/"] == "2026-04-01"

    def test_becomes_an_index_of_files_beyond_the_limit(self, client, settings):
        settings.SITEMAP_LIMIT = 2
        for _ in range(5):
            make_article()
        root = ET.fromstring(client.get("/sitemap.xml").content)
        assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
        files = [node.findtext("sm:loc", namespaces=SITEMAP_NS) for node in root]
        assert "http://testserver/sitemap-articles.xml?p=3" in files
        last = ET.fromstring(client.get("/sitemap-articles.xml", {"p": 3}).content)
        assert len(last) == 1


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_search(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "Disallow: /search/" in text
    assert "admin" not in text  # robots.txt is public: it must not tell where the admin lives
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_feed_lists_new_and_updated_articles_newest_first(client):
    make_article(title="Older", updated_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    newer = make_article(title="Newer", updated_at=datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC))
    make_article(title="Draft", status=Status.DRAFT)
    response = client.get("/feed/")
    root = ET.fromstring(response.content)
    atom = {"a": "http://www.w3.org/2005/Atom"}
    entries = root.findall("a:entry", atom)
    assert [entry.findtext("a:title", namespaces=atom) for entry in entries] == ["Newer", "Older"]
    assert entries[0].findtext("a:id", namespaces=atom) == newer.uuid.urn
    assert entries[0].findtext("a:updated", namespaces=atom).startswith("2026-02-01")
    # RFC 4287: a feed whose entries name no author names one for itself: the site.
    assert root.findtext("a:author/a:name", namespaces=atom) == "Health Encyclopedia"


def og_title(page: str) -> str:
    return re.search(r'<meta property="og:title" content="([^"]*)">', page)[1]


def test_each_index_page_has_its_own_title_and_open_graph_title(client):
    make_article(kind=Kind.CONDITION, title="Asthma")
    pages = ["/", "/conditions/", "/conditions/?letter=A", "/symptoms/", "/about/", "/editorial-policy/"]
    titles = []
    for path in pages:
        page = client.get(path).content.decode()
        titles.append((re.search(r"<title>(.*?)</title>", page)[1], og_title(page)))
    assert len({title for title, _ in titles}) == len(pages)
    assert len({og for _, og in titles}) == len(pages)
    assert titles[-2][1] == "About this encyclopedia"


class TestSitePages:
    @pytest.mark.parametrize("slug", ["about", "editorial-policy", "privacy", "accessibility", "contact"])
    def test_each_page_exists_and_is_linked_from_every_footer(self, client, slug):
        page = SitePage.objects.get(slug=slug)
        assert page.title in client.get(f"/{slug}/").content.decode()
        assert f'href="/{slug}/"' in client.get("/").content.decode()

    def test_a_page_cannot_take_an_address_the_site_uses(self):
        with pytest.raises(ValidationError, match="already an address of the site"):
            SitePage(slug="symptoms", title="x", body="x").full_clean()

    def test_editors_change_a_page_in_admin(self, superuser_client, client):
        # The superuser: no role may change site pages (editorial/migrations/0006_roles.py).
        page = SitePage.objects.get(slug="contact")
        response = superuser_client.post(
            f"/admin/encyclopedia/sitepage/{page.pk}/change/",
            {"slug": "contact", "title": "Contact us", "summary": "", "body": "Write to **us**.", "show_in_footer": "on",
             "position": "5"},
        )  # fmt: skip
        assert response.status_code == 302
        assert "Write to <strong>us</strong>." in client.get("/contact/").content.decode()
