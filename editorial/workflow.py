"""How an article moves through review. One function per transition, used by the admin's
buttons and actions alike: each checks who may do it and from which state, writes in one
transaction, stores a revision and records who, when and why."""

import datetime
from collections.abc import Callable

import reversion
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from encyclopedia.models import Article, Status, next_review_due

from .models import WorkflowEvent

PUBLISH_PERMISSION = "encyclopedia.publish_article"
CHANGE_PERMISSION = "encyclopedia.change_article"


def can_publish(user: AbstractBaseUser) -> bool:
    return user.has_perm(PUBLISH_PERMISSION)


def _record(
    *,
    article: Article,
    by: AbstractBaseUser,
    action: WorkflowEvent.Action,
    permission: str,
    comment: str,
    allowed_from: set[Status],
    change: Callable[[Article], list[str]],
) -> Article:
    """Check, apply `change` (which returns the fields it set) and record it, in one transaction."""
    if not by.has_perm(permission):
        raise PermissionDenied(f"You do not have permission to do this: {action.label.lower()}.")
    comment = comment.strip()
    with transaction.atomic(), reversion.create_revision():
        # Lock the row: a concurrent transition or save waits, then sees the new state.
        current = Article.objects.select_for_update().get(pk=article.pk)
        if current.status not in allowed_from:
            raise ValidationError(
                "“%(title)s” is %(status)s, so it cannot be %(action)s.",
                code="invalid_transition",
                params={"title": current.title, "status": current.get_status_display().lower(),
                        "action": action.label.lower()},
            )  # fmt: skip
        from_status = current.status
        current.save(update_fields=change(current))
        WorkflowEvent.objects.create(
            article=current, action=action, from_status=from_status, to_status=current.status, by=by, comment=comment
        )
        reversion.set_user(by)
        reversion.set_comment(action.label + (f": {comment}" if comment else ""))
    article.refresh_from_db()
    return article


def _transition(*, to: Status, **kwargs) -> Article:
    def change(article: Article) -> list[str]:
        article.status = to
        return ["status"]

    return _record(change=change, **kwargs)


def article_submit_for_review(*, article: Article, by: AbstractBaseUser, comment: str = "") -> Article:
    return _transition(
        article=article, by=by, action=WorkflowEvent.Action.SUBMIT, allowed_from={Status.DRAFT},
        to=Status.IN_REVIEW, permission=CHANGE_PERMISSION, comment=comment,
    )  # fmt: skip


def article_approve_and_publish(*, article: Article, by: AbstractBaseUser, comment: str = "") -> Article:
    """Publish now, or at the article's future "published at" (scheduled: no background job needed)."""
    return _transition(
        article=article, by=by, action=WorkflowEvent.Action.APPROVE, allowed_from={Status.DRAFT, Status.IN_REVIEW},
        to=Status.PUBLISHED, permission=PUBLISH_PERMISSION, comment=comment,
    )  # fmt: skip


def article_request_changes(*, article: Article, by: AbstractBaseUser, comment: str) -> Article:
    if not comment.strip():
        raise ValidationError("Say what should change: the author sees this comment.", code="comment_required")
    return _transition(
        article=article, by=by, action=WorkflowEvent.Action.REQUEST_CHANGES, allowed_from={Status.IN_REVIEW},
        to=Status.DRAFT, permission=PUBLISH_PERMISSION, comment=comment,
    )  # fmt: skip


def article_unpublish(*, article: Article, by: AbstractBaseUser, comment: str = "") -> Article:
    return _transition(
        article=article, by=by, action=WorkflowEvent.Action.UNPUBLISH, allowed_from={Status.PUBLISHED},
        to=Status.DRAFT, permission=PUBLISH_PERMISSION, comment=comment,
    )  # fmt: skip


def article_record_review(
    *, article: Article, by: AbstractBaseUser, reviewed_on: datetime.date | None = None, comment: str = ""
) -> Article:
    """A medical reviewer has checked the article: they become its named reviewer, and the next review is due
    one review interval later."""
    reviewed_on = reviewed_on or timezone.localdate()

    def change(current: Article) -> list[str]:
        current.last_reviewed_on = reviewed_on
        current.reviewed_by = by
        current.next_review_due = next_review_due(reviewed_on)
        return ["last_reviewed_on", "reviewed_by", "next_review_due"]

    return _record(
        article=article, by=by, action=WorkflowEvent.Action.REVIEW, permission=PUBLISH_PERMISSION, comment=comment,
        allowed_from=set(Status), change=change,
    )  # fmt: skip


TRANSITIONS = {
    "submit": article_submit_for_review,
    "approve": article_approve_and_publish,
    "request_changes": article_request_changes,
    "unpublish": article_unpublish,
    "review": article_record_review,
}


def available_transitions(article: Article, user: AbstractBaseUser) -> list[str]:
    """The transition names this user may apply to this article now (for the admin's buttons)."""
    names = []
    if article.status == Status.DRAFT and user.has_perm(CHANGE_PERMISSION):
        names.append("submit")
    if can_publish(user):
        if article.status in {Status.DRAFT, Status.IN_REVIEW}:
            names.append("approve")
        if article.status == Status.IN_REVIEW:
            names.append("request_changes")
        if article.status == Status.PUBLISHED:
            names.append("unpublish")
        if article.pk:
            names.append("review")
    return names
