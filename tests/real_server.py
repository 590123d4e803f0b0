"""The production server for the tests that need a real one: gunicorn with the production settings, on
loopback, set up and stopped the same way by the outage, shared-cache and proxy tests."""

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Never passed on from the test run: the server gets its own database, cache and settings.
NOT_INHERITED = {"DATABASE_URL", "DATABASE_REPLICA_URLS", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DEBUG", "CACHE_DIR"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_environment(work: Path, *, database_url: str, **settings: str) -> dict[str, str]:
    """The environment of a production server on loopback whose files (static, page cache) are in `work`."""
    return {name: value for name, value in os.environ.items() if name not in NOT_INHERITED} | {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": f"real-server-test-{os.urandom(16).hex()}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(work / "static"),
        "MEDIA_ROOT": str(work / "media"),
        "CACHE_DIR": str(work / "cache"),  # never another server's pages
        "DATABASE_URL": database_url,
        "GUNICORN_WORKERS": "1",
        "BIND_ADDRESS": "127.0.0.1",
        **settings,
    }


def manage_shell(environment: dict[str, str], code: str) -> str:
    """Run Python in `manage.py shell` with the server's settings (to set its database up); what it printed."""
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT, env=environment, check=True, timeout=300, capture_output=True, text=True,
    )  # fmt: skip
    return done.stdout


def start_gunicorn(environment: dict[str, str], log: Path, *options: str) -> subprocess.Popen:
    """gunicorn with the project's config (config/gunicorn.py), its output in `log`."""
    with log.open("wb") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", *options, "config.wsgi"],
            cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip


def stop(process: subprocess.Popen) -> None:
    """A graceful stop, then a kill if it takes more than 30 seconds."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
