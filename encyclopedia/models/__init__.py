"""Published content: articles and their parts (articles.py), site-wide texts and pages (site.py), the
media library (images.py), everyday words (lay_terms.py), purges owed to the caches in front (edge.py)."""

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
from .edge import EdgePurge
from .images import ArticleImage, Image, ImageKind, ImageQuerySet, Licence, Rendition, SkinTone
from .lay_terms import LayTerm
from .site import DEFAULT_DISCLAIMER, RESERVED_PAGE_SLUGS, PromotionLink, SitePage, SiteSettings

__all__ = [
    "DEFAULT_DISCLAIMER", "FAQ", "RESERVED_PAGE_SLUGS", "AlternativeName", "Article", "ArticleImage",
    "ArticleQuerySet", "ArticleRedirect", "EdgePurge", "Image", "ImageKind", "ImageQuerySet", "InternalLink", "Kind",
    "LayTerm", "Licence", "MedicalCode", "PromotionLink", "Rendition", "SearchMiss", "SitePage", "SiteSettings",
    "SkinTone", "Source", "Status", "WRITING_STATES", "index_letter", "next_review_due", "sort_key",
]  # fmt: skip
