"""Published content: articles and their parts (articles.py), site-wide texts and pages (site.py), the
media library (images.py)."""

from .articles import (
    FAQ,
    AlternativeName,
    Article,
    ArticleImage,
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
from .images import Image, ImageKind, ImageQuerySet, Licence, Rendition, SkinTone
from .site import DEFAULT_DISCLAIMER, RESERVED_PAGE_SLUGS, PromotionLink, SitePage, SiteSettings

__all__ = [
    "DEFAULT_DISCLAIMER", "FAQ", "RESERVED_PAGE_SLUGS", "AlternativeName", "Article", "ArticleImage", "ArticleQuerySet",
    "ArticleRedirect", "Image", "ImageKind", "ImageQuerySet", "Kind", "Licence", "MedicalCode", "PromotionLink",
    "Rendition", "SearchMiss", "SitePage", "SiteSettings", "SkinTone", "Source", "Status", "index_letter",
    "next_review_due", "sort_key",
]  # fmt: skip
