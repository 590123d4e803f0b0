"""A database outage on a real server: gunicorn with the production settings and one worker, its page
cache in a folder of its own, on a PostgreSQL cluster of its own that these
tests stop and start. Nothing restarts the server in between: it must recover on its own.

`bash scripts/test` makes that cluster and runs these tests alone (the `outage` marker), with:
OUTAGE_PG_DATA (its data folder; its log is written beside it), OUTAGE_PG_BIN (pg_ctl's folder),
OUTAGE_PG_PORT (it listens on 127.0.0.1) and OUTAGE_PG_USER (run pg_ctl as this user: set when
the tests run as root, since PostgreSQL refuses to)."""

import http.client
import json
import os
import re
import socket
import subprocess
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from .real_server import free_port, manage_shell, production_environment, start_gunicorn, stop

pytestmark = pytest.mark.outage

SERVER_START_SECONDS = 60

# Run inside the server's own environment: a migrated database with a few published articles.
SET_UP = """
import datetime
from django.core.management import call_command
from django.utils import timezone
from encyclopedia.models import Article, Kind, Status

call_command("migrate", verbosity=0)
# The static files the reader pages use, in the production (manifest) storage; not the admin's.
call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=["admin"])
for kind, slug, title in [
    (Kind.SYMPTOM, "leg-cramps", "Leg cramps"),
    (Kind.CONDITION, "dehydration", "Dehydration"),
    (Kind.CONDITION, "asthma", "Asthma"),
    (Kind.PROCEDURE, "spirometry", "Spirometry"),
]:
    Article.objects.create(
        kind=kind, slug=slug, title=title, status=Status.PUBLISHED,
        published_at=timezone.now() - datetime.timedelta(days=1),
        summary=f"What {title.lower()} is, in plain words.",
        body="## Causes\\n\\nSome causes.\\n\\n## Treatment\\n\\nSome treatment.",
    )
"""


@dataclass
class Cluster:
    data: Path
    bin: Path
    port: int
    user: str

    def pg_ctl(self, *arguments: str) -> None:
        command = [str(self.bin / "pg_ctl"), "-D", str(self.data), *arguments]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        # PostgreSQL's user may not be able to enter the current folder; it can enter the cluster's.
        subprocess.run(command, cwd=self.data.parent, check=True, capture_output=True, timeout=60)

    def stop(self) -> None:
        self.pg_ctl("-m", "fast", "-w", "stop")

    def start(self) -> None:
        self.pg_ctl("-w", "-l", f"{self.data}.log", "start")

    def is_running(self) -> bool:
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", self.port)) == 0

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    text: str


@dataclass
class Server:
    port: int
    process: subprocess.Popen
    log: Path
    database_url: str

    def fetch(self, path: str, *, form: dict | None = None, headers: dict | None = None) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        try:
            if form is None:
                connection.request("GET", path, headers=headers or {})
            else:
                body = urllib.parse.urlencode(form)
                headers = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
                connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            return Answer(response.status, response.headers, response.read().decode())
        finally:
            connection.close()

    def feedback_rows(self) -> list[str]:
        with psycopg.connect(self.database_url) as database:
            return [row[0] for row in database.execute("SELECT message FROM editorial_feedback ORDER BY id")]


@pytest.fixture(scope="module")
def cluster() -> Cluster:
    if not os.environ.get("OUTAGE_PG_DATA"):
        message = (
            "OUTAGE_PG_DATA is not set: these tests stop and start a PostgreSQL cluster of their own, "
            "which `bash scripts/test` makes for them"
        )
        if os.environ.get("CI") in {"true", "1"}:
            pytest.fail(f"{message}; CI must run them.")
        pytest.skip(message)
    found = Cluster(
        data=Path(os.environ["OUTAGE_PG_DATA"]),
        bin=Path(os.environ.get("OUTAGE_PG_BIN", "/usr/lib/postgresql/15/bin")),
        port=int(os.environ["OUTAGE_PG_PORT"]),
        user=os.environ.get("OUTAGE_PG_USER", ""),
    )
    if not found.is_running():
        found.start()
    return found


