"""A fast profile for the test suite: DATABASE_URL picks PostgreSQL or SQLite."""

import os
import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
FEEDBACK_NOTIFY_EMAILS = ["editors@example.org"]
FEEDBACK_SITE_URL = "https://health.example.org"
# Static files are served from static/ by the finders; there is no collectstatic in tests.
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploaded images go to a folder of this test process, in TMPDIR (scripts/test removes its own).
MEDIA_ROOT = os.path.join(tempfile.gettempdir(), f"encyclopedia-test-media-{os.getpid()}")

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not Django's default in-memory database, so that the WAL journal and the
    # busy timeout are exercised as in production and threads share one database.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"encyclopedia-test-{os.getpid()}.sqlite3")
    }

# Many requests from one address in a run (the OpenAPI fuzzing); tests of the limit lower it.
API_RATE_LIMIT_REQUESTS = 100_000
