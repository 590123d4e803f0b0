"""Same-origin check for the feedback form.

Reader pages carry no CSRF cookie or token (so that a shared cache can serve them), so the
feedback POST is protected by what browsers send on their own: `Sec-Fetch-Site` (Fetch
metadata) and, failing that, `Origin`. A request that shows neither cannot be told apart
from a forged one and is refused too.
"""

from django.conf import settings
from django.http import HttpRequest


def is_same_origin(request: HttpRequest) -> bool:
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    origin = request.headers.get("Origin")
    if not origin or origin == "null":
        return False
    own_origin = f"{request.scheme}://{request.get_host()}"
    return origin == own_origin or origin in settings.CSRF_TRUSTED_ORIGINS
