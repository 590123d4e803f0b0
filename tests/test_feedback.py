"""Readers' feedback: "Is this page useful?", the follow-up message, and the general form."""

import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine

from editorial.models import Feedback, Vote
from encyclopedia.models import SiteSettings, Status

from .conftest import SAME_ORIGIN, make_article
from .feedback_helpers import general, post_feedback, stamp, vote

pytestmark = pytest.mark.django_db


def vote_token_from(response) -> str:
    return parse_qs(urlsplit(response["Location"]).query)["vote"][0]


# The general form -------------------------------------------------------------------------


def test_feedback_page_shows_the_general_form_with_its_promises(client, settings):
    site = SiteSettings.load()
    site.emergency_number = "112"  # the one setting every page and form reads
    site.save()
    settings.FEEDBACK_PERSONAL_DATA_DAYS = 90
    response = client.get("/feedback/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<label for="id_message">Your message</label>' in page
    for category in ("Correction", "Suggestion", "Question", "Other"):
        assert f"{category}</label>" in page
    assert "cannot answer personal medical questions" in page
    assert "call <strong>112</strong>" in page
    assert "deleted after 90 days" in page and 'href="/privacy/"' in page
    assert "Your name (optional)" in page and "Your email (optional)" in page
    assert "Is this page useful?" not in page  # only asked about an article


def test_feedback_page_is_never_cached_and_sets_no_cookie(client):
    response = client.get("/feedback/")
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response.cookies == {}


def test_general_feedback_is_stored_with_its_category_and_contact(client):
    response = post_feedback(
        client, general("Please add gout.", category="question", name="Sam", email="sam@example.org")
    )
    assert response.status_code == 302
    assert response["Location"] == "/feedback/thanks/"
    feedback = Feedback.objects.get()
    assert (feedback.article, feedback.category, feedback.message) == (None, "question", "Please add gout.")
    assert (feedback.name, feedback.email, feedback.status) == ("Sam", "sam@example.org", Feedback.Status.NEW)


def test_feedback_linked_from_an_article_is_about_it_and_thanks_links_back(client, leg_cramps):
    page = client.get("/feedback/", {"article": str(leg_cramps.uuid)}).content.decode()
    assert 'About the article <a href="/symptoms/leg-cramps/">Leg cramps</a>' in page
    response = post_feedback(
        client, general("Wrong dose in Causes.", category="correction", article=str(leg_cramps.uuid))
    )
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert (feedback.article, feedback.category) == (leg_cramps, "correction")
    thanks = client.get(response["Location"])
    assert 'href="/symptoms/leg-cramps/"' in thanks.content.decode()


def test_invalid_feedback_keeps_the_text_and_explains_each_error(client, leg_cramps):
    message = "Dose in the second paragraph looks wrong <b>really</b>"
    data = general(message, article=str(leg_cramps.uuid), email="not-an-email")
    del data["category"]
    response = post_feedback(client, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "<title>Error: Send feedback" in page
    assert "There is a problem" in page  # the summary at the top
    assert '<a href="#id_email">Enter a valid email address.</a>' in page
    assert '<a href="#id_category_0">Choose what your feedback is about.</a>' in page
    assert 'aria-invalid="true"' in page and 'id="id_email_error"' in page
    assert 'aria-describedby="id_category_error"' in page  # on the radio group's fieldset
    assert "Dose in the second paragraph looks wrong &lt;b&gt;really&lt;/b&gt;</textarea>" in page
    assert 'value="not-an-email"' in page
    assert f'value="{leg_cramps.uuid}"' in page  # still about the same article
    assert not Feedback.objects.exists()


def test_empty_feedback_is_refused_with_a_precise_message(client):
    response = post_feedback(client, general("   "))
    assert response.status_code == 400
    assert "Write your message." in response.content.decode()
    assert not Feedback.objects.exists()


def test_feedback_about_an_unpublished_article_is_refused_clearly(client):
    draft = make_article(status=Status.DRAFT)
    response = post_feedback(client, general("Hello", article=str(draft.uuid)))
    assert response.status_code == 400
    assert "no longer published" in response.content.decode()
    assert not Feedback.objects.exists()


# Size and link limits ---------------------------------------------------------------------


def test_message_of_exactly_the_maximum_length_is_accepted(client):
    assert post_feedback(client, general("x" * 5000)).status_code == 302
    assert len(Feedback.objects.get().message) == 5000


def test_message_one_character_over_the_maximum_is_refused_and_kept(client):
    response = post_feedback(client, general("x" * 5001))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Your message is 5001 characters long; the limit is 5000. Please shorten it." in page
    assert "x" * 5001 + "</textarea>" in page
    textarea = re.search(r"<textarea[^>]*>", page).group()
    assert "maxlength" not in textarea  # the browser would silently cut pasted text
    assert not Feedback.objects.exists()


def test_windows_line_ends_count_as_one_character(client):
    assert post_feedback(client, general("ab\r\n" * 1250)).status_code == 302  # 3 characters × 1250 = 3750


def body_of(size: int, data: dict) -> bytes:
    """`data` form-encoded and padded with an ignored field to exactly `size` bytes."""
    from urllib.parse import urlencode

    encoded = urlencode(data) + "&padding="
    return (encoded + "p" * (size - len(encoded))).encode()


@pytest.mark.parametrize("path", ["/feedback/", "/feedback/vote/"])
def test_request_body_at_the_limit_is_read_and_one_byte_over_gets_a_designed_413(client, settings, leg_cramps, path):
    settings.FEEDBACK_MAX_REQUEST_BYTES = 20_000
    data = general() if path == "/feedback/" else {"article": str(leg_cramps.uuid), "helpful": "yes"}
    at_limit = client.generic(
        "POST", path, body_of(20_000, data), content_type="application/x-www-form-urlencoded", headers=SAME_ORIGIN
    )
    assert at_limit.status_code in (302, 303)
    over = client.generic(
        "POST", path, body_of(20_001, data), content_type="application/x-www-form-urlencoded", headers=SAME_ORIGIN
    )
    assert over.status_code == 413
    page = over.content.decode()
    assert "Your message was too large to receive" in page
    assert "up to 5,000 characters" in page and "Back button" in page
    assert Feedback.objects.count() + Vote.objects.count() == 1


def test_a_body_beyond_djangos_own_limit_is_also_a_413(client, settings):
    settings.FEEDBACK_MAX_REQUEST_BYTES = 10_000_000
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.generic(
        "POST", "/feedback/", body_of(2000, general()), content_type="application/x-www-form-urlencoded",
        headers=SAME_ORIGIN,
    )  # fmt: skip
    assert response.status_code == 413
    assert "too large to receive" in response.content.decode()


def test_a_message_with_links_up_to_the_limit_is_accepted(client, settings):
    settings.FEEDBACK_MAX_LINKS = 2
    response = post_feedback(client, general("See https://example.org/a and www.example.org/b"))
    assert response.status_code == 302


def test_a_message_with_too_many_links_is_refused_and_kept(client, settings):
    settings.FEEDBACK_MAX_LINKS = 2
    message = "Cheap http://a.example https://b.example www.c.example"
    response = post_feedback(client, general(message))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Your message contains 3 links; please keep it to 2 or fewer." in page
    assert f"{message}</textarea>" in page
    assert not Feedback.objects.exists()


# Honeypot and fill time: kept as spam, answered like anyone else ---------------------------


def test_a_filled_honeypot_is_kept_as_spam_and_looks_accepted(client, mailoutbox):
    response = post_feedback(client, general("Buy pills", website="https://pills.example"))
    assert response.status_code == 302 and response["Location"] == "/feedback/thanks/"
    feedback = Feedback.objects.get()
    assert (feedback.status, feedback.spam_reason) == ("spam", "honeypot field filled in")
    assert feedback.message == "Buy pills"  # recoverable if it was a person
    assert mailoutbox == []  # nobody is emailed about spam


def test_the_honeypot_is_out_of_sight_and_out_of_the_tab_order(client):
    page = client.get("/feedback/").content.decode()
    trap = re.search(r'<div class="feedback-trap" aria-hidden="true">.*?</div>', page, re.S).group()
    assert 'name="website"' in trap and 'tabindex="-1"' in trap and 'autocomplete="off"' in trap


def test_a_form_sent_faster_than_a_person_can_fill_it_is_kept_as_spam(client, settings):
    settings.FEEDBACK_MIN_FILL_SECONDS = 3
    assert post_feedback(client, general(started=stamp(seconds_ago=1))).status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.status == "spam" and feedback.spam_reason == "sent 1 s after the form was shown"


def test_a_form_sent_after_the_minimum_fill_time_is_genuine(client, settings):
    settings.FEEDBACK_MIN_FILL_SECONDS = 3
    with time_machine.travel(time.time(), tick=False) as traveller:
        page = client.get("/feedback/").content.decode()
        started = re.search(r'name="started" value="([^"]+)"', page).group(1)
        traveller.shift(3)
        assert post_feedback(client, general(started=started)).status_code == 302
    assert Feedback.objects.get().status == "new"


@pytest.mark.parametrize("started", ["", "12345", stamp(60)[:-2] + "xx"], ids=["missing", "unsigned", "tampered"])
def test_a_missing_or_forged_fill_time_stamp_is_kept_as_spam(client, started):
    assert post_feedback(client, general(started=started)).status_code == 302
    assert Feedback.objects.get().spam_reason == "no valid fill-time stamp"


def test_an_invalid_form_keeps_its_original_fill_time_stamp(client):
    started = stamp(120)
    page = post_feedback(client, general("", started=started)).content.decode()
    assert f'name="started" value="{started}"' in page


# Same-origin check --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {},
    ],
    ids=["cross-site", "same-site", "foreign-origin", "null-origin", "no-headers"],
)
def test_feedback_and_votes_from_another_origin_are_refused(client, leg_cramps, headers):
    response = post_feedback(client, general("Buy cheap pills"), headers=headers)
    assert response.status_code == 403
    assert "Feedback not accepted" in response.content.decode()
    assert vote(client, leg_cramps, headers=headers).status_code == 403
    assert not Feedback.objects.exists() and not Vote.objects.exists()


