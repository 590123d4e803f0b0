"""The article form as a person sees it: nothing off-screen at a laptop's width or on a phone,
the workflow buttons beside Save, and new inline rows numbered last."""

import datetime

import pytest
from playwright.sync_api import Page, expect

from encyclopedia.models import Source, Status

from ..conftest import make_article

PASSWORD = "a-long-enough-password"


@pytest.fixture
def reviewer_page(page: Page, live_server, reviewer) -> Page:
    reviewer.set_password(PASSWORD)
    reviewer.save()
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill(reviewer.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out").or_(page.get_by_role("link", name="Log out"))).to_be_visible()
    return page


@pytest.fixture
def article():
    article = make_article(
        status=Status.IN_REVIEW, title="Asthma", slug="asthma",
        faqs=(("Can asthma be cured?", "No, but it can be **well controlled** with the right treatment."),),
    )  # fmt: skip
    Source.objects.create(
        article=article, position=1, title="Asthma: diagnosis, monitoring and chronic asthma management",
        publisher="National Institute for Health and Care Excellence",
        url="https://www.nice.org.uk/guidance/ng245/chapter/Recommendations", accessed_on=datetime.date(2025, 6, 1),
    )  # fmt: skip
    return article


def change_page(page: Page, live_server, article, width: int, height: int) -> Page:
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live_server.url}/admin/encyclopedia/article/{article.pk}/change/")
    return page


def right_edge(locator) -> float:
    box = locator.bounding_box()
    assert box is not None, f"{locator} is not displayed"
    return box["x"] + box["width"]


def test_sources_inline_fits_its_column_at_laptop_width(reviewer_page: Page, live_server, article):
    page = change_page(reviewer_page, live_server, article, 1366, 900)
    group = page.locator("#sources-group")
    delete = group.locator("td.delete").first
    group.scroll_into_view_if_needed()  # as a person scrolls down to it: the page, not the table
    assert right_edge(delete) <= 1366
    assert right_edge(delete) <= right_edge(group.locator("fieldset"))
    for column in ("field-url", "field-accessed_on"):
        assert right_edge(group.locator(f"td.{column}").first) <= 1366


def test_live_preview_and_faq_answer_fit_a_phone(reviewer_page: Page, live_server, article):
    page = change_page(reviewer_page, live_server, article, 390, 844)
    body = page.locator("#id_body")
    body.fill("## Causes\n\nA **long** line of text that must wrap within the phone's width, not run off it.")
    body.press("Enter")
    preview = page.locator("#id_body ~ .markdownx-preview")
    expect(preview.locator("strong")).to_have_text("long")
    answer = page.locator("#id_faqs-0-answer")
    answer.scroll_into_view_if_needed()
    for shown in (preview, answer, page.locator("#id_faqs-0-answer ~ .markdownx-preview")):
        assert right_edge(shown) <= 390
        # Nor cut off by the form row around it (Django's rows hide what overflows them).
        assert right_edge(shown) <= right_edge(shown.locator("xpath=ancestor::div[contains(@class, 'form-row')][1]"))


def test_workflow_buttons_share_the_row_with_save(reviewer_page: Page, live_server, article):
    page = change_page(reviewer_page, live_server, article, 1366, 900)
    row = page.locator(".submit-row").last
    save = row.get_by_role("button", name="Save", exact=True)
    approve = row.get_by_role("button", name="Save, approve and publish")
    request_changes = row.get_by_role("button", name="Request changes")
    row.scroll_into_view_if_needed()
    top = save.bounding_box()["y"]
    for button in (approve, request_changes):
        box = button.bounding_box()
        assert abs(box["y"] - top) <= 3, button
        assert abs(box["height"] - save.bounding_box()["height"]) <= 1, button
    # The reviewer's main step stands out like Save; keyboard order follows what is seen.
    assert approve.evaluate("b => getComputedStyle(b).backgroundColor") == save.evaluate(
        "b => getComputedStyle(b).backgroundColor"
    )
    save.focus()
    page.keyboard.press("Tab")
    expect(approve).to_be_focused()


def test_rows_added_with_add_another_are_numbered_last(reviewer_page: Page, live_server, article):
    page = change_page(reviewer_page, live_server, article, 1366, 900)
    # The saved FAQ and source are at 1; the empty rows the server sent, at 2.
    expect(page.locator("#id_faqs-1-position")).to_have_value("2")
    page.get_by_role("button", name="Add another FAQ").click()
    expect(page.locator("#id_faqs-2-position")).to_have_value("3")
    page.get_by_role("button", name="Add another Source").click()
    page.get_by_role("button", name="Add another Source").click()
    expect(page.locator("#id_sources-2-position")).to_have_value("3")
    expect(page.locator("#id_sources-3-position")).to_have_value("4")
