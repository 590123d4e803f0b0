"""While the database cannot be reached: cached pages are still served, everything else is a
503 in the site's design, feedback keeps the reader's text, and /healthz says so.

These run in-process, on both databases, by pointing Django's connection somewhere that cannot be
used. The proof on a real server and a real PostgreSQL stopped and started again is
tests/test_outage_real_server.py."""

import json
import logging
import socket
import threading
from contextlib import contextmanager

import pytest
from django.db import connection

from editorial.models import Feedback

from .conftest import SAME_ORIGIN, make_article
from .feedback_helpers import general, post_feedback, vote

# Committed data: the connection is closed and pointed elsewhere in the middle of a test.
outage = pytest.mark.django_db(transaction=True)


class UnreachableDatabase:
    """Django's connection pointed at a database it cannot use, for the length of a `with` block.

    On PostgreSQL: a local port that accepts connections and hangs up at once, counting them, so
    that a test can tell whether a request even tried. On SQLite: a file in a folder that does not
    exist (nothing to count there)."""

    def __init__(self):
        self.attempts: int | None = None

    @contextmanager
    def down(self):
        saved = dict(connection.settings_dict)
        connection.close()
        if connection.vendor == "sqlite":
            connection.settings_dict["NAME"] = "/nonexistent-folder/encyclopedia.sqlite3"
            try:
                yield self
            finally:
                self._restore(saved)
            return
        self.attempts = 0
        with socket.create_server(("127.0.0.1", 0)) as server:
            threading.Thread(target=self._hang_up_on_everyone, args=(server,), daemon=True).start()
            connection.settings_dict.update(HOST="127.0.0.1", PORT=server.getsockname()[1])
            try:
                yield self
            finally:
                self._restore(saved)

    def _hang_up_on_everyone(self, server: socket.socket) -> None:
        while True:
            try:
                accepted, _ = server.accept()
            except OSError:  # the listening socket was closed: the outage is over
                return
            self.attempts += 1
            accepted.close()

    @staticmethod
    def _restore(saved: dict) -> None:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)

    def attempts_of_one_connection(self) -> int | None:
        """How many TCP connections one attempt to connect makes (libpq may try again without SSL)."""
        if self.attempts is None:
            return None
        before = self.attempts
        with pytest.raises(Exception):  # noqa: B017  (OperationalError, whatever the driver's wording)
            connection.ensure_connection()
        return self.attempts - before


@pytest.fixture
def database():
    return UnreachableDatabase()


def assert_outage_page(response) -> str:
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "This page is briefly unavailable" in page and "Please try again shortly" in page
    # The site's own design: its stylesheet, header, navigation and footer, with the default texts.
    assert "/static/css/site.css" in page and 'class="site-name"' in page and 'href="/symptoms/"' in page
    assert "Health Encyclopedia" in page and 'class="site-footer"' in page
    assert "Traceback" not in page and "OperationalError" not in page
    return page


@outage
def test_a_cached_page_is_served_without_touching_the_database(client, database):
    make_article(slug="leg-cramps", title="Leg cramps")
    client.get("/symptoms/leg-cramps/")
    etag = client.get("/symptoms/leg-cramps/")["ETag"]
    with database.down():
        response = client.get("/symptoms/leg-cramps/")
        revalidated = client.get("/symptoms/leg-cramps/", headers={"If-None-Match": etag})
        assert database.attempts in (0, None)
    assert response.status_code == 200 and response["X-Page-Cache"] == "hit"
    assert ">Leg cramps</h1>" in response.content.decode()
    assert revalidated.status_code == 304


@outage
def test_an_uncached_page_is_a_503_in_the_site_design_that_asks_no_more_of_the_database(client, database):
    make_article(slug="leg-cramps", title="Leg cramps")
    with database.down():
        one_connection = database.attempts_of_one_connection()
        before = database.attempts
        page = assert_outage_page(client.get("/symptoms/leg-cramps/"))
        if before is not None:  # the view tried once; the page around the message did not try again
            assert database.attempts - before == one_connection
        assert_outage_page(client.get("/"))
        assert_outage_page(client.get("/search/", {"q": "cramps"}))
    assert "call <strong>911</strong>" in page  # a medical site: the emergency number, even now
    assert client.get("/symptoms/leg-cramps/").status_code == 200  # and back as soon as the database is


