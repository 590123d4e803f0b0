"""What every API response shares: JSON, errors as {"error": {"code", "message"}}, GET/HEAD only, CORS for
any origin (the content is public and no credentials are involved), ETags with 304s, and the rate limit."""

import functools
import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.csrf import csrf_exempt

from core.clients import client_hash
from core.outage import DATABASE_UNAVAILABLE, outage_noted, unavailable

from . import ratelimit

ALLOWED_METHODS = "GET, HEAD, OPTIONS"
# Responses may be kept this long by apps and shared caches, then revalidated with their ETag.
MAX_AGE = 60
EXPOSED_HEADERS = "ETag, Link, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset"


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, *, parameter: str | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.parameter = status, code, message, parameter


# The database cannot be reached (core/outage.py): a temporary state, so Retry-After comes with it.
UNAVAILABLE = ApiError(
    503, "unavailable", "The service is briefly unavailable; retry after the number of seconds in Retry-After."
)


def bad_parameter(parameter: str, message: str) -> ApiError:
    return ApiError(400, "invalid_parameter", message, parameter=parameter)


def json_response(data, *, status: int = 200) -> HttpResponse:
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(body.encode(), status=status, content_type="application/json")


def error_response(error: ApiError) -> HttpResponse:
    detail = {"code": error.code, "message": error.message}
    if error.parameter:
        detail["parameter"] = error.parameter
    return json_response({"error": detail}, status=error.status)


def _cors(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response


def api_view(view):
    """Wrap a view that returns data (or raises ApiError) into the API's HTTP behaviour."""

    # No cookies are read or set here and nothing changes state, so CSRF protection has nothing to protect;
    # without this, Django's middleware would answer unsafe methods with an HTML 403 before our JSON 405.
    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "OPTIONS":  # a CORS preflight: never counted, never cached
            response = _cors(HttpResponse(status=204))
            response["Allow"] = ALLOWED_METHODS
            response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            response["Access-Control-Allow-Headers"] = "Accept, If-None-Match"
            response["Access-Control-Max-Age"] = "86400"
            return response
        allowance = ratelimit.take(client_hash(request))
        if request.method not in ("GET", "HEAD"):
            response = error_response(
                ApiError(405, "method_not_allowed", f"{request.method} is not allowed here; the API is read-only.")
            )
            response["Allow"] = ALLOWED_METHODS
        elif not allowance.allowed:
            response = error_response(
                ApiError(429, "rate_limited",
                         f"Too many requests: at most {allowance.limit} in a window; retry in "
                         f"{allowance.reset_after} seconds.")
            )  # fmt: skip
            response["Retry-After"] = str(allowance.reset_after)
        else:
            try:
                result = view(request, *args, **kwargs)
                response = result if isinstance(result, HttpResponse) else json_response(result)
            except ApiError as error:
                response = error_response(error)
            except DATABASE_UNAVAILABLE as error:
                outage_noted(request, error)
                response = unavailable(error_response(UNAVAILABLE))
            else:
                if response.status_code == 200:
                    response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
                    patch_cache_control(response, public=True, max_age=MAX_AGE)
                    response = get_conditional_response(request, etag=response["ETag"], response=response)
        response["RateLimit-Limit"] = str(allowance.limit)
        response["RateLimit-Remaining"] = str(allowance.remaining)
        response["RateLimit-Reset"] = str(allowance.reset_after)
        return _cors(response)

    return wrapper
