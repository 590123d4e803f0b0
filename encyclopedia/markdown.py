"""The one way editors' Markdown becomes HTML: python-markdown, then nh3's allow-list.

The admin preview (through markdownx) and the stored HTML of public pages both call
`render_markdown`, so what an editor previews is exactly what readers get.
"""

import functools
import html as html_lib
import re
from collections import Counter
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
    "table", "thead", "tbody", "tr", "th", "td", "figure",
}  # fmt: skip
HEADING_TAGS = ("h2", "h3", "h4", "h5", "h6")
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "data-article"},
    "abbr": {"title"},
    "ol": {"start"},
    "div": {"role"},
    "figure": {"data-image", "data-alt"},  # an image placeholder: see _ImageReferences
    **{tag: {"id"} for tag in HEADING_TAGS},
}
ALLOWED_CLASSES = {
    "div": {"care", "care-routine", "care-urgent", "care-emergency"},
    "h3": {"care-title"},
}

# Care levels, written with python-markdown's admonition syntax in "When to seek medical attention":
#
#   !!! urgent "Get help today if"
#       - a fever lasts more than three days
#
# Each level has a label that says it in words (never colour alone) and a default title. A box's
# title is a heading (h3, inside its section), so that screen readers list it in the outline; its id
# (care-emergency, care-urgent-2, ...) is what the short box under the summary links to.
# "{emergency_number}" in a title or item is the site's number, filled in when served
# (SiteSettings.fill_numbers), so that changing the setting changes every article at once.
CARE_LEVELS = {
    "routine": ("Routine", "See a doctor"),
    "urgent": ("Urgent", "Get help today"),
    "emergency": ("Emergency", "Call {emergency_number} now"),
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
        ids = Counter()
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
                title = Element("h3")
                element.insert(0, title)
            ids[level] += 1
            box_id = f"care-{level}" if ids[level] == 1 else f"care-{level}-{ids[level]}"
            title.clear()
            title.tag = "h3"
            title.set("class", "care-title")
            title.set("id", box_id)
            strong = Element("strong")
            strong.text = f"{label}:"
            strong.tail = f" {title_text}"
            title.append(strong)
            element.set("class", f"care care-{level}")
            element.set("role", "note")
            items = [
                " ".join("".join(item.itertext()).split())
                for child in element[1:]
                for item in (child.iter("li") if child.tag in ("ul", "ol") else [child])
            ]
            self.md.care_callouts.append(
                {"level": level, "id": box_id, "title": title_text, "text": "; ".join(items), "items": items}
            )


# ![per-use alt text](image:<uuid>) on a line of its own: an image from the media library. It is stored
# as a placeholder, <figure data-image="<uuid>" data-alt="per-use alt text"></figure>, and resolved when
# served (encyclopedia/article_images.py) from the image's stored renditions, so no address an editor
# types ever reaches an <img>, and a page shows the image as the library has it now.
IMAGE_REFERENCE = re.compile(r"image:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})")


class _ImageReferences(Treeprocessor):
    """A paragraph holding nothing but one library image becomes that image's placeholder. Any other
    image (inline in text, or from another address) is left to nh3, which drops it; the article form
    names it (`image_reference_problems`)."""

    def run(self, root: Element) -> None:
        for element in root.iter("p"):
            if len(element) != 1 or (element.text or "").strip() or (element[0].tail or "").strip():
                continue
            image = element[0]
            match = IMAGE_REFERENCE.fullmatch(image.get("src", "")) if image.tag == "img" else None
            if match is None:
                continue
            alt = " ".join((image.get("alt") or "").split())
            element.remove(image)
            element.tag = "figure"
            element.text = None
            element.set("data-image", match[1])
            if alt:
                element.set("data-alt", alt)


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
        # Below python-markdown's inline processor (20), which makes the <img> elements.
        md.treeprocessors.register(_ImageReferences(md), "image_references", 8)
        # Above python-markdown's own links (160), so "[[" is not read as a reference link.
        md.inlinePatterns.register(_InternalLinks(INTERNAL_LINK, md), "internal_links", 175)


# A `#` or `##` heading at the start of a line: python-markdown needs no space after the hashes.
_HEADING_LINE = re.compile(r"^#{1,2}(?!#)", re.M)


@dataclass(frozen=True)
class Section:
    """A part of the body: the text before the first heading (no id or title), then one per `##` heading."""

    id: str | None
    title: str | None
    html: str
    markdown: str | None  # None when the source cannot be cut as the HTML is (an underlined heading, say)


def sections_of(html: str, markdown: str, outline: list[dict]) -> list[Section]:
    """The sections of rendered Markdown, cut where its outline (stored with the HTML) says they start."""
    starts = [(None, None, 0, 0), *((s["id"], s["title"], s["html_start"], s["markdown_start"]) for s in outline)]
    ends = [(html_start, markdown_start) for _, _, html_start, markdown_start in starts[1:]] + [(None, None)]
    sections = []
    for (section_id, title, html_start, markdown_start), (html_end, markdown_end) in zip(starts, ends, strict=True):
        part = html[html_start:html_end].strip()
        if section_id is None and not part:
            continue  # no text before the first heading
        source = None if markdown_start is None else markdown[markdown_start:markdown_end].strip()
        sections.append(Section(id=section_id, title=title, html=part, markdown=source))
    return sections


def _outline(html: str, markdown: str, headings: list[dict]) -> list[dict]:
    """Where each `##` section starts in the HTML and in the Markdown: what the article stores as its sections."""
    markdown_starts = [match.start() for match in _HEADING_LINE.finditer(markdown)]
    if len(markdown_starts) != len(headings):
        markdown_starts = [None] * len(headings)
    outline, position = [], 0
    for heading, markdown_start in zip(headings, markdown_starts, strict=True):
        position = html.index(f'<h2 id="{heading["id"]}"', position)
        outline.append({**heading, "html_start": position, "markdown_start": markdown_start})
    return outline


@dataclass(frozen=True)
class RenderedMarkdown:
    html: str
    outline: list[dict]  # [{"id", "title", "html_start", "markdown_start"}] for each h2, in order
    care_callouts: list[dict]  # [{"level": "urgent", "id", "title", "text", "items": [...]}], in order
    markdown: str

    @property
    def sections(self) -> list[Section]:
        return sections_of(self.html, self.markdown, self.outline)


def render(text: str) -> RenderedMarkdown:
    text = text or ""
    md = markdown.Markdown(
        extensions=[_EncyclopediaExtension(), TocExtension(), "admonition", "sane_lists", "tables"],
        output_format="html",
    )
    raw_html = md.convert(text)
    html = nh3.clean(
        raw_html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    headings = [
        {"id": token["id"], "title": html_lib.unescape(token["name"])} for token in md.toc_tokens if token["level"] == 2
    ]
    return RenderedMarkdown(
        html=html,
        outline=_outline(html, text, headings),
        care_callouts=getattr(md, "care_callouts", []),
        markdown=text,
    )


def render_markdown(text: str) -> str:
    """Markdown to sanitized HTML; markdownx's preview calls this too (MARKDOWNX_MARKDOWNIFY_FUNCTION)."""
    return render(text).html


_SLOT = re.compile(r"zqslot(\d+)zq")  # letters and digits only: Markdown leaves it as it is
_PLAIN_WORDS = re.compile(r"[\w ,.'-]*")


@functools.lru_cache(maxsize=256)
def _render_shape(text: str) -> RenderedMarkdown:
    return render(text)


def render_filled(template: str, values: dict[str, str]) -> RenderedMarkdown:
    """`render(template.format(**values))`, rendering each template only once: for making many articles of
    the same shape with other words (generate_articles). Values must be plain words, with no Markdown."""
    for value in values.values():
        if not _PLAIN_WORDS.fullmatch(value):
            raise ValueError(f"Not plain words, so not safe to fill in after rendering: {value!r}")
    shape = _render_shape(template.format(**{name: f"zqslot{i}zq" for i, name in enumerate(values)}))
    words = list(values.values())

    def fill(text: str, escape=str) -> str:
        return _SLOT.sub(lambda match: escape(words[int(match[1])]), text)

    html = fill(shape.html, escape=lambda word: html_lib.escape(word, quote=False))
    text = fill(shape.markdown)
    headings = [{"id": heading["id"], "title": heading["title"]} for heading in shape.outline]
    if any(_SLOT.search(heading["title"]) for heading in headings):
        raise ValueError("Headings cannot have values filled in: their ids are made from their text.")
    care_callouts = [
        {
            name: [fill(item) for item in value] if isinstance(value, list) else fill(value)
            for name, value in callout.items()
        }
        for callout in shape.care_callouts
    ]
    return RenderedMarkdown(
        html=html, outline=_outline(html, text, headings), care_callouts=care_callouts, markdown=text
    )
