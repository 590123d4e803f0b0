"""Production: refuses to start without its secrets; passes `manage.py check --deploy`."""

from config.env import env_bool, env_int, env_private_dir, env_required, env_required_list, env_str

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env_required("SECRET_KEY")
ALLOWED_HOSTS = env_required_list("ALLOWED_HOSTS")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        # A timeout, so that an unreachable mail server cannot hold up the reader whose
        # feedback triggered the email; send_feedback_notifications retries later.
        "OPTIONS": {
            "host": env_str("SMTP_HOST", "localhost"),
            "port": env_int("SMTP_PORT", 25),
            "timeout": env_int("SMTP_TIMEOUT", 10),
        },
    }
}

# Pages and API rate limits in a cache every gunicorn worker shares: Redis (REDIS_URL, base.py), or
# without it files on this machine. Never local memory, which each worker keeps for itself: an
# edit would replace a page in one worker only (config/gunicorn.py refuses it for more than one).
if not REDIS_URL:  # noqa: F405
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env_private_dir("CACHE_DIR", "/var/tmp/encyclopedia-cache"),
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    }
