"""Published content: articles and their parts (articles.py), site-wide texts and pages (site.py)."""

from .articles import (
    FAQ,
    WRITING_STATES,
    AlternativeName,
    Article,
    ArticleQuerySet,
    ArticleRedirect,
    InternalLink,
    Kind,
    MedicalCode,
    SearchMiss,
    Source,
    Status,
    index_letter,
    next_review_due,
    sort_key,
)
from .site import DEFAULT_DISCLAIMER, RESERVED_PAGE_SLUGS, PromotionLink, SitePage, SiteSettings

__all__ = [
    "DEFAULT_DISCLAIMER", "FAQ", "RESERVED_PAGE_SLUGS", "AlternativeName", "Article", "ArticleQuerySet",
    "ArticleRedirect", "InternalLink", "Kind", "MedicalCode", "PromotionLink", "SearchMiss", "SitePage", "SiteSettings", "Source",
    "Status", "WRITING_STATES", "index_letter", "next_review_due", "sort_key",
]  # fmt: skip
