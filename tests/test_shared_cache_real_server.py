"""The page cache on a real production server with two workers and no Redis: every worker sees an
edit at once. gunicorn runs with the production settings on the database of DATABASE_URL (a
database of its own on that PostgreSQL server, or an SQLite file), and its cache in a folder of
its own; a reviewer makes the edits through the admin of that same server, over HTTP.

Its access log (for this test only) names the worker that answered each request."""

import http.client
import os
import re
import socket
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from .real_server import free_port, manage_shell, production_environment, start_gunicorn, stop
from .test_edit_merge import form_of
from .test_outage_real_server import SERVER_START_SECONDS, Server, wait_for

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2

SET_UP = """
import datetime
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.utils import timezone
from encyclopedia.models import Article, Kind, Status

call_command("migrate", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)  # the admin is used too
for slug, title in [("leg-cramps", "Leg cramps"), ("night-sweats", "Night sweats")]:
    Article.objects.create(
        kind=Kind.SYMPTOM, slug=slug, title=title, status=Status.PUBLISHED,
        published_at=timezone.now() - datetime.timedelta(days=1),
        summary=f"What {title.lower()} are, in plain words.",
        body="## Causes\\n\\nSome causes.\\n\\n## Treatment\\n\\nSome treatment.",
    )
carol = User.objects.create_user("carol", "carol@example.org", "a-long-enough-password", is_staff=True)
carol.groups.add(Group.objects.get(name="Medical reviewer"))
print(*(f"{article.slug}={article.pk}" for article in Article.objects.all()))
"""

PASSWORD = "a-long-enough-password"


class AdminSession:
    """A reviewer signed in to the server's admin, posting forms as a browser would (cookies, CSRF token)."""

    def __init__(self, server: Server):
        self.server, self.cookies = server, {}
        self.post("/admin/login/", {"username": "carol", "password": PASSWORD, "next": "/admin/"})
        assert "sessionid" in self.cookies, "the reviewer could not sign in"

    def request(self, method: str, path: str, body: str = "", headers: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=20)
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        connection.request(method, path, body=body, headers={"Cookie": cookie, **(headers or {})})
        response = connection.getresponse()
        text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            self.cookies[name] = value
        connection.close()
        return response, text

    def get(self, path: str) -> str:
        response, text = self.request("GET", path)
        assert response.status == 200, (path, response.status)
        return text

    def post(self, path: str, data: dict, *, form_page: str | None = None) -> str:
        """POST `data` with the CSRF token of `form_page` (by default the page at `path`); where it led."""
        page = form_page or self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}, doseq=True)
        origin = f"http://127.0.0.1:{self.server.port}"
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Origin": origin, "Referer": origin + path}
        response, text = self.request("POST", path, body, headers)
        assert response.status == 302, (path, response.status, text[-2000:])
        return response.headers["Location"]


def edit_through_the_admin(server: Server) -> None:
    """A reviewer takes one article offline and corrects another in a working copy she then approves."""
    admin = AdminSession(server)
    leg_cramps, night_sweats = server.article_ids["leg-cramps"], server.article_ids["night-sweats"]
    live_page = admin.get(f"/admin/encyclopedia/article/{leg_cramps}/change/")
    admin.post(f"/admin/encyclopedia/article/{leg_cramps}/step/",
               {"transition": "unpublish", "workflow_comment": "Withdrawn."}, form_page=live_page)  # fmt: skip
    live_page = admin.get(f"/admin/encyclopedia/article/{night_sweats}/change/")
    copy_path = admin.post(f"/admin/encyclopedia/article/{night_sweats}/working-copy/", {}, form_page=live_page)
    form = form_of(admin.get(copy_path))
    form |= {"body": "## Causes\n\nA corrected cause.", "transition": "approve", "workflow_comment": "Corrected."}
    admin.post(copy_path, form)


