"""The reading check in a real browser: the reading age moves as the editor types, and the panel passes axe."""

from playwright.sync_api import Page, expect

from encyclopedia.models import Status

from ..conftest import PASSWORD, make_article
from .axe import assert_no_violations


def test_the_reading_age_moves_as_the_editor_types(page: Page, live_server, writer):
    article = make_article(status=Status.DRAFT, summary="It hurts.", body="Drink water. Rest your leg. Stretch it.")
    page.goto(f"{live_server.url}/admin/login/?next=/admin/encyclopedia/article/{article.pk}/change/")
    page.get_by_label("Username").fill(writer.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    panel = page.locator(".reading-check")
    age = panel.locator('[data-reading="age"]')
    expect(age).to_have_text("8.1")  # 4 sentences, no long word: SMOG 3.1
    expect(panel.get_by_role("status")).to_have_text("Reading age 8.1. Within the target of 11.")

    page.locator("#id_body").fill(
        "Examine the abdomen. Take the medication. Examine it again, considering every possibility."
    )
    expect(age).not_to_have_text("8.1")
    expect(panel.locator('[data-reading="verdict"]')).to_contain_text("Over the target of 11")
    expect(panel.get_by_role("status")).to_contain_text("Over the target of 11")
    expect(panel.locator('[data-reading="plain"]')).to_contain_text("“abdomen”: try “tummy, belly”.")
    # The panel; the admin's own inline tables have findings of their own, older than it.
    assert_no_violations(page, ".field-reading_panel")
