"""Whole public pages cached for readers, invalidated exactly when something they show changes.

Each cached page carries the tags of what it shows, built by the `*_tag` functions below and
nowhere else, and a snapshot of those tags' versions. A change
bumps the versions of the tags it touches (encyclopedia/signals.py), so the next request for a
page that showed it finds the snapshot out of date and renders afresh. A page also expires when
the next scheduled publication time arrives, since that changes what readers may see without
any save. Readers with a session (editors) are never served from, nor stored in, the cache.

Views that may be cached are wrapped in `cached_page`, which renders and keeps them; the
`PageCacheMiddleware` serves what was kept, before the session, CSRF, authentication and
messages middleware run, since a reader's cached page needs none of them.

A page is kept once per scheme, host, path and value of each query parameter its view reads
(`cached_page(query=...)`, normalised); any other parameter (`?utm_source=...`) is ignored, so
the number of pages kept is bounded by the site's real pages.

Shared HTTP caches in front (Varnish, a CDN) keep the same pages: a page kept here tells them, in
its headers, how long they may keep it and its tags (hashed, `edge_tag`); every bump also purges
its tags at each of them (EDGE_CACHE_PURGE_URLS), once the change commits. A purge that fails
waits in the database (`EdgePurge`) for `manage.py purge_edge_cache`.
"""

import hashlib
import http.client
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from functools import wraps
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.http import http_date

from core.db_router import reads_from_primary

from .models import Article, EdgePurge

logger = logging.getLogger(__name__)

TAG_PREFIX = "pagecache:tag:"
PAGE_PREFIX = "pagecache:page:"
STORED_HEADERS = ("Content-Type", "Content-Language", "Last-Modified", "ETag", "X-Robots-Tag")

# A query parameter a view reads, normalised: its canonical value, or None for "as if absent".
type Normaliser = Callable[[str], str | None]


# The tags: what a page can show, each spelled here only.


def article_tag(article: Article | int) -> str:
    """One article's own content: its fields, FAQs, names, sources, codes and relations."""
    return f"article:{getattr(article, 'pk', article)}"


def articles_tag() -> str:
    """Any article at all: pages that list the newest or count them (the home page)."""
    return "articles"


def kind_tag(kind: str) -> str:
    """Any article of one kind: its A–Z pages."""
    return f"kind:{kind}"


def address_tag(kind: str, slug: str) -> str:
    """An address, whoever holds it now: a page linking there changes when an article takes or leaves it."""
    return f"address:{kind}/{slug}"


def user_tag(user) -> str:
    """A person named on pages (a medical reviewer)."""
    return f"user:{getattr(user, 'pk', user)}"


def image_tag(image) -> str:
    """A library image and its renditions: the pages of the articles showing it, and of those whose cards do."""
    return f"image:{getattr(image, 'pk', image)}"


def site_tag() -> str:
    """The site-wide texts every page shows: settings, promotion links, footer pages."""
    return "site"


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def bump(*tags: str) -> None:
    """Mark everything showing any of these tags as changed."""
    if tags:
        # The version starts with the time of the change: see `cached_page` for why.
        version = f"{time.time_ns()}-{uuid.uuid4().hex}"
        _cache().set_many({TAG_PREFIX + tag: version for tag in tags}, timeout=None)
        if settings.EDGE_CACHE_PURGE_URLS:
            _queue_edge_purges(tags)


def _changed_since(versions: dict[str, str], started_ns: int) -> bool:
    return any(int(version.split("-", 1)[0]) > started_ns for version in versions.values())


def _versions(tags: Iterable[str]) -> dict[str, str]:
    keys = [TAG_PREFIX + tag for tag in tags]
    found = _cache().get_many(keys)
    missing = {key: f"0-{uuid.uuid4().hex}" for key in keys if key not in found}
    if missing:
        # A tag never bumped (or evicted) gets a version now, so that a later bump is always seen.
        for key, version in missing.items():
            _cache().add(key, version, timeout=None)
        found |= _cache().get_many(list(missing))
    return {key.removeprefix(TAG_PREFIX): found.get(key) for key in keys}


