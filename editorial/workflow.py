"""How an article moves through review, and who may do what: the one gate.

Every path that changes published content, status, review data or an article's existence (the
admin's form, buttons and bulk actions, the revision pages, delete and recover, imports) calls a
function here. Each checks who may do it and from which state, writes in one transaction, stores
a revision and records a workflow event: who, when, what and why.

Published articles are never edited in place. Their next version is drafted in a working copy (a
separate, never published row); approving it copies it onto the live article at once.
"""

import dataclasses
import datetime
from collections.abc import Callable
from contextlib import contextmanager

import reversion
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from reversion.models import Version

from encyclopedia import article_images
from encyclopedia.models import WRITING_STATES, Article, ArticleRedirect, SiteSettings, Status, next_review_due

from . import notifications
from .content import ArticleContent
from .models import WorkflowEvent

PUBLISH_PERMISSION = "encyclopedia.publish_article"
CHANGE_PERMISSION = "encyclopedia.change_article"
DELETE_PERMISSION = "encyclopedia.delete_article"
Action = WorkflowEvent.Action


# Who may do what.


def can_publish(user: AbstractBaseUser) -> bool:
    """Approve, schedule, request changes, unpublish, record reviews, delete and recover: Medical reviewers."""
    return user.has_perm(PUBLISH_PERMISSION)


def can_edit(user: AbstractBaseUser, article: Article | None = None) -> bool:
    """Change the content in the form. A draft or one sent back with changes requested, yes; an article in review
    only with a reviewer; a published one never in place (its working copy instead)."""
    if not user.has_perm(CHANGE_PERMISSION):
        return False
    if article is None or article.pk is None or article.status in WRITING_STATES:
        return True
    return article.status == Status.IN_REVIEW and can_publish(user)


def can_delete(user: AbstractBaseUser) -> bool:
    return can_publish(user) and user.has_perm(DELETE_PERMISSION)


def _require(allowed: bool, action: Action) -> None:
    if not allowed:
        raise PermissionDenied(f"You do not have permission to do this: {action.label.lower()}.")


def _comment_required(comment: str) -> str:
    if not comment.strip():
        raise ValidationError("Say why: the comment is kept in the article's review history.", code="comment_required")
    return comment.strip()


# Recording.


def record_event(*, article: Article, by: AbstractBaseUser, action: Action, from_status: str, comment: str = ""):
    """The workflow event of one step: on the live article when the step was taken on its working copy."""
    live = article.live_article if article.is_working_copy else article
    return WorkflowEvent.objects.create(
        article=live if live.pk else None, article_uuid=live.uuid, article_title=live.title, on_working_copy=article.is_working_copy,
        action=action, from_status=from_status, to_status=article.status, by=by, comment=comment.strip(),
    )  # fmt: skip


@contextmanager
def _step(*, article: Article, by: AbstractBaseUser, action: Action, allowed_from: set[Status], comment: str = ""):
    """Lock the article's row, check its state, let the caller change it, then store a revision and the event."""
    comment = comment.strip()
    with transaction.atomic(), reversion.create_revision():
        # Lock the row: a concurrent transition or save waits, then sees the new state.
        current = Article.objects.select_for_update(of=("self",)).select_related("live_article").get(pk=article.pk)
        if current.status not in allowed_from:
            raise ValidationError(
                "“%(title)s” is %(status)s, so it cannot be %(action)s.",
                code="invalid_transition",
                params={"title": current.title, "status": current.get_status_display().lower(),
                        "action": action.label.lower()},
            )  # fmt: skip
        from_status = current.status
        yield current
        record_event(article=current, by=by, action=action, from_status=from_status, comment=comment)
        reversion.set_user(by)
        # Beside the admin's own change message when the step came with a save ("Changed Title. Approved…").
        step = action.label + (f": {comment}" if comment else "")
        reversion.set_comment(f"{reversion.get_comment()} {step}".strip())


