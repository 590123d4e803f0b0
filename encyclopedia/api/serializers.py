"""Articles as JSON-ready dicts: plain functions over objects fetched by the views' querysets."""

import re

from django.urls import reverse

from ..codes import CodingSystem
from ..models import Article

# Everything a list entry shows (for `.only()`).
SUMMARY_FIELDS = ["uuid", "kind", "slug", "title", "summary", "published_at", "updated_at", "last_reviewed_on",
                  "next_review_due"]  # fmt: skip

_H2 = re.compile(r"(?=<h2[\s>])")
_H2_ID = re.compile(r'<h2[^>]*\bid="([^"]*)"')
_MARKDOWN_H2 = re.compile(r"^#{1,2}(?:[ \t]|$)")
_FENCE = re.compile(r"^(```|~~~)")
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


def split_markdown(body: str) -> list[str]:
    """The body cut before each `#`/`##` heading (outside fenced code), as python-markdown makes sections."""
    parts, current, fenced = [], [], False
    for line in body.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        if not fenced and _MARKDOWN_H2.match(line) and current:
            parts.append("\n".join(current).strip())
            current = []
        current.append(line)
    parts.append("\n".join(current).strip())
    return [part for part in parts if part]


def sections(request, article: Article) -> list[dict]:
    """The body section by section (an untitled first one for text before the first heading), as sanitized
    HTML and as Markdown. Markdown is null when it cannot be cut the same way as the HTML (a heading
    written with underlines, for example)."""
    html_parts = [part for part in _H2.split(absolute_links(request, article.body_for_readers)) if part.strip()]
    markdown_parts = split_markdown(article.body)
    if len(markdown_parts) != len(html_parts):
        markdown_parts = [None] * len(html_parts)
    titles = {section["id"]: section["title"] for section in article.sections}
    result = []
    for html, markdown in zip(html_parts, markdown_parts, strict=True):
        match = _H2_ID.match(html)
        section_id = match.group(1) if match else None
        result.append({"id": section_id, "title": titles.get(section_id), "html": html.strip(), "markdown": markdown})
    return result


def article_detail(request, article: Article) -> dict:
    """Needs `for_page()` and `links.prepare_for_readers()`, like the article page."""
    reviewer = article.reviewed_by
    return {
        **article_summary(request, article),
        "alternative_names": [name.name for name in article.alternative_names.all()],
        "reviewed_by": {"name": reviewer.get_full_name() or reviewer.get_username()} if reviewer else None,
        "body_markdown": article.body,
        "body_html": absolute_links(request, article.body_for_readers),
        "sections": sections(request, article),
        "care_callouts": article.care_callouts,
        "faqs": [
            {
                "question": faq.question,
                "answer_markdown": faq.answer,
                "answer_html": absolute_links(request, faq.answer_for_readers),
            }
            for faq in article.faqs.all()
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
            for other in article.published_related
        ],
        "sources": [
            {"title": s.title, "publisher": s.publisher or None, "url": s.url or None, "accessed_on": s.accessed_on}
            for s in article.sources.all()
        ],
        "codes": [code_entry(code.system, code.code, code.description) for code in article.codes.all()],
    }


def code_entry(system: str, code: str, description: str) -> dict:
    return {"system": system, "system_name": CodingSystem(system).label, "code": code, "description": description}
