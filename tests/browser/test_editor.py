"""An editor in a real browser: the markdownx live preview, for the body and for a newly added FAQ."""

import pytest
from playwright.sync_api import Page, expect

from encyclopedia.models import Article, Status

from ..conftest import PASSWORD, make_article


@pytest.fixture
def logged_in_page(page: Page, live_server, writer) -> Page:
    """Bob, who has the Editor role, signed in through the admin's form."""
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill(writer.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="Log out").or_(page.get_by_role("button", name="Log out"))).to_be_visible()
    return page


def test_editor_sees_a_sanitized_live_preview_and_saves_with_a_new_faq(logged_in_page: Page, live_server):
    page = logged_in_page
    page.goto(f"{live_server.url}/admin/encyclopedia/article/add/")
    page.get_by_label("Kind").select_option("symptom")
    page.get_by_label("Title").fill("Hiccups")
    page.get_by_label("Summary").fill("Repeated spasms of the diaphragm.")
    body = page.locator("#id_body")
    body.fill("# Causes\n\nEating **quickly**. <img src=x onerror=alert(1)>")
    body.press("Enter")  # markdownx previews on input
    preview = page.locator("#id_body ~ .markdownx-preview")
    expect(preview.locator("h2")).to_have_text("Causes")
    expect(preview.locator("strong")).to_have_text("quickly")
    expect(preview.locator("img")).to_have_count(0)

    page.get_by_role("button", name="Add another FAQ").click()
    page.locator("#id_faqs-1-question").fill("Are hiccups dangerous?")
    answer = page.locator("#id_faqs-1-answer")
    answer.fill("Rarely. **See a doctor** after two days.")
    answer.press("Enter")
    expect(page.locator("#id_faqs-1-answer ~ .markdownx-preview strong")).to_have_text("See a doctor")

    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    article = Article.objects.get(slug="hiccups")
    assert [faq.question for faq in article.faqs.all()] == ["Are hiccups dangerous?"]


def test_editor_previews_unsaved_changes_from_the_change_form(logged_in_page: Page, live_server):
    page = logged_in_page
    article = make_article(status=Status.DRAFT, title="Leg cramps", slug="leg-cramps")
    page.goto(f"{live_server.url}/admin/encyclopedia/article/{article.pk}/change/")
    page.get_by_label("Title").fill("Leg cramps at night")
    page.locator("#id_body").fill("## Causes\n\nA **new** paragraph, not saved yet.")

    with page.expect_popup() as popup_info:
        page.get_by_role("button", name="Preview unsaved changes").click()
    preview = popup_info.value
    expect(preview.get_by_role("heading", level=1)).to_have_text("Leg cramps at night")
    expect(preview.locator(".article__body strong")).to_have_text("new")
    expect(preview.locator(".preview-banner")).to_contain_text("Preview")

    expect(page.get_by_label("Title")).to_have_value("Leg cramps at night")  # still being edited
    article.refresh_from_db()
    assert article.title == "Leg cramps"