@outage
def test_the_outage_is_logged_once_per_request_at_warning_without_personal_data(client, database, caplog):
    with database.down(), caplog.at_level(logging.INFO):
        assert client.get("/search/", {"q": "my itchy rash"}).status_code == 503
    serious = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert [(record.name, record.levelname) for record in serious] == [("core.outage", "WARNING")]
    assert "GET /search/" in serious[0].getMessage() and "rash" not in serious[0].getMessage()


@outage
def test_a_missing_page_is_still_a_404_in_the_site_design(client, database):
    with database.down():
        response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page and "Health Encyclopedia" in page and "/static/css/site.css" in page


@outage
@pytest.mark.parametrize("about_an_article", [False, True])
def test_feedback_sent_during_an_outage_is_503_with_the_text_kept_and_nothing_stored(
    client, database, about_an_article
):
    article = make_article(slug="leg-cramps", title="Leg cramps")
    extra = {"article": str(article.uuid)} if about_an_article else {}
    data = general("The dose in the second table looks wrong.", name="Ann Example", email="ann@example.org", **extra)
    with database.down():
        response = post_feedback(client, data)
    assert response.status_code == 503 and response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Your message has not been sent" in page and "send it again in a few minutes" in page
    assert "The dose in the second table looks wrong.</textarea>" in page
    assert 'value="Ann Example"' in page and 'value="ann@example.org"' in page
    assert 'value="suggestion" id="id_category_1" required checked>' in page
    assert "Traceback" not in page
    assert Feedback.objects.count() == 0
    # The same form sent again once the database is back is stored.
    assert post_feedback(client, data).status_code == 302
    assert Feedback.objects.get().message == "The dose in the second table looks wrong."


@outage
def test_a_follow_up_after_a_vote_keeps_its_text_during_an_outage(client, database):
    article = make_article(slug="leg-cramps", title="Leg cramps")
    token = vote(client, article, "no", headers={**SAME_ORIGIN, "Accept": "application/json"}).json()["token"]
    with database.down():
        response = post_feedback(client, {"vote": token, "message": "Say more about night cramps."})
    assert response.status_code == 503
    page = response.content.decode()
    assert "Your message has not been sent" in page and "Say more about night cramps.</textarea>" in page
    assert f'value="{token}"' in page  # still linked to the vote when sent again
    assert Feedback.objects.count() == 0


@outage
def test_a_vote_from_the_script_during_an_outage_gets_a_json_503_it_can_show(client, database):
    article = make_article(slug="leg-cramps", title="Leg cramps")
    with database.down():
        response = vote(client, article, "yes", headers={**SAME_ORIGIN, "Accept": "application/json"})
        plain = vote(client, article, "yes")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "could not be saved" in response.json()["error"]
    assert_outage_page(plain)  # without the script: the site's 503 page


@outage
def test_the_api_answers_a_json_503_in_its_error_format(client, database):
    with database.down():
        response = client.get("/api/v1/articles/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert response["Content-Type"] == "application/json" and response["Access-Control-Allow-Origin"] == "*"
    assert json.loads(response.content)["error"]["code"] == "unavailable"
    assert "no-store" in response["Cache-Control"] and "ETag" not in response


# /healthz ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_health_is_ok_with_one_query_no_cookie_and_never_cached(client, django_assert_max_num_queries):
    for _ in range(2):  # asked twice: the second answer is checked afresh, not served from a cache
        with django_assert_max_num_queries(1) as queries:
            response = client.get("/healthz")
        assert len(queries) == 1
        assert response.status_code == 200 and response.content == b"ok\nedge purges pending: 0\n"
        assert response["Content-Type"].startswith("text/plain")
        assert "no-store" in response["Cache-Control"] and "X-Page-Cache" not in response
        assert response.cookies == {} and "Set-Cookie" not in response


@outage
def test_health_is_503_while_the_database_is_unreachable(client, database):
    with database.down():
        response = client.get("/healthz")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert response.content == b"database unavailable\n" and "no-store" in response["Cache-Control"]
    assert response.cookies == {}
    assert client.get("/healthz").status_code == 200
