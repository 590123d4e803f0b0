"""Untrusted text never becomes active HTML, whichever way it reaches a page.

The ways in: editors' Markdown (`render_markdown`, the admin preview, and the stored body on the
public article page), FAQ questions and answers, alternative names (article page and search),
search snippets and the query shown back on the search page, and readers' feedback as editors
see it in the admin (list and change page).

Each way is fed arbitrary text from hypothesis, salted with the fragments attacks are made of,
and every vector in XSS_VECTORS. The produced HTML is parsed (html.parser) and searched for what
could run script: script-like elements, `on*` or `style` attributes, and URLs whose scheme,
once the blanks and control characters browsers ignore are taken out, is javascript:, vbscript:
or data:. A fragment must hold none; a whole page must hold exactly what the same page holds
with harmless text (its own scripts and JSON-LD), and its JSON-LD must still parse.
"""

import json
import re
from collections import Counter
from html.parser import HTMLParser

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from editorial.models import Feedback
from encyclopedia.markdown import ALLOWED_ATTRIBUTES, ALLOWED_CLASSES, ALLOWED_TAGS, render_markdown
from encyclopedia.models import FAQ, AlternativeName, Kind

from .conftest import client_for, make_article

# Known attacks, in HTML and in Markdown. Each must come out inert on every path.
XSS_VECTORS = [
    # Script elements, straight and disguised.
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script/x>alert(1)</script>",
    "</script><script>alert(1)</script>",
    '"><script>alert(1)</script>',
    "'><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "]]><script>alert(1)</script>",
    "\u2028\u2029</script><script>alert(1)</script>",
    # Event handlers.
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=x OnErRoR=alert(1)>",
    "<img src=x onerror\n=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)>",
    "<body onload=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    '<abbr title="x" onmouseover="alert(1)">allowed tag, forbidden attribute</abbr>',
    '<a href="https://example.org" onclick="alert(1)">x</a>',
    '<h2 id="x" onclick="alert(1)">x</h2>',
    '<div class="care" role="note" onclick="alert(1)">x</div>',
    '<ol start="1" onclick="alert(1)"><li>x</li></ol>',
    # javascript:, vbscript: and data: addresses in HTML.
    '<a href="javascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="jav&#9;ascript:alert(1)">x</a>',
    '<a href="java\nscript:alert(1)">x</a>',
    '<a href="\x01javascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="javascript:alert(1)">',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<form><button formaction="javascript:alert(1)">x</button></form>',
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    '<table><tr><td background="javascript:alert(1)">x</td></tr></table>',
    # The same in Markdown: inline, image, reference and autolinks.
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x]( javascript:alert(1) )",
    "[x](<javascript:alert(1)>)",
    "[x](jav&#x09;ascript:alert(1))",
    "[x](java%0ascript:alert(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    "[x](vbscript:msgbox(1))",
    "![x](javascript:alert(1))",
    '![x](x" onerror="alert(1))',
    '[x](https://example.org" onclick="alert(1))',
    '[x](https://example.org "title" onclick="alert(1)")',
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "[x][ref]\n\n[ref]: data:text/html;base64,PHNjcmlwdD4=",
    '[x][ref]\n\n[ref]: <javascript:alert(1)> "title"',
    "<javascript:alert(1)>",
    '<https://example.org/" onmouseover="alert(1)>',
    "<vbscript:msgbox(1)>",
    # Styles.
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div style="x:expression(alert(1))">x</div>',
    # Foreign content and parser differentials (mXSS).
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    "<xmp><img src=x onerror=alert(1)></xmp>",
    "<textarea><img src=x onerror=alert(1)></textarea>",
    "<template><img src=x onerror=alert(1)></template>",
    '<a title="x><img src=x onerror=alert(1)>">x</a>',
    "<!--",
    # Our own extensions: internal links and care levels.
    '<a data-article="symptom/leg-cramps" href="javascript:alert(1)">x</a>',
    '<a data-article="symptom/leg-cramps" onclick="alert(1)">x</a>',
    '<a data-article="symptom/leg-cramps" title="x><img src=x onerror=alert(1)>">x</a>',
    '<a data-article="symptom/no-such-article" title="x><img src=x onerror=alert(1)>">x</a>',
    "[[symptoms/leg-cramps|<img src=x onerror=alert(1)>]]",
    '[[symptoms/leg-cramps|x" onclick="alert(1)]]',
    "[[symptoms/leg-cramps|</a><script>alert(1)</script>]]",
    "[[symptoms/no-such-article|<svg onload=alert(1)>]]",
    '!!! urgent "<img src=x onerror=alert(1)>"\n    - x',
    '!!! emergency "</script><script>alert(1)</script>"\n    - <svg onload=alert(1)>',
    # Code, where markup must stay text.
    "`<script>alert(1)</script>`",
    "    <script>alert(1)</script>",
    "```\n<img src=x onerror=alert(1)>\n```",
]