def _require_images_ready(article: Article, *, for_publication: bool) -> None:
    """Readers must never see an image the library has not described, credited and cleared: review starts only
    with alternative text and credits, and publication also needs consent for clinical photographs and a licence
    still in force."""
    if for_publication:
        problems = article_images.publication_problems(article)
    else:
        problems = article_images.images_needing_details(article_images.images_of(article))
    if problems:
        raise ValidationError(
            "The images of “%(title)s” are not ready: %(problems)s",
            code="images_not_ready",
            params={"title": article.title, "problems": " ".join(problems)},
        )


def _refreshed(article: Article) -> Article:
    article.refresh_from_db()
    return article


# Transitions.


def article_submit_for_review(*, article: Article, by: AbstractBaseUser, comment: str = "") -> Article:
    _require(by.has_perm(CHANGE_PERMISSION), Action.SUBMIT)
    with _step(article=article, by=by, action=Action.SUBMIT, allowed_from=WRITING_STATES, comment=comment) as current:
        _require_images_ready(current, for_publication=False)
        current.status = Status.IN_REVIEW
        current.save(update_fields=["status"])
        notifications.article_step_notify(article=current, by=by, action=Action.SUBMIT, comment=comment)
    return _refreshed(article)


def article_approve_and_publish(
    *, article: Article, by: AbstractBaseUser, comment: str = "", reading_override_reason: str = ""
) -> Article:
    """Publish now, or at the article's future "published at" (scheduled: no background job needed). A working
    copy is copied onto its live article at once, which readers then see, and goes away (the live article is
    returned); with a future "published at" it waits for publish_scheduled_changes.

    When the site settings ask for it, an article over the target reading age needs the reviewer's reason
    (`reading_override_reason`), kept in the review history with the approval."""
    _require(can_publish(by), Action.APPROVE)
    comment = _reading_override(article, comment, reading_override_reason)
    allowed = {*WRITING_STATES, Status.IN_REVIEW}
    scheduled = article.published_at is not None and article.published_at > timezone.now()
    action = Action.SCHEDULE if scheduled else Action.APPROVE
    with _step(article=article, by=by, action=action, allowed_from=allowed, comment=comment) as current:
        _require_images_ready(current, for_publication=True)
        notifications.article_step_notify(article=current, by=by, action=action, comment=comment)
        if not current.is_working_copy:
            current.status = Status.PUBLISHED
            current.save(update_fields=["status"])
        elif scheduled:
            current.status = Status.SCHEDULED_CHANGE
            current.save(update_fields=["status"])
        else:
            return _apply_working_copy(current)
    return _refreshed(article)


def _reading_override(article: Article, comment: str, reason: str) -> str:
    """The approval's comment, with the reviewer's override when the article is over the target reading age and
    the site requires one; without a reason, ValidationError."""
    target, override_required = SiteSettings.reading_rules()
    reading_age = Article.objects.filter(pk=article.pk).values_list("reading_age", flat=True).first()
    if not override_required or reading_age is None or reading_age <= target:
        return comment
    if not reason.strip():
        raise ValidationError(
            "“%(title)s” has a reading age of %(age)s, over the target of %(target)s: approving it needs an "
            "override with the reason.",
            code="reading_override_required", params={"title": article.title, "age": reading_age, "target": target},
        )  # fmt: skip
    override = f"Reading age {reading_age} is over the target of {target}; approved with an override: {reason.strip()}"
    return f"{comment.strip()}\n{override}".strip()


def _apply_working_copy(copy: Article) -> Article:
    """Copy a working copy onto its live article, which readers then see, and remove it."""
    live = Article.objects.select_for_update().get(pk=copy.live_article_id)
    content = ArticleContent.of_article(copy)
    copy.delete()  # first: the address it holds is its live article's to take
    content.write_to(live)
    copy.status = Status.PUBLISHED  # for the workflow event: the version it carried is now published
    return live


