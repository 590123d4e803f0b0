"""What only a browser can tell: reflow on small screens and at 200 % zoom, keyboard use,
visible focus, no layout shift, dark mode."""

import pytest
from playwright.sync_api import Page, expect

from encyclopedia.models import Kind

from ..conftest import make_article

LONG_BODY = (
    "## Causes\n\n"
    + "Pneumonoultramicroscopicsilicovolcanoconiosis " * 3
    + "and a long https://example.org/a/very/long/address/that/does/not/break/easily.\n\n| Column one | Column two | Column three |\n|---|---|---|\n| a | b | c |\n"
)


@pytest.fixture
def article(transactional_db):
    article = make_article(
        kind=Kind.SYMPTOM, title="Leg cramps", slug="leg-cramps", body=LONG_BODY,
        alternative_names=("Charley horse",), faqs=(("How long do they last?", "A few minutes."),),
    )  # fmt: skip
    article.related.add(make_article(kind=Kind.CONDITION, title="Dehydration", slug="dehydration"))
    return article


PAGES = ["/", "/symptoms/", "/symptoms/leg-cramps/", "/search/?q=cramps", "/feedback/", "/about/"]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize(("width", "zoom"), [(320, 1), (1280, 2)], ids=["320px", "zoom-200"])
def test_pages_reflow_without_horizontal_scrolling(page: Page, live_server, article, path, width, zoom):
    # 200 % zoom on a 1280 px window lays the page out in 640 CSS pixels.
    page.set_viewport_size({"width": width // zoom, "height": 800})
    page.goto(live_server.url + path)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width // zoom}px"


def test_keyboard_user_skips_to_the_content_and_sees_where_focus_is(page: Page, live_server, article):
    page.goto(f"{live_server.url}/symptoms/leg-cramps/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('main') !== null")
    assert focused, "after the skip link, Tab moves into the main content"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_every_control_is_reachable_by_keyboard(page: Page, live_server, article):
    page.goto(f"{live_server.url}/symptoms/leg-cramps/")
    reached = set()
    for _ in range(120):
        page.keyboard.press("Tab")
        reached.add(
            page.evaluate(
                "document.activeElement.id || document.activeElement.getAttribute('href') || document.activeElement.name"
            )
        )
    for expected in ["/conditions/dehydration/", "#causes", "helpful", "/feedback/"]:
        assert expected in reached, f"{expected} never got focus"


def test_article_page_does_not_shift_while_loading(page: Page, live_server, article):
    page.add_init_script(
        "window.__shift = 0; new PerformanceObserver(list => { for (const entry of list.getEntries())"
        " { if (!entry.hadRecentInput) window.__shift += entry.value; } }).observe({type: 'layout-shift', buffered: true});"
    )
    page.goto(f"{live_server.url}/symptoms/leg-cramps/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__shift") == 0


def test_dark_colour_scheme_changes_the_colours(page: Page, live_server, article):
    page.goto(f"{live_server.url}/symptoms/leg-cramps/")
    light = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.emulate_media(color_scheme="dark")
    dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert light == "rgb(255, 255, 255)" and dark != light
