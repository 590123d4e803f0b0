"""The site's URLs plus the framework floor for bench/serve.sh: a Django view that returns a
constant page of the size of an article page, served by the same gunicorn and middleware."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns

FLOOR_PAGE = b"<!DOCTYPE html><html lang=en><title>floor</title><p>" + b"x" * 20_000 + b"</p></html>"


def floor(request):
    return HttpResponse(FLOOR_PAGE)


urlpatterns = [path("bench/floor/", floor), *site_urlpatterns]