# Fragments attacks are built from, mixed into hypothesis's text.
FRAGMENTS = [
    "<script>", "</script>", "<script", "<style>", "<iframe", "<img src=x ", "<svg ", "<math>", "<a href=",
    "javascript:", "JaVaScRiPt:", "vbscript:", "data:text/html,", "onerror=", "onload=", "onclick=", "style=",
    "<!--", "-->", "&#x09;", "&#106;", "&colon;", "[x](", "](", ")", "[ref]: ", "<http://", "[[symptoms/leg-cramps|",
    "]]", '!!! urgent "', "\n\n", "\n    ", "`", "```", '"', "'", "<", ">", "&", "=", ":", "/",
]  # fmt: skip
# What PostgreSQL can store: no NUL; and no lone surrogates, which no request can carry (Django
# decodes bytes with replacement characters).
STORABLE = st.characters(exclude_categories=["Cs"], exclude_characters="\x00")


def untrusted_text(characters=STORABLE, max_size: int = 30) -> st.SearchStrategy[str]:
    piece = st.one_of(
        st.text(characters, max_size=10), st.sampled_from(FRAGMENTS), st.text("<>\"'&=:/()[]!` \n\t", max_size=6)
    )
    return st.lists(piece, max_size=max_size).map("".join)


STORED_TEXT = untrusted_text()
FUNCTION_EXAMPLES = settings(max_examples=200, deadline=None)
PAGE_EXAMPLES = settings(max_examples=25, deadline=None)
HARMLESS = "Plain words about leg cramps."

# Reading HTML -----------------------------------------------------------------------------------

RISKY_ELEMENTS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link", "svg",
    "math", "img", "image", "noscript", "template", "xmp", "plaintext", "noembed", "noframes", "portal",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcset", "cite"}
UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:")
# Browsers drop leading blanks and control characters and ignore tabs and newlines inside a URL.
IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f-\x9f]+")


def is_unsafe_url(value: str) -> bool:
    return IGNORED_IN_URLS.sub("", value).lower().startswith(UNSAFE_SCHEMES)


