"""Feedback in a real browser: the one-click answer with and without JavaScript, focus on
failure, and axe-core on the forms in their error state."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from editorial.models import Feedback, Vote
from encyclopedia.models import Kind, SitePage

from ..conftest import make_article
from .axe import assert_no_violations


@pytest.fixture
def cramps(transactional_db, settings):
    settings.FEEDBACK_MIN_FILL_SECONDS = 0  # a test types faster than a person
    return make_article(
        kind=Kind.SYMPTOM, title="Leg cramps", slug="leg-cramps", summary="Sudden, painful tightening of a leg muscle.",
        body="## Causes\n\nOften dehydration.\n\n## When to seek medical attention\n\nIf they keep coming back.\n",
    )  # fmt: skip


def test_with_javascript_a_vote_is_answered_in_place_and_announced(page: Page, live_server, cramps):
    page.goto(f"{live_server.url}/symptoms/leg-cramps/")
    box = page.get_by_role("region", name="Is this page useful?")
    follow_up = box.get_by_label("What could be better? (optional)")
    expect(follow_up).to_be_hidden()

    box.get_by_role("button", name="No", exact=True).click()

    expect(box.get_by_role("status")).to_have_text(
        "Thank you, your answer has been counted. If you like, tell us what could be better."
    )
    expect(page).to_have_url(f"{live_server.url}/symptoms/leg-cramps/")  # no reload
    expect(box.get_by_role("button", name="No", exact=True)).to_be_hidden()
    expect(follow_up).to_be_focused()
    vote = Vote.objects.get()
    assert (vote.article, vote.helpful) == (cramps, "no")
    assert not Feedback.objects.exists()

    follow_up.fill("Please say more about night cramps.")
    box.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your feedback")
    page.get_by_role("link", name="Back to “Leg cramps”").click()
    expect(page).to_have_url(f"{live_server.url}/symptoms/leg-cramps/")
    feedback = Feedback.objects.get()
    assert (feedback.vote, feedback.article, feedback.helpful, feedback.message) == (
        vote, cramps, "no", "Please say more about night cramps."
    )  # fmt: skip


def test_without_javascript_a_vote_is_a_plain_post_then_the_optional_message(browser: Browser, live_server, cramps):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/symptoms/leg-cramps/")
    expect(page.get_by_label("What could be better? (optional)")).to_be_hidden()

    page.get_by_role("button", name="Yes", exact=True).click()

    expect(page).to_have_url(re.compile(r"/feedback/\?vote="))
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your answer")
    assert Vote.objects.get().helpful == "yes"
    page.get_by_label("What could be better? (optional)").fill("A diagram of the calf would help.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your feedback")
    feedback = Feedback.objects.get()
    assert (feedback.helpful, feedback.article, feedback.message) == (
        "yes",
        cramps,
        "A diagram of the calf would help.",
    )
    context.close()


def test_general_form_in_its_error_state_focuses_the_summary_and_has_no_axe_violations(page: Page, live_server, cramps):
    page.goto(f"{live_server.url}/feedback/?article={cramps.uuid}")
    page.get_by_label("Your email (optional)").fill("not an email")
    page.get_by_role("button", name="Send feedback").click()

    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Choose what your feedback is about.")
    expect(summary).to_contain_text("Write your message.")
    expect(summary).to_contain_text("Enter a valid email address.")
    summary.get_by_role("link", name="Choose what your feedback is about.").click()
    expect(page.get_by_label("Correction")).to_be_focused()
    summary.get_by_role("link", name="Enter a valid email address.").click()
    expect(page.get_by_label("Your email (optional)")).to_be_focused()
    expect(page.get_by_label("Your email (optional)")).to_have_accessible_description(
        re.compile("Only if you would like a reply.*Enter a valid email address", re.S)
    )
    assert_no_violations(page)


def test_follow_up_form_in_its_error_state_has_no_axe_violations(browser: Browser, live_server, cramps):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/symptoms/leg-cramps/")
    page.get_by_role("button", name="No", exact=True).click()
    page.get_by_role("button", name="Send").click()  # nothing written
    expect(page.get_by_role("alert")).to_contain_text("Write what could be better")
    context.close()
    # The same page with JavaScript, as a reader would see it.
    page = browser.new_page()
    page.goto(f"{live_server.url}/symptoms/leg-cramps/")
    page.get_by_role("button", name="No", exact=True).click()
    page.get_by_role("button", name="Send").click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    assert_no_violations(page)
    page.close()


def test_article_feedback_box_has_no_axe_violations_before_and_after_a_vote(page: Page, live_server, cramps):
    page.goto(f"{live_server.url}/symptoms/leg-cramps/")
    assert_no_violations(page, ".feedback-box")
    page.get_by_role("button", name="Yes", exact=True).click()
    expect(page.locator("[data-vote-status]")).to_contain_text("Thank you")
    assert_no_violations(page, ".feedback-box")


def test_too_large_and_privacy_pages_have_no_axe_violations(page: Page, live_server, cramps, settings):
    settings.FEEDBACK_MAX_REQUEST_BYTES = 1000
    # A transactional test before this one may have emptied the pages the migrations create.
    SitePage.objects.get_or_create(slug="privacy", defaults={"title": "Privacy notice", "body": "## What we collect"})
    page.goto(f"{live_server.url}/privacy/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy notice")
    assert_no_violations(page)
    refused = page.request.post(
        f"{live_server.url}/feedback/", form={"message": "x" * 2000}, headers={"Origin": live_server.url}
    )
    assert refused.status == 413
    page.set_content(refused.text())  # shown at the current address, so its stylesheet loads
    expect(page.get_by_role("heading", level=1)).to_have_text("Your message was too large to receive")
    assert_no_violations(page)


def test_the_axe_check_does_report_a_violation(page: Page, live_server, cramps):
    page.goto(f"{live_server.url}/privacy/")
    page.set_content('<html lang="en"><title>t</title><main><img src="x.png"><h1>Page</h1></main></html>')
    with pytest.raises(AssertionError, match="image-alt"):
        assert_no_violations(page)
