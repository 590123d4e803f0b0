"""Email to the people who make the encyclopedia: an outbox row per message, written in the
transaction that caused it and sent once that transaction commits, so a rolled-back step sends
nothing and a failing mail server loses nothing (send_notifications retries what is pending).

Nobody gets a link they cannot open: each message is queued only for a recipient whose
permissions open the admin page it links to, and only for kinds they have not turned off.
"""

import datetime
import functools
import logging
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import Permission
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from encyclopedia.models import Article

from .models import EmailKind, Feedback, NotificationPreference, OutboxMessage, WorkflowEvent

logger = logging.getLogger(__name__)
Action = WorkflowEvent.Action

# What each link in a message needs of its recipient.
ARTICLE_LINK_PERMISSION = "encyclopedia.view_article"
FEEDBACK_LINK_PERMISSION = "editorial.view_feedback"
TRIAGE_PERMISSION = "editorial.change_feedback"
REVIEWER_PERMISSION = ("encyclopedia", "publish_article")

# The workflow step an email to the author reports, by the step's action.
AUTHOR_KIND = {
    Action.REQUEST_CHANGES: EmailKind.CHANGES_REQUESTED,
    Action.APPROVE: EmailKind.APPROVED,
    Action.SCHEDULE: EmailKind.SCHEDULED,
}


def site_url() -> str:
    return settings.FEEDBACK_SITE_URL.rstrip("/")


def may_receive(user: AbstractBaseUser, *, link_permission: str | None) -> bool:
    """An active staff member with an address, who can open the link the message holds."""
    if not (user.is_active and user.is_staff and user.email):
        return False
    return link_permission is None or user.has_perm(link_permission)


def wanting(users: Iterable[AbstractBaseUser], kind: EmailKind) -> list[AbstractBaseUser]:
    """The users who have not turned `kind` off (one query)."""
    users = list(users)
    turned_off = set(
        NotificationPreference.objects.filter(user__in=users, **{kind.value: False}).values_list("user_id", flat=True)
    )
    return [user for user in users if user.pk not in turned_off]


def email_queue(
    *, kind: EmailKind, template: str, context: dict, user: AbstractBaseUser | None = None, recipient: str = ""
) -> OutboxMessage:
    """Store one message, rendered now, and send it once the current transaction commits."""
    context = {**context, "site_url": site_url(), "user": user}
    message = OutboxMessage.objects.create(
        recipient=recipient or user.email,
        user=user,
        kind=kind,
        subject=" ".join(render_to_string(f"editorial/email/{template}_subject.txt", context).split())[:200],
        body=render_to_string(f"editorial/email/{template}_body.txt", context),
    )
    # Robust: the step is committed whatever happens to the email; the command retries it.
    transaction.on_commit(functools.partial(outbox_send, message_id=message.pk), robust=True)
    return message


def outbox_send(*, message_id: int) -> bool:
    """Send one pending message; True when sent. A failure is counted and kept on the row (its
    type only in the log: the error's text can hold addresses)."""
    with transaction.atomic():
        # Locked while sending, so that the request's callback and the command never both send it.
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, sent_at__isnull=True)
            .first()
        )
        if message is None:
            return False
        email = EmailMessage(
            subject=message.subject, body=message.body, from_email=settings.FEEDBACK_FROM_EMAIL, to=[message.recipient]
        )
        try:
            email.send()
        except Exception as error:  # any failure of the mail server or its connection
            logger.warning("Outbox message %s not sent (%s); will retry.", message_id, type(error).__name__)
            OutboxMessage.objects.filter(pk=message_id).update(
                attempts=F("attempts") + 1, last_error=f"{type(error).__name__}: {error}"[:300]
            )
            return False
        OutboxMessage.objects.filter(pk=message_id).update(
            sent_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
        )
    return True


# The workflow's emails.


def reviewers() -> list[AbstractBaseUser]:
    """Everyone given the medical reviewer's permission, through a role or directly (superusers only so)."""
    permission = Permission.objects.filter(
        content_type__app_label=REVIEWER_PERMISSION[0], codename=REVIEWER_PERMISSION[1]
    ).first()
    return list(
        get_user_model()
        .objects.filter(Q(groups__permissions=permission) | Q(user_permissions=permission), is_active=True)
        .distinct()
        .order_by("pk")
    )


def article_author(article: Article) -> AbstractBaseUser | None:
    """Who sent this version for review last: the person the reviewer's answer is for."""
    live = article.live_article if article.is_working_copy else article
    submitted = (
        WorkflowEvent.objects.filter(
            article_uuid=live.uuid, action=Action.SUBMIT, on_working_copy=article.is_working_copy
        )
        .select_related("by")
        .order_by("-at", "-pk")
        .first()
    )
    return submitted.by if submitted else None


