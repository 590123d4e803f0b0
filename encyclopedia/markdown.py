"""The one way editors' Markdown becomes HTML: python-markdown, then nh3's allow-list.

The admin preview (through markdownx) and the stored HTML of public pages both call
`render_markdown`, so what an editor previews is exactly what readers get.
"""

import html as html_lib
from dataclasses import dataclass
from xml.etree.ElementTree import Element

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.toc import TocExtension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {
    "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "strong", "em", "b", "i", "sub", "sup",
    "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "code", "pre", "a", "abbr",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
HEADING_TAGS = ("h2", "h3", "h4", "h5", "h6")
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "data-article"},
    "abbr": {"title"},
    "ol": {"start"},
    **{tag: {"id"} for tag in HEADING_TAGS},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


# [[symptoms/leg-cramps]] or [[symptoms/leg-cramps|leg cramps]]: a link to another article by
# kind (plural, as in its address, or singular) and slug. It is stored as a placeholder,
# <a data-article="symptom/leg-cramps">label</a>, and resolved when served (encyclopedia/links.py),
# so renames, moves and unpublishing show at once on every page that links.
INTERNAL_LINK = r"\[\[\s*([a-z]+)/([a-z0-9-]+)\s*(?:\|([^\]]*))?\]\]"


class _InternalLinks(InlineProcessor):
    def handleMatch(self, match, data):
        kind, slug, label = match.group(1), match.group(2), (match.group(3) or "").strip()
        kind = kind.removesuffix("s")
        element = Element("a", {"data-article": f"{kind}/{slug}"})
        element.text = label
        return element, match.start(0), match.end(0)


class _DemoteTopHeadings(Treeprocessor):
    """The page's title is its only h1, so a `#` heading in a body renders as h2."""

    def run(self, root: Element) -> None:
        for element in root.iter("h1"):
            element.tag = "h2"


class _EncyclopediaExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Priority above the toc extension's (5), so section ids are collected after demotion.
        md.treeprocessors.register(_DemoteTopHeadings(md), "demote_top_headings", 6)
        # Above python-markdown's own links (160), so "[[" is not read as a reference link.
        md.inlinePatterns.register(_InternalLinks(INTERNAL_LINK, md), "internal_links", 175)


@dataclass(frozen=True)
class RenderedMarkdown:
    html: str
    sections: list[dict[str, str]]  # [{"id": ..., "title": ...}] for each h2, in order


def render(text: str) -> RenderedMarkdown:
    md = markdown.Markdown(
        extensions=[_EncyclopediaExtension(), TocExtension(), "sane_lists", "tables"],
        output_format="html",
    )
    raw_html = md.convert(text or "")
    html = nh3.clean(
        raw_html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    sections = [
        {"id": token["id"], "title": html_lib.unescape(token["name"])} for token in md.toc_tokens if token["level"] == 2
    ]
    return RenderedMarkdown(html=html, sections=sections)


def render_markdown(text: str) -> str:
    """Markdown to sanitized HTML; markdownx's preview calls this too (MARKDOWNX_MARKDOWNIFY_FUNCTION)."""
    return render(text).html
