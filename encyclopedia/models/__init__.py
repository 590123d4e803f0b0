"""Published content: articles and their parts (articles.py), site-wide texts and pages (site.py)."""

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
from .lay_terms import LayTerm
from .site import DEFAULT_DISCLAIMER, RESERVED_PAGE_SLUGS, PromotionLink, SitePage, SiteSettings

__all__ = [
    "DEFAULT_DISCLAIMER", "FAQ", "RESERVED_PAGE_SLUGS", "AlternativeName", "Article", "ArticleQuerySet",
    "ArticleRedirect", "Kind", "LayTerm", "MedicalCode", "PromotionLink", "SearchMiss", "SitePage", "SiteSettings", "Source",
    "Status", "index_letter", "next_review_due", "sort_key",
]  # fmt: skip
