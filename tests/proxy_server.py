"""A real site the way the README deploys it: gunicorn with the production settings behind nginx started
from deploy/nginx/encyclopedia.conf (its placeholders replaced, nothing else), and clients that send their
request body one byte a second. Used by tests/test_proxy.py and bench/slow_clients.py.

nginx runs from a folder of its own (pid, logs, temporary files), never the system's; everything listens on
127.0.0.1 only and stops when the `site()` context ends."""

import contextlib
import http.client
import os
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .real_server import ROOT, free_port, manage_shell, production_environment, start_gunicorn, stop

SITE_CONFIG = ROOT / "deploy" / "nginx" / "encyclopedia.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
ARTICLE = "/symptoms/leg-cramps/"

# Run inside the server's own environment: a migrated database with a published article, static files.
SET_UP = """
import datetime
from django.core.management import call_command
from django.utils import timezone
from encyclopedia.models import Article, Kind, Status

call_command("migrate", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
Article.objects.create(
    kind=Kind.SYMPTOM, slug="leg-cramps", title="Leg cramps", status=Status.PUBLISHED,
    published_at=timezone.now() - datetime.timedelta(days=1),
    summary="Sudden, painful tightening of a leg muscle.",
    body="## Causes\\n\\nSome causes.\\n\\n## Treatment\\n\\nSome treatment.",
)
print(Article.objects.get(slug="leg-cramps").uuid)
"""

# What stands in for Debian's /etc/nginx/nginx.conf: only where nginx keeps its own files, and the site.
MAIN_CONFIG = """
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
{user}
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    include {work}/encyclopedia.conf;
}}
"""


def nginx_available() -> bool:
    return os.path.exists(NGINX)


def render_site_config(values: dict[str, str]) -> str:
    """deploy/nginx/encyclopedia.conf with its placeholders replaced; every placeholder must be given."""
    text = SITE_CONFIG.read_text()
    for name, value in values.items():
        placeholder = f"__{name}__"
        assert placeholder in text, f"{placeholder} is not in {SITE_CONFIG}"
        text = text.replace(placeholder, value)
    leftover = [word for word in text.split() if word.startswith("__") and word.rstrip(";/").endswith("__")]
    assert not leftover, f"placeholders left in the nginx config: {leftover}"
    return text


@dataclass
class Site:
    work: Path
    gunicorn_port: int
    http_port: int
    https_port: int
    article_uuid: str
    processes: list = field(default_factory=list)

    def get(self, path: str, *, through_nginx: bool = True, timeout: float = 20, headers: dict | None = None):
        """(status, headers, body, seconds) of a GET, through nginx over HTTPS or straight to gunicorn."""
        connection = self.connection(through_nginx=through_nginx, timeout=timeout)
        started = time.monotonic()
        try:
            connection.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
            response = connection.getresponse()
            body = response.read()
            return response.status, response.headers, body, time.monotonic() - started
        finally:
            connection.close()

    def post(self, path: str, body: str, *, headers: dict | None = None):
        connection = self.connection(through_nginx=True, timeout=20)
        try:
            connection.request("POST", path, body=body, headers={
                "Host": "127.0.0.1", "Content-Type": "application/x-www-form-urlencoded", **(headers or {})})  # fmt: skip
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def connection(self, *, through_nginx: bool, timeout: float) -> http.client.HTTPConnection:
        if through_nginx:
            return http.client.HTTPSConnection("127.0.0.1", self.https_port, timeout=timeout, context=insecure_tls())
        return http.client.HTTPConnection("127.0.0.1", self.gunicorn_port, timeout=timeout)