@dataclass
class Database:
    url: str
    drop: str | None  # the PostgreSQL database to drop afterwards


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Iterator[Database]:
    given = os.environ.get("DATABASE_URL", "")
    if not given.startswith(("postgres://", "postgresql://")):
        yield Database(f"sqlite:///{tmp_path_factory.mktemp('shared-cache-db') / 'db.sqlite3'}", None)
        return
    name = f"shared_cache_{uuid.uuid4().hex[:12]}"
    server = given.rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield Database(f"{server}/{name}", name)
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="module")
def environment(database, tmp_path_factory) -> dict[str, str]:
    work = tmp_path_factory.mktemp("shared-cache")
    return production_environment(work, database_url=database.url, GUNICORN_WORKERS=str(WORKERS), WORK=str(work))


@pytest.fixture(scope="module")
def server(environment) -> Iterator[Server]:
    created = manage_shell(environment, SET_UP).split()[-2:]
    work = Path(environment["WORK"])
    port = free_port()
    log, access = work / "server.log", work / "access.log"
    # The worker's process id and the cache's answer for each request, in a log of this test's own.
    each_request = ["--access-logfile", str(access), "--access-logformat", "%(p)s %(U)s %(s)s %({x-page-cache}o)s"]
    process = start_gunicorn(environment | {"PORT": str(port)}, log, *each_request)
    running = Server(port=port, process=process, log=log, database_url=environment["DATABASE_URL"])
    running.access = access
    running.article_ids = dict(pair.split("=") for pair in created)
    try:
        wait_for(running, "/healthz", 200, seconds=SERVER_START_SECONDS)
        yield running
    finally:
        stop(process)


def answers(server: Server, path: str, rounds: int) -> list[tuple[str, str, str]]:
    """Each worker answers `path` once a round: (worker, status, cache) of each answer, from the access log.

    A worker of gunicorn's serves one connection at a time: while one holds a request whose headers are
    not finished, the other answers the next; then the first finishes."""
    before = len(server.access.read_text().splitlines()) if server.access.exists() else 0
    for _ in range(rounds):
        with socket.create_connection(("127.0.0.1", server.port), timeout=20) as held:
            held.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n".encode())
            time.sleep(0.05)  # taken by a worker, which now waits for the rest
            server.fetch(path)  # so the other one answers this
            held.sendall(b"Connection: close\r\n\r\n")
            while held.recv(65536):
                pass
    deadline = time.monotonic() + 10
    while True:  # a worker writes its line once the answer is sent
        lines = [line.split() for line in server.access.read_text().splitlines()[before:]]
        if len(lines) >= 2 * rounds or time.monotonic() > deadline:
            return [(line[0], line[2], line[3]) for line in lines if line[1] == path]
        time.sleep(0.05)


def test_the_server_says_which_cache_it_uses(server, environment):
    line = f"Page cache: files in {environment['CACHE_DIR']}, shared by the 2 workers on this machine"
    deadline = time.monotonic() + SERVER_START_SECONDS
    while line not in server.log.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)  # the first worker says it; the second may have answered already
    assert server.log.read_text().count("Page cache:") == 1 and line in server.log.read_text()


def test_an_edit_reaches_every_worker_at_once(server, environment):
    # Both workers serve both pages from the cache: one page, rendered once, for both.
    for path in ("/symptoms/leg-cramps/", "/symptoms/night-sweats/"):
        served = answers(server, path, 10)
        assert len(served) == 20 and [cache for worker, status, cache in served].count("miss") == 1, served
        assert len({worker for worker, status, cache in served if cache == "hit"}) == WORKERS, served

    edit_through_the_admin(server)  # whichever worker takes each admin request

    withdrawn = answers(server, "/symptoms/leg-cramps/", 20)
    assert len(withdrawn) == 40 and {status for worker, status, cache in withdrawn} == {"404"}, withdrawn
    assert len({worker for worker, status, cache in withdrawn}) == WORKERS
    corrected = answers(server, "/symptoms/night-sweats/", 20)
    assert len({worker for worker, status, cache in corrected}) == WORKERS and len(corrected) == 40
    assert [cache for worker, status, cache in corrected].count("miss") == 1, corrected
    page = server.fetch("/symptoms/night-sweats/")
    assert page.headers["X-Page-Cache"] == "hit" and "A corrected cause." in page.text
    assert "Some causes." not in page.text
