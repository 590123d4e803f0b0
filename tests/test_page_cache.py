"""Whole pages cached for readers: fresh on the next request after any change of what they show."""

import datetime
import re
import time
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.test import Client

from encyclopedia import page_cache
from encyclopedia.models import AlternativeName, Article, Kind, PromotionLink, SitePage, SiteSettings, Source, Status

from .conftest import SAME_ORIGIN, make_article

pytestmark = [pytest.mark.django_db, pytest.mark.page_cache]


def fetch(client, path: str) -> tuple[str, str]:
    response = client.get(path)
    assert response.status_code == 200
    return response["X-Page-Cache"], response.content.decode()


def assert_fresh_after(client, path: str, change, expected: str) -> None:
    """The page is cached, `change()` happens, and the next request shows `expected` at once."""
    fetch(client, path)
    assert fetch(client, path)[0] == "hit"
    change()
    state, page = fetch(client, path)
    assert state == "miss" and expected in page


@pytest.fixture
def cramps():
    return make_article(kind=Kind.SYMPTOM, slug="leg-cramps", title="Leg cramps", faqs=(("Why?", "Because."),))


class TestArticlePageIsFreshAfter:
    def test_an_edit_of_the_article(self, client, cramps):
        def edit():
            cramps.body = "## Causes\n\nA new finding."
            cramps.save()

        assert_fresh_after(client, "/symptoms/leg-cramps/", edit, "A new finding.")

    def test_an_edit_of_a_faq(self, client, cramps):
        def edit():
            faq = cramps.faqs.get()
            faq.answer = "A better answer."
            faq.save()

        assert_fresh_after(client, "/symptoms/leg-cramps/", edit, "A better answer.")

    def test_a_new_alternative_name_or_source(self, client, cramps):
        assert_fresh_after(
            client,
            "/symptoms/leg-cramps/",
            lambda: AlternativeName.objects.create(article=cramps, name="Charley horse"),
            "Charley horse",
        )
        assert_fresh_after(
            client,
            "/symptoms/leg-cramps/",
            lambda: Source.objects.create(article=cramps, title="A guideline"),
            "A guideline",
        )

    def test_a_new_relation_on_either_side(self, client, cramps):
        dehydration = make_article(kind=Kind.CONDITION, slug="dehydration", title="Dehydration")
        assert_fresh_after(
            client, "/conditions/dehydration/", lambda: cramps.related.add(dehydration), 'href="/symptoms/leg-cramps/"'
        )
        assert_fresh_after(client, "/symptoms/leg-cramps/", lambda: cramps.related.remove(dehydration), "Leg cramps")
        assert 'href="/conditions/dehydration/"' not in client.get("/symptoms/leg-cramps/").content.decode()

    def test_a_rename_of_a_related_article(self, client, cramps):
        dehydration = make_article(kind=Kind.CONDITION, slug="dehydration", title="Dehydration")
        cramps.related.add(dehydration)

        def rename():
            dehydration.title, dehydration.slug = "Fluid loss", "fluid-loss"
            dehydration.save()

        assert_fresh_after(client, "/symptoms/leg-cramps/", rename, '<a href="/conditions/fluid-loss/">Fluid loss</a>')

    def test_a_linked_article_renamed_unpublished_or_created(self, client):
        make_article(slug="source", body="See [[conditions/dehydration]].")

        def create():
            return make_article(kind=Kind.CONDITION, slug="dehydration", title="Dehydration")

        assert_fresh_after(client, "/symptoms/source/", create, '<a href="/conditions/dehydration/">Dehydration</a>')
        target = Article.objects.get(slug="dehydration")

        def unpublish():
            target.status = Status.DRAFT
            target.save()

        assert_fresh_after(client, "/symptoms/source/", unpublish, "See dehydration.")

    def test_the_reviewer_changing_their_name(self, client):
        reviewer = get_user_model().objects.create_user("carol", first_name="Carol", last_name="Example")
        make_article(slug="reviewed", reviewed_by=reviewer, last_reviewed_on=datetime.date(2026, 1, 5))

        def rename():
            reviewer.last_name = "Newname"
            reviewer.save()

        assert_fresh_after(client, "/symptoms/reviewed/", rename, "Medically reviewed by Carol Newname")

    def test_a_change_of_site_wide_texts(self, client, cramps):
        def disclaimer():
            settings = SiteSettings.load()
            settings.disclaimer = "A new **disclaimer**."
            settings.save()

        assert_fresh_after(client, "/symptoms/leg-cramps/", disclaimer, "A new <strong>disclaimer</strong>.")

        def promotion():
            settings = SiteSettings.load()
            settings.promotion_title = "Our app"
            settings.save()
            PromotionLink.objects.create(site_settings=settings, label="Get it", url="https://example.org/app")

        assert_fresh_after(client, "/symptoms/leg-cramps/", promotion, 'href="https://example.org/app"')
        page = SitePage.objects.get(slug="about")
        page.title = "Who we are"
        assert_fresh_after(client, "/", page.save, ">Who we are</a>")