def publish_scheduled_changes() -> list[Article]:
    """Apply the working copies whose scheduled time has come (run every minute from cron), each recorded in
    the name of the reviewer who approved it. Returns the live articles changed."""
    changed = []
    due = Article.objects.filter(status=Status.SCHEDULED_CHANGE, published_at__lte=timezone.now())
    for copy in due.select_related("live_article"):
        approval = copy.live_article.workflow_events.filter(action=Action.SCHEDULE).first()
        with transaction.atomic(), reversion.create_revision():
            current = Article.objects.select_for_update(of=("self",), skip_locked=True).filter(pk=copy.pk).first()
            if current is None or current.status != Status.SCHEDULED_CHANGE:
                continue  # applied or changed by someone else meanwhile
            live = _apply_working_copy(current)
            record_event(
                article=current, by=approval.by, action=Action.APPROVE, from_status=Status.SCHEDULED_CHANGE,
                comment="Published at the scheduled time.",
            )  # fmt: skip
            reversion.set_user(approval.by)
            reversion.set_comment("Scheduled change published")
            notifications.scheduled_publication_notify(copy=current, live=live, approval=approval)
        changed.append(live)
    return changed


def article_request_changes(*, article: Article, by: AbstractBaseUser, comment: str) -> Article:
    _require(can_publish(by), Action.REQUEST_CHANGES)
    comment = _comment_required(comment)
    allowed = {Status.IN_REVIEW, Status.SCHEDULED_CHANGE}
    with _step(article=article, by=by, action=Action.REQUEST_CHANGES, allowed_from=allowed, comment=comment) as current:
        current.status = Status.CHANGES_REQUESTED
        current.save(update_fields=["status"])
        # The author is told, with the comment, whatever state the article is sent back to.
        notifications.article_step_notify(article=current, by=by, action=Action.REQUEST_CHANGES, comment=comment)
    return _refreshed(article)


def article_unpublish(*, article: Article, by: AbstractBaseUser, comment: str = "") -> Article:
    """Take a published article offline. A working copy it had becomes its text, as a draft: nothing is lost,
    and there is no second version to keep apart any more."""
    _require(can_publish(by), Action.UNPUBLISH)
    allowed = {Status.PUBLISHED}
    with _step(article=article, by=by, action=Action.UNPUBLISH, allowed_from=allowed, comment=comment) as current:
        current.status = Status.DRAFT
        current.save(update_fields=["status"])
        copy = Article.objects.filter(live_article=current).first()
        if copy is not None:
            content = ArticleContent.of_article(copy)
            copy.delete()
            content.write_to(current)
    return _refreshed(article)


def article_record_review(
    *, article: Article, by: AbstractBaseUser, reviewed_on: datetime.date | None = None, comment: str = ""
) -> Article:
    """A medical reviewer has checked the article: they become its named reviewer, and the next review is due
    one review interval later. Review data belongs to the live article, never to a working copy."""
    _require(can_publish(by), Action.REVIEW)
    if article.is_working_copy:
        raise ValidationError("Record the review on the published article, not on its working copy.", code="copy")
    reviewed_on = reviewed_on or timezone.localdate()
    with _step(article=article, by=by, action=Action.REVIEW, allowed_from=set(Status), comment=comment) as current:
        current.last_reviewed_on = reviewed_on
        current.reviewed_by = by
        current.next_review_due = next_review_due(reviewed_on)
        current.save(update_fields=["last_reviewed_on", "reviewed_by", "next_review_due"])
    return _refreshed(article)


TRANSITIONS: dict[str, Callable[..., Article]] = {
    "submit": article_submit_for_review,
    "approve": article_approve_and_publish,
    "request_changes": article_request_changes,
    "unpublish": article_unpublish,
    "review": article_record_review,
}

# Steps offered on a page that cannot be saved: they change no content.
STEPS_WITHOUT_CONTENT = {"unpublish", "review"}


