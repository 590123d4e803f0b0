import pytest

from encyclopedia.markdown import render, render_markdown

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
    assert rendered.sections == [
        {"id": "causes-risks", "title": "Causes & risks"},
        {"id": "when-to-seek-medical-attention", "title": "When to seek medical attention"},
    ]
