"""Development: the default for manage.py. Never used in production (see production.py)."""

from config.env import env_bool, env_list, env_str

from .base import *  # noqa: F403

DEBUG = env_bool("DEBUG", True)
# A development-only key; production.py refuses to start without SECRET_KEY.
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

# Hashed file names need collectstatic; development serves files straight from static/.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True

if DEBUG:
    # Readable lines on a developer's terminal; production and the tests write JSON.
    LOGGING = {
        **LOGGING,  # noqa: F405
        "handlers": {"console": {**LOGGING["handlers"]["console"], "formatter": "plain"}},  # noqa: F405
    }