def available_transitions(article: Article, user: AbstractBaseUser) -> list[str]:
    """The transition names this user may apply to this article now (for the admin's buttons)."""
    names = []
    if article.status in WRITING_STATES and user.has_perm(CHANGE_PERMISSION):
        names.append("submit")
    if can_publish(user):
        if article.status in {*WRITING_STATES, Status.IN_REVIEW}:
            names.append("approve")
        if article.status in {Status.IN_REVIEW, Status.SCHEDULED_CHANGE}:
            names.append("request_changes")
        if article.status == Status.PUBLISHED:
            names.append("unpublish")
        if article.pk and not article.is_working_copy:
            names.append("review")
    return names


# Working copies.


def article_start_working_copy(*, article: Article, by: AbstractBaseUser) -> Article:
    """The working copy of a published article, made now with the live content, or the one it already has."""
    _require(by.has_perm(CHANGE_PERMISSION), Action.START_WORKING_COPY)
    allowed = {Status.PUBLISHED}
    if article.is_working_copy:
        raise ValidationError("This is already a working copy.", code="copy")
    if (existing := Article.objects.filter(live_article=article).first()) is not None:
        return existing
    with _step(article=article, by=by, action=Action.START_WORKING_COPY, allowed_from=allowed) as live:
        copy = Article(live_article=live, status=Status.DRAFT)
        ArticleContent.of_article(live).write_to(copy)
    return copy


def article_discard_working_copy(*, article: Article, by: AbstractBaseUser, comment: str = "") -> Article:
    """Throw a working copy's changes away; readers never saw them. Returns the live article."""
    _require(by.has_perm(CHANGE_PERMISSION), Action.DISCARD_WORKING_COPY)
    if not article.is_working_copy:
        raise ValidationError("Only a working copy can be discarded.", code="not_a_copy")
    allowed = WRITING_STATES if not can_publish(by) else {*WRITING_STATES, Status.IN_REVIEW, Status.SCHEDULED_CHANGE}
    with _step(
        article=article, by=by, action=Action.DISCARD_WORKING_COPY, allowed_from=allowed, comment=comment
    ) as copy:
        live = copy.live_article
        copy.delete()
    return live


# Imports.

# What only a medical reviewer may set, whatever the path.
REVIEWED_FIELDS = ("status", "published_at", "last_reviewed_on", "reviewed_by_id", "next_review_due")


def reviewed_state() -> dict[int, tuple]:
    """Each article's status, publication time and review data: what an import must compare."""
    return {row[0]: row[1:] for row in Article.objects.articles().values_list("pk", *REVIEWED_FIELDS)}


def article_import_record(*, by: AbstractBaseUser, before: dict[int, tuple], written_ids, source: str) -> None:
    """Called inside the import's transaction once the files are written: refuses (so that nothing is kept)
    what the importer may not do, and records who imported each article written. Without a reviewer's rights
    an import may create and change drafts only: no published article's content, no status, publication time
    or review data."""
    _require(by.has_perm(CHANGE_PERMISSION) and by.has_perm("encyclopedia.add_article"), Action.IMPORT)
    written = Article.objects.filter(pk__in=written_ids).order_by("kind", "slug")
    if not can_publish(by):
        now = {row[0]: row[1:] for row in written.values_list("pk", *REVIEWED_FIELDS)}
        refused = [
            f"{article.kind}/{article.slug}"
            for article in written
            if before.get(article.pk, (Status.DRAFT, None, None, None, None))[0] not in WRITING_STATES
            or now[article.pk] != before.get(article.pk, (Status.DRAFT, None, None, None, None))
        ]
        if refused:
            raise PermissionDenied(
                "Only a medical reviewer may import changes to published articles, or a status, publication "
                f"time or review data: {', '.join(refused)}."
            )
    for article in written:
        record_event(article=article, by=by, action=Action.IMPORT, from_status=before.get(article.pk, ("",))[0],
                     comment=source)  # fmt: skip


# Revisions: restore, delete, recover.


def article_version(article_id: int | str, version_id: int | str) -> Version:
    """A stored version of this very article, or ValidationError: never one of another article or model."""
    try:
        return Version.objects.select_related("revision").get(
            pk=int(version_id), object_id=str(int(article_id)), content_type=ContentType.objects.get_for_model(Article)
        )
    except (Version.DoesNotExist, ValueError, TypeError):
        raise ValidationError("That is not a revision of this article.", code="foreign_version") from None