def cached_until_changed[T](tag_name: str, name: str, load: Callable[[], T]) -> T:
    """What `load()` returns, read again only after `tag_name` changes (at most once a PAGE_CACHE_SECONDS)."""
    key = f"pagecache:value:{name}:{_versions([tag_name])[tag_name]}"
    value = _cache().get(key)
    if value is None:
        value = load()
        _cache().set(key, value, timeout=settings.PAGE_CACHE_SECONDS)
    return value


def _is_for_readers(request: HttpRequest) -> bool:
    return request.method in ("GET", "HEAD") and settings.SESSION_COOKIE_NAME not in request.COOKIES


def _key(request: HttpRequest, reads: Mapping[str, Normaliser], values: Mapping[str, object] | None = None) -> str:
    """The key of a page: scheme (its addresses are absolute), host, path and the normalised values, in
    order, of the parameters its view reads, taken from the request or from `values`."""
    source = request.GET if values is None else values
    kept = []
    for name in sorted(reads):
        raw = source.get(name)
        value = reads[name](str(raw)) if raw not in (None, "") else None
        if value is not None:
            kept.append((name, value))
    address = f"{request.scheme}://{request.get_host()}{request.path}?{urlencode(kept)}"
    return PAGE_PREFIX + hashlib.sha256(address.encode()).hexdigest()


def _reads(request: HttpRequest) -> Mapping[str, Normaliser] | None:
    """The parameters the view at this address reads; None when its pages are never kept."""
    if not request.META.get("QUERY_STRING"):
        return {}  # nothing to normalise: the view need not be looked up
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return None
    return getattr(match.func, "page_cache_query", None)


def tag(response: HttpResponse, tags: Iterable[str], *, query: Mapping[str, object] | None = None) -> HttpResponse:
    """Declare what a page shows: a view returning a response with tags lets it be cached.
    `query`: the values of the parameters it read that the page shows (the page number actually
    shown, say); a page is kept only when the request asked for exactly those, once normalised.
    Browsers may keep it too, but must ask again (a cheap 304) before reuse; shared caches in front
    may keep it as long as it is kept here (see `_shareable`)."""
    response.cache_tags = {site_tag(), *tags}
    response.cache_query = query or {}
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    return response


