"""How an article moves through review. One function per transition, used by the admin's
buttons and actions alike: each checks who may do it and from which state, writes in one
transaction, stores a revision and records who, when and why."""

import reversion
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from encyclopedia.models import Article, Status

from . import revisions  # noqa: F401  (registers articles for revisions)
from .models import WorkflowEvent

PUBLISH_PERMISSION = "encyclopedia.publish_article"
CHANGE_PERMISSION = "encyclopedia.change_article"


def can_publish(user: AbstractBaseUser) -> bool:
    return user.has_perm(PUBLISH_PERMISSION)


def _transition(
    *,
    article: Article,
    by: AbstractBaseUser,
    action: WorkflowEvent.Action,
    allowed_from: set[Status],
    to: Status,
    permission: str,
    comment: str,
) -> Article:
    if not by.has_perm(permission):
        raise PermissionDenied(f"You do not have permission to do this: {action.label.lower()}.")
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
        current.status = to
        current.save(update_fields=["status"])
        WorkflowEvent.objects.create(
            article=current, action=action, from_status=from_status, to_status=to, by=by, comment=comment.strip()
        )
        reversion.set_user(by)
        reversion.set_comment(action.label + (f": {comment.strip()}" if comment.strip() else ""))
    article.refresh_from_db()
    return article


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


TRANSITIONS = {
    "submit": article_submit_for_review,
    "approve": article_approve_and_publish,
    "request_changes": article_request_changes,
    "unpublish": article_unpublish,
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
    return names
