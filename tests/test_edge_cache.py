"""What the application tells and sends the shared caches in front (Varnish, a CDN): which pages they may keep
and for how long, under which tags, and the purges of those tags when something changes. Against a real
Varnish: tests/test_edge.py."""

import datetime
import http.server
import re
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from config.env import env_choice
from encyclopedia import page_cache
from encyclopedia.models import EdgePurge, Kind, SitePage

from .conftest import make_article
from .real_server import free_port

# Pillow, files, permissions and headers: nothing here differs between database engines.
pytestmark = [pytest.mark.django_db, pytest.mark.engine_independent]

VCL = Path(__file__).resolve().parent.parent / "deploy" / "varnish" / "default.vcl"
SHARED = "public, max-age=0, must-revalidate, s-maxage=604800, stale-while-revalidate=60, stale-if-error=86400"


@pytest.fixture
def cramps():
    return make_article(kind=Kind.SYMPTOM, slug="leg-cramps", title="Leg cramps")


# What shared caches may keep.


@pytest.mark.parametrize("path", ["/", "/symptoms/", "/symptoms/leg-cramps/", "/about/", "/feed/", "/sitemap.xml"])
def test_reader_pages_may_be_kept_by_shared_caches_under_short_tags(client, cramps, path):
    assert SitePage.objects.filter(slug="about").exists()  # made by a migration
    for expected_state in ["miss", "hit"]:
        response = client.get(path)
        assert response.status_code == 200 and response["X-Page-Cache"] == expected_state
        assert response["Cache-Control"] == SHARED
        tags = response["xkey"].split()
        assert page_cache.edge_tag(page_cache.site_tag()) in tags
        assert all(re.fullmatch("[0-9a-f]{12}", tag) for tag in tags)


def test_an_article_page_carries_the_tag_its_purge_sends(client, cramps):
    assert page_cache.edge_tag(page_cache.article_tag(cramps)) in client.get("/symptoms/leg-cramps/")["xkey"].split()


def test_the_tag_header_is_spelt_as_the_setting_says(client, cramps, settings):
    settings.EDGE_CACHE_TAG_HEADER = "Surrogate-Key"
    response = client.get("/symptoms/leg-cramps/")
    assert response["Surrogate-Key"] and "xkey" not in response


def test_an_unknown_tag_header_spelling_is_refused(monkeypatch):
    monkeypatch.setenv("EDGE_CACHE_TAG_HEADER", "X-Tags")
    with pytest.raises(ImproperlyConfigured, match="EDGE_CACHE_TAG_HEADER"):
        env_choice("EDGE_CACHE_TAG_HEADER", "xkey", ["xkey", "Surrogate-Key", "Cache-Tag"])


def test_a_page_is_kept_no_longer_than_the_next_scheduled_publication(client, cramps):
    make_article(slug="yawning", published_at=timezone.now() + datetime.timedelta(seconds=100))
    cache_control = client.get("/symptoms/")["Cache-Control"]
    assert 95 <= int(re.search(r"s-maxage=(\d+)", cache_control).group(1)) <= 100
    assert "stale-while-revalidate=0" in cache_control  # not shown after that time, but during an outage


def test_a_scheduled_publication_beyond_the_shared_lifetime_changes_nothing(client, cramps):
    make_article(slug="yawning", published_at=timezone.now() + datetime.timedelta(days=30))
    assert client.get("/symptoms/")["Cache-Control"] == SHARED


@pytest.mark.parametrize("query", ["?letter=l", "?page=02", "?page=9", "?letter=L&letter=M"])
def test_a_page_asked_for_otherwise_than_it_shows_is_not_shared(client, cramps, query):
    # A cache in front keys pages on the raw values: variants of a value must not fill it.
    response = client.get(f"/symptoms/{query}")
    assert response.status_code == 200 and "s-maxage" not in response["Cache-Control"] and "xkey" not in response


def test_unknown_parameters_do_not_stop_a_page_being_shared(client, cramps):
    assert client.get("/symptoms/?letter=L&utm_source=news")["Cache-Control"] == SHARED


def assert_never_shared(response) -> None:
    assert "s-maxage" not in response.get("Cache-Control", "") and "xkey" not in response
    assert "public" not in response.get("Cache-Control", "")


def test_pages_for_a_signed_in_editor_are_never_shared(superuser_client, cramps):
    for path in ["/", "/symptoms/", "/symptoms/leg-cramps/"]:
        response = superuser_client.get(path)
        assert response.status_code == 200 and "private" in response["Cache-Control"]
        assert_never_shared(response)


def test_search_feedback_admin_and_previews_are_never_shared(client, superuser_client, cramps):
    for path in ["/search/?q=cramps", "/feedback/", "/admin/login/", "/healthz", "/unavailable"]:
        assert_never_shared(client.get(path))
    copy_preview = superuser_client.get(f"/admin/encyclopedia/article/{cramps.pk}/change/")
    assert_never_shared(copy_preview)


