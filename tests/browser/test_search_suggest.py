"""Suggestions as you type, driven with the keyboard in a real browser; and search without JavaScript."""

import re

import pytest
from playwright.sync_api import Page, expect

from encyclopedia.models import Kind

from ..conftest import make_article


@pytest.fixture
def articles(transactional_db):
    make_article(kind=Kind.SYMPTOM, title="Leg cramps", slug="leg-cramps", alternative_names=("Charley horse",),
                 summary="Sudden, painful tightening of a leg muscle.")  # fmt: skip
    for number, kind in enumerate([Kind.SYMPTOM, Kind.CONDITION, Kind.PROCEDURE], start=1):
        make_article(kind=kind, title=f"Back pain {number}", slug=f"back-pain-{number}", summary="Pain in the back.")


def search_box(page: Page):
    return page.get_by_role("combobox", name="Search the encyclopedia")


def test_reader_picks_a_suggestion_with_the_keyboard(page: Page, live_server, articles):
    page.goto(f"{live_server.url}/symptoms/leg-cramps/")
    box = search_box(page)
    box.press_sequentially("charl")
    options = page.get_by_role("listbox", name="Suggestions").get_by_role("option")
    expect(options).to_have_count(1)
    expect(options.first).to_contain_text("Leg cramps (Charley horse)")
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("status").filter(has_text="1 suggestion")).to_be_attached()

    box.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", options.first.get_attribute("id"))
    expect(box).to_be_focused()
    box.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/symptoms/leg-cramps/")


def test_arrows_move_and_wrap_escape_closes_and_enter_searches(page: Page, live_server, articles):
    page.goto(f"{live_server.url}/symptoms/leg-cramps/")
    box = search_box(page)
    box.press_sequentially("back")
    options = page.get_by_role("option")
    expect(options).to_have_count(3)

    box.press("ArrowDown")
    box.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    box.press("ArrowUp")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    box.press("ArrowUp")  # wraps to the last
    expect(options.nth(2)).to_have_attribute("aria-selected", "true")
    expect(options.nth(0)).to_have_attribute("aria-selected", "false")

    box.press("Escape")
    expect(page.get_by_role("listbox", name="Suggestions")).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("back")

    box.press("Enter")  # nothing highlighted: the form searches
    expect(page).to_have_url(re.compile(r"/search/\?q=back$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Search results for “back”")
    expect(page.get_by_role("link", name="Back pain 1")).to_be_visible()


def test_clicking_a_suggestion_opens_the_article(page: Page, live_server, articles):
    page.goto(f"{live_server.url}/search/")
    box = page.get_by_role("main").get_by_role("combobox", name="Search the encyclopedia")
    box.press_sequentially("leg cr")
    page.get_by_role("option", name=re.compile("Leg cramps")).click()
    expect(page).to_have_url(f"{live_server.url}/symptoms/leg-cramps/")


def test_search_works_with_javascript_off(browser, live_server, articles):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/symptoms/leg-cramps/")
    box = page.get_by_role("searchbox", name="Search the encyclopedia")
    expect(page.get_by_role("combobox")).to_have_count(0)
    box.fill("charly hors")
    box.press("Enter")
    expect(page.get_by_text("Did you mean")).to_be_visible()
    page.get_by_role("link", name="Charley horse").click()
    expect(page.get_by_text("Also called Charley horse")).to_be_visible()
    page.get_by_role("link", name="Symptoms (1)").click()
    expect(page).to_have_url(re.compile(r"kind=symptom"))
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_suggestions_open_right_under_the_search_box(page: Page, live_server, articles, width):
    """On a wide and a narrow screen, wherever the box is: the list belongs to the box, not far below it."""
    page.set_viewport_size({"width": width, "height": 900})
    for path in ["/", "/symptoms/leg-cramps/", "/search/"]:
        page.goto(f"{live_server.url}{path}")
        box = search_box(page)
        box.press_sequentially("back")
        suggestions = page.get_by_role("listbox", name="Suggestions")
        expect(suggestions.get_by_role("option")).to_have_count(3)
        field, shown = box.bounding_box(), suggestions.bounding_box()
        where = f"on {path} at {width} px: box {field}, suggestions {shown}"
        assert abs(shown["y"] - (field["y"] + field["height"])) <= 4, f"not right under the box {where}"
        assert abs(shown["x"] - field["x"]) <= 2, f"not aligned with the box {where}"
