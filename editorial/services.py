"""State changes of the feedback loop, one function each, each in one transaction."""

import datetime
import functools
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from encyclopedia.models import Article

from .models import EmailKind, Feedback, FeedbackNote, FeedbackReply, OutboxMessage, Vote
from .notifications import email_queue
from .ratelimit import rate_limit_counters_purge

logger = logging.getLogger(__name__)


def vote_record(*, article: Article, helpful: str, client_hash: str) -> Vote:
    return Vote.objects.create(article=article, helpful=helpful, client_hash=client_hash)


def feedback_submit(
    *,
    article: Article | None,
    vote: Vote | None,
    category: str,
    message: str,
    name: str,
    email: str,
    helpful: str,
    client_hash: str,
    spam_reason: str = "",
) -> Feedback:
    """Store a reader's message. Only once it is committed are the editors emailed; suspected
    spam is kept, with its reason, and nobody is emailed about it."""
    with transaction.atomic():
        feedback = Feedback(
            article=article, vote=vote, category=category, message=message, name=name, email=email,
            helpful=helpful, client_hash=client_hash, spam_reason=spam_reason[:100],
            status=Feedback.Status.SPAM if spam_reason else Feedback.Status.NEW,
        )  # fmt: skip
        feedback.full_clean(validate_unique=False, validate_constraints=True)
        feedback.save()
        if not spam_reason:
            # Robust: once the message is committed, no failure of the notification (not even the
            # database going away) may reach the reader as "not saved"; the command retries it.
            transaction.on_commit(functools.partial(feedback_notify, feedback_id=feedback.pk), robust=True)
    return feedback


def feedback_notify(*, feedback_id: int) -> bool:
    """Email the editors about one feedback item; True when sent.

    A failing mail server must neither lose the feedback nor reach the submitter: the error is
    logged and recorded on the item, and send_feedback_notifications retries it later.
    """
    recipients = settings.FEEDBACK_NOTIFY_EMAILS
    feedback = Feedback.objects.select_related("article").filter(pk=feedback_id).first()
    if not recipients or feedback is None or feedback.notified_at or feedback.status == Feedback.Status.SPAM:
        return False
    context = {"feedback": feedback, "site_url": settings.FEEDBACK_SITE_URL.rstrip("/")}
    email = EmailMessage(
        subject=" ".join(render_to_string("editorial/email/feedback_subject.txt", context).split()),
        body=render_to_string("editorial/email/feedback_body.txt", context),
        from_email=settings.FEEDBACK_FROM_EMAIL,
        to=recipients,
        reply_to=[feedback.email] if feedback.email else None,
    )
    try:
        email.send()
    except Exception as error:  # any failure of the mail server or its connection
        # The error's type only: its text can hold the recipients' addresses. The full text is
        # kept on the item, for editors, in notification_error.
        logger.warning(
            "Feedback %s: editors' notification not sent (%s); will retry.", feedback_id, type(error).__name__
        )
        Feedback.objects.filter(pk=feedback_id).update(
            notification_attempts=F("notification_attempts") + 1,
            notification_error=f"{type(error).__name__}: {error}"[:300],
        )
        return False
    Feedback.objects.filter(pk=feedback_id).update(
        notified_at=timezone.now(), notification_attempts=F("notification_attempts") + 1, notification_error=""
    )
    return True


def feedback_set_status(*, feedback: QuerySet, status: str, by) -> int:
    """Move feedback items to `status` (any status may follow any other, so that spam can be
    recovered and resolved items reopened); returns how many changed."""
    with transaction.atomic():
        changing = feedback.exclude(status=status)
        resolved_at = timezone.now() if status == Feedback.Status.RESOLVED else None
        changed = changing.update(status=status, resolved_at=resolved_at)
    # The staff member's id, not their name: logs hold no usernames.
    logger.info("User %s moved %s feedback item(s) to %s.", by.pk, changed, status)
    return changed


def feedback_assign(*, feedback: QuerySet, assignee) -> int:
    with transaction.atomic():
        return feedback.update(assignee=assignee)


def feedback_note_add(*, feedback: Feedback, by, body: str) -> FeedbackNote:
    """Add an internal note to the item's thread, in the name of who wrote it."""
    with transaction.atomic():
        note = FeedbackNote(feedback=feedback, author=by, body=body.strip())
        note.full_clean(exclude=["feedback", "author"])
        note.save()
    return note


def feedback_reply(*, feedback: Feedback, by, body: str) -> FeedbackReply:
    """Answer the reader by email: the reply is stored and sent once it is committed. Only a reader
    who left an address (not yet purged) can be answered; spam is never answered."""
    if not feedback.email:
        raise ValidationError("This reader left no email address (or it has been deleted).", code="no_email")
    if feedback.status == Feedback.Status.SPAM:
        raise ValidationError("Spam is never answered: mark it as not spam first.", code="spam")
    with transaction.atomic():
        reply = FeedbackReply(feedback=feedback, author=by, body=body.strip())
        reply.full_clean(exclude=["feedback", "author"])
        reply.save()
        email_queue(
            kind=EmailKind.REPLY, template="feedback_reply", recipient=feedback.email,
            context={"feedback": feedback, "reply": reply},
        )  # fmt: skip
    return reply


def feedback_personal_data_purge(*, older_than: datetime.timedelta) -> dict[str, int]:
    """Remove names, emails and client hashes from feedback and votes received before
    `older_than` ago, the emails queued before then (sent or not) and expired rate-limit counters.
    Messages, notes, replies and counts stay."""
    cutoff = timezone.now() - older_than
    with transaction.atomic():
        old_feedback = Feedback.objects.filter(created_at__lt=cutoff).exclude(name="", email="", client_hash="")
        feedback = old_feedback.update(name="", email="", client_hash="")
        votes = Vote.objects.filter(created_at__lt=cutoff).exclude(client_hash="").update(client_hash="")
        # With them go the emails they were written to (a reply holds the reader's address).
        emails, _ = OutboxMessage.objects.filter(created_at__lt=cutoff).delete()
        counters = rate_limit_counters_purge()
    return {"feedback": feedback, "votes": votes, "emails": emails, "rate_limit_counters": counters}
