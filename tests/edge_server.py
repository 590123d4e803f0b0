"""The site as the README deploys it with a cache in front: nginx from deploy/nginx/encyclopedia.conf (TLS)
in front of Varnish from deploy/varnish/default.vcl (the backend's .host and .port and the purgers ACL
replaced, nothing else) in front of gunicorn with the production settings, purged by the application at each
Varnish in EDGE_CACHE_PURGE_URLS. Used by tests/test_edge.py and bench/edge.sh.

Each varnishd runs from a folder of its own (its work folder, the VCL); the last of several is purged through a
relay a test can close, cutting it off from the application while it keeps what it cached. Everything
listens on 127.0.0.1 only and stops when the `edge_site()` context ends."""

import contextlib
import http.client
import json
import os
import re
import shutil
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import proxy_server
from .proxy_server import insecure_tls, nginx_available, wait_until_listening
from .real_server import ROOT, free_port, production_environment, start_gunicorn, stop

VCL = ROOT / "deploy" / "varnish" / "default.vcl"
VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"


def varnish_available() -> bool:
    """varnishd and its xkey module (Debian: varnish and varnish-modules)."""
    return os.path.exists(VARNISHD) and any(Path("/usr/lib").glob("*/varnish/vmods/libvmod_xkey.so"))


def render_vcl(*, backend_port: int) -> str:
    """deploy/varnish/default.vcl with only the lines an operator changes: the backend's address, the ACL."""
    text = VCL.read_text()
    replaced = re.subn(r'(backend default \{\n\s+\.host = )"[^"]*";\n(\s+\.port = )"[^"]*";',
                       rf'\1"127.0.0.1";\n\2"{backend_port}";', text)  # fmt: skip
    assert replaced[1] == 1, f"no backend .host/.port lines in {VCL}"
    acl = re.subn(r"acl purgers \{[^}]*\}", 'acl purgers {\n    "127.0.0.1";\n}', replaced[0])
    assert acl[1] == 1, f"no purgers ACL in {VCL}"
    return acl[0]


# The server's content, set up once by the editor (below) in the server's own environment.
SET_UP = """
import datetime
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.utils import timezone
from encyclopedia.models import Article, Kind, Status

call_command("migrate", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
articles = {}
for slug, title in [("leg-cramps", "Leg cramps"), ("night-sweats", "Night sweats"), ("hiccups", "Hiccups"),
                    ("chills", "Chills")]:
    articles[slug] = Article.objects.create(
        kind=Kind.SYMPTOM, slug=slug, title=title, status=Status.PUBLISHED,
        published_at=timezone.now() - datetime.timedelta(days=1),
        summary=f"What {title.lower()} are, in plain words.",
        body="## Causes\\n\\nSome causes.\\n\\n## Treatment\\n\\nSome treatment.",
    )
articles["leg-cramps"].related.add(articles["night-sweats"])
carol = User.objects.create_user("carol", "carol@example.org", "a-long-enough-password", is_staff=True)
carol.groups.add(Group.objects.get(name="Medical reviewer"))
"""

# A Python process with the server's settings that runs what it is sent, one JSON-encoded block a line: an
# editor's changes are made there (through the models and the workflow, as the admin makes them), and their
# purges are sent from there after they commit, as from any application server.
EDITOR = r"""
import json, sys, django
django.setup()
namespace = {}
for line in sys.stdin:
    exec(json.loads(line), namespace)
    print("\0" + json.dumps(namespace.pop("result", None)), flush=True)
"""


class Editor:
    def __init__(self, environment: dict[str, str], log: Path):
        self.process = subprocess.Popen(
            [sys.executable, "-c", EDITOR], cwd=ROOT, env=environment, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log.open("ab"),
        )  # fmt: skip
        self.log = log

    def run(self, code: str):
        """Run `code`; what it set `result` to."""
        self.process.stdin.write(json.dumps(code) + "\n")
        self.process.stdin.flush()
        for line in self.process.stdout:
            if line.startswith("\0"):
                return json.loads(line[1:])
        raise AssertionError(f"the editor stopped:\n{self.log.read_text()}")

    def close(self) -> None:
        self.process.stdin.close()
        stop(self.process)


class Relay:
    """A TCP relay to a Varnish, standing for the network between the application and it. Closed, the Varnish
    cannot be reached (connections are refused) yet keeps what it has cached, as when a machine is cut off."""

    def __init__(self, target_port: int):
        self.port, self.target_port, self.server = free_port(), target_port, None

    def open(self) -> None:
        relay = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                with socket.create_connection(("127.0.0.1", relay.target_port), timeout=10) as upstream:
                    back = threading.Thread(target=pipe, args=(upstream, self.request), daemon=True)
                    back.start()
                    pipe(self.request, upstream)
                    back.join(timeout=10)

        self.server = ReusableServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


class ReusableServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True  # opened again on the same port
    daemon_threads = True


def pipe(source: socket.socket, target: socket.socket) -> None:
    with contextlib.suppress(OSError):
        while data := source.recv(65536):
            target.sendall(data)
        target.shutdown(socket.SHUT_WR)


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: str

    @property
    def cache(self) -> str:
        return self.headers.get("X-Cache", "")