class TestIndexesAndHomeAreFreshAfter:
    def test_a_new_article(self, client, cramps):
        assert_fresh_after(client, "/symptoms/", lambda: make_article(title="Cough"), "Cough")
        assert_fresh_after(client, "/", lambda: make_article(title="Fever"), "Fever")

    def test_a_move_to_another_kind(self, client, cramps):
        fetch(client, "/conditions/")

        def move():
            cramps.kind = Kind.CONDITION
            cramps.save()

        assert_fresh_after(client, "/symptoms/", move, "No symptoms")
        assert "Leg cramps" in fetch(client, "/conditions/")[1]

    def test_a_scheduled_publication_time_arriving(self, client, cramps):
        at = datetime.datetime(2030, 1, 1, 9, 0, tzinfo=datetime.UTC)
        with time_machine.travel(at - datetime.timedelta(hours=1), tick=False):
            make_article(title="Scheduled", published_at=at)
            assert "Scheduled" not in fetch(client, "/symptoms/")[1]
            assert fetch(client, "/symptoms/")[0] == "hit"
        with time_machine.travel(at + datetime.timedelta(seconds=1), tick=False):
            state, page = fetch(client, "/symptoms/")
            assert state == "miss" and "Scheduled" in page


class TestWhoIsServed:
    def test_a_logged_in_editor_is_never_served_nor_stored(self, client, writer, cramps):
        editor_client = Client()
        editor_client.force_login(writer)
        assert editor_client.get("/symptoms/leg-cramps/").get("X-Page-Cache") is None
        assert fetch(client, "/symptoms/leg-cramps/")[0] == "miss"  # the editor's visit stored nothing
        assert fetch(client, "/symptoms/leg-cramps/")[0] == "hit"
        assert editor_client.get("/symptoms/leg-cramps/").get("X-Page-Cache") is None

    def test_the_feedback_form_works_from_a_cached_page(self, client, cramps):
        fetch(client, "/symptoms/leg-cramps/")
        assert fetch(client, "/symptoms/leg-cramps/")[0] == "hit"
        response = client.post("/feedback/vote/", {"article": str(cramps.uuid), "helpful": "yes"}, headers=SAME_ORIGIN)
        assert response.status_code == 303

    def test_drafts_and_errors_are_not_cached(self, client):
        make_article(slug="draft", status=Status.DRAFT)
        assert client.get("/symptoms/draft/").status_code == 404
        assert "X-Page-Cache" not in client.get("/symptoms/draft/")


class TestConditionalGet:
    @pytest.mark.parametrize("path", ["/symptoms/leg-cramps/", "/", "/symptoms/", "/feed/"])
    def test_etag_and_last_modified_give_304(self, client, cramps, path):
        first = client.get(path)
        assert first["ETag"] and first["Last-Modified"]
        assert client.get(path, headers={"If-None-Match": first["ETag"]}).status_code == 304
        assert client.get(path, headers={"If-Modified-Since": first["Last-Modified"]}).status_code == 304

    def test_a_changed_page_is_not_304(self, client, cramps):
        etag = client.get("/symptoms/leg-cramps/")["ETag"]
        cramps.title = "Leg cramps at night"
        cramps.save()
        assert client.get("/symptoms/leg-cramps/", headers={"If-None-Match": etag}).status_code == 200

    def test_public_pages_ask_browsers_to_revalidate_and_let_shared_caches_keep_them(self, client, cramps):
        assert client.get("/symptoms/leg-cramps/")["Cache-Control"] == (
            "public, max-age=0, must-revalidate, s-maxage=604800, stale-while-revalidate=60, stale-if-error=86400"
        )


def test_a_page_rendered_while_its_content_changed_is_not_kept(rf):
    @page_cache.cached_page
    def view(request):
        time.sleep(0.001)
        page_cache.bump(page_cache.article_tag(1))  # an editor saves while the page is being rendered
        return page_cache.tag(HttpResponse("old"), [page_cache.article_tag(1)])

    assert view(rf.get("/x/"))["X-Page-Cache"] == "miss"
    assert view(rf.get("/x/"))["X-Page-Cache"] == "miss"


def test_values_cached_until_their_tag_changes_are_read_again_after_it(rf):
    loads = []

    def load():
        loads.append(1)
        return len(loads)

    assert page_cache.cached_until_changed(page_cache.site_tag(), "test-value", load) == 1
    assert page_cache.cached_until_changed(page_cache.site_tag(), "test-value", load) == 1
    page_cache.bump(page_cache.site_tag())
    assert page_cache.cached_until_changed(page_cache.site_tag(), "test-value", load) == 2


def test_cache_tags_and_the_cache_are_named_only_by_the_page_cache_module():
    """A tag spelled by hand elsewhere, with a typo, would silently leave a page stale."""
    spelled = re.compile(r"""["'](?:article|kind|address|user):|bump\(\s*f?["']|PAGE_CACHE_ALIAS""")
    offenders = [
        f"{file}:{number}: {line.strip()}"
        for package in ("encyclopedia", "editorial", "core", "config")
        for file in Path(package).rglob("*.py")
        if file.name != "page_cache.py" and "settings" not in file.parts
        for number, line in enumerate(file.read_text().splitlines(), start=1)
        if spelled.search(line)
    ]
    assert offenders == []