def article_restore_revision(*, article: Article, version: Version, by: AbstractBaseUser) -> Article:
    """Load an old revision's content as a new draft: into the working copy of a published article (made if
    needed), or into the article itself otherwise. Status and review data stay as they are, so readers see
    nothing of it until a reviewer approves. Returns the article that now holds the draft."""
    _require(by.has_perm(CHANGE_PERMISSION), Action.RESTORE)
    if version.object_id != str(article.pk) or version.content_type != ContentType.objects.get_for_model(Article):
        raise ValidationError("That is not a revision of this article.", code="foreign_version")
    old = ArticleContent.of_version(version)
    content = dataclasses.replace(old, fields={**old.fields, "updated_at": timezone.now()})  # a change made now
    target = article
    if article.status == Status.PUBLISHED:
        target = article_start_working_copy(article=article, by=by)
    elif not can_edit(by, article):
        _require(False, Action.RESTORE)
    when = timezone.localtime(version.revision.date_created).strftime("%d %B %Y %H:%M")
    allowed = {*WRITING_STATES, Status.IN_REVIEW}
    with _step(article=target, by=by, action=Action.RESTORE, allowed_from=allowed, comment=f"from {when}") as current:
        if current.status == Status.IN_REVIEW:
            current.status = Status.DRAFT  # a sent-back article stays sent back, with its reviewer's comment
        content.write_to(current)
    return _refreshed(target)


def article_delete(*, article: Article, by: AbstractBaseUser, comment: str) -> None:
    """Delete an article for good (its addresses then answer 410 Gone); a reviewer's step, with the reason."""
    _require(can_delete(by), Action.DELETE)
    comment = _comment_required(comment)
    with _step(article=article, by=by, action=Action.DELETE, allowed_from=set(Status), comment=comment) as current:
        reversion.add_to_revision(current)  # the last revision holds what was deleted, for recovering it
        current.delete()


def deleted_article_versions():
    """The last stored version of each deleted article (never of a working copy), newest first."""
    return [
        version
        for version in Version.objects.get_deleted(Article).select_related("revision")
        if version.field_dict.get("live_article_id") is None
    ]


def article_recover(*, version: Version, by: AbstractBaseUser, comment: str) -> Article:
    """Bring a deleted article back, as a draft, with its identifier, content and review data; a reviewer's
    step, with the reason. Readers see it again only once it is approved."""
    _require(can_publish(by) and by.has_perm("encyclopedia.add_article"), Action.RECOVER)
    comment = _comment_required(comment)
    if version.content_type != ContentType.objects.get_for_model(Article) or version.pk not in {
        v.pk for v in deleted_article_versions()
    }:
        raise ValidationError("That is not a deleted article.", code="not_deleted")
    stored = version.field_dict
    if Article.objects.articles().filter(kind=stored["kind"], slug=stored["slug"]).exists():
        raise ValidationError(
            "Another article now has the address %(kind)s/%(slug)s: change its address first.",
            code="address_taken", params={"kind": stored["kind"], "slug": stored["slug"]},
        )  # fmt: skip
    reviewer = get_user_model().objects.filter(pk=stored["reviewed_by_id"]).first()  # None if since removed
    with transaction.atomic(), reversion.create_revision():
        article = Article(
            pk=stored["id"], uuid=stored["uuid"], status=Status.DRAFT, published_at=None,
            last_reviewed_on=stored["last_reviewed_on"], reviewed_by=reviewer, next_review_due=stored["next_review_due"],
        )  # fmt: skip
        ArticleContent.of_version(version).write_to(article)
        record_event(article=article, by=by, action=Action.RECOVER, from_status="deleted", comment=comment)
        ArticleRedirect.objects.filter(article=None, kind=article.kind, slug=article.slug).delete()
        reversion.set_user(by)
        reversion.set_comment(f"{Action.RECOVER.label}: {comment}")
    return article
