"""The documented deployment, started for real: nginx from deploy/nginx/encyclopedia.conf in front of gunicorn
(production settings, one sync worker). Slow clients wait in nginx, not in the worker.

`bash scripts/test` installs Debian's nginx-light when it is missing and runs these alone (the `proxy`
marker). Without nginx they are skipped, except under CI, where they fail. bench/slow_clients.sh prints the
same measurement straight against gunicorn, where it stalls."""

import http.client
import os
import urllib.parse

import pytest

from .proxy_server import ARTICLE, Trickle, nginx_available, site

pytestmark = pytest.mark.proxy


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    if not nginx_available():
        message = "nginx is missing (Debian: nginx-light, which `bash scripts/test` installs as root)"
        if os.environ.get("CI") in {"true", "1"}:
            pytest.fail(f"{message}; CI must run these tests.")
        pytest.skip(message)
    # Two votes per client and window: enough to see whose votes are counted together.
    with site(tmp_path_factory.mktemp("proxy"), environment={"FEEDBACK_VOTES_PER_WINDOW": "2"}) as running:
        status, _, _, _ = running.get(ARTICLE)
        assert status == 200
        yield running


def test_four_clients_trickling_a_feedback_body_do_not_hold_up_a_reader(served):
    served.get(ARTICLE)  # in the page cache, as an article readers visit is
    with Trickle(served.https_port, tls=True, count=4, seconds=8) as slow:
        timings = []
        for _ in range(3):
            status, headers, body, seconds = served.get(ARTICLE, timeout=5)
            assert status == 200 and b">Leg cramps</h1>" in body
            timings.append(seconds)
        print(f"article through nginx while 4 clients trickle: {', '.join(f'{t * 1000:.0f} ms' for t in timings)}")
        assert max(timings) < 1
        # Not finished yet: the slow bodies really are still being sent while the reader was served.
        assert slow.bytes_sent < 4 * 200


def test_http_is_redirected_to_https_and_django_sees_https_through_x_forwarded_proto(served):
    plain = http.client.HTTPConnection("127.0.0.1", served.http_port, timeout=5)
    plain.request("GET", ARTICLE, headers={"Host": "127.0.0.1"})
    answer = plain.getresponse()
    assert answer.status == 301 and answer.headers["Location"] == f"https://127.0.0.1{ARTICLE}"
    # Production settings redirect plain HTTP to HTTPS (SECURE_SSL_REDIRECT): no redirect means the header
    # told Django the request came over HTTPS.
    status, headers, _, _ = served.get(ARTICLE)
    assert status == 200 and headers["X-Request-ID"]  # answered by Django, not redirected


def test_static_files_are_served_by_nginx_compressed_and_cached_for_a_year(served):
    _, _, page, _ = served.get(ARTICLE)
    stylesheet = next(
        part.split('"')[0] for part in page.decode().split('href="')[1:] if part.startswith("/static/css/site.")
    )
    status, headers, body, _ = served.get(stylesheet, headers={"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip" and body
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "X-Request-ID" not in headers  # nginx answered, not Django


def test_a_forged_x_forwarded_for_does_not_make_a_new_client(served):
    # TRUSTED_PROXY_COUNT=1 with nginx appending the address it saw: whatever a client writes in the header,
    # its votes are counted as one client's (two per window here), so the third is refused.
    vote = urllib.parse.urlencode({"article": served.article_uuid, "helpful": "yes"})
    statuses = [
        served.post("/feedback/vote/", vote, headers={"Sec-Fetch-Site": "same-origin", "X-Forwarded-For": forged})[0]
        for forged in ["203.0.113.1", "203.0.113.2", "203.0.113.3"]
    ]
    assert statuses == [303, 303, 429]


def test_uploaded_images_are_served_by_nginx_with_their_type_and_nosniff_and_nothing_else_is(served):
    folder = served.work / "media" / "images" / "r"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "0123abcd.avif").write_bytes(b"\x00\x00\x00\x1cftypavif")
    (folder / "0123abcd.html").write_text("<script>alert(1)</script>")
    status, headers, body, _ = served.get("/media/images/r/0123abcd.avif")
    assert status == 200 and body.startswith(b"\x00\x00\x00\x1cftypavif")
    assert headers["Content-Type"] == "image/avif"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "sandbox" in headers["Content-Security-Policy"]
    assert "X-Request-ID" not in headers  # nginx answered, not Django
    # A file of any other kind in the media folder is never served, as a page or otherwise.
    assert served.get("/media/images/r/0123abcd.html")[0] == 404
    assert served.get("/media/images/r/missing.png")[0] == 404