class Inventory(HTMLParser):
    """Every element and attribute of a document, and what in them could run script."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)  # attribute values arrive decoded, as a browser sees them
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.risks: list[str] = []
        self.json_ld: list[str] = []
        self._json_ld_open = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.elements.append((tag, attributes))
        if tag in RISKY_ELEMENTS:
            self.risks.append(f"<{tag} {' '.join(sorted(attributes))}>")
        for name, value in attributes.items():
            if name.startswith("on"):
                self.risks.append(f"{name}= on <{tag}>")
            elif name == "style":
                self.risks.append(f"style= on <{tag}>")
            elif name in URL_ATTRIBUTES and is_unsafe_url(value):
                self.risks.append(f"{name}={value!r} on <{tag}>")
        refresh = attributes.get("http-equiv", "").lower() == "refresh"
        if tag == "meta" and refresh and is_unsafe_url(attributes.get("content", "").lower().partition("url=")[2]):
            self.risks.append(f"refresh to {attributes['content']!r}")
        self._json_ld_open = tag == "script" and attributes.get("type") == "application/ld+json"
        if self._json_ld_open:
            self.json_ld.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._json_ld_open = False

    def handle_data(self, data: str) -> None:
        if self._json_ld_open:
            self.json_ld[-1] += data


def fragment_problems(html: str) -> list[str]:
    """What is wrong with sanitized HTML: anything risky, and anything outside the allow-list."""
    inventory = Inventory(html)
    problems = list(inventory.risks)
    for tag, attributes in inventory.elements:
        if tag not in ALLOWED_TAGS:
            problems.append(f"<{tag}> is not an allowed tag")
        for name, value in attributes.items():
            allowed = name in ALLOWED_ATTRIBUTES.get(tag, set()) or (tag == "a" and name == "rel")
            if name == "class":
                allowed = set(value.split()) <= ALLOWED_CLASSES.get(tag, set())
            if not allowed:
                problems.append(f"{name}={value!r} is not allowed on <{tag}>")
    return problems


def page_risks(content: bytes) -> Counter:
    """The risky constructs of a whole page (its own scripts included), checking its JSON-LD parses:
    text that broke out of a JSON-LD block would leave it invalid."""
    inventory = Inventory(content.decode())
    for block in inventory.json_ld:
        json.loads(block)
    return Counter(inventory.risks)


def assert_fragment_is_inert(text: str, html: str) -> None:
    assert fragment_problems(html) == [], f"input {text!r} gave {html!r}"


def assert_page_is_inert(text: str, content: bytes, expected: Counter) -> None:
    risks = page_risks(content)
    assert risks == expected, f"input {text!r} changed what may run on the page: {risks - expected or expected - risks}"


def check_page_path(show, marker: bytes, text: st.SearchStrategy[str] = STORED_TEXT):
    """Run `show(text) -> page` with harmless text (what the page legitimately holds), then with
    every known vector and with hypothesis's `text`; `marker` proves the text reached the page."""
    baseline = show(HARMLESS)
    assert marker in baseline
    expected = page_risks(baseline)

    failures = {}
    for vector in XSS_VECTORS:
        content = show(vector)
        assert marker in content, vector
        if page_risks(content) != expected:
            failures[vector] = page_risks(content) - expected or expected - page_risks(content)
    assert failures == {}

    @PAGE_EXAMPLES
    @given(text=text)
    def with_any_text(text):
        content = show(text)
        assert marker in content
        assert_page_is_inert(text, content, expected)

    with_any_text()


def fetch(client: Client, url: str, data=None) -> bytes:
    caches["default"].clear()  # the page as rendered now, never a copy from the page cache
    response = client.get(url, data)
    assert response.status_code == 200
    return response.content


# Editors' Markdown ------------------------------------------------------------------------------


@pytest.mark.db_independent
@FUNCTION_EXAMPLES
@given(text=untrusted_text(st.characters(exclude_categories=["Cs"]), max_size=40))
def test_rendered_markdown_holds_only_allowed_inert_html_for_any_text(text):
    assert_fragment_is_inert(text, render_markdown(text))


@pytest.mark.db_independent
@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_rendered_markdown_neutralises_known_vector(vector):
    assert_fragment_is_inert(vector, render_markdown(vector))
    assert_fragment_is_inert(vector, render_markdown(f"## Causes\n\nSome text {vector} more text.\n\n- {vector}\n"))


def test_markdown_preview_neutralises_every_known_vector(writer):
    client = client_for(writer)
    for vector in XSS_VECTORS:
        response = client.post(reverse("markdown_preview"), {"content": vector})
        assert response.status_code == 200
        assert_fragment_is_inert(vector, response.content.decode())


@pytest.mark.db_independent
def test_the_checks_would_see_an_attack_that_got_through():
    """The inspection itself: each kind of danger is found in HTML that lets it through."""
    assert fragment_problems('<p>ok <a href="https://example.org" rel="noopener noreferrer">x</a></p>') == []
    for html in [
        "<script>alert(1)</script>", '<img src="x" onerror="alert(1)">', '<p style="color: red">x</p>',
        '<a href=" jav&#x09;ascript:alert(1)">x</a>', '<a href="DATA:text/html,x">x</a>', "<iframe></iframe>",
        '<a href="\x01vbscript:x">x</a>', '<div class="evil">x</div>', '<meta http-equiv=refresh content="0; URL= data:x">',
    ]:  # fmt: skip
        assert fragment_problems(html), html
    baseline = b'<script type="application/ld+json">{"a": "b"}</script><p>x</p>'
    assert page_risks(baseline) == Counter(["<script type>"])
    assert page_risks(b'<script type="application/ld+json">{"a": "b"}</script><script>x</script>') != Counter(
        ["<script type>"]
    )
    with pytest.raises(json.JSONDecodeError):
        page_risks(b'<script type="application/ld+json">{"a": "</script><p>"}</script>')


