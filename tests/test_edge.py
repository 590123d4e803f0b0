"""A real Varnish in front of the production server: deploy/varnish/default.vcl started as the README deploys
it (tests/edge_server.py), two instances, each purged by the application when something changes. Changes are
made by an editor process with the server's settings, through the workflow, as the admin makes them.

`bash scripts/test` installs Debian's varnish and varnish-modules when they are missing and runs these alone
(the `edge` marker). Without them they are skipped, except under CI, where they fail."""

import http.client
import os
import re

import pytest

from .edge_server import edge_site, varnish_available, wait_until

pytestmark = pytest.mark.edge

ARTICLE = "/symptoms/leg-cramps/"

HELPERS = """
import datetime
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone
from editorial import workflow
from encyclopedia.models import Article, EdgePurge, Kind, Status

carol = User.objects.get(username="carol")

def live(slug):
    return Article.objects.get(slug=slug, live_article__isnull=True)

def edit(slug, **fields):
    '''A working copy of the article, changed and approved by a medical reviewer.'''
    copy = workflow.article_start_working_copy(article=live(slug), by=carol)
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save()
    workflow.article_approve_and_publish(article=copy, by=carol, comment="Checked.")
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if not varnish_available():
        message = "varnishd or its xkey module is missing (Debian: varnish, varnish-modules; `bash scripts/test` installs them as root)"
        if os.environ.get("CI") in {"true", "1"}:
            pytest.fail(f"{message}; CI must run these tests.")
        pytest.skip(message)
    with edge_site(tmp_path_factory.mktemp("edge"), varnishes=2) as running:
        running.editor.run(HELPERS)
        yield running


@pytest.fixture
def varnish(site):
    return site.varnishes[0]


def cached(varnish, path: str):
    """The page through Varnish once it holds it: the answer to a second request, which is a hit."""
    varnish.get(path)
    answer = varnish.get(path)
    assert answer.status == 200 and answer.cache == "HIT", (path, answer.status, answer.cache)
    return answer


def test_a_second_request_is_a_varnish_hit_and_browsers_still_revalidate(site, varnish):
    first, second = varnish.get(ARTICLE), varnish.get(ARTICLE)
    assert (first.cache, second.cache) == ("MISS", "HIT") and second.body == first.body
    assert ">Leg cramps</h1>" in second.body
    assert second.headers["Cache-Control"].startswith("public, max-age=0, must-revalidate, s-maxage=")
    assert "xkey" not in second.headers  # the tags are for Varnish, not browsers
    revalidated = varnish.get(ARTICLE, headers={"If-None-Match": second.headers["ETag"]})
    assert revalidated.status == 304 and revalidated.cache == "HIT"
    # From gunicorn, the tags: short hashes, whatever the article's address.
    tags = site.direct(ARTICLE).headers["xkey"].split()
    assert tags and all(re.fullmatch("[0-9a-f]{12}", tag) for tag in tags)


def test_an_approved_edit_shows_on_the_next_request_at_every_varnish(site):
    for cache in site.varnishes:
        cached(cache, ARTICLE)
    site.editor.run('edit("leg-cramps", summary="Sudden, painful tightening of a calf muscle.")')
    for cache in site.varnishes:
        answer = cache.get(ARTICLE)
        assert answer.cache == "MISS" and "tightening of a calf muscle" in answer.body


def test_a_renamed_related_article_shows_on_the_pages_that_link_to_it(site, varnish):
    for path in [ARTICLE, "/symptoms/", "/"]:
        assert "Night sweats<" in cached(varnish, path).body
    site.editor.run('edit("night-sweats", title="Sweating at night")')
    for path in [ARTICLE, "/symptoms/", "/"]:
        answer = varnish.get(path)
        assert "Sweating at night" in answer.body and "Night sweats<" not in answer.body, path


def test_an_unpublished_article_is_gone_on_the_next_request(site, varnish):
    cached(varnish, "/symptoms/hiccups/")
    assert "Hiccups" in cached(varnish, "/symptoms/").body
    site.editor.run('workflow.article_unpublish(article=live("hiccups"), by=carol, comment="Withdrawn.")')
    assert varnish.get("/symptoms/hiccups/").status == 404
    assert "Hiccups" not in varnish.get("/symptoms/").body


def test_a_deleted_article_is_gone_on_the_next_request(site, varnish):
    cached(varnish, "/symptoms/chills/")
    site.editor.run('live("chills").delete()')
    assert varnish.get("/symptoms/chills/").status == 410


def test_a_scheduled_time_arriving_shows_on_the_next_request(site, varnish):
    # A new article and a change to a live one, both approved for three seconds from now.
    site.editor.run("""
at = timezone.now() + datetime.timedelta(seconds=3)
Article.objects.create(kind=Kind.SYMPTOM, slug="yawning", title="Yawning", summary="Why we yawn.",
                       status=Status.PUBLISHED, published_at=at)
