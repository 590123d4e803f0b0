from django.urls import path, register_converter

from . import views
from .models import Kind


class KindConverter:
    """Matches the plural in paths (`symptoms`) and hands the view a `Kind`."""

    regex = "|".join(kind.plural for kind in Kind)

    def to_python(self, value: str) -> Kind:
        return Kind.from_plural(value)

    def to_url(self, value: Kind | str) -> str:
        return Kind(value).plural


register_converter(KindConverter, "kind")

app_name = "encyclopedia"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("feed/", views.feed, name="feed"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("sitemap-<section>.xml", views.sitemap_section, name="sitemap_section"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("search/suggest/", views.suggest_view, name="suggest"),
    path("<kind:kind>/", views.kind_index, name="kind_index"),
    path("<kind:kind>/<slug:slug>/", views.article_detail, name="article"),
    path("<slug:slug>/", views.site_page, name="site_page"),
]
