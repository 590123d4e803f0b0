"""Links between articles, written [[kind/slug]] or [[kind/slug|label]] (see markdown.py).

Stored HTML keeps a placeholder, <a data-article="kind/slug">label</a>; it is resolved when
the page is served, from the targets' current state, so a rename, a move or unpublishing
shows at once on every page that links there. A target that is missing or not published
becomes plain text for readers, in the HTML (`resolve`) and in the Markdown the API shows
(`resolve_markdown`), so no output names the address of an article readers cannot see.
"""

import re
from collections.abc import Iterable

from django.db.models import Q
from django.utils.html import escape

from .markdown import INTERNAL_LINK
from .models import FAQ, Article, ArticleRedirect, InternalLink, Status

PLACEHOLDER = re.compile(r'<a data-article="([a-z]+)/([a-z0-9-]+)"[^>]*>(.*?)</a>', re.S)

Address = tuple[str, str]  # (kind, slug)
_MARKDOWN_LINK = re.compile(INTERNAL_LINK)


def addresses_in(*html_parts: str) -> set[Address]:
    return {(kind, slug) for html in html_parts for kind, slug, _ in PLACEHOLDER.findall(html)}


def _any_of(addresses: Iterable[Address]) -> Q:
    query = Q(pk__in=[])
    for kind, slug in addresses:
        query |= Q(kind=kind, slug=slug)
    return query


def find_targets(addresses: set[Address], articles=None) -> dict[Address, Article]:
    """The article each address leads to now (directly or through an old address), in at most two queries."""
    if not addresses:
        return {}
    articles = Article.objects.published() if articles is None else articles
    found = {(a.kind, a.slug): a for a in articles.filter(_any_of(addresses)).only("kind", "slug", "title", "status")}
    moved = addresses - set(found)
    if moved:
        redirects = ArticleRedirect.objects.filter(_any_of(moved), article__in=articles).select_related("article")
        found |= {(r.kind, r.slug): r.article for r in redirects}
    return found


def resolve(html: str, targets: dict[Address, Article]) -> str:
    def link(match: re.Match) -> str:
        kind, slug, label = match.groups()
        target = targets.get((kind, slug))
        if target is None:
            return label or escape(_plain_label(slug))
        return f'<a href="{escape(target.get_absolute_url())}">{label or escape(target.title)}</a>'

    return PLACEHOLDER.sub(link, html)


def _plain_label(slug: str) -> str:
    """What a link without a label shows when its target is not published: the slug as words."""
    return slug.replace("-", " ")


def resolve_markdown(markdown: str, targets: dict[Address, Article]) -> str:
    """`markdown` with each [[kind/slug|label]] whose target is not in `targets` (missing or not
    published) replaced by its label, or the slug as words, as `resolve` shows it in HTML."""

    def link(match: re.Match) -> str:
        kind, slug, label = match.group(1).removesuffix("s"), match.group(2), (match.group(3) or "").strip()
        if (kind, slug) in targets:
            return match.group(0)
        return label or _plain_label(slug)

    return _MARKDOWN_LINK.sub(link, markdown)


def link_problems(article: Article) -> list[str]:
    """Internal links of an article that readers would see as plain text, with the reason."""
    html = [article.body_html, *article.faqs.values_list("answer_html", flat=True)]
    addresses = addresses_in(*html)
    existing = find_targets(addresses, Article.objects.all())
    published = find_targets(addresses)
    problems = []
    for kind, slug in sorted(addresses):
        written = f"[[{kind}s/{slug}]]"
        if (kind, slug) not in existing:
            problems.append(f"{written}: no such article")
        elif (kind, slug) not in published:
            problems.append(f"{written}: “{existing[kind, slug].title}” is not published")
    return problems


def _resolving(addresses: set[Address]) -> set[Address]:
    """The addresses a published article holds, directly or as an old address; scheduled ones included (see
    InternalLink.broken)."""
    return set(find_targets(addresses, Article.objects.filter(status=Status.PUBLISHED)))


def store_internal_links(article_id: int) -> None:
    """Rewrite the article's InternalLink rows from its stored HTML and its FAQs' (signals.py calls it)."""
    body = Article.objects.filter(pk=article_id).values_list("body_html", flat=True).first()
    if body is None:
        return  # being deleted
    addresses = addresses_in(body, *FAQ.objects.filter(article_id=article_id).values_list("answer_html", flat=True))
    resolving = _resolving(addresses)
    InternalLink.objects.filter(article_id=article_id).delete()
    InternalLink.objects.bulk_create(
        InternalLink(article_id=article_id, kind=kind, slug=slug, broken=(kind, slug) not in resolving)
        for kind, slug in addresses
    )


def recheck_links_to(addresses: set[Address]) -> None:
    """The article holding (or having held) these addresses changed: mark again the links that lead there."""
    if not addresses:
        return
    resolving = _resolving(addresses)
    leading_there = InternalLink.objects.filter(_any_of(addresses))
    leading_there.filter(_any_of(resolving)).update(broken=False)
    leading_there.exclude(_any_of(resolving)).update(broken=True)


def has_broken_link() -> Q:
    """Articles with a [[link]] readers see as plain text (InternalLink.broken), as a condition for filters
    and counts alike: one lookup on internal_link_broken_idx."""
    return Q(pk__in=InternalLink.objects.filter(broken=True).values("article_id"))
