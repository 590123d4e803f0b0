"""The editors' email: sent after the feedback is committed, never at its expense, and retried."""

import datetime

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from editorial.models import Feedback
from editorial.services import feedback_submit

from .feedback_helpers import general, post_feedback

# Real commits: on_commit callbacks only run when the outermost transaction commits.
pytestmark = pytest.mark.django_db(transaction=True)

FAILING = {"default": {"BACKEND": "tests.failing_mail.MailServerDownBackend"}}


def submit(message="Wrong dose", **fields):
    defaults = dict(article=None, vote=None, category="correction", name="", email="", helpful="", client_hash="")
    return feedback_submit(message=message, **{**defaults, **fields})


def test_editors_are_emailed_about_new_feedback_with_links_and_reply_to(client, leg_cramps, mailoutbox, settings):
    settings.FEEDBACK_NOTIFY_EMAILS = ["editors@example.org", "chief@example.org"]
    data = general(
        "Dose looks wrong", category="correction", article=str(leg_cramps.uuid), name="Sam", email="sam@example.org"
    )
    assert post_feedback(client, data).status_code == 302
    feedback = Feedback.objects.get()
    [email] = mailoutbox
    assert email.to == ["editors@example.org", "chief@example.org"]
    assert email.reply_to == ["sam@example.org"]
    assert email.subject == "[Feedback] Correction about “Leg cramps”"
    assert "Dose looks wrong" in email.body
    assert "https://health.example.org/symptoms/leg-cramps/" in email.body
    assert f"https://health.example.org/admin/editorial/feedback/{feedback.pk}/change/" in email.body
    assert "Sam <sam@example.org>" in email.body
    assert feedback.notified_at is not None and feedback.notification_attempts == 1


def test_the_email_waits_for_the_commit(mailoutbox):
    with transaction.atomic():
        submit()
        assert mailoutbox == []  # not yet committed: nothing may be announced
    assert len(mailoutbox) == 1


def test_nothing_is_emailed_when_the_feedback_is_rolled_back(mailoutbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        submit()
        raise RuntimeError("something later in the same transaction failed")
    assert mailoutbox == [] and not Feedback.objects.exists()


def test_a_failing_mail_server_neither_loses_the_feedback_nor_shows_an_error(client, settings, caplog):
    settings.MAILERS = FAILING
    response = post_feedback(client, general("Please keep this"))
    assert response.status_code == 302 and response["Location"] == "/feedback/thanks/"
    assert client.get(response["Location"]).status_code == 200
    feedback = Feedback.objects.get()
    assert (feedback.message, feedback.status, feedback.notified_at) == ("Please keep this", "new", None)
    assert feedback.notification_attempts == 1
    assert feedback.notification_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert "will retry" in caplog.text


def test_the_retry_command_sends_what_failed_once_the_server_is_back(settings, mailoutbox):
    settings.MAILERS = FAILING
    failed = submit("First")
    Feedback.objects.filter(pk=failed.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=5))
    with pytest.raises(SystemExit) as exit_info:
        call_command("send_feedback_notifications")
    assert exit_info.value.code == 1
    assert Feedback.objects.get().notification_attempts == 2

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    call_command("send_feedback_notifications")
    assert [email.body.count("First") for email in mailoutbox] == [1]
    feedback = Feedback.objects.get()
    assert feedback.notified_at is not None and feedback.notification_error == ""

    call_command("send_feedback_notifications")  # nothing is sent twice
    assert len(mailoutbox) == 1


def test_the_retry_command_leaves_spam_and_very_recent_feedback_alone(settings, mailoutbox):
    settings.MAILERS = FAILING
    recent = submit("Just received")
    submit("Pills", spam_reason="honeypot field filled in")
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    call_command("send_feedback_notifications")
    assert mailoutbox == []  # the request that received it may still be sending
    call_command("send_feedback_notifications", min_age=0)
    assert [email.body.count("Just received") for email in mailoutbox] == [1]
    assert Feedback.objects.get(pk=recent.pk).notified_at is not None


def test_spam_is_never_emailed(mailoutbox):
    submit("Pills", spam_reason="honeypot field filled in")
    assert mailoutbox == []


def test_without_recipients_nothing_is_sent_and_the_command_says_so(settings, mailoutbox, capsys):
    settings.FEEDBACK_NOTIFY_EMAILS = []
    submit()
    call_command("send_feedback_notifications", min_age=0)
    assert mailoutbox == []
    assert "No recipients configured" in capsys.readouterr().out
