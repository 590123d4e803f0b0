"""What the admin permission tests share: the parameters of an admin URL pattern, a client with a CSRF token,
a POST carrying it, and a savepoint each request runs in.

Used by test_admin_permission_matrix.py (the article admin, with its workflow) and test_admin_roles.py (every
other admin URL and our own views under the admin path)."""

import inspect

from django.core.cache import caches
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, reverse
from django.urls.resolvers import RegexPattern, RoutePattern


def parameters(pattern: URLPattern) -> list[str]:
    """The names of a pattern's parameters: from the route, from named groups, or (django-reversion's
    positional regexes) from the view's own signature."""
    if isinstance(pattern.pattern, RoutePattern):
        return list(pattern.pattern.converters)
    assert isinstance(pattern.pattern, RegexPattern), pattern
    regex = pattern.pattern.regex
    if regex.groupindex:
        return list(regex.groupindex)
    view = inspect.unwrap(pattern.callback)
    names = [name for name in inspect.signature(view).parameters if name not in {"request", "extra_context"}]
    return names[: regex.groups]


def csrf_client(user) -> Client:
    """A client signed in as `user` (None: anonymous) that enforces CSRF checks and holds a token."""
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
        client.get(reverse("admin:password_change"))  # a small form every staff role may open (the home is the desk)
    else:
        client.get(reverse("admin:login"))
    assert "csrftoken" in client.cookies
    return client


def post(client: Client, url: str, data: dict):
    client.cookies.pop("messages", None)  # an earlier request's message is not this one's
    return client.post(url, {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})


def in_savepoint(work):
    """Run `work` and roll back whatever it wrote, caches included: every request starts from the same world."""
    with transaction.atomic():
        try:
            return work()
        finally:
            transaction.set_rollback(True)
            for cache in caches.all():
                cache.clear()
