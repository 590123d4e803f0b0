"""Settings come from the environment; production refuses to start without its secrets."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_required_list

pytestmark = pytest.mark.db_independent

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean_env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean_env, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("1", True), ("False", False), ("0", False)])
def test_debug_accepts_true_false_and_1_0(monkeypatch, raw, expected):
    monkeypatch.setenv("DEBUG", raw)
    assert env_bool("DEBUG", default=not expected) is expected


def test_a_malformed_boolean_fails_loudly(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG='maybe' is not a boolean"):
        env_bool("DEBUG", default=False)


def test_a_required_list_of_nothing_fails_loudly(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", " , ")
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS=' , ' lists nothing"):
        env_required_list("ALLOWED_HOSTS")
    monkeypatch.setenv("ALLOWED_HOSTS", "example.org, www.example.org,")
    assert env_required_list("ALLOWED_HOSTS") == ["example.org", "www.example.org"]


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DJANGO_SETTINGS_MODULE="config.settings.production", ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", DJANGO_SETTINGS_MODULE="config.settings.production", SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set in production" in result.stderr


def test_deploy_check_is_clean_with_production_settings():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="a-long-random-production-secret-" + "k3y" * 20,
        ALLOWED_HOSTS="encyclopedia.example.org",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


PRODUCTION = {"DJANGO_SETTINGS_MODULE": "config.settings.production", "SECRET_KEY": "x" * 60}


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory) -> Path:
    """The production collectstatic, run once for the tests below (it compresses every file with Brotli)."""
    static_root = tmp_path_factory.mktemp("static")
    result = manage(
        "collectstatic", "--no-input", **PRODUCTION, ALLOWED_HOSTS="example.org", STATIC_ROOT=str(static_root)
    )
    assert result.returncode == 0, result.stderr
    return static_root


def test_production_static_files_get_hashed_and_compressed_names(collected_static):
    hashed = [path.name for path in (collected_static / "css").glob("site.*.css")]
    assert len(hashed) == 1 and hashed[0] != "site.css"
    assert (collected_static / "css" / f"{hashed[0]}.br").exists()
    assert (collected_static / "css" / f"{hashed[0]}.gz").exists()


SERVE_HASHED_CSS = """
import django, glob, os
django.setup()
from django.test import Client
name = os.path.basename(glob.glob(os.path.join(os.environ["STATIC_ROOT"], "css", "site.*.css"))[0])
response = Client().get(f"/static/css/{name}", headers={"Accept-Encoding": "br, gzip"}, secure=True)
print(response.status_code, response["Cache-Control"], response.get("Content-Encoding"))
"""


def test_hashed_static_files_are_served_compressed_with_far_future_caching(collected_static):
    env = {**PRODUCTION, "ALLOWED_HOSTS": "testserver", "STATIC_ROOT": str(collected_static)}
    clean_env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    result = subprocess.run(
        [sys.executable, "-c", SERVE_HASHED_CSS], cwd=ROOT, env={**clean_env, **env}, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert result.stdout.split() == ["200", "max-age=315360000,", "public,", "immutable", "br"], result.stderr