# Public article page: body, FAQs, alternative names ---------------------------------------------


@pytest.fixture
def hostile_article(leg_cramps):
    """A published article whose texts the tests replace; Leg cramps is there as a link target."""
    return make_article(kind=Kind.CONDITION, title="Hostile text", slug="hostile-text", body=HARMLESS)


def test_article_body_title_and_summary_from_any_text_show_inert(client, hostile_article):
    def show(text: str) -> bytes:
        hostile_article.title = f"Hostile {text}"[:200]
        hostile_article.summary = text[:600]
        hostile_article.body = f"## Section\n\nMarkerword.\n\n{text}\n\n{text}"
        hostile_article.save()
        return fetch(client, hostile_article.get_absolute_url())

    check_page_path(show, marker=b"Markerword.")


def test_faq_question_and_answer_from_any_text_show_inert(client, hostile_article):
    def show(text: str) -> bytes:
        FAQ.objects.filter(article=hostile_article).delete()
        FAQ.objects.create(article=hostile_article, position=1, question=f"Marker {text}"[:300], answer=text)
        FAQ.objects.create(article=hostile_article, position=2, question="Second?", answer=f"Markeranswer {text}")
        return fetch(client, hostile_article.get_absolute_url())

    check_page_path(show, marker=b"<dd><p>Markeranswer")


def test_alternative_names_from_any_text_show_inert_on_the_article_page(client, hostile_article):
    def show(text: str) -> bytes:
        AlternativeName.objects.filter(article=hostile_article).delete()
        AlternativeName.objects.create(article=hostile_article, name=f"Markername {text}"[:200])
        if text.strip():
            AlternativeName.objects.create(article=hostile_article, name=text[:200])
        return fetch(client, hostile_article.get_absolute_url())

    check_page_path(show, marker=b"Markername")


# Search: snippets, alternative names, the query shown back --------------------------------------


def test_search_snippets_from_any_article_text_show_inert(client, hostile_article):
    def show(text: str) -> bytes:
        hostile_article.summary = f"Quokka {text}"[:600]
        hostile_article.body = f"Quokka {text}\n\n{text} quokka"
        hostile_article.save()
        return fetch(client, "/search/", {"q": "quokka"})

    check_page_path(show, marker=b'class="search-results__snippet"')


def test_alternative_names_from_any_text_show_inert_in_search_results(client, hostile_article):
    def show(text: str) -> bytes:
        AlternativeName.objects.filter(article=hostile_article).delete()
        AlternativeName.objects.create(article=hostile_article, name=f"Wombat {text}"[:200])
        return fetch(client, "/search/", {"q": "wombat"})

    check_page_path(show, marker=b'class="search-results__also">Also called Wombat')


def test_any_query_is_shown_back_inert_on_the_search_page(client, hostile_article):
    def show(text: str) -> bytes:
        return fetch(client, "/search/", {"q": f"cramps {text}"})

    # A query string can carry what no database field stores: NUL included.
    any_query = untrusted_text(st.characters(exclude_categories=["Cs"]))
    check_page_path(show, marker=b"Search results for \xe2\x80\x9ccramps", text=any_query)


# Readers' feedback as editors see it ----------------------------------------------------------


@pytest.fixture
def feedback_item(leg_cramps):
    return Feedback.objects.create(article=leg_cramps, category="correction", message=HARMLESS)


def store_feedback(feedback: Feedback, text: str) -> None:
    feedback.message = f"Markermessage {text}"
    feedback.name = text[:100]
    feedback.save()


def test_feedback_from_any_text_shows_inert_in_the_admin_list(triager, feedback_item):
    client = client_for(triager)

    def show(text: str) -> bytes:
        store_feedback(feedback_item, text)
        return fetch(client, reverse("admin:editorial_feedback_changelist"))

    check_page_path(show, marker=b"Markermessage")


def test_feedback_from_any_text_shows_inert_on_its_admin_page(triager, feedback_item):
    client = client_for(triager)

    def show(text: str) -> bytes:
        store_feedback(feedback_item, text)
        return fetch(client, reverse("admin:editorial_feedback_change", args=[feedback_item.pk]))

    check_page_path(show, marker=b"Markermessage")