@pytest.fixture(scope="module")
def server(cluster, tmp_path_factory) -> Iterator[Server]:
    work = tmp_path_factory.mktemp("outage")
    database = f"outage_{os.getpid()}"
    with psycopg.connect(cluster.url("postgres"), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {database}")
    port = free_port()
    environment = production_environment(
        work,
        database_url=cluster.url(database),
        PORT=str(port),
        FEEDBACK_MIN_FILL_SECONDS="0",  # the test fills the form in faster than a person
    )
    manage_shell(environment, SET_UP)
    log = work / "server.log"
    process = start_gunicorn(environment, log)
    running = Server(port=port, process=process, log=log, database_url=cluster.url(database))
    try:
        wait_for(running, "/healthz", 200, seconds=SERVER_START_SECONDS)
        yield running
    finally:
        stop(process)
        if not cluster.is_running():
            cluster.start()
        with psycopg.connect(cluster.url("postgres"), autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


@pytest.fixture
def stoppable_cluster(cluster):
    """The cluster, for a test that stops it: running again at the test's end, whatever happens."""
    yield cluster
    if not cluster.is_running():
        cluster.start()


def wait_for(server: Server, path: str, status: int, *, seconds: float) -> float:
    """Poll until `path` answers `status`; the seconds it took."""
    started = time.monotonic()
    while True:
        assert server.process.poll() is None, f"the server stopped:\n{server.log.read_text()}"
        try:
            if server.fetch(path).status == status:
                return time.monotonic() - started
        except OSError:
            pass  # not listening yet
        assert time.monotonic() - started < seconds, f"{path} never answered {status}:\n{server.log.read_text()}"
        time.sleep(0.1)


def feedback_form(server: Server, message: str) -> dict:
    """The feedback form as a reader would send it, with the signed time stamp the page carried."""
    page = server.fetch("/feedback/").text
    started = re.search(r'name="started" value="([^"]+)"', page).group(1)
    return {"category": "correction", "message": message, "name": "Ann Example", "started": started}


SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}


def assert_outage_page(answer: Answer) -> None:
    assert answer.status == 503, answer.text[:500]
    assert answer.headers["Retry-After"] == "30" and "no-store" in answer.headers["Cache-Control"]
    assert answer.headers["Content-Type"].startswith("text/html")
    assert "This page is briefly unavailable" in answer.text and "Please try again shortly" in answer.text
    assert 'class="site-name"' in answer.text and re.search(r'href="/static/css/site\.[0-9a-f]+\.css"', answer.text)
    assert "Traceback" not in answer.text and "OperationalError" not in answer.text


def test_while_postgresql_is_stopped_cached_pages_are_served_and_the_rest_is_503_then_all_recovers(
    server, stoppable_cluster
):
    cluster = stoppable_cluster
    # A reader's visit fills the page cache with one article; the feedback form is open in another tab.
    assert server.fetch("/symptoms/leg-cramps/").headers["X-Page-Cache"] == "miss"
    warmed = server.fetch("/symptoms/leg-cramps/")
    assert warmed.headers["X-Page-Cache"] == "hit"
    form = feedback_form(server, "The second cause in the list is not a cause of cramps.")
    rows_before = len(server.feedback_rows())

    cluster.stop()

    cached = server.fetch("/symptoms/leg-cramps/")
    assert cached.status == 200 and cached.headers["X-Page-Cache"] == "hit"
    assert ">Leg cramps</h1>" in cached.text and cached.text == warmed.text
    assert server.fetch("/symptoms/leg-cramps/", headers={"If-None-Match": warmed.headers["ETag"]}).status == 304
    assert_outage_page(server.fetch("/conditions/dehydration/"))
    assert_outage_page(server.fetch("/"))
    assert_outage_page(server.fetch("/search/?q=cramps"))
    api = server.fetch("/api/v1/articles/")
    assert api.status == 503 and json.loads(api.text)["error"]["code"] == "unavailable"
    sent = server.fetch("/feedback/", form=form, headers=SAME_ORIGIN)
    assert sent.status == 503 and sent.headers["Retry-After"] == "30"
    assert "Your message has not been sent" in sent.text
    assert "The second cause in the list is not a cause of cramps.</textarea>" in sent.text
    assert 'value="Ann Example"' in sent.text and "Traceback" not in sent.text
    health = server.fetch("/healthz")
    assert health.status == 503 and health.text == "database unavailable\n"

    # One line per 503, naming the path only (the access log is gunicorn's and has its own rules).
    noted = [line for line in server.log.read_text().splitlines() if "Database unavailable" in line]
    assert len(noted) == 6 and "GET /search/ " in noted[2] and not any("cramps" in line for line in noted)
    assert "Traceback" not in server.log.read_text() and "Service Unavailable" not in server.log.read_text()

    cluster.start()

    # The same server, not restarted: its very first request after the restart reaches the database.
    assert server.fetch("/healthz").status == 200
    recovered = server.fetch("/conditions/dehydration/")
    assert recovered.status == 200 and ">Dehydration</h1>" in recovered.text
    assert server.fetch("/").status == 200
    assert server.fetch("/feedback/", form=form, headers=SAME_ORIGIN).status == 302
    assert server.feedback_rows()[rows_before:] == ["The second cause in the list is not a cause of cramps."]


def test_a_connection_left_over_from_before_a_quick_restart_is_replaced_unnoticed(server, stoppable_cluster):
    cluster = stoppable_cluster
    assert server.fetch("/healthz").status == 200  # the worker now keeps a connection open (CONN_MAX_AGE)
    cluster.stop()
    cluster.start()  # no request in between: the kept connection is now dead, and the worker cannot know
    # Checked before reuse (CONN_HEALTH_CHECKS), it is replaced: the reader sees no error.
    answer = server.fetch("/procedures/spirometry/")
    assert answer.status == 200 and ">Spirometry</h1>" in answer.text
    assert server.fetch("/healthz").status == 200