def test_same_origin_shown_by_origin_header_alone_is_accepted(client):
    response = post_feedback(client, general("Older browser"), headers={"Origin": "http://testserver"})
    assert response.status_code == 302


# "Is this page useful?" and the follow-up message ---------------------------------------


def test_article_page_asks_whether_it_is_useful_without_any_visitor_state(client, leg_cramps):
    response = client.get("/symptoms/leg-cramps/")
    page = response.content.decode()
    assert "Is this page useful?" in page
    assert 'action="/feedback/vote/"' in page
    assert '<button type="submit" name="helpful" value="yes">Yes</button>' in page
    assert '<button type="submit" name="helpful" value="no">No</button>' in page
    assert 'role="status"' in page  # where the script announces the answer
    assert re.search(r'<form class="feedback-form follow-up-form" action="/feedback/"[^>]* hidden', page)
    assert 'name="vote" id="follow-up_vote"' in page and 'name="started"' not in page
    assert f'href="/feedback/?article={leg_cramps.uuid}"' in page
    assert "cannot answer personal medical questions" in page
    assert response.cookies == {} and "Vary" not in response.headers


def test_a_vote_without_javascript_is_counted_and_leads_to_what_could_be_better(client, leg_cramps, mailoutbox):
    response = vote(client, leg_cramps, "no")
    assert response.status_code == 303
    assert response["Location"].startswith("/feedback/?vote=")
    stored = Vote.objects.get()
    assert (stored.article, stored.helpful) == (leg_cramps, "no")
    assert not Feedback.objects.exists()  # a vote is not a triage item
    assert mailoutbox == []
    page = client.get(response["Location"]).content.decode()
    assert "Thank you for your answer" in page
    assert "What could be better? (optional)" in page
    assert "Back to “Leg cramps”" in page


