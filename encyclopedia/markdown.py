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
    "div", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "strong", "em", "b", "i", "sub", "sup",
    "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "code", "pre", "a", "abbr",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
HEADING_TAGS = ("h2", "h3", "h4", "h5", "h6")
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "data-article"},
    "abbr": {"title"},
    "ol": {"start"},
    "div": {"role"},
    **{tag: {"id"} for tag in HEADING_TAGS},
}
ALLOWED_CLASSES = {
    "div": {"care", "care-routine", "care-urgent", "care-emergency"},
    "p": {"care-title"},
}

# Care levels, written with python-markdown's admonition syntax in "When to seek medical attention":
#
#   !!! urgent "Get help today if"
#       - a fever lasts more than three days
#
# Each level has a label that says it in words (never colour alone) and a default title.
CARE_LEVELS = {
    "routine": ("Routine", "See a doctor"),
    "urgent": ("Urgent", "Get help today"),
    "emergency": ("Emergency", "Call emergency services"),
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


class _CareLevels(Treeprocessor):
    """Turn admonitions of the three care levels into labelled boxes and collect them."""

    def run(self, root: Element) -> None:
        self.md.care_callouts = []
        for element in root.iter("div"):
            classes = element.get("class", "").split()
            if "admonition" not in classes:
                continue
            level = next((name for name in classes if name in CARE_LEVELS), None)
            if level is None:  # another admonition type: an ordinary block
                for part in (element, *element):
                    part.attrib.pop("class", None)
                continue
            label, default_title = CARE_LEVELS[level]
            title = element[0] if len(element) and element[0].get("class") == "admonition-title" else None
            title_text = title.text if title is not None and title.text != level.capitalize() else default_title
            if title is None:
                title = Element("p")
                element.insert(0, title)
            title.clear()
            title.set("class", "care-title")
            strong = Element("strong")
            strong.text = f"{label}:"
            strong.tail = f" {title_text}"
            title.append(strong)
            element.set("class", f"care care-{level}")
            element.set("role", "note")
            items = [
                item for child in element[1:] for item in (child.iter("li") if child.tag in ("ul", "ol") else [child])
            ]
            text = "; ".join(" ".join("".join(item.itertext()).split()) for item in items)
            self.md.care_callouts.append({"level": level, "title": title_text, "text": text})


class _DemoteTopHeadings(Treeprocessor):
    """The page's title is its only h1, so a `#` heading in a body renders as h2."""

    def run(self, root: Element) -> None:
        for element in root.iter("h1"):
            element.tag = "h2"


class _EncyclopediaExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Priority above the toc extension's (5), so section ids are collected after demotion.
        md.treeprocessors.register(_DemoteTopHeadings(md), "demote_top_headings", 6)
        md.treeprocessors.register(_CareLevels(md), "care_levels", 7)
        # Above python-markdown's own links (160), so "[[" is not read as a reference link.
        md.inlinePatterns.register(_InternalLinks(INTERNAL_LINK, md), "internal_links", 175)


@dataclass(frozen=True)
class RenderedMarkdown:
    html: str
    sections: list[dict[str, str]]  # [{"id": ..., "title": ...}] for each h2, in order
    care_callouts: list[dict[str, str]]  # [{"level": "urgent", "title": ..., "text": ...}], in order


def render(text: str) -> RenderedMarkdown:
    md = markdown.Markdown(
        extensions=[_EncyclopediaExtension(), TocExtension(), "admonition", "sane_lists", "tables"],
        output_format="html",
    )
    raw_html = md.convert(text or "")
    html = nh3.clean(
        raw_html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    sections = [
        {"id": token["id"], "title": html_lib.unescape(token["name"])} for token in md.toc_tokens if token["level"] == 2
    ]
    return RenderedMarkdown(html=html, sections=sections, care_callouts=getattr(md, "care_callouts", []))


def render_markdown(text: str) -> str:
    """Markdown to sanitized HTML; markdownx's preview calls this too (MARKDOWNX_MARKDOWNIFY_FUNCTION)."""
    return render(text).html