@dataclass
class Varnish:
    port: int
    backend_port: int
    work: Path | None = None
    process: subprocess.Popen | None = None
    relay: Relay | None = None  # purges reach it through this, when given

    @property
    def purge_url(self) -> str:
        return f"http://127.0.0.1:{self.relay.port if self.relay else self.port}/"

    def start(self) -> None:
        if self.work is None:
            # varnishd reads its VCL and work folder as its own, unprivileged user: a folder it can reach
            # (pytest's are private to their user), removed at the end.
            self.work = Path(tempfile.mkdtemp(prefix="edge-varnish-"))
            self.work.chmod(0o755)
        (self.work / "default.vcl").write_text(render_vcl(backend_port=self.backend_port))
        log = self.work / "varnishd.log"
        self.process = subprocess.Popen(
            [VARNISHD, "-F", "-a", f"127.0.0.1:{self.port}", "-f", str(self.work / "default.vcl"),
             "-s", "malloc,64m", "-n", str(self.work / "state"), "-T", "none"],
            stdout=log.open("ab"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_until_listening(self.port, self.process, log)

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)
        if self.relay is not None:
            self.relay.close()
        if self.work is not None:
            shutil.rmtree(self.work, ignore_errors=True)

    def request(self, method: str, path: str, *, body: str = "", headers: dict | None = None) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        try:
            connection.request(method, path, body=body or None, headers={"Host": "127.0.0.1", **(headers or {})})
            response = connection.getresponse()
            return Answer(response.status, response.headers, response.read().decode())
        finally:
            connection.close()

    def get(self, path: str, **options) -> Answer:
        return self.request("GET", path, **options)

    def objects(self) -> int:
        """How many objects this Varnish holds (varnishstat's MAIN.n_object), once the count stops moving:
        Varnish's threads add their counts to the shared ones after they answer, so a count read straight
        after a miss may not have the new object yet."""
        counts = [self._object_count()]
        while len(counts) < 4 or len(set(counts[-4:])) > 1:
            assert len(counts) < 100, f"the object count never settled: {counts}"
            time.sleep(0.1)
            counts.append(self._object_count())
        return counts[-1]

    def _object_count(self) -> int:
        shown = subprocess.run(["varnishstat", "-n", str(self.work / "state"), "-1", "-f", "MAIN.n_object"],
                               capture_output=True, text=True, check=True, timeout=10)  # fmt: skip
        return int(shown.stdout.split()[1])


@dataclass
class EdgeSite:
    work: Path
    environment: dict[str, str]
    gunicorn_port: int
    varnishes: list[Varnish]
    editor: Editor | None = None
    processes: list = field(default_factory=list)
    gunicorn: subprocess.Popen | None = None
    https_port: int = 0  # nginx, in front of the first Varnish

    def start_gunicorn(self) -> None:
        log = self.work / "gunicorn.log"
        self.gunicorn = start_gunicorn(self.environment, log)
        wait_until_listening(self.gunicorn_port, self.gunicorn, log)

    def stop_gunicorn(self) -> None:
        stop(self.gunicorn)

    def through_nginx(self, method: str, path: str) -> Answer:
        connection = http.client.HTTPSConnection("127.0.0.1", self.https_port, timeout=20, context=insecure_tls())
        try:
            connection.request(method, path, headers={"Host": "127.0.0.1"})
            response = connection.getresponse()
            return Answer(response.status, response.headers, response.read().decode())
        finally:
            connection.close()

    def direct(self, path: str) -> Answer:
        """Straight from gunicorn, past every cache in front."""
        connection = http.client.HTTPConnection("127.0.0.1", self.gunicorn_port, timeout=20)
        try:
            connection.request("GET", path, headers={"Host": "127.0.0.1"})
            response = connection.getresponse()
            return Answer(response.status, response.headers, response.read().decode())
        finally:
            connection.close()


@contextlib.contextmanager
def edge_site(work: Path, *, varnishes: int = 1, environment: dict[str, str] | None = None) -> Iterator[EdgeSite]:
    """gunicorn (production settings, one worker, SQLite) behind `varnishes` Varnish instances, each purged."""
    work.mkdir(parents=True, exist_ok=True)
    gunicorn_port = free_port()
    caches = [Varnish(free_port(), gunicorn_port) for _ in range(varnishes)]
    if varnishes > 1:
        caches[-1].relay = Relay(caches[-1].port)  # the one a test cuts off
    env = production_environment(
        work,
        database_url=f"sqlite:///{work / 'site.sqlite3'}",
        PORT=str(gunicorn_port),
        TRUSTED_PROXY_COUNT="2",  # nginx and Varnish each add the address they saw to X-Forwarded-For
        EDGE_CACHE_PURGE_URLS=",".join(cache.purge_url for cache in caches),
        **(environment or {}),
    )
    site = EdgeSite(work, env, gunicorn_port, caches)
    try:
        site.editor = Editor(env, work / "editor.log")
        site.editor.run(SET_UP)
        site.start_gunicorn()
        for cache in caches:
            cache.start()
            if cache.relay is not None:
                cache.relay.open()
            # The 503 page, kept for when gunicorn does not answer (the README's deployment does the same).
            assert cache.get("/unavailable").status == 503
        if nginx_available():
            site.processes.append(start_nginx(work, site, backend_port=caches[0].port))
        yield site
    finally:
        for process in site.processes:
            stop(process)
        for cache in caches:
            cache.stop()
        if site.gunicorn is not None:
            stop(site.gunicorn)
        if site.editor is not None:
            site.editor.close()


def start_nginx(work: Path, site: EdgeSite, *, backend_port: int) -> subprocess.Popen:
    """nginx from the shipped site file, its upstream the Varnish on `backend_port` (as the README draws it)."""
    site.https_port = free_port()
    return proxy_server.start_nginx(work, upstream_port=backend_port, http_port=free_port(), https_port=site.https_port)


def wait_until(condition, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)
