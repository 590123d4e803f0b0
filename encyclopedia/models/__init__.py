"""Published content: articles and their parts (articles.py), site-wide texts and pages (site.py), purges
owed to the caches in front (edge.py)."""

from .articles import (
    FAQ,
    AlternativeName,
    Article,
    ArticleQuerySet,
    ArticleRedirect,
    Kind,
    MedicalCode,
    SearchMiss,
    Source,
    Status,
    index_letter,
    next_review_due,
    sort_key,
)
from .edge import EdgePurge
from .site import DEFAULT_DISCLAIMER, RESERVED_PAGE_SLUGS, PromotionLink, SitePage, SiteSettings

__all__ = [
    "DEFAULT_DISCLAIMER", "FAQ", "EdgePurge", "RESERVED_PAGE_SLUGS", "AlternativeName", "Article", "ArticleQuerySet",
    "ArticleRedirect", "Kind", "MedicalCode", "PromotionLink", "SearchMiss", "SitePage", "SiteSettings", "Source",
    "Status", "index_letter", "next_review_due", "sort_key",
]  # fmt: skip
