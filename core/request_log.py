"""One JSON line per request, and a request id on every log record written while it runs.

`RequestLogMiddleware` (first in MIDDLEWARE) gives each request an id, returns it in the
`X-Request-ID` header and logs the request's line on the way out. `RequestIdFilter` (on the
console handler) puts that id on every other record of the request, Django's error reports
included, so that an error can be matched with its request. `JsonFormatter` writes the records.

What a log line may hold is decided here, field by field: never the client's address, the
query string (search words, tokens), cookies, form data or who is logged in.
"""

import contextvars
import datetime
import json
import logging
import re
import time
import uuid

REQUEST_ID_HEADER = "X-Request-ID"
# An id given by our load balancer is kept so that its logs and ours match; anything else
# (too long, spaces, quotes, line breaks) is replaced rather than written to the log.
INCOMING_REQUEST_ID = re.compile(r"[A-Za-z0-9-]{8,64}")

_current_request_id = contextvars.ContextVar("request_id", default=None)
logger = logging.getLogger("access")


def request_id_for(request) -> str:
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    if INCOMING_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_for(request)
        token = _current_request_id.set(request.request_id)
        started = time.perf_counter()
        status = 500  # what the client gets should an exception get past Django's own handling
        try:
            response = self.get_response(request)
            status = response.status_code
            response[REQUEST_ID_HEADER] = request.request_id
            return response
        finally:
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                status,
                extra={
                    "method": request.method,
                    "path": request.path,  # without the query string
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            _current_request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record: the request being handled, if any."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = _current_request_id.get()
        if request_id is None:
            # Django reports a 4xx/5xx response it was handed after every middleware has
            # returned, so after ours; it passes the request along with the record.
            request_id = getattr(getattr(record, "request", None), "request_id", None)
        record.request_id = request_id
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with only the fields listed here.

    Records from `django.request` carry the whole request object (`record.request`, with its
    headers, cookies and client address); it is deliberately never written.
    """

    REQUEST_FIELDS = ("method", "path", "status", "duration_ms")

    def format(self, record: logging.LogRecord) -> str:
        created = datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC)
        entry = {
            "time": created.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", None),
            "message": record.getMessage(),
        }
        for field in self.REQUEST_FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if "status" not in entry and isinstance(getattr(record, "status_code", None), int):
            entry["status"] = record.status_code  # Django's error reports name it so
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)  # the traceback: no local variables
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str)
