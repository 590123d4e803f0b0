from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from .models import Article, SiteSettings

FEED_LENGTH = 30


class UpdatedArticlesFeed(Feed):
    """New and updated articles, most recent first."""

    feed_type = Atom1Feed
    link = "/"
    subtitle = "New and updated articles."

    def get_object(self, request, *args, **kwargs) -> SiteSettings:
        return SiteSettings.load()

    def title(self, site: SiteSettings) -> str:
        return site.site_name

    # RFC 4287 wants an author for the feed (or each entry): the editorial team, by the site's name.
    def author_name(self, site: SiteSettings) -> str:
        return site.site_name

    def items(self):
        return (
            Article.objects.published()
            .recently_updated()
            .only("uuid", "kind", "slug", "title", "summary", "published_at", "updated_at")[:FEED_LENGTH]
        )

    def item_title(self, article: Article) -> str:
        return article.title

    def item_description(self, article: Article) -> str:
        return article.summary

    def item_guid(self, article: Article) -> str:
        return article.uuid.urn  # stable across renames

    item_guid_is_permalink = False

    def item_pubdate(self, article: Article):
        return article.published_at

    def item_updateddate(self, article: Article):
        return article.updated_at

    def item_categories(self, article: Article) -> list[str]:
        return [article.get_kind_display()]
