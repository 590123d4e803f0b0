from django.urls import path, re_path

from ..urls import KindConverter  # noqa: F401  (registers the <kind:…> converter: plural in paths)
from . import views

app_name = "api"
urlpatterns = [
    path("", views.root, name="root"),
    path("articles/", views.article_list, name="articles"),
    path("articles/<kind:kind>/<slug:slug>/", views.article_detail, name="article"),
    path("search/", views.search, name="search"),
    path("lookup/", views.lookup, name="lookup"),
    path("openapi.json", views.openapi, name="openapi"),
    # Anything else under /api/v1/ answers in JSON too.
    re_path(r"^(?P<path>[\s\S]*)$", views.not_found, name="not_found"),
]