def test_the_cache_backend_is_the_one_configured(settings):
    """In the shared-services run REDIS_URL is set: these tests then ran against a real Redis."""
    from django.core.cache import caches

    backend = type(caches[settings.PAGE_CACHE_ALIAS]).__name__
    assert backend == ("RedisCache" if settings.REDIS_URL else "LocMemCache")


def stored_pages() -> int:
    """How many whole pages the cache holds, whichever backend the run uses."""
    from django.conf import settings
    from django.core.cache import caches

    cache = caches[settings.PAGE_CACHE_ALIAS]
    if type(cache).__name__ == "RedisCache":
        return len(cache._cache.get_client().keys(f"*{page_cache.PAGE_PREFIX}*"))
    return sum(page_cache.PAGE_PREFIX in key for key in cache._cache)


class TestWhatMakesAPageDifferent:
    """A page is kept once per address, scheme and parameter its view reads: nothing a visitor adds
    to the address makes another copy."""

    PAGES = ["/", "/symptoms/", "/symptoms/?letter=L", "/symptoms/leg-cramps/", "/about/"]

    def test_unknown_parameters_are_served_the_page_and_store_nothing(self, client, cramps):
        import random

        canonical = {path: client.get(path).content for path in self.PAGES}
        count = stored_pages()
        assert count == len(self.PAGES)
        for number in range(200):
            path = random.choice(self.PAGES)
            extra = f"utm_source={random.randrange(10**9)}&ref{number}=x&page_size=5&q=cramps&fbclid={number}"
            response = client.get(f"{path}{'&' if '?' in path else '?'}{extra}")
            assert response.status_code == 200 and response["X-Page-Cache"] == "hit"
            assert response.content == canonical[path]
        assert stored_pages() == count

    def test_unknown_parameters_on_a_page_not_yet_cached_keep_only_the_page_itself(self, client, cramps):
        for number in range(20):
            assert client.get(f"/symptoms/leg-cramps/?utm_source={number}").status_code == 200
        assert stored_pages() == 1
        assert client.get("/symptoms/leg-cramps/")["X-Page-Cache"] == "hit"

    def test_the_parameters_an_index_reads_are_normalised(self, client, cramps):
        make_article(title="Cough")
        assert fetch(client, "/symptoms/?letter=L")[0] == "miss"
        assert fetch(client, "/symptoms/?letter=l")[0] == "hit"
        assert fetch(client, "/symptoms/?page=1&letter=L")[0] == "hit"
        assert fetch(client, "/symptoms/?letter=L&utm_source=x")[0] == "hit"
        state, page = fetch(client, "/symptoms/?letter=C")
        assert state == "miss" and "Cough" in page and "Leg cramps" not in page
        assert fetch(client, "/symptoms/")[0] == "miss"
        for same in ("/symptoms/?page=1", "/symptoms/?page=nonsense", "/symptoms/?page=-3", "/symptoms/?letter="):
            assert fetch(client, same)[0] == "hit", same
        assert stored_pages() == 3

    def test_pages_beyond_the_last_are_shown_but_not_kept(self, client, cramps):
        for number in (2, 3, 999, 10**30):
            state, page = fetch(client, f"/symptoms/?page={number}")
            assert "Leg cramps" in page  # the last page, as before
        assert stored_pages() == 0

    def test_an_unknown_letter_is_still_a_404(self, client, cramps):
        fetch(client, "/symptoms/")
        assert client.get("/symptoms/?letter=%00").status_code == 404
        assert client.get("/symptoms/?letter=LL").status_code == 404

    def test_revalidation_with_unknown_parameters_is_304(self, client, cramps):
        etag = client.get("/symptoms/leg-cramps/")["ETag"]
        response = client.get("/symptoms/leg-cramps/?utm_source=mail", headers={"If-None-Match": etag})
        assert response.status_code == 304

    def test_http_and_https_each_get_their_own_addresses(self, client, cramps):
        """TLS ended in front of the site and no redirect to https: both schemes reach the same pages."""
        for scheme in ("http", "https", "http", "https"):
            page = client.get("/symptoms/leg-cramps/", secure=scheme == "https").content.decode()
            other = "https" if scheme == "http" else "http"
            assert f'<link rel="canonical" href="{scheme}://testserver/symptoms/leg-cramps/">' in page
            assert f'property="og:url" content="{scheme}://testserver/symptoms/leg-cramps/"' in page
            assert f'"url": "{scheme}://testserver/symptoms/leg-cramps/"' in page  # JSON-LD
            assert f"{other}://testserver" not in page
        assert client.get("/symptoms/leg-cramps/", secure=True)["X-Page-Cache"] == "hit"