def test_a_vote_from_the_script_gets_json_with_the_token_for_the_follow_up(client, leg_cramps):
    response = vote(client, leg_cramps, "yes", headers={**SAME_ORIGIN, "Accept": "application/json"})
    assert response.status_code == 200
    assert response.json()["helpful"] == "yes" and response.json()["token"]
    assert Vote.objects.get().helpful == "yes"


def test_a_message_after_a_vote_is_feedback_linked_to_it(client, leg_cramps):
    with time_machine.travel(time.time(), tick=False) as traveller:
        token = vote_token_from(vote(client, leg_cramps, "no"))
        traveller.shift(20)
        response = post_feedback(client, {"vote": token, "message": "Say more about night cramps."})
    assert response.status_code == 302
    assert response["Location"] == f"/feedback/thanks/?article={leg_cramps.uuid}"
    feedback = Feedback.objects.get()
    assert feedback.vote == Vote.objects.get()
    assert (feedback.article, feedback.helpful, feedback.category) == (leg_cramps, "no", "")
    assert (feedback.status, feedback.message) == ("new", "Say more about night cramps.")


def test_a_message_typed_within_a_second_of_the_vote_is_kept_as_spam(client, leg_cramps, settings):
    settings.FEEDBACK_MIN_FILL_SECONDS = 3
    token = vote_token_from(vote(client, leg_cramps))
    post_feedback(client, {"vote": token, "message": "Instant"})
    assert Feedback.objects.get().status == "spam"


