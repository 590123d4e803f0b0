"""django-axes, adapted: what someone sees after too many failed sign-ins, and which user name
a failed attempt is counted against."""

from django.conf import settings
from django.shortcuts import render


def locked_out(request, original_response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = render(
        request,
        "admin/locked_out.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes},
        status=429,
    )
    response["Retry-After"] = str(minutes * 60)
    return response


def username(request, credentials=None) -> str:
    """The user name tried (AXES_USERNAME_CALLABLE), cut to the longest an account can have: axes
    keeps it in a 255-character column, and a longer one (or a NUL) is not anyone's name anyway."""
    tried = (credentials or request.POST).get("username") or ""
    return tried[:150].replace("\x00", "")