class PageCacheMiddleware:
    """Answers readers from the page cache. Placed after the middleware that adds headers to every
    response (security, CSP, conditional GET) and before the ones a cached page does not need."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        reads = _reads(request) if _is_for_readers(request) else None
        if reads is not None:
            entry = _cache().get(_key(request, reads))
            if entry is not None and _still_valid(entry):
                response = HttpResponse(entry["content"], status=entry["status"], headers=entry["headers"])
                response["Content-Length"] = len(entry["content"])
                patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
                if _asked_canonically(request, reads):
                    _shareable(response, entry["versions"], entry["expires_at"])
                response["X-Page-Cache"] = "hit"
                return response
        return self.get_response(request)


def cached_page(view=None, *, query: Mapping[str, Normaliser] | None = None):
    """Keeps the view's page for readers when it is tagged (see `tag`): `@cached_page`, or
    `@cached_page(query={"page": normalise})` for a view that reads query parameters. Every other
    parameter is ignored: such a request is served the page without them."""

    def decorate(view):
        reads = dict(query or {})

        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not _is_for_readers(request):
                response = view(request, *args, **kwargs)
                if hasattr(response, "cache_tags"):
                    # Shown to one person (an editor may see more): for no cache but their browser's.
                    patch_cache_control(response, private=True)
                return response
            with reads_from_primary():  # never refill the cache from a lagging replica
                return _render_and_keep(view, reads, request, *args, **kwargs)

        wrapper.page_cache_query = reads  # found by the middleware through the URL resolver
        return wrapper

    return decorate if view is None else decorate(view)


def _still_valid(entry: dict) -> bool:
    expires_at = entry["expires_at"]  # checked here too: a cache's own expiry runs on its server's clock
    fresh = expires_at is None or timezone.now() < expires_at
    return fresh and _versions(entry["versions"]) == entry["versions"]


def _render_and_keep(view, reads: Mapping[str, Normaliser], request: HttpRequest, *args, **kwargs) -> HttpResponse:
    started_ns = time.time_ns()
    response = view(request, *args, **kwargs)
    tags = getattr(response, "cache_tags", None)
    if tags is None or response.status_code != 200 or response.cookies or response.streaming:
        return response
    key = _key(request, reads)
    # What the view showed is not what was asked (a page beyond the last shows the last one): not
    # kept, or there would be one copy per number asked.
    showing_what_was_asked = key == _key(request, reads, response.cache_query)
    response.setdefault("Last-Modified", http_date())
    set_response_etag(response)  # once, here, rather than on every hit
    # The next scheduled publication changes what readers may see without any save.
    expires_at = Article.objects.next_publication_time()
    timeout = settings.PAGE_CACHE_SECONDS
    if expires_at is not None:
        timeout = max(1, min(timeout, int((expires_at - timezone.now()).total_seconds())))
    versions = _versions(sorted(tags))
    response["X-Page-Cache"] = "miss"
    if _changed_since(versions, started_ns) or not showing_what_was_asked:
        return response  # or something changed while this page was rendered: not kept either
    headers = {name: response[name] for name in STORED_HEADERS if name in response}
    entry = {
        "content": response.content, "status": response.status_code, "headers": headers, "versions": versions,
        "expires_at": expires_at,
    }  # fmt: skip
    _cache().set(key, entry, timeout=timeout)
    if _asked_canonically(request, reads):
        _shareable(response, versions, expires_at)
    return response


# Shared caches in front (Varnish, a CDN): what they may keep, and purges.

EDGE_TAG_LENGTH = 12  # hex digits: 48 bits, so that 100,000 articles' tags do not collide in practice
EDGE_PURGE_BATCH = 400  # tags a purge request carries: 5 KB of header, within Varnish's 8 KB default
EDGE_PURGE_TIMEOUT_SECONDS = 2


def edge_tag(tag_name: str) -> str:
    """A tag as shared caches see it, in pages' headers and purges: short, whatever the slug's length."""
    return hashlib.sha256(tag_name.encode()).hexdigest()[:EDGE_TAG_LENGTH]


def _asked_canonically(request: HttpRequest, reads: Mapping[str, Normaliser]) -> bool:
    """The parameters the view reads were asked for as it shows them (`?page=2`, not `?page=02` or
    `?page=x`). A cache in front keys pages on their raw values: only these pages are shared, so that
    variants of a value cannot fill it."""
    asked = [(name, request.GET.getlist(name)) for name in sorted(reads) if name in request.GET]
    return all(len(values) == 1 and reads[name](values[0]) == values[0] for name, values in asked)


def _shareable(response: HttpResponse, tags: Iterable[str], expires_at) -> None:
    """Let shared caches keep a page kept here, for as long as this cache may: until a purge of one of
    its tags, at most EDGE_CACHE_SECONDS, never past the next scheduled publication. Browsers see
    `max-age=0, must-revalidate` still, and revalidate every time; the stale-* directives are for the
    caches in front, which serve the page while fetching it again or while the site cannot answer."""
    seconds, stale = settings.EDGE_CACHE_SECONDS, settings.EDGE_CACHE_STALE_WHILE_REVALIDATE
    until_scheduled = None if expires_at is None else max(0, int((expires_at - timezone.now()).total_seconds()))
    if until_scheduled is not None and until_scheduled < seconds:
        seconds, stale = until_scheduled, 0  # what it shows changes then: not shown after, but in an outage
    patch_cache_control(
        response, s_maxage=seconds, stale_while_revalidate=stale, stale_if_error=settings.EDGE_CACHE_STALE_IF_ERROR
    )
    response[settings.EDGE_CACHE_TAG_HEADER] = " ".join(sorted(edge_tag(name) for name in tags))


_unsent = threading.local()  # this thread's queued purges, sent when the change commits


def _queue_edge_purges(tags: Iterable[str]) -> None:
    """A row per tag and cache, written with the change itself (so a purge is never lost), and sent
    once the change commits: all the purges of one transaction in one request per cache."""
    purges = EdgePurge.objects.bulk_create(
        EdgePurge(cache_url=url, tag=tag) for url in settings.EDGE_CACHE_PURGE_URLS for tag in tags
    )
    if not hasattr(_unsent, "ids"):
        _unsent.ids = set()
    _unsent.ids.update(purge.pk for purge in purges)
    transaction.on_commit(_send_unsent)


def _send_unsent() -> None:
    # The first callback of a transaction sends all of it; rows of a rolled-back one are not found.
    ids, _unsent.ids = _unsent.ids, set()
    if ids:
        purge_edge_caches(EdgePurge.objects.filter(pk__in=ids))


def purge_edge_caches(purges=None) -> tuple[int, int]:
    """Send these pending purges (all of them by default) to their caches, and forget those accepted.
    Returns (purges delivered, purges still pending). Rows for a cache no longer configured are dropped."""
    purges = EdgePurge.objects.all() if purges is None else purges
    EdgePurge.objects.exclude(cache_url__in=settings.EDGE_CACHE_PURGE_URLS).delete()
    by_cache: dict[str, dict[str, list[int]]] = {}
    for pk, url, tag_name in purges.filter(cache_url__in=settings.EDGE_CACHE_PURGE_URLS).values_list(
        "pk", "cache_url", "tag"
    ):
        by_cache.setdefault(url, {}).setdefault(edge_tag(tag_name), []).append(pk)
    delivered = pending = 0
    for url, tags in by_cache.items():
        hashed = sorted(tags)
        for start in range(0, len(hashed), EDGE_PURGE_BATCH):
            batch = hashed[start : start + EDGE_PURGE_BATCH]
            ids = [pk for each in batch for pk in tags[each]]
            if _send_purge(url, batch):
                EdgePurge.objects.filter(pk__in=ids).delete()
                delivered += len(ids)
            else:
                pending += len(ids)
    return delivered, pending


def _send_purge(url: str, hashed_tags: list[str]) -> bool:
    """One PURGE request carrying these tags to one cache; True when it accepted them."""
    parts = urlsplit(url)
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(parts.hostname, parts.port, timeout=EDGE_PURGE_TIMEOUT_SECONDS)
    try:
        connection.request("PURGE", parts.path or "/", headers={settings.EDGE_CACHE_TAG_HEADER: " ".join(hashed_tags)})
        status = connection.getresponse().status
    except OSError as error:
        logger.warning("Edge cache %s did not take a purge (%s): it stays pending", url, error)
        return False
    finally:
        connection.close()
    if status >= 300:
        logger.warning("Edge cache %s refused a purge with status %s: it stays pending", url, status)
        return False
    return True


# The server's start (config/gunicorn.py).


def server_start(workers: int) -> str:
    """Checks the caches for a server of `workers` processes, and says which one keeps the pages.

    Refuses a cache each process keeps for itself (local memory) for more than one worker: an edit
    would replace its pages in the worker that handled it only, and the others would serve the old
    page until it expired; API rate limits would be counted per worker. A cache in files on this
    machine is emptied, as local memory was by a restart: nothing rendered by the code or from the
    database of before the restart is served."""
    for alias in dict.fromkeys([settings.PAGE_CACHE_ALIAS, settings.API_RATE_LIMIT_CACHE]):
        if isinstance(caches[alias], LocMemCache) and workers > 1:
            raise ImproperlyConfigured(
                f"The cache {alias!r} is in each process's own memory, and the server would start {workers} "
                "workers: an edit would reach one of them only. Set REDIS_URL, use a cache shared on this "
                "machine (production's default, in CACHE_DIR), or start one worker (GUNICORN_WORKERS=1)."
            )
    cache = _cache()
    if isinstance(cache, FileBasedCache):
        cache.clear()
    return f"Page cache: {_described(cache, workers)}"


def _described(cache, workers: int) -> str:
    processes = f"the {workers} workers" if workers > 1 else "the one worker"
    if isinstance(cache, FileBasedCache):
        return f"files in {cache._dir}, shared by {processes} on this machine"
    if isinstance(cache, RedisCache):
        servers = ", ".join(_without_password(server) for server in cache._servers)
        return f"Redis at {servers}, shared by every worker and machine using it"
    if isinstance(cache, LocMemCache):
        return f"local memory of {processes}"
    return f"{type(cache).__name__}, shared by {processes}"


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=f"{parts.username}@{host}" if parts.username else host))
