"""The reading check in the editors' admin: the live endpoint, the figures stored with each version and shown at
approval, the target and its override, the list's flag, and the plain-words list."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from editorial import workflow
from editorial.models import PlainWord, WorkflowEvent
from encyclopedia.models import FAQ, SiteSettings, Status

from .conftest import make_article
from .test_admin import change_form_data

pytestmark = pytest.mark.django_db

URL = "/admin/encyclopedia/article/reading/"
LONG = " ".join(["word"] * 30) + "."
# 3 sentences, 4 long words (examine, abdomen, medication, examine):
# SMOG 1.0430 × √(4 × 30 / 3) + 3.1291 = 1.0430 × 6.3246 + 3.1291 = 9.7256, reading age 14.7.
HARD = "Examine the abdomen. Take the medication. Examine it again."
# Stored articles have this summary too: one more sentence, no long word. With HARD: SMOG
# 1.0430 × √(4 × 30 / 4) + 3.1291 = 8.8418, reading age 13.8; with EASY: 3.1291, reading age 8.1.
SUMMARY = "It hurts."
EASY = "Drink water. Rest your leg. Stretch it."


def form(**fields) -> dict:
    return {"title": "Tummy ache", "kind": "symptom", "summary": "", "body": "", "faqs-TOTAL_FORMS": "0", **fields}


def test_the_endpoint_sends_anonymous_visitors_to_the_login_page(client):
    response = client.post(URL, form(body=HARD))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_endpoint_refuses_people_who_are_not_staff(django_user_model):
    reader = django_user_model.objects.create_user("erin", "erin@example.org", "a-long-enough-password")
    client = Client()
    client.force_login(reader)
    response = client.post(URL, form(body=HARD))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_endpoint_refuses_staff_who_may_not_change_articles(triager_client):
    assert triager_client.post(URL, form(body=HARD)).status_code == 403


def test_the_endpoint_answers_post_only(writer_client):
    assert writer_client.get(URL).status_code == 405


def test_the_endpoint_needs_the_csrf_token(writer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(writer)
    assert client.post(URL, form(body=HARD)).status_code == 403


def test_the_endpoint_measures_the_form_as_it_is_with_highlights_and_checks(writer_client):
    data = form(
        body=f"## Causes\n\n{HARD}\n\n{LONG}\n\n[click here](https://example.org)\n",
        **{"faqs-TOTAL_FORMS": "1", "faqs-0-question": "Is it serious?", "faqs-0-answer": "Rarely."},
    )
    response = writer_client.post(URL, data)
    assert response.status_code == 200
    result = response.json()
    assert result["target_reading_age"] == 11
    assert result["over_target"] is True
    assert [section["title"] for section in result["sections"]] == ["Causes", "FAQs"]
    assert result["long_sentences"][0]["words"] == 30
    assert result["long_sentences"][0]["place"] == {"section": "Causes", "line": 5, "faq": None}
    plain = {(word["word"], word["plain"]) for word in result["plain_words"]}
    assert ("abdomen", "tummy, belly") in plain and ("medication", "medicine") in plain  # from the seeded list
    assert [check["check"] for check in result["checks"]] == ["link text", "when to get help"]


def test_figures_are_stored_on_the_article_and_follow_its_faqs():
    article = make_article(summary=SUMMARY, body=EASY)
    # 3 sentences, no long word: SMOG 3.1, reading age 8.1
    assert article.reading_age == 8.1
    FAQ.objects.create(article=article, position=1, question="Why?", answer=HARD)
    article.refresh_from_db()
    assert article.reading_figures["sentences"] == 8
    assert article.reading_figures["sections"][-1]["title"] == "FAQs"
    assert article.reading_age > 8.1


def test_each_revision_stores_its_figures_and_the_reviewer_sees_this_and_the_previous_published_ones(
    writer, reviewer_client
):
    live = make_article(summary=SUMMARY, body=EASY)
    copy = workflow.article_start_working_copy(article=live, by=writer)
    copy.body = HARD
    copy.save()
    workflow.article_submit_for_review(article=copy, by=writer)
    stored = Version.objects.get_for_object(copy).first().field_dict["reading_figures"]
    assert stored["reading_age"] == 13.8
    page = reviewer_client.get(reverse("admin:encyclopedia_article_change", args=[copy.pk])).content.decode()
    this_version = page.split('class="reading-check-this"')[1].split("</tr>")[0]
    previous = page.split('class="reading-check-previous"')[1].split("</tr>")[0]
    assert "13.8" in this_version and "over the target" in this_version
    assert "8.1" in previous
    assert 'src="/static/js/reading-check.js"' in page


@pytest.fixture
def override_required(db):
    settings = SiteSettings.load()
    settings.reading_age_override_required = True
    settings.save()


def test_approving_a_hard_article_needs_an_override_with_a_reason(override_required, reviewer_client):
    article = make_article(status=Status.IN_REVIEW, summary=SUMMARY, body=HARD, published_at=None)
    url = reverse("admin:encyclopedia_article_change", args=[article.pk])
    response = reviewer_client.post(url, change_form_data(article, transition="approve"))
    assert response.status_code == 200
    assert "over the target of 11" in response.content.decode()
    response = reviewer_client.post(url, change_form_data(article, transition="approve", reading_override="on"))
    assert "Say why this article may be harder to read" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW

    reason = "Names of medicines cannot be simpler."
    data = change_form_data(article, transition="approve", reading_override="on", reading_override_reason=reason)
    assert reviewer_client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    event = WorkflowEvent.objects.filter(article=article, action=WorkflowEvent.Action.APPROVE).get()
    assert "Reading age 13.8 is over the target of 11" in event.comment and reason in event.comment


def test_the_gate_itself_refuses_an_approval_over_the_target_without_a_reason(override_required, reviewer):
    article = make_article(status=Status.IN_REVIEW, summary=SUMMARY, body=HARD, published_at=None)
    with pytest.raises(ValidationError, match="needs an override"):
        workflow.article_approve_and_publish(article=article, by=reviewer)
    easy = make_article(status=Status.IN_REVIEW, summary=SUMMARY, body=EASY, published_at=None)
    assert workflow.article_approve_and_publish(article=easy, by=reviewer).status == Status.PUBLISHED


def test_without_the_setting_a_hard_article_is_approved_as_before(reviewer):
    article = make_article(status=Status.IN_REVIEW, summary=SUMMARY, body=HARD, published_at=None)
    assert workflow.article_approve_and_publish(article=article, by=reviewer).status == Status.PUBLISHED


def test_the_article_list_flags_and_filters_articles_over_the_target(writer_client):
    make_article(title="Hard one", summary=SUMMARY, body=HARD)
    make_article(title="Easy one", summary=SUMMARY, body=EASY)
    changelist = reverse("admin:encyclopedia_article_changelist")
    page = writer_client.get(changelist).content.decode()
    assert "13.8 · over the target (11)" in page and "8.1" in page
    over = writer_client.get(changelist, {"reading": "over"}).content.decode()
    assert "Hard one" in over and "Easy one" not in over
    within = writer_client.get(changelist, {"reading": "within"}).content.decode()
    assert "Easy one" in within and "Hard one" not in within


def test_the_plain_words_list_is_seeded_and_editors_keep_it(writer_client):
    assert PlainWord.objects.count() >= 150
    assert PlainWord.objects.get(word="hypertension").plain == "high blood pressure"
    response = writer_client.post(
        reverse("admin:editorial_plainword_add"), {"word": "myocardial infarction", "plain": "heart attack"}
    )
    assert response.status_code == 200 and "One word" in response.content.decode()
    response = writer_client.post(reverse("admin:editorial_plainword_add"), {"word": "thrombosis", "plain": "clot"})
    assert response.status_code == 302 and PlainWord.objects.filter(word="thrombosis").exists()


def test_only_reviewers_see_the_override_fields_and_only_when_the_site_asks_for_it(writer_client, reviewer_client):
    article = make_article(status=Status.DRAFT, summary=SUMMARY, body=HARD, published_at=None)
    url = reverse("admin:encyclopedia_article_change", args=[article.pk])
    assert 'name="reading_override_reason"' not in reviewer_client.get(url).content.decode()
    settings = SiteSettings.load()
    settings.reading_age_override_required = True
    settings.save()
    assert 'name="reading_override_reason"' in reviewer_client.get(url).content.decode()
    assert 'name="reading_override_reason"' not in writer_client.get(url).content.decode()


def test_the_target_is_set_in_the_site_settings(superuser_client, writer_client):
    settings = SiteSettings.load()
    page = superuser_client.get(reverse("admin:encyclopedia_sitesettings_change", args=[settings.pk])).content.decode()
    assert 'name="target_reading_age"' in page and 'name="reading_age_override_required"' in page
    settings.target_reading_age = 14
    settings.save()
    make_article(title="Hard one", summary=SUMMARY, body=HARD)  # 13.8: within a target of 14
    page = writer_client.get(reverse("admin:encyclopedia_article_changelist")).content.decode()
    assert "13.8" in page and "over the target" not in page


def test_the_published_revision_stores_the_figures_of_the_faqs_approved_with_it(writer, reviewer):
    live = make_article(summary=SUMMARY, body=EASY)
    copy = workflow.article_start_working_copy(article=live, by=writer)
    FAQ.objects.create(article=copy, position=1, question="Why?", answer=HARD)
    live = workflow.article_approve_and_publish(article=copy, by=reviewer)
    stored = Version.objects.get_for_object(live).first().field_dict["reading_figures"]
    assert stored == live.reading_figures and stored["sections"][-1]["title"] == "FAQs"


def test_a_published_article_shows_its_own_figures_only(writer_client):
    article = make_article(summary=SUMMARY, body=EASY)
    page = writer_client.get(reverse("admin:encyclopedia_article_change", args=[article.pk])).content.decode()
    assert "The published version" in page and "Previous published version" not in page


def test_an_unpublished_article_shows_the_figures_it_had_when_it_was_published(writer, reviewer, writer_client):
    article = make_article(summary=SUMMARY, body=EASY)
    workflow.article_record_review(article=article, by=reviewer)  # a revision of the published version
    workflow.article_unpublish(article=article, by=reviewer)
    article.refresh_from_db()
    article.body = HARD
    article.save()
    page = writer_client.get(reverse("admin:encyclopedia_article_change", args=[article.pk])).content.decode()
    assert "8.1" in page.split('class="reading-check-previous"')[1].split("</tr>")[0]
