"""Articles as JSON-ready dicts: plain functions over objects fetched by the views' querysets."""

import re

from django.urls import reverse

from ..article_page import ArticlePage
from ..codes import CodingSystem
from ..models import Article
from ..models.site import without_placeholders

# Everything a list entry shows (for `.only()`).
SUMMARY_FIELDS = ["uuid", "kind", "slug", "title", "summary", "published_at", "updated_at", "last_reviewed_on",
                  "next_review_due"]  # fmt: skip

_SITE_LINK = re.compile(r'href="/(?!/)')


def api_url(request, article: Article) -> str:
    return request.build_absolute_uri(reverse("api:article", args=[article.kind, article.slug]))


def page_url(request, article: Article) -> str:
    return request.build_absolute_uri(article.get_absolute_url())


def absolute_links(request, html: str) -> str:
    """Links between articles are stored as site paths; apps show the HTML away from the site."""
    return _SITE_LINK.sub(f'href="{request.build_absolute_uri("/")}', html)


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
    }


def code_entry(system: str, code: str, description: str) -> dict:
    return {"system": system, "system_name": CodingSystem(system).label, "code": code, "description": description}