def article_step_notify(*, article: Article, by: AbstractBaseUser, action: Action, comment: str = "") -> None:
    """Queue the emails one workflow step sends (called by workflow.py inside the step's transaction):
    submitted → the medical reviewers; changes requested, approved, scheduled → the article's author.
    Nobody is emailed about their own step."""
    live = article.live_article if article.is_working_copy else article
    # An approved working copy is copied onto its live article and removed: the link is the live one.
    linked = live if action == Action.APPROVE else article
    context = {
        "article": article,
        "title": article.title,
        "by": by,
        "comment": comment.strip(),
        "admin_url": reverse("admin:encyclopedia_article_change", args=[linked.pk]),
        "public_url": live.get_absolute_url(),
        "published_at": article.published_at,
    }
    if action == Action.SUBMIT:
        kind, recipients = EmailKind.SUBMITTED, reviewers()
    elif action in AUTHOR_KIND:
        author = article_author(article)
        kind, recipients = AUTHOR_KIND[action], [author] if author else []
    else:
        return
    chosen = [u for u in recipients if u.pk != by.pk and may_receive(u, link_permission=ARTICLE_LINK_PERMISSION)]
    for user in wanting(chosen, kind):
        email_queue(kind=kind, template="article_step", context={**context, "kind": kind}, user=user)


def scheduled_publication_notify(*, copy: Article, live: Article, approval: WorkflowEvent) -> None:
    """A working copy approved for later (`copy`, now applied) is what readers see: tell its author."""
    author = article_author(copy)
    if author is None or not may_receive(author, link_permission=ARTICLE_LINK_PERMISSION):
        return
    context = {
        "kind": EmailKind.PUBLISHED, "article": live, "title": live.title, "by": approval.by, "comment": "",
        "admin_url": reverse("admin:encyclopedia_article_change", args=[live.pk]),
        "public_url": live.get_absolute_url(), "published_at": live.published_at,
    }  # fmt: skip
    for user in wanting([author], EmailKind.PUBLISHED):
        email_queue(kind=EmailKind.PUBLISHED, template="article_step", context=context, user=user)


# The daily digest.

DIGEST_REVIEW_DAYS = 30
OPEN_FEEDBACK = (Feedback.Status.NEW, Feedback.Status.IN_PROGRESS)


def digest_queue(*, today: datetime.date | None = None) -> int:
    """Queue today's digest for each person with something in it and the digest on: the medical reviews
    they are named on that are overdue or due within 30 days, and the open feedback assigned to them.
    A person gets one digest a day however often this runs. Returns how many were queued."""
    today = today or timezone.localdate()
    start_of_day = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    reviews = defaultdict(list)
    due = (
        Article.objects.articles()
        .filter(reviewed_by__isnull=False, next_review_due__lte=today + datetime.timedelta(days=DIGEST_REVIEW_DAYS))
        .order_by("next_review_due", "title")
        .only("pk", "title", "kind", "slug", "next_review_due", "reviewed_by_id")
    )  # once a day, so a scan of the articles is fine
    for article in due:
        reviews[article.reviewed_by_id].append(article)
    assigned = defaultdict(list)
    for feedback in (
        Feedback.objects.filter(assignee__isnull=False, status__in=OPEN_FEEDBACK)
        .select_related("article")
        .order_by("created_at", "pk")
    ):  # feedback_assignee_idx
        assigned[feedback.assignee_id].append(feedback)
    already = set(
        OutboxMessage.objects.filter(kind=EmailKind.DIGEST, created_at__gte=start_of_day).values_list(
            "user_id", flat=True
        )
    )
    people = get_user_model().objects.filter(pk__in=(set(reviews) | set(assigned)) - already).order_by("pk")
    queued = 0
    for user in wanting(people, EmailKind.DIGEST):
        # Each part only for someone who can open its links.
        context = {
            "today": today,
            "reviews": reviews[user.pk] if may_receive(user, link_permission=ARTICLE_LINK_PERMISSION) else [],
            "feedback": [
                item
                for item in assigned[user.pk]
                # Feedback about the site in general opens only to those who triage (FeedbackAdmin.get_queryset).
                if may_receive(user, link_permission=FEEDBACK_LINK_PERMISSION)
                and (item.article_id or user.has_perm(TRIAGE_PERMISSION))
            ],
            "feedback_list_url": reverse("admin:editorial_feedback_changelist") + "?assigned=me",
        }
        if context["reviews"] or context["feedback"]:
            with transaction.atomic():
                email_queue(kind=EmailKind.DIGEST, template="digest", context=context, user=user)
            queued += 1
    return queued
