"""Email to the people who make the encyclopedia: each workflow step tells whom it hands work to, after the
commit, through an outbox that a failing mail server cannot empty; a daily digest; each person's choices."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from editorial import workflow
from editorial.models import EmailKind, Feedback, NotificationPreference, OutboxMessage
from encyclopedia.models import Status

from .conftest import client_for, make_article, person

pytestmark = pytest.mark.django_db

FAILING = {"default": {"BACKEND": "tests.failing_mail.MailServerDownBackend"}}
SITE = "https://health.example.org"


@pytest.fixture
def reviewers(django_user_model, reviewer):
    """Carol and Erin are medical reviewers; Frank is one too but has no email address."""
    return [
        reviewer,
        person(django_user_model, "erin", "Medical reviewer"),
        person(django_user_model, "frank", "Medical reviewer"),
    ]


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """Run what waits for the commit, as the end of a real request's transaction would."""

    def run(step, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return step(**kwargs)

    return run


def submitted(writer, commits, **fields):
    article = make_article(status=Status.DRAFT, title="Night cramps", slug="night-cramps", **fields)
    commits(workflow.article_submit_for_review, article=article, by=writer)
    return article


def test_submitting_for_review_emails_every_reviewer_with_an_address_after_the_commit(
    writer, reviewers, commits, mailoutbox
):
    reviewers[2].email = ""
    reviewers[2].save()
    article = submitted(writer, commits)
    assert sorted(email.to[0] for email in mailoutbox) == ["carol@example.org", "erin@example.org"]
    email = mailoutbox[0]
    assert email.subject == "[Review] “Night cramps” is waiting for your review"
    assert "Bob Example submitted “Night cramps” for medical review." in email.body
    assert f"{SITE}/admin/encyclopedia/article/{article.pk}/change/" in email.body
    assert f"{SITE}/admin/editorial/notificationpreference/" in email.body
    assert OutboxMessage.objects.filter(sent_at__isnull=False, kind=EmailKind.SUBMITTED).count() == 2


def test_the_email_waits_for_the_commit_and_a_refused_step_sends_nothing(
    writer, reviewers, django_capture_on_commit_callbacks, mailoutbox
):
    article = make_article(status=Status.DRAFT)
    with django_capture_on_commit_callbacks() as waiting:
        workflow.article_submit_for_review(article=article, by=writer)
    assert mailoutbox == [] and len(waiting) == 3  # nothing before the commit
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        workflow.article_submit_for_review(article=article, by=writer)  # already in review
    assert OutboxMessage.objects.count() == 3 and mailoutbox == []


def test_changes_requested_reach_the_author_with_the_comment(writer, reviewer, commits, mailoutbox):
    article = submitted(writer, commits)
    mailoutbox.clear()
    commits(
        workflow.article_request_changes, article=article, by=reviewer,
        comment="Add when to see a doctor.\nCite the NICE guidance.",
    )  # fmt: skip
    [email] = mailoutbox
    assert email.to == ["bob@example.org"]
    assert email.subject == "[Review] Changes requested on “Night cramps”"
    assert "Carol Example sent “Night cramps” back to you: changes are requested." in email.body
    assert "> Add when to see a doctor.\n> Cite the NICE guidance." in email.body
    assert f"{SITE}/admin/encyclopedia/article/{article.pk}/change/" in email.body


def test_approval_and_scheduling_reach_the_author_with_the_public_address(writer, reviewer, commits, mailoutbox):
    article = submitted(writer, commits)
    mailoutbox.clear()
    commits(workflow.article_approve_and_publish, article=article, by=reviewer)
    [email] = mailoutbox
    assert email.to == ["bob@example.org"] and email.subject == "[Review] “Night cramps” is approved and published"
    assert f"Public page: {SITE}/symptoms/night-cramps/" in email.body

    later = make_article(status=Status.DRAFT, title="Gout", published_at=timezone.now() + datetime.timedelta(days=3))
    commits(workflow.article_submit_for_review, article=later, by=writer)
    mailoutbox.clear()
    commits(workflow.article_approve_and_publish, article=later, by=reviewer)
    [email] = mailoutbox
    assert email.subject == "[Review] “Gout” is approved and scheduled" and "readers will see it from" in email.body


def test_a_scheduled_change_tells_its_author_when_it_is_published(writer, reviewer, commits, mailoutbox):
    live = make_article(title="Asthma", slug="asthma")
    copy = workflow.article_start_working_copy(article=live, by=writer)
    copy.published_at = timezone.now() + datetime.timedelta(minutes=5)
    copy.save()
    commits(workflow.article_submit_for_review, article=copy, by=writer)
    commits(workflow.article_approve_and_publish, article=copy, by=reviewer)
    assert [email.subject for email in mailoutbox if email.to == ["bob@example.org"]] == [
        "[Review] “Asthma” is approved and scheduled"
    ]
    mailoutbox.clear()
    copy.__class__.objects.filter(pk=copy.pk).update(published_at=timezone.now() - datetime.timedelta(seconds=1))
    commits(workflow.publish_scheduled_changes)
    [email] = mailoutbox
    assert email.to == ["bob@example.org"] and email.subject == "[Review] “Asthma” is now published"
    assert f"{SITE}/admin/encyclopedia/article/{live.pk}/change/" in email.body


def test_nobody_is_emailed_about_their_own_step_or_a_kind_they_turned_off(reviewers, commits, mailoutbox):
    NotificationPreference.objects.create(user=reviewers[1], submitted=False)
    article = make_article(status=Status.DRAFT)
    commits(workflow.article_submit_for_review, article=article, by=reviewers[0])  # Carol submits her own
    assert [email.to for email in mailoutbox] == [["frank@example.org"]]  # not Carol, not Erin


def test_nobody_is_sent_a_link_they_cannot_open(writer, reviewer, commits, mailoutbox):
    article = submitted(writer, commits)
    mailoutbox.clear()
    writer.groups.clear()  # Bob left the editors: the article admin is closed to him now
    commits(workflow.article_request_changes, article=article, by=reviewer, comment="Sources, please.")
    assert mailoutbox == [] and not OutboxMessage.objects.filter(user=writer).exists()


def test_a_failing_mail_server_loses_nothing_and_the_command_resends(
    writer, reviewer, commits, mailoutbox, settings, caplog
):
    settings.MAILERS = FAILING
    article = submitted(writer, commits)
    assert article.__class__.objects.get(pk=article.pk).status == Status.IN_REVIEW  # the step stands
    [pending] = OutboxMessage.objects.pending()
    assert (pending.attempts, pending.last_error) == (1, "SMTPServerDisconnected: Connection unexpectedly closed")
    assert "not sent (SMTPServerDisconnected)" in caplog.text

    with pytest.raises(SystemExit) as exit_status:
        call_command("send_notifications", "--min-age=0")
    assert exit_status.value.code == 1 and OutboxMessage.objects.get().attempts == 2

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    call_command("send_notifications", "--min-age=0")
    [email] = mailoutbox
    assert email.to == ["carol@example.org"] and email.subject == pending.subject
    assert OutboxMessage.objects.get().sent_at is not None
    call_command("send_notifications", "--min-age=0")
    assert len(mailoutbox) == 1  # never twice


# The daily digest.


@pytest.fixture
def digest_world(reviewer, triager, writer, leg_cramps):
    today = timezone.localdate()
    for title, days in [("Overdue", -3), ("Soon", 10), ("Later", 90)]:
        make_article(title=title, reviewed_by=reviewer, next_review_due=today + datetime.timedelta(days=days))
    Feedback.objects.create(article=leg_cramps, message="Dose wrong", assignee=triager, category="correction")
    Feedback.objects.create(article=leg_cramps, message="Done", assignee=triager, status="resolved")
    Feedback.objects.create(message="Spam", assignee=triager, status="spam")
    return today


def test_the_daily_digest_lists_reviews_falling_due_and_open_feedback_assigned(
    digest_world, reviewer, triager, mailoutbox, commits
):
    commits(call_command, command_name="send_daily_digest")
    by_person = {email.to[0]: email for email in mailoutbox}
    assert set(by_person) == {"carol@example.org", "dan@example.org"}
    carol = by_person["carol@example.org"].body
    assert "- Overdue: overdue since" in carol and "- Soon: due" in carol and "Later" not in carol
    assert by_person["carol@example.org"].subject.startswith("[Digest] 2 reviews falling due")
    dan = by_person["dan@example.org"]
    assert dan.subject.startswith("[Digest] 1 feedback item assigned to you")
    assert f"{SITE}/admin/editorial/feedback/?assigned=me" in dan.body
    assert "Correction about “Leg cramps”" in dan.body and "Done" not in dan.body

    commits(call_command, command_name="send_daily_digest")  # cron ran twice
    assert len(mailoutbox) == 2


def test_an_editor_assigned_feedback_is_not_sent_what_only_triagers_open(writer, leg_cramps, mailoutbox, commits):
    Feedback.objects.create(article=leg_cramps, message="About the article", assignee=writer)
    Feedback.objects.create(message="About the site in general", assignee=writer)
    commits(call_command, command_name="send_daily_digest")
    [email] = mailoutbox
    assert "1 feedback item assigned to you" in email.subject and "“Leg cramps”" in email.body
    assert "about the site" not in email.body


def test_the_digest_respects_the_choice_and_the_links_a_person_can_open(digest_world, reviewer, triager, mailoutbox):
    NotificationPreference.objects.create(user=reviewer, digest=False)
    triager.groups.clear()  # Dan left triage: the feedback list is closed to him now
    call_command("send_daily_digest")
    assert mailoutbox == [] and not OutboxMessage.objects.exists()


# Each person's choices.


def test_each_person_opens_and_saves_only_their_own_email_settings(writer, reviewer):
    client = client_for(writer)
    response = client.get(reverse("admin:editorial_notificationpreference_changelist"))
    own = NotificationPreference.objects.get(user=writer)
    assert response.status_code == 302 and response["Location"] == own.get_absolute_url()
    page = client.get(own.get_absolute_url()).content.decode()
    assert "Changes are requested on my article" in page and "Daily digest" in page
    response = client.post(own.get_absolute_url(), {"changes_requested": "on", "approved": "on"})
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.changes_requested, own.approved, own.submitted, own.digest) == (True, True, False, False)

    others = NotificationPreference.objects.create(user=reviewer)
    assert client.get(others.get_absolute_url()).status_code == 403
    assert client.post(others.get_absolute_url(), {}).status_code == 403
    others.refresh_from_db()
    assert others.submitted is True
