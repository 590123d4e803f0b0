"""Settings shared by every profile. Environment-specific values come from the environment."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from config.env import env_bool, env_choice, env_int, env_list, env_str, media_origin, media_storage

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",  # SearchVectorField and its checks; inert on SQLite
    "markdownx",
    "reversion",
    "axes",
    "encyclopedia",
    "editorial",
    # After editorial: the admin's autodiscovery creates the article admin, a reversion VersionAdmin,
    # which registers any model not yet registered in its own way; EditorialConfig.ready() goes first.
    "editorial.apps.EditorialAdminConfig",  # django.contrib.admin, with the editors' desk as its home
]

MIDDLEWARE = [
    # First, so that its line and request id cover everything below it, errors included.
    "core.request_log.RequestLogMiddleware",
    "core.db_router.PrimaryForWritingRequestsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag and If-None-Match / If-Modified-Since answered with 304, cached pages included.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "core.security.PermissionsPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Serves readers' cached pages: everything above still applies to them, nothing below is needed.
    "encyclopedia.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
    # After it, so that it sees a view's exception first: the database unreachable → the 503 page.
    "core.outage.DatabaseOutageMiddleware",
]

# The editors' admin lives under this path (set ADMIN_PATH to something less guessable).
ADMIN_PATH = env_str("ADMIN_PATH", "admin").strip("/") + "/"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "encyclopedia.context_processors.site_settings",
            ],
        },
    },
]


def database_from_url(url: str) -> dict:
    config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Concurrent writers (two readers sending feedback at once) wait for the lock
        # instead of failing with "database is locked".
        config["CONN_MAX_AGE"] = 0
        config["CONN_HEALTH_CHECKS"] = False
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
    return config


DATABASES = {"default": database_from_url(env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))}
# Read replicas of the primary (PostgreSQL streaming replication), comma-separated URLs.
DATABASE_REPLICAS = []
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS", []), start=1):
    DATABASES[f"replica{number}"] = database_from_url(url) | {"TEST": {"MIRROR": "default"}}
    DATABASE_REPLICAS.append(f"replica{number}")
DATABASE_ROUTERS = ["core.db_router.PrimaryReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Uploaded images (the media library, encyclopedia/images.py): files in MEDIA_ROOT, served at MEDIA_URL
# (by Django under DEBUG, by nginx in production: deploy/nginx/encyclopedia.conf). With MEDIA_STORAGE_URL
# they go to S3-compatible object storage instead (see media_storage below).
MEDIA_ROOT = env_str("MEDIA_ROOT", str(BASE_DIR / "media"))
MEDIA_URL = env_str("MEDIA_URL", "/media/")
MEDIA_STORAGE_URL = env_str("MEDIA_STORAGE_URL", "")
if MEDIA_STORAGE_URL:
    STORAGES["default"], MEDIA_URL = media_storage(MEDIA_STORAGE_URL, env_str("MEDIA_PUBLIC_URL", ""))
# Uploads above these are refused with a message saying so (a 12-megapixel photo is about 4 MB).
IMAGE_MAX_UPLOAD_BYTES = env_int("IMAGE_MAX_UPLOAD_BYTES", 20_000_000)
IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_PIXELS", 40_000_000)
# libavif's speed, 0 (slowest, smallest) to 10: 8 keeps a 12-megapixel upload and all its renditions
# within 5 s on two cores (bench/image_upload.py) for files a few per cent larger than speed 6.
IMAGE_AVIF_SPEED = env_int("IMAGE_AVIF_SPEED", 8)
# The media library warns about licences that end within this many days (and lists those that have ended).
IMAGE_LICENCE_WARNING_DAYS = env_int("IMAGE_LICENCE_WARNING_DAYS", 30)

# One function renders editors' Markdown for the admin preview and the public pages alike.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "encyclopedia.markdown.render_markdown"
MARKDOWNX_URLS_PATH = f"/{ADMIN_PATH}markdown-preview/"
MARKDOWNX_UPLOAD_URLS_PATH = f"/{ADMIN_PATH}markdown-upload/"  # into the media library (editorial/views.py)
MARKDOWNX_SERVER_CALL_LATENCY = 400

# Reader pages carry no per-visitor state; the admin keeps its session and CSRF cookies.
SESSION_COOKIE_HTTPONLY = True
# Django's database sessions, refusing cookie keys Django could not have issued (see core/sessions.py).
SESSION_ENGINE = "core.sessions"
CSRF_COOKIE_HTTPONLY = False  # markdownx's preview reads the token from the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Scripts and styles only from our own origin, or inline with this response's nonce; nothing may
# frame the site, and forms post only to it. Reader pages need no nonce (they have no inline
# script), so cached pages stay valid; the admin's inline pieces carry {% csp_nonce_attr %}.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    # And the media origin, when images are served from object storage elsewhere (nothing else).
    "img-src": [CSP.SELF, *media_origin(MEDIA_URL)],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Browser features the site never uses, switched off for it and anything it could embed.
PERMISSIONS_POLICY = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), microphone=(), payment=(), usb=()"

# Password guessing (django-axes, counted in the database, shared by every worker): after
# AXES_FAILURE_LIMIT failed logins an account, and separately a client, is locked out for
# AXES_COOLOFF_MINUTES. Failures are counted per client as settings.TRUSTED_PROXY_COUNT reads it.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "core.clients.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "editorial.lockout.locked_out"
AXES_USERNAME_CALLABLE = "editorial.lockout.username"
# No record of successful logins and no log lines naming people or addresses.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# Caches: local memory per process by default (development, tests; production.py shares files between
# its workers instead); Redis, shared by every worker and server, with REDIS_URL.
REDIS_URL = env_str("REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 10_000}}
    )
}
# Whole reader pages (encyclopedia/page_cache.py): kept until what they show changes, at most this long.
PAGE_CACHE_ALIAS = "default"
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 24 * 3600)
# Shared HTTP caches in front (Varnish, a CDN; deploy/varnish/default.vcl): how long they may keep a reader
# page (long: every change purges exactly the pages it touches), serve it stale while fetching it again, and
# serve it stale while the site cannot answer. Browsers still revalidate every time.
EDGE_CACHE_SECONDS = env_int("EDGE_CACHE_SECONDS", 7 * 24 * 3600)
EDGE_CACHE_STALE_WHILE_REVALIDATE = env_int("EDGE_CACHE_STALE_WHILE_REVALIDATE", 60)
EDGE_CACHE_STALE_IF_ERROR = env_int("EDGE_CACHE_STALE_IF_ERROR", 24 * 3600)
# The base addresses of the edge caches' purge endpoints (comma-separated), e.g. each Varnish's
# http://10.0.0.5:6081/; every change purges its tags at each. None: nothing is purged (no cache in front).
EDGE_CACHE_PURGE_URLS = env_list("EDGE_CACHE_PURGE_URLS", [])
# The header that carries a page's tags, and the purge's: xkey (Varnish's xkey module), Surrogate-Key
# (Fastly) or Cache-Tag (Cloudflare).
EDGE_CACHE_TAG_HEADER = env_choice("EDGE_CACHE_TAG_HEADER", "xkey", ["xkey", "Surrogate-Key", "Cache-Tag"])

# Outgoing mail (Django 6.1's MAILERS). Development prints messages; production.py uses SMTP.
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# Reader feedback (editorial). Each of these is in the README's configuration table.
FEEDBACK_MESSAGE_MAX_LENGTH = 5000
# Links a message may hold; more get a clear error (spam is mostly links).
FEEDBACK_MAX_LINKS = env_int("FEEDBACK_MAX_LINKS", 2)
# Request bodies above this many bytes get a 413 before they are parsed. 100,000 bytes fit a
# 5,000-character message in any script, percent-encoded (up to 12 bytes a character), and the other fields.
FEEDBACK_MAX_REQUEST_BYTES = env_int("FEEDBACK_MAX_REQUEST_BYTES", 100_000)
# A message sent sooner than this after /feedback/ was shown (or after the vote it follows) is kept as spam.
FEEDBACK_MIN_FILL_SECONDS = env_int("FEEDBACK_MIN_FILL_SECONDS", 3)
# Per-client limits in a fixed window, counted in the database (shared by every worker).
FEEDBACK_RATE_WINDOW_SECONDS = env_int("FEEDBACK_RATE_WINDOW_SECONDS", 600)
FEEDBACK_MESSAGES_PER_WINDOW = env_int("FEEDBACK_MESSAGES_PER_WINDOW", 5)
FEEDBACK_VOTES_PER_WINDOW = env_int("FEEDBACK_VOTES_PER_WINDOW", 30)
# How many reverse proxies of ours stand in front of the site. 0: the client is REMOTE_ADDR and
# X-Forwarded-For is ignored (anyone can write it). N: the client is the Nth entry from the right of it.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Who is emailed about new feedback (comma-separated); nobody when empty.
FEEDBACK_NOTIFY_EMAILS = env_list("FEEDBACK_NOTIFY_EMAILS", [])
FEEDBACK_FROM_EMAIL = env_str("FEEDBACK_FROM_EMAIL", "feedback@localhost")
# The site's public address, for links in the editors' emails (sent outside any request).
FEEDBACK_SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# The emergency number a new site starts with (editors change it in the site settings, which every
# page, form and email reads), and the one the 503 page shows while the database cannot be reached.
EMERGENCY_NUMBER = env_str("EMERGENCY_NUMBER", "911")
# Names, emails and client hashes are removed from feedback older than this
# (purge_feedback_personal_data's default, and what the forms and privacy notice promise).
FEEDBACK_PERSONAL_DATA_DAYS = env_int("FEEDBACK_PERSONAL_DATA_DAYS", 180)
# The admin's "least useful articles" lists articles with at least this many answers.
FEEDBACK_LEAST_USEFUL_MIN_VOTES = env_int("FEEDBACK_LEAST_USEFUL_MIN_VOTES", 10)

# URLs per sitemap file (the protocol's maximum); beyond it /sitemap.xml becomes an index.
SITEMAP_LIMIT = 50_000

# A medical review is due again this many months after the last one.
MEDICAL_REVIEW_INTERVAL_MONTHS = env_int("MEDICAL_REVIEW_INTERVAL_MONTHS", 36)

# Logs go to standard error, one JSON object a line (core/request_log.py): a line per request
# (time, method, path without the query string, status, duration, request id) and any record
# written during a request carries its id. No client address, query string, cookie, form data
# or username is ever written. dev.py switches to plain text under DEBUG.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.request_log.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "core.request_log.JsonFormatter"},
        "plain": {"format": "{asctime} {levelname} {name} [{request_id}] {message}", "style": "{"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "json"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        # Ours instead of Django's defaults (a plain console under DEBUG, mail_admins), so that
        # every Django record is JSON and written once.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # A 4xx is in its request's line already; only server errors get a second line, with the traceback.
        "django.request": {"level": "ERROR"},
    },
}

# The read API (/api/v1/): requests per client (see encyclopedia/api/ratelimit.py) in a window of
# seconds, counted in this cache (production's default is shared by its workers; local memory counts per process).
# Clients are told apart as for feedback (core/clients.py): by REMOTE_ADDR, or, behind our proxies,
# by the entry TRUSTED_PROXY_COUNT places from the right of X-Forwarded-For. No other header is read.
API_RATE_LIMIT_REQUESTS = env_int("API_RATE_LIMIT_REQUESTS", 120)
API_RATE_LIMIT_WINDOW = env_int("API_RATE_LIMIT_WINDOW", 60)
API_RATE_LIMIT_CACHE = env_str("API_RATE_LIMIT_CACHE", "default")
# Searches that found nothing: new rows per client per hour (counted in API_RATE_LIMIT_CACHE) and
# for everyone per 24 hours (counted in the database), so the table has a known growth bound.
SEARCH_MISS_NEW_PER_CLIENT_PER_HOUR = env_int("SEARCH_MISS_NEW_PER_CLIENT_PER_HOUR", 20)
SEARCH_MISS_NEW_PER_DAY = env_int("SEARCH_MISS_NEW_PER_DAY", 1000)
