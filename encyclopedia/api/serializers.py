"""Articles as JSON-ready dicts: plain functions over objects fetched by the views' querysets."""

import re

from django.urls import reverse

from ..article_page import ArticlePage
from ..codes import CodingSystem
from ..models import Article, Image
from ..models.site import without_placeholders

# Everything a list entry shows (for `.only()`).
SUMMARY_FIELDS = ["uuid", "kind", "slug", "title", "summary", "published_at", "updated_at", "last_reviewed_on",
                  "next_review_due"]  # fmt: skip

_SITE_LINK = re.compile(r'(href|src)="/(?!/)')
_SRCSET = re.compile(r'srcset="([^"]*)"')


def api_url(request, article: Article) -> str:
    return request.build_absolute_uri(reverse("api:article", args=[article.kind, article.slug]))


def page_url(request, article: Article) -> str:
    return request.build_absolute_uri(article.get_absolute_url())


def absolute_links(request, html: str) -> str:
    """Links between articles and images are stored as site paths; apps show the HTML away from the site."""
    root = request.build_absolute_uri("/")

    def srcset(match: re.Match) -> str:
        entries = (root + entry[1:] if _SITE_LINK.match(f'src="{entry}') else entry for entry in match[1].split(", "))
        return f'srcset="{", ".join(entries)}"'

    return _SRCSET.sub(srcset, _SITE_LINK.sub(lambda match: f'{match[1]}="{root}', html))


def image_entry(request, image: Image) -> dict:
    return {
        "uuid": image.uuid,
        "alt_text": "" if image.decorative else image.alt_text,
        "decorative": image.decorative,
        "caption": image.caption,
        "long_description": image.long_description,
        "credit": image.credit,
        "creator": image.creator,
        "licence": {
            "code": image.licence,
            "name": image.get_licence_display(),
            "url": image.licence_deed_url() or None,
        },
        "source_url": image.source_url or None,
        "width": image.width,
        "height": image.height,
        "renditions": [
            {
                "spec": r.spec,
                "format": r.format,
                "width": r.width,
                "height": r.height,
                "url": request.build_absolute_uri(r.file.url),
            }
            for r in image.renditions.all()
        ],  # fmt: skip
    }


def article_summary(request, article: Article) -> dict:
    return {
        "uuid": article.uuid,
        "kind": article.kind,
        "slug": article.slug,
        "title": article.title,
        "summary": article.summary,
        "published_at": article.published_at,
        "updated_at": article.updated_at,
        "last_reviewed_on": article.last_reviewed_on,
        "next_review_due": article.next_review_due,
        "url": api_url(request, article),
        "page_url": page_url(request, article),
    }


def article_detail(request, page: ArticlePage) -> dict:
    article = page.article
    reviewer = article.reviewed_by
    return {
        **article_summary(request, article),
        "alternative_names": list(page.alternative_names),
        "reviewed_by": {"name": reviewer.get_full_name() or reviewer.get_username()} if reviewer else None,
        # Texts say {emergency_number} where the site's number goes; apps get words that stay true.
        "body_markdown": without_placeholders(page.body_markdown),
        "body_html": without_placeholders(absolute_links(request, page.body_html)),
        # The body section by section (an untitled first one for text before the first heading), as
        # sanitized HTML and as Markdown; Markdown is null when it cannot be cut the same way as the HTML.
        "sections": [
            {
                "id": s.id,
                "title": s.title,
                "html": without_placeholders(absolute_links(request, s.html)),
                "markdown": None if s.markdown is None else without_placeholders(s.markdown),
            }
            for s in page.sections
        ],
        "care_callouts": [
            {
                "level": callout["level"],
                "title": without_placeholders(callout["title"]),
                "text": without_placeholders(callout["text"]),
            }
            for callout in article.care_callouts
        ],
        "faqs": [
            {
                "question": faq.question,
                "answer_markdown": without_placeholders(faq.answer_markdown),
                "answer_html": without_placeholders(absolute_links(request, faq.answer_html)),
            }
            for faq in page.faqs
        ],  # fmt: skip
        "related": [
            {
                "kind": other.kind,
                "slug": other.slug,
                "title": other.title,
                "summary": other.summary,
                "url": api_url(request, other),
                "page_url": page_url(request, other),
            }  # fmt: skip
            for other in page.related
        ],
        "sources": [
            {"title": s.title, "publisher": s.publisher or None, "url": s.url or None, "accessed_on": s.accessed_on}
            for s in page.sources
        ],
        "codes": [code_entry(code.system, code.code, code.description) for code in page.codes],
        "images": [image_entry(request, image) for image in page.images],
    }


def code_entry(system: str, code: str, description: str) -> dict:
    return {"system": system, "system_name": CodingSystem(system).label, "code": code, "description": description}
