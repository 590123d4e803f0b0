"""The production server's configuration, read the way gunicorn reads it."""

import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_private_dir
from encyclopedia.page_cache import server_start

from .test_settings import manage

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


LOCAL_MEMORY = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def test_a_cache_in_each_workers_memory_is_refused_for_more_than_one_worker(settings):
    settings.CACHES = LOCAL_MEMORY
    assert server_start(1) == "Page cache: local memory of the one worker"
    with pytest.raises(ImproperlyConfigured, match="each process's own memory, and the server would start 2 workers"):
        server_start(2)


def test_the_start_up_line_names_the_cache_without_its_password(settings, tmp_path):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                                   "LOCATION": str(tmp_path)}}  # fmt: skip
    assert server_start(2) == f"Page cache: files in {tmp_path}, shared by the 2 workers on this machine"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://:s3cret@cache.internal:6380/1"}}  # fmt: skip
    line = server_start(4)
    assert line == "Page cache: Redis at redis://cache.internal:6380/1, shared by every worker and machine using it"


def test_the_cache_folder_must_be_this_users_alone(monkeypatch, tmp_path):
    monkeypatch.setenv("CACHE_DIR", str(tmp_path / "new" / "cache"))
    assert env_private_dir("CACHE_DIR", "/unused") == str(tmp_path / "new" / "cache")
    assert (tmp_path / "new" / "cache").stat().st_mode & 0o777 == 0o700
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)  # like a folder someone else made in /var/tmp for us to use
    monkeypatch.setenv("CACHE_DIR", str(shared))
    with pytest.raises(ImproperlyConfigured, match="others may write to it"):
        env_private_dir("CACHE_DIR", "/unused")


def test_production_shares_its_cache_between_workers_without_redis(tmp_path):
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    environment = {"DJANGO_SETTINGS_MODULE": "config.settings.production", "SECRET_KEY": "x" * 60,
                   "ALLOWED_HOSTS": "example.org", "CACHE_DIR": str(tmp_path / "cache"), "REDIS_URL": ""}  # fmt: skip
    result = manage("shell", "--no-imports", "-c", code, **environment)
    assert result.stdout.strip() == "django.core.cache.backends.filebased.FileBasedCache", result.stderr
