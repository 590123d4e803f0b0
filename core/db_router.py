"""Reads go to PostgreSQL replicas (DATABASE_REPLICA_URLS), writes to the primary.

A request stays on the primary for its reads when it can write or show what was just
written: any method but GET and HEAD, the admin, and every request after a write. Pages
rendered for the page cache are read from the primary as well (encyclopedia/page_cache.py),
so a lagging replica can never put an old version back in the cache.
"""

import contextvars
import random
from contextlib import contextmanager

from django.conf import settings

_on_primary = contextvars.ContextVar("on_primary", default=False)


@contextmanager
def reads_from_primary():
    token = _on_primary.set(True)
    try:
        yield
    finally:
        _on_primary.reset(token)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        replicas = settings.DATABASE_REPLICAS
        if not replicas or _on_primary.get():
            return "default"
        return random.choice(replicas)

    def db_for_write(self, model, **hints):
        _on_primary.set(True)  # read your own writes for the rest of this request
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # replicas are copies of the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class PrimaryForWritingRequestsMiddleware:
    """Run each request in its own context, on the primary when it may write or is the admin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        context = contextvars.copy_context()
        return context.run(self._handle, request)

    def _handle(self, request):
        if request.method not in ("GET", "HEAD") or request.path.startswith(f"/{settings.ADMIN_PATH}"):
            _on_primary.set(True)
        else:
            _on_primary.set(False)
        return self.get_response(request)