def test_an_empty_follow_up_is_refused_with_a_precise_message(client, leg_cramps):
    token = vote_token_from(vote(client, leg_cramps))
    response = post_feedback(client, {"vote": token, "message": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Write what could be better, or leave this page: your answer has already been counted." in page
    assert "<title>Error: What could be better?" in page


def test_a_follow_up_with_a_forged_vote_is_refused_and_kept(client, leg_cramps):
    token = vote_token_from(vote(client, leg_cramps))
    response = post_feedback(client, {"vote": token[:-3] + "abc", "message": "My words"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "We could not tell which answer this message follows." in page
    assert "My words</textarea>" in page
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("data", [{"helpful": "maybe"}, {"helpful": ""}, {"article": "not-a-uuid"}])
def test_a_malformed_vote_is_refused_clearly(client, leg_cramps, data):
    response = client.post(
        "/feedback/vote/", {"article": str(leg_cramps.uuid), "helpful": "yes", **data}, headers=SAME_ORIGIN
    )
    assert response.status_code == 400
    assert "Answer not counted" in response.content.decode()
    assert not Vote.objects.exists()


def test_a_vote_on_an_unpublished_article_is_refused(client):
    draft = make_article(status=Status.DRAFT)
    response = vote(client, draft, headers={**SAME_ORIGIN, "Accept": "application/json"})
    assert response.status_code == 400
    assert response.json() == {"error": "This article is no longer published."}


def test_votes_accept_only_post(client):
    assert client.get("/feedback/vote/").status_code == 405


# Thanks and privacy pages ---------------------------------------------------------------------


def test_thanks_page_ignores_a_malformed_article_reference(client):
    response = client.get("/feedback/thanks/", {"article": "not-a-uuid"})
    assert response.status_code == 200
    assert "Back to the home page" in response.content.decode()


def test_privacy_notice_says_what_is_kept_and_the_form_says_for_how_long(client, settings):
    settings.FEEDBACK_PERSONAL_DATA_DAYS = 30
    response = client.get("/privacy/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Privacy notice</h1>" in page
    assert "Never stored as it is" in page
    assert response.cookies == {}
    form = client.get("/feedback/").content.decode()
    assert "deleted after 30 days" in form
    assert 'href="/privacy/">privacy notice</a>' in form