# Purges.


class Cache:
    """A stand-in edge cache on loopback that records the purges it is sent and accepts them."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.purges: list[str] = []
        self.server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> "Cache":
        cache = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_PURGE(self):
                cache.purges.append(self.headers[settings.EDGE_CACHE_TAG_HEADER])
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def edge(settings):
    """Two caches in front: one that answers, one that is down (nothing listens on its port yet)."""
    up, down = Cache().start(), Cache()
    settings.EDGE_CACHE_PURGE_URLS = [up.url, down.url]
    yield up, down
    up.stop()
    if down.server is not None:
        down.stop()


def test_a_change_is_purged_at_every_cache_once_it_commits_in_one_request(edge, cramps, client,
                                                                          django_capture_on_commit_callbacks):  # fmt: skip
    up, down = edge
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            cramps.title = "Leg cramps at night"
            cramps.save()
            cramps.related.add(make_article(slug="night-sweats"))
            assert up.purges == []  # nothing before the commit
    assert len(up.purges) == 1  # all the transaction's tags in one purge
    purged = up.purges[0].split()
    assert {page_cache.edge_tag(page_cache.article_tag(cramps)), page_cache.edge_tag(page_cache.kind_tag(Kind.SYMPTOM)),
            page_cache.edge_tag(page_cache.articles_tag())} <= set(purged)  # fmt: skip
    # The cache that was down is owed its purges: kept, and counted on /healthz.
    assert set(EdgePurge.objects.values_list("cache_url", flat=True)) == {down.url}
    pending = EdgePurge.objects.count()
    assert client.get("/healthz").content.decode() == f"ok\nedge purges pending: {pending}\n"
    down.start()
    call_command("purge_edge_cache")
    assert set(down.purges[0].split()) == set(purged) and len(down.purges) == 1
    assert not EdgePurge.objects.exists()


def test_a_change_rolled_back_is_not_purged(edge, cramps, django_capture_on_commit_callbacks):
    up, _ = edge
    before = EdgePurge.objects.count()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            cramps.title = "Never saved"
            cramps.save()
            raise RuntimeError
    assert up.purges == [] and EdgePurge.objects.count() == before


def test_purges_for_a_cache_no_longer_configured_are_dropped(edge, cramps, settings):
    up, down = edge
    cramps.save()
    settings.EDGE_CACHE_PURGE_URLS = [up.url]
    call_command("purge_edge_cache")
    assert not EdgePurge.objects.exists()


def test_nothing_is_queued_without_caches_in_front(cramps, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        cramps.save()
    assert not EdgePurge.objects.exists()


# The shipped VCL agrees with the application.


def cached_views() -> list[tuple[str, dict]]:
    """(a path of each cached view, the query parameters it reads)."""
    samples = {"kind": "symptoms", "slug": "leg-cramps", "section": "articles"}
    found = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and hasattr(pattern.callback, "page_cache_query"):
                path = re.sub(r"<(?:\w+:)?(\w+)>", lambda match: samples[match.group(1)], prefix + str(pattern.pattern))
                found.append(("/" + path, pattern.callback.page_cache_query))

    walk(get_resolver().url_patterns)
    return found


def vcl_query_lists() -> list[tuple[str, list[str]]]:
    """(path pattern, the parameters kept in the key) from the VCL's `if (req.http.X-Edge-Key ~ ...)` blocks."""
    text = VCL.read_text()
    blocks = re.split(r'(?:if|elsif) \(req\.http\.X-Edge-Key ~ "([^"]+)"\)', text)[1:]
    return [(pattern, re.findall(r'\[\?&\]\((\w+)=', body.split("}\n    }", 1)[0])) for pattern, body in
            zip(blocks[::2], blocks[1::2], strict=True)]  # fmt: skip


def test_the_vcl_keys_pages_on_the_parameters_their_views_read_and_no_others():
    lists = vcl_query_lists()
    assert lists, "no query-string lists found in the VCL"
    views = cached_views()
    assert {path for path, _ in views} >= {"/", "/symptoms/", "/symptoms/leg-cramps/", "/feed/", "/sitemap.xml"}
    for path, reads in views:
        kept = next((names for pattern, names in lists if re.search(pattern, path)), [])
        assert kept == sorted(reads), (path, kept, sorted(reads))
    assert re.search(lists[0][0], "/procedures/") and sorted(lists[0][0].strip("^/$()").split("|")) == sorted(
        kind.plural for kind in Kind
    )


def test_the_vcl_passes_requests_with_the_applications_session_cookie():
    assert f'"(^|;\\s*){settings.SESSION_COOKIE_NAME}="' in VCL.read_text()
