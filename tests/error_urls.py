"""A test-only URLconf: the site's own URLs plus two views that fail, for tests/test_request_logs.py."""

from django.http import HttpResponse
from django.urls import include, path


def broken(request):
    raise RuntimeError("the view broke")


def unavailable(request):
    return HttpResponse("Down for maintenance", status=503)


urlpatterns = [
    path("broken/", broken),
    path("unavailable/", unavailable),
    path("", include("config.urls")),
]
