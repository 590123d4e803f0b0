import pytest

from encyclopedia.markdown import render, render_filled, render_markdown

pytestmark = pytest.mark.db_independent

HOSTILE = """## Causes

<script>alert("script")</script>
<img src="x" onerror="alert('img')">
<a href="/somewhere" onclick="alert('click')">a link</a>
[a javascript link](javascript:alert('js'))
<iframe src="https://example.org"></iframe>
<p style="color: red">styled</p>
"""


def test_script_tags_are_removed_with_their_content():
    html = render_markdown(HOSTILE)
    assert "<script" not in html
    assert 'alert("script")' not in html


def test_event_handlers_styles_and_iframes_are_removed():
    html = render_markdown(HOSTILE)
    assert "onerror" not in html
    assert "onclick" not in html
    assert "style=" not in html
    assert "<iframe" not in html
    assert "<img" not in html


def test_javascript_links_lose_their_target_but_keep_their_text():
    html = render_markdown(HOSTILE)
    assert "javascript:" not in html
    assert "a javascript link" in html


def test_ordinary_markdown_survives():
    html = render_markdown("Some **bold**, a [link](https://example.org) and\n\n- a list\n")
    assert "<strong>bold</strong>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer">link</a>' in html
    assert "<li>a list</li>" in html


def test_top_level_headings_render_as_h2_so_the_page_keeps_one_h1():
    html = render_markdown("# Overview\n\ntext\n\n## Causes\n")
    assert "<h1" not in html
    assert '<h2 id="overview">Overview</h2>' in html
    assert '<h2 id="causes">Causes</h2>' in html


def test_sections_are_the_h2_headings_in_order_with_their_ids():
    rendered = render("## Causes & risks\n\n### Detail\n\n## When to seek medical attention\n")
    assert [(section.id, section.title) for section in rendered.sections] == [
        ("causes-risks", "Causes & risks"),
        ("when-to-seek-medical-attention", "When to seek medical attention"),
    ]


def test_sections_cut_the_html_and_the_markdown_at_the_same_headings():
    text = (
        "Before any heading.\n\n## Causes\n\nA [[symptoms/cough|cough]].\n\n### Detail\n\nMore.\n\n#Treatment\n\nRest."
    )
    rendered = render(text)
    assert [(s.id, s.title, s.markdown) for s in rendered.sections] == [
        (None, None, "Before any heading."),
        ("causes", "Causes", "## Causes\n\nA [[symptoms/cough|cough]].\n\n### Detail\n\nMore."),
        ("treatment", "Treatment", "#Treatment\n\nRest."),
    ]
    assert "\n".join(section.html for section in rendered.sections) == rendered.html
    assert rendered.sections[1].html.startswith('<h2 id="causes">Causes</h2>')
    assert '<h3 id="detail">' in rendered.sections[1].html and "Rest." not in rendered.sections[1].html


def test_a_heading_the_markdown_cannot_be_cut_at_leaves_only_the_markdown_out():
    rendered = render("## Causes\n\nText.\n\nTreatment\n---------\n\nRest.")
    assert [(s.id, s.markdown) for s in rendered.sections] == [("causes", None), ("treatment", None)]
    assert "Rest." in rendered.sections[1].html


def test_filled_templates_render_as_the_filled_text_would():
    template = "## Causes\n\n- **{Cause}:** affects the {part}.\n\n## When to seek medical attention\n\nIf {urgent}."
    words = {"Cause": "Cold weather", "part": "knee", "urgent": "it's swollen, hot and red"}
    filled = render_filled(template, words)
    expected = render(template.format(**words))
    assert (filled.html, filled.outline, filled.markdown) == (expected.html, expected.outline, expected.markdown)


def test_filled_templates_refuse_words_with_markdown_in_them():
    with pytest.raises(ValueError, match="plain words"):
        render_filled("{a}", {"a": "*bold*"})
