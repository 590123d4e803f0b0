import pytest

from editorial.models import Feedback
from encyclopedia.models import Status

from .conftest import SAME_ORIGIN, make_article

pytestmark = pytest.mark.django_db


def post_feedback(client, data, headers=SAME_ORIGIN):
    return client.post("/feedback/", data, headers=headers)


def test_feedback_page_shows_the_general_form_with_its_promises(client):
    response = client.get("/feedback/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<label for="id_message">Your message</label>' in page
    assert "cannot answer personal medical questions" in page
    assert "Was this page helpful?" not in page  # only asked about an article


def test_article_feedback_is_stored_with_its_article_and_thanks_links_back(client, leg_cramps):
    response = post_feedback(
        client,
        {"article": str(leg_cramps.uuid), "helpful": "no", "message": "Please mention magnesium.", "name": "Sam",
         "email": "sam@example.org"},
    )  # fmt: skip
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert (feedback.article, feedback.helpful, feedback.message) == (leg_cramps, "no", "Please mention magnesium.")
    assert (feedback.name, feedback.email, feedback.status) == ("Sam", "sam@example.org", Feedback.Status.NEW)
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert 'href="/symptoms/leg-cramps/"' in thanks.content.decode()


def test_a_helpful_answer_alone_is_enough(client, leg_cramps):
    response = post_feedback(client, {"article": str(leg_cramps.uuid), "helpful": "yes"})
    assert response.status_code == 302
    assert Feedback.objects.get().helpful == "yes"


def test_general_feedback_has_no_article(client):
    response = post_feedback(client, {"message": "Could you add an article on gout?"})
    assert response["Location"] == "/feedback/thanks/"
    assert Feedback.objects.get().article is None


def test_invalid_feedback_keeps_the_text_and_explains_each_error(client, leg_cramps):
    message = "Dose in the second paragraph looks wrong <b>really</b>"
    response = post_feedback(client, {"article": str(leg_cramps.uuid), "message": message, "email": "not-an-email"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page  # the summary at the top
    assert '<a href="#id_email">Enter a valid email address.</a>' in page
    assert 'aria-invalid="true"' in page and 'id="id_email_error"' in page
    assert "Dose in the second paragraph looks wrong &lt;b&gt;really&lt;/b&gt;</textarea>" in page
    assert 'value="not-an-email"' in page
    assert f'value="{leg_cramps.uuid}"' in page  # still about the same article
    assert not Feedback.objects.exists()


def test_empty_feedback_is_refused_with_a_precise_message(client):
    response = post_feedback(client, {"message": "   "})
    assert response.status_code == 400
    assert "Write a message, or say whether the page was helpful." in response.content.decode()
    assert not Feedback.objects.exists()


def test_overlong_message_is_refused_and_kept(client):
    response = post_feedback(client, {"message": "x" * 5001})
    assert response.status_code == 400
    assert "Ensure this value has at most 5000 characters (it has 5001)." in response.content.decode()
    assert "x" * 5001 in response.content.decode()


def test_feedback_about_an_unpublished_article_is_refused_clearly(client):
    draft = make_article(status=Status.DRAFT)
    response = post_feedback(client, {"article": str(draft.uuid), "message": "Hello"})
    assert response.status_code == 400
    assert "no longer published" in response.content.decode()
    assert not Feedback.objects.exists()


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
def test_feedback_from_another_origin_is_refused(client, headers):
    response = post_feedback(client, {"message": "Buy cheap pills"}, headers=headers)
    assert response.status_code == 403
    assert "Feedback not accepted" in response.content.decode()
    assert not Feedback.objects.exists()


def test_same_origin_shown_by_origin_header_alone_is_accepted(client):
    response = post_feedback(client, {"message": "Older browser"}, headers={"Origin": "http://testserver"})
    assert response.status_code == 302


def test_feedback_page_sets_no_cookie(client):
    assert client.get("/feedback/").cookies == {}


def test_thanks_page_ignores_a_malformed_article_reference(client):
    response = client.get("/feedback/thanks/", {"article": "not-a-uuid"})
    assert response.status_code == 200
    assert "Back to the home page" in response.content.decode()
