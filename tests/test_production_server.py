"""The production server's configuration, read the way gunicorn reads it."""

import runpy
from pathlib import Path

import pytest

pytestmark = pytest.mark.db_independent

CONFIG = Path(__file__).resolve().parent.parent / "config" / "gunicorn.py"


def test_workers_follow_the_cpu_count_and_the_environment(monkeypatch):
    import multiprocessing

    monkeypatch.delenv("GUNICORN_WORKERS", raising=False)
    assert runpy.run_path(str(CONFIG))["workers"] == multiprocessing.cpu_count()
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    monkeypatch.setenv("PORT", "8123")
    config = runpy.run_path(str(CONFIG))
    assert config["workers"] == 3 and config["bind"] == "127.0.0.1:8123"


def test_gunicorn_writes_no_request_line_of_its_own():
    # Django writes the one line per request (tests/test_request_logs.py); gunicorn's would repeat
    # it, with the query string.
    config = runpy.run_path(str(CONFIG))
    assert config["accesslog"] is None
    assert config["errorlog"] == "-"
