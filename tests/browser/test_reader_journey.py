"""A reader in a real browser: reads an article, follows a related link, sends feedback."""

import re

import pytest
from playwright.sync_api import Page, expect

from editorial.models import Feedback
from encyclopedia.models import Kind, SiteSettings

from ..conftest import make_article


@pytest.fixture
def articles(transactional_db):
    cramps = make_article(
        kind=Kind.SYMPTOM, title="Leg cramps", slug="leg-cramps",
        summary="Sudden, painful tightening of a leg muscle.",
        body="## Causes\n\nOften dehydration.\n\n## When to seek medical attention\n\nIf they keep coming back.\n",
        alternative_names=("Charley horse",),
        faqs=(("How long do they last?", "A few minutes."),),
    )  # fmt: skip
    dehydration = make_article(
        kind=Kind.CONDITION,
        title="Dehydration",
        slug="dehydration",
        summary="When the body loses more fluid than it takes in.",
    )
    cramps.related.add(dehydration)
    return cramps, dehydration


def test_reader_reads_follows_a_related_link_and_sends_feedback(page: Page, live_server, articles, settings):
    settings.FEEDBACK_MIN_FILL_SECONDS = 0  # a test types faster than a person
    page.goto(f"{live_server.url}/symptoms/leg-cramps/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Leg cramps")
    expect(page).to_have_title(re.compile("^Leg cramps"))

    page.get_by_role("link", name="When to seek medical attention").click()
    expect(page).to_have_url(re.compile("#when-to-seek-medical-attention$"))

    page.get_by_role("region", name="Related articles").get_by_role("link", name="Dehydration").click()
    expect(page).to_have_url(f"{live_server.url}/conditions/dehydration/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dehydration")

    page.get_by_role("region", name="Related articles").get_by_role("link", name="Leg cramps").click()
    page.get_by_role("button", name="No", exact=True).click()
    page.get_by_label("What could be better? (optional)").fill("Please say more about night cramps.")
    page.get_by_role("button", name="Send", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your feedback")
    page.get_by_role("link", name="Back to “Leg cramps”").click()
    expect(page).to_have_url(f"{live_server.url}/symptoms/leg-cramps/")

    feedback = Feedback.objects.get()
    assert (feedback.article.slug, feedback.helpful, feedback.message) == (
        "leg-cramps", "no", "Please say more about night cramps."
    )  # fmt: skip


def test_invalid_feedback_in_the_browser_keeps_what_was_typed(page: Page, live_server, articles):
    page.goto(f"{live_server.url}/symptoms/leg-cramps/")
    page.get_by_role("link", name="Report a mistake or send other feedback").click()
    page.get_by_label("Correction").check()
    page.get_by_label("Your message").fill("The second paragraph is unclear.")
    page.get_by_label("Your email (optional)").fill("not an email")
    page.get_by_role("button", name="Send feedback").click()

    expect(page).to_have_url(f"{live_server.url}/feedback/")
    expect(page.get_by_role("alert")).to_contain_text("Enter a valid email address.")
    expect(page.get_by_label("Your message")).to_have_value("The second paragraph is unclear.")
    page.get_by_role("alert").get_by_role("link", name="Enter a valid email address.").click()
    expect(page.get_by_label("Your email (optional)")).to_be_focused()
    assert not Feedback.objects.exists()


def test_printed_article_keeps_content_and_disclaimer_but_drops_forms_and_promotion(page: Page, live_server, articles):
    settings = SiteSettings.load()
    settings.promotion_title = "Take the encyclopedia with you"
    settings.save()
    page.goto(f"{live_server.url}/symptoms/leg-cramps/")
    expect(page.get_by_role("complementary", name="Take the encyclopedia with you")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Causes")).to_be_visible()
    expect(page.get_by_text("Last updated on")).to_be_visible()
    expect(page.get_by_role("heading", name="Medical disclaimer")).to_be_visible()
    expect(page.locator(".promotion")).to_be_hidden()
    expect(page.locator(".feedback-box")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