edit("leg-cramps", summary="Cramps at night, explained.", published_at=at)
result = at.timestamp()
""")
    index, article = cached(varnish, "/symptoms/"), cached(varnish, ARTICLE)
    assert "Yawning" not in index.body and "Cramps at night" not in article.body
    # Kept by Varnish until then at most: the page's shared lifetime stops at the scheduled time.
    assert int(re.search(r"s-maxage=(\d+)", index.headers["Cache-Control"]).group(1)) <= 3
    wait_until(lambda: varnish.get("/symptoms/").body.count("Yawning") > 0, seconds=10)
    # The new article shows by itself; the change, once cron has run the command that applies it.
    site.editor.run('call_command("publish_scheduled_changes", verbosity=0)')
    assert "Cramps at night, explained." in varnish.get(ARTICLE).body


def test_a_purge_missed_while_a_varnish_was_down_is_delivered_when_it_is_back(site):
    up, down = site.varnishes
    for cache in site.varnishes:
        cached(cache, ARTICLE)
    down.relay.close()
    try:
        site.editor.run('edit("leg-cramps", summary="Cramps that wake you up.")')
        assert "Cramps that wake you up." in up.get(ARTICLE).body
        health = site.direct("/healthz").body
        assert re.search(r"edge purges pending: [1-9]", health), health
    finally:
        down.relay.open()
    assert "Cramps that wake you up." not in down.get(ARTICLE).body  # it missed the purge
    site.editor.run('call_command("purge_edge_cache", verbosity=0)')  # as cron runs it every minute
    assert "Cramps that wake you up." in down.get(ARTICLE).body
    assert "edge purges pending: 0" in site.direct("/healthz").body


def test_behind_nginx_pages_are_varnish_hits_and_a_purge_through_nginx_is_refused(site, varnish):
    if not site.https_port:
        pytest.skip("nginx is missing (Debian: nginx-light)")
    first, second = site.through_nginx("GET", ARTICLE), site.through_nginx("GET", ARTICLE)
    assert (first.cache, second.cache) == ("MISS", "HIT")
    assert 'rel="canonical" href="https://127.0.0.1/symptoms/leg-cramps/"' in second.body  # nginx said https
    assert site.through_nginx("PURGE", "/").status == 403  # nginx is on an address in the ACL, but forwards
    assert site.through_nginx("GET", ARTICLE).cache == "HIT"


def test_a_purge_from_an_address_outside_the_acl_is_refused(site, varnish):
    cached(varnish, ARTICLE)
    tags = site.direct(ARTICLE).headers["xkey"]
    connection = http.client.HTTPConnection("127.0.0.1", varnish.port, timeout=5, source_address=("127.0.0.2", 0))
    connection.request("PURGE", "/", headers={"xkey": tags})
    assert connection.getresponse().status == 403
    connection.close()
    assert varnish.get(ARTICLE).cache == "HIT"


def test_a_request_with_a_session_never_gets_nor_fills_a_shared_page(site, varnish):
    session = site.editor.run("""
from django.test import Client
client = Client()
client.force_login(carol)
result = client.cookies["sessionid"].value
""")
    site.editor.run('edit("leg-cramps", summary="Fresh from the reviewer.")')  # nothing of it in Varnish now
    for _ in range(2):
        signed_in = varnish.get(ARTICLE, headers={"Cookie": f"sessionid={session}; csrftoken=x"})
        assert signed_in.status == 200 and signed_in.cache == "MISS"
        assert "private" in signed_in.headers["Cache-Control"] and "s-maxage" not in signed_in.headers["Cache-Control"]
    reader = varnish.get(ARTICLE)
    assert reader.cache == "MISS"  # the signed-in requests filled nothing
    assert varnish.get(ARTICLE, headers={"Cookie": f"sessionid={session}"}).cache == "MISS"  # nor get the reader's
    assert varnish.get(ARTICLE, headers={"Cookie": "consent=yes"}).cache == "HIT"  # other cookies are no session


def test_unknown_query_parameters_make_no_entries(site, varnish):
    for path in [ARTICLE, "/symptoms/?letter=L"]:
        cached(varnish, path)
    before = varnish.objects()
    for path in [f"{ARTICLE}?utm_source=news", "/symptoms/?utm_source=news&letter=L", "/symptoms/?letter=L&ref=x"]:
        assert varnish.get(path).cache == "HIT", path
    assert varnish.objects() == before
    # A value the page does not show as asked (`l` for L, a page beyond the last) is answered, never kept.
    for path in ["/symptoms/?letter=l", "/symptoms/?page=9"]:
        answers = [varnish.get(path) for _ in range(2)]
        assert [(answer.status, answer.cache) for answer in answers] == [(200, "MISS"), (200, "MISS")], path


def test_with_the_application_stopped_cached_pages_are_served_stale_and_the_rest_is_the_designed_503(site, varnish):
    # Pages whose shared lifetime ends in seconds (a scheduled publication then), cached, then the server stops.
    site.editor.run("""
Article.objects.create(kind=Kind.SYMPTOM, slug="sneezing", title="Sneezing", summary="Why we sneeze.",
                       status=Status.PUBLISHED, published_at=timezone.now() + datetime.timedelta(seconds=3))
""")
    home = cached(varnish, "/")
    lifetime = int(re.search(r"s-maxage=(\d+)", home.headers["Cache-Control"]).group(1))
    assert lifetime <= 3
    site.stop_gunicorn()
    try:
        wait_until(lambda: int(varnish.get("/").headers["Age"]) > lifetime)
        stale = varnish.get("/")
        assert stale.status == 200 and stale.body == home.body and stale.cache == "HIT"
        for answer in [varnish.get("/search/?q=cramps"), varnish.request("POST", "/feedback/", body="message=x")]:
            assert answer.status == 503 and answer.headers["Retry-After"] == "30"
            assert "This page is briefly unavailable" in answer.body
    finally:
        site.start_gunicorn()
