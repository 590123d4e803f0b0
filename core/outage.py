"""What the site does while its database cannot be reached.

Pages already in the page cache are still served (a cache hit never touches the database).
Any other request whose view fails to reach the database gets a 503 in the site's own design,
with Retry-After; the feedback form keeps the reader's text (editorial/views.py) and the API
answers in its JSON error format (encyclopedia/api/http.py). Each of them calls
`outage_noted`, so that the request is logged once, at WARNING, and the page around the answer
is rendered from default texts without trying the database again (see
encyclopedia/context_processors.py). Nothing needs restarting afterwards: connections are
checked before reuse (CONN_HEALTH_CHECKS), so the first request after the database is back
opens a fresh one.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

# Errors that mean "the database is not answering" (refused or lost connections, a server
# shutting down, too many clients, timeouts), as opposed to a mistake in a query.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
# Outages this page is meant for (a restart, a failover) last seconds to a few minutes.
RETRY_AFTER_SECONDS = 30


def database_unavailable(request: HttpRequest) -> bool:
    """True once this request has found the database unreachable."""
    return getattr(request, "database_unavailable", False)


def outage_noted(request: HttpRequest, error: Exception) -> None:
    """Mark the request as served without a database, and log it once.

    The log names the path only: no query string (search terms can be about someone's health),
    no client address, and only the first line of the driver's message (the server's reason,
    such as "Connection refused"), never any detail lines that could quote data.
    """
    if database_unavailable(request):
        return
    request.database_unavailable = True
    message = str(error).strip()
    reason = message.splitlines()[0][:200] if message else ""
    logger.warning(
        "Database unavailable while answering %s %s (%s: %s)",
        request.method,
        request.path,
        type(error).__name__,
        reason,
    )


def unavailable(response: HttpResponse) -> HttpResponse:
    """Give a response the headers of a temporary outage: Retry-After, and never cached."""
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    # Logged once by `outage_noted`; without this, Django's request logger would add an
    # ERROR line ("Service Unavailable: ...") for the same request.
    response._has_been_logged = True
    return response


def unavailable_page(request: HttpRequest) -> HttpResponse:
    response = render(request, "503.html", status=503)
    return unavailable(response)


class DatabaseOutageMiddleware:
    """Turn a view's failure to reach the database into the site's 503 page instead of a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_UNAVAILABLE):
            return None
        outage_noted(request, exception)
        return unavailable_page(request)


@require_safe
def outage_page(request: HttpRequest) -> HttpResponse:
    """The 503 page, for a cache in front (deploy/varnish/default.vcl) to keep and show when the site
    itself does not answer at all."""
    return unavailable_page(request)


def health_unavailable(request: HttpRequest, error: Exception) -> HttpResponse:
    """/healthz's answer while the database cannot be reached (the view: encyclopedia/views.py): 503."""
    outage_noted(request, error)
    return unavailable(HttpResponse("database unavailable\n", content_type="text/plain", status=503))
