"""Editors never lose typing: the article form is kept in the browser and offered back, and leaving asks first."""

import pytest
from playwright.sync_api import Page, expect

from encyclopedia.models import Article, Status

from ..conftest import make_article
from .axe import assert_no_violations
from .test_editor import logged_in_page  # noqa: F401  (the signed-in superuser)

SAVED_BODY = "## Causes\n\nThe saved text."
KEPT = "() => Object.keys(localStorage).some((key) => key.startsWith('article-form-keeper:') && localStorage[key].includes(%r))"


@pytest.fixture
def article(transactional_db) -> Article:
    return make_article(status=Status.DRAFT, title="Hiccups", slug="hiccups", body=SAVED_BODY)


def change_url(live_server, article: Article) -> str:
    return f"{live_server.url}/admin/encyclopedia/article/{article.pk}/change/"


def prompt(page: Page):
    return page.get_by_role("alert").filter(has=page.get_by_role("heading", name="You have unsaved changes"))


def type_unsaved_changes_and_close(page: Page, url: str, *, faq: bool = False) -> Page:
    """Type in the form, pause until the browser has kept it, close the tab; return a new tab."""
    page.goto(url)
    body = page.locator("#id_body")
    body.fill("## Causes\n\nEating **too quickly**, not saved yet.")
    if faq:
        page.get_by_role("button", name="Add another FAQ").click()
        page.locator("#id_faqs-1-question").fill("Are hiccups dangerous?")
        page.locator("#id_faqs-1-answer").fill("Rarely. **See a doctor** after two days.")
    page.wait_for_function(KEPT % ("See a doctor" if faq else "too quickly"))
    context = page.context
    page.close()
    return context.new_page()


def test_unsaved_changes_with_a_new_faq_are_restored_and_saved(logged_in_page: Page, live_server, article):  # noqa: F811
    url = change_url(live_server, article)
    page = type_unsaved_changes_and_close(logged_in_page, url, faq=True)

    page.goto(url)
    expect(page.locator("#id_body")).to_have_value(SAVED_BODY)
    expect(prompt(page)).to_be_visible()
    expect(prompt(page).locator("time")).not_to_be_empty()
    page.get_by_role("button", name="Restore my unsaved changes").click()

    expect(prompt(page)).to_have_count(0)
    expect(page.get_by_role("status").filter(has_text="back in the form")).to_be_visible()
    expect(page.locator("#id_body")).to_have_value("## Causes\n\nEating **too quickly**, not saved yet.")
    expect(page.locator("#id_body ~ .markdownx-preview strong")).to_have_text("too quickly")
    expect(page.locator("#id_faqs-1-question")).to_have_value("Are hiccups dangerous?")
    expect(page.locator("#id_faqs-1-answer")).to_have_value("Rarely. **See a doctor** after two days.")
    expect(page.locator("#id_faqs-1-answer ~ .markdownx-preview strong")).to_have_text("See a doctor")

    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    article.refresh_from_db()
    assert article.body == "## Causes\n\nEating **too quickly**, not saved yet."
    assert [(faq.question, faq.answer) for faq in article.faqs.all()] == [
        ("Are hiccups dangerous?", "Rarely. **See a doctor** after two days.")
    ]

    page.goto(url)
    expect(page.locator("#id_body")).to_have_value(article.body)
    expect(page.locator(".form-keeper")).to_have_count(0)
    assert page.evaluate("Object.keys(localStorage).filter((key) => key.startsWith('article-form-keeper:'))") == []


def test_discarding_keeps_the_saved_text_and_the_prompt_does_not_come_back(
    logged_in_page: Page,  # noqa: F811
    live_server,
    article,
):
    url = change_url(live_server, article)
    page = type_unsaved_changes_and_close(logged_in_page, url)

    page.goto(url)
    page.get_by_role("button", name="Discard them").click()
    expect(prompt(page)).to_have_count(0)
    expect(page.locator("#id_body")).to_have_value(SAVED_BODY)

    page.reload()
    expect(page.locator("#id_body")).to_have_value(SAVED_BODY)
    expect(page.locator(".form-keeper")).to_have_count(0)
    article.refresh_from_db()
    assert article.body == SAVED_BODY


def test_leaving_a_changed_form_asks_first_and_an_unchanged_one_does_not(
    logged_in_page: Page,  # noqa: F811
    live_server,
    article,
):
    page = logged_in_page
    dialogs: list[str] = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", answer)
    url = change_url(live_server, article)

    page.goto(url)
    page.get_by_label("Title").click()  # a user gesture: Chromium asks only after one
    page.goto(f"{live_server.url}/admin/")
    assert dialogs == []

    page.goto(url)
    page.get_by_label("Title").click()
    page.keyboard.type(" at night")
    page.goto(f"{live_server.url}/admin/")
    assert dialogs == ["beforeunload"]


def test_form_with_the_prompt_has_no_axe_violations(logged_in_page: Page, live_server, article):  # noqa: F811
    url = change_url(live_server, article)
    page = type_unsaved_changes_and_close(logged_in_page, url)

    page.goto(url)
    expect(prompt(page)).to_be_visible()
    # Django's tabular inlines label their cells only with the column heading and select2's search box has
    # no label: violations of the admin itself, older than this prompt, left to their own change.
    assert_no_violations(page, {"include": [["#article_form"]], "exclude": [[".tabular"], [".select2-container"]]})


def test_a_form_shown_again_with_errors_stays_kept(logged_in_page: Page, live_server, article):  # noqa: F811
    page = logged_in_page
    url = change_url(live_server, article)
    page.goto(url)
    page.get_by_label("Title").fill("")
    page.locator("#id_body").fill("## Causes\n\nText sent with a mistake.")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".errornote")).to_be_visible()
    context = page.context
    page.close()

    page = context.new_page()
    page.goto(url)
    expect(prompt(page)).to_be_visible()
    page.get_by_role("button", name="Restore my unsaved changes").click()
    expect(page.locator("#id_body")).to_have_value("## Causes\n\nText sent with a mistake.")


def test_changes_kept_for_an_earlier_version_are_offered_and_saving_them_shows_the_conflict(
    logged_in_page: Page,  # noqa: F811
    live_server,
    article,
):
    url = change_url(live_server, article)
    page = type_unsaved_changes_and_close(logged_in_page, url)
    article.summary = "Saved by someone else in the meantime."
    article.save()

    page.goto(url)
    expect(prompt(page)).to_contain_text("earlier version")
    page.get_by_role("button", name="Restore my unsaved changes").click()
    expect(page.locator("#id_body")).to_have_value("## Causes\n\nEating **too quickly**, not saved yet.")
    page.get_by_role("button", name="Save", exact=True).first.click()

    expect(page.locator(".errornote")).to_be_visible()
    expect(page.get_by_role("region", name="Changes made since you opened this article")).to_be_visible()
    article.refresh_from_db()
    assert article.body == SAVED_BODY


def test_closing_the_tab_right_after_typing_keeps_the_text(logged_in_page: Page, live_server, article):  # noqa: F811
    page = logged_in_page
    url = change_url(live_server, article)
    page.goto(url)
    page.locator("#id_body").fill("Typed just before closing.")
    context = page.context
    page.close()  # before the next periodic keep: pagehide keeps it

    page = context.new_page()
    page.goto(url)
    expect(prompt(page)).to_be_visible()