def insecure_tls() -> ssl.SSLContext:
    """For our own self-signed certificate on loopback."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def wait_until_listening(port: int, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        assert process.poll() is None, f"the server stopped:\n{log.read_text()}"
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        assert time.monotonic() < deadline, f"nothing listens on {port}:\n{log.read_text()}"
        time.sleep(0.1)


def start_nginx(work: Path, *, upstream_port: int, http_port: int, https_port: int) -> subprocess.Popen:
    """nginx with the shipped site file (deploy/nginx/encyclopedia.conf) and a self-signed certificate, in
    front of whatever listens on `upstream_port` (gunicorn, or Varnish in the edge tests); returns once it
    listens on `https_port`."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-keyout", str(work / "tls.key"), "-out", str(work / "tls.crt")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    (work / "encyclopedia.conf").write_text(
        render_site_config(
            {
                "SERVER_NAME": "127.0.0.1",
                "HTTP_LISTEN": f"127.0.0.1:{http_port}",
                "HTTPS_LISTEN": f"127.0.0.1:{https_port}",
                "TLS_CERTIFICATE": str(work / "tls.crt"),
                "TLS_CERTIFICATE_KEY": str(work / "tls.key"),
                "GUNICORN": f"127.0.0.1:{upstream_port}",
                "STATIC_ROOT": str(work / "static"),
                "MEDIA_ROOT": str(work / "media"),
            }
        )
    )
    # As root, nginx's workers would run as "nobody" (Debian's nginx.conf says www-data), who cannot enter the
    # test's private temporary folder: keep them as the user who owns these files instead.
    user = "user root;" if os.geteuid() == 0 else ""
    (work / "nginx.conf").write_text(MAIN_CONFIG.format(work=work, user=user))
    log = work / "nginx-error.log"
    log.touch()
    process = subprocess.Popen([NGINX, "-c", str(work / "nginx.conf"), "-p", str(work), "-g", "daemon off;"],
                               stdout=subprocess.DEVNULL, stderr=log.open("ab"))  # fmt: skip
    wait_until_listening(https_port, process, log)
    return process


@contextlib.contextmanager
def site(work: Path, *, environment: dict[str, str] | None = None) -> Iterator[Site]:
    """gunicorn (production settings, one worker, SQLite) behind nginx with the shipped config, on loopback."""
    work.mkdir(parents=True, exist_ok=True)
    running = Site(work, free_port(), free_port(), free_port(), article_uuid="")
    env = production_environment(
        work,
        database_url=f"sqlite:///{work / 'site.sqlite3'}",
        SECURE_SSL_REDIRECT="true",  # as deployed: nginx says the request came over TLS
        PORT=str(running.gunicorn_port),
        TRUSTED_PROXY_COUNT="1",  # nginx, as the README deploys it
        **(environment or {}),
    )
    running.article_uuid = manage_shell(env, SET_UP).split()[-1]
    gunicorn_log = work / "gunicorn.log"
    try:
        gunicorn = start_gunicorn(env, gunicorn_log)
        running.processes.append(gunicorn)
        running.processes.append(
            start_nginx(work, upstream_port=running.gunicorn_port, http_port=running.http_port,
                        https_port=running.https_port)
        )  # fmt: skip
        wait_until_listening(running.gunicorn_port, gunicorn, gunicorn_log)
        yield running
    finally:
        for process in reversed(running.processes):
            stop(process)


# Slow clients.


class Trickle:
    """`count` connections, each sending a feedback POST's headers, then its body one byte every `interval`
    seconds, for at most `seconds` (then they close). Loopback only. Straight to gunicorn (`tls=False`) they also
    say what nginx would add, that the request came over HTTPS: else the production settings answer with a
    redirect at once, without reading the body."""

    def __init__(self, port: int, *, tls: bool, count: int = 4, seconds: float = 8, interval: float = 1.0):
        self.port, self.tls, self.count, self.seconds, self.interval = port, tls, count, seconds, interval
        self.stopping = threading.Event()
        self.connected = threading.Barrier(count + 1)
        self.bytes_sent = 0
        self.threads = [threading.Thread(target=self.one, daemon=True) for _ in range(count)]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        self.connected.wait(timeout=30)
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def one(self):
        body = b"category=other&message=" + b"s" * 200
        raw = socket.create_connection(("127.0.0.1", self.port), timeout=30)
        connection = insecure_tls().wrap_socket(raw) if self.tls else raw
        try:
            connection.sendall(
                b"POST /feedback/ HTTP/1.1\r\nHost: 127.0.0.1\r\nSec-Fetch-Site: same-origin\r\n"
                + (b"" if self.tls else b"X-Forwarded-Proto: https\r\n")
                + b"Content-Type: application/x-www-form-urlencoded\r\n"
                b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n"
            )
            self.connected.wait(timeout=30)
            deadline = time.monotonic() + self.seconds
            for byte in body:
                if self.stopping.is_set() or time.monotonic() > deadline:
                    break
                connection.sendall(bytes([byte]))
                self.bytes_sent += 1
                self.stopping.wait(self.interval)
        except OSError:
            pass  # the server may close a connection it has waited on long enough
        finally:
            connection.close()
