from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from .models import Article, Kind, SitePage


class ArticleSitemap(Sitemap):
    changefreq = "monthly"

    @property
    def limit(self) -> int:  # URLs per sitemap file; the protocol allows 50,000
        return settings.SITEMAP_LIMIT

    def items(self):
        return Article.objects.published().order_by("pk").only("kind", "slug", "updated_at")

    def lastmod(self, article: Article):
        return article.updated_at


class PageSitemap(Sitemap):
    """Home, the A–Z indexes and the site's own pages."""

    changefreq = "weekly"

    def items(self):
        return ["home", *Kind, *SitePage.objects.order_by("position").values_list("slug", flat=True)]

    def location(self, item) -> str:
        if item == "home":
            return reverse("encyclopedia:home")
        if item in Kind.values:
            return reverse("encyclopedia:kind_index", args=[item])
        return reverse("encyclopedia:site_page", args=[item])

    def lastmod(self, item):
        if item not in Kind.values:
            return None
        latest = Article.objects.published().of_kind(Kind(item)).aggregate(latest=Max("updated_at"))
        return latest["latest"]


SITEMAPS = {"pages": PageSitemap, "articles": ArticleSitemap}
