from django.conf import settings
from django.db import models
from django.db.models import Count, F, FloatField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Coalesce, NullIf
from django.urls import reverse

from core import text
from encyclopedia.models import Article


class Helpful(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"


class Vote(models.Model):
    """A one-click answer to "Is this page useful?". Counted per article; never a triage item."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="votes")
    helpful = models.CharField("useful?", max_length=3, choices=Helpful.choices)
    created_at = models.DateTimeField("answered", auto_now_add=True)
    client_hash = models.CharField(
        max_length=64, blank=True, editable=False,
        help_text="Keyed hash of the client's address, for abuse review; emptied by purge_feedback_personal_data.",
    )  # fmt: skip

    class Meta:
        ordering = ["-created_at"]
        get_latest_by = "created_at"
        indexes = [
            # The helpfulness figures: votes counted per article and answer.
            models.Index(fields=["article", "helpful"], name="vote_article_helpful_idx"),
            # The purge command: votes older than N days that still hold a hash.
            models.Index(fields=["created_at"], name="vote_created_idx"),
            # The editors' desk: answers per week and the least useful articles of the last 30 days, from the
            # index alone.
            models.Index(fields=["created_at", "article", "helpful"], name="vote_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_helpful_display()} on {self.article}"


class FeedbackQuerySet(models.QuerySet):
    def not_spam(self) -> "FeedbackQuerySet":
        return self.exclude(status=Feedback.Status.SPAM)

    def awaiting_notification(self) -> "FeedbackQuerySet":
        """Genuine feedback whose email to the editors has not gone out yet."""
        return self.not_spam().filter(notified_at__isnull=True).order_by("created_at", "pk")


class Feedback(models.Model):
    Helpful = Helpful

    class Category(models.TextChoices):
        CORRECTION = "correction", "Correction"
        SUGGESTION = "suggestion", "Suggestion"
        QUESTION = "question", "Question"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        NEW = "new", "New"
        IN_PROGRESS = "in_progress", "In progress"
        RESOLVED = "resolved", "Resolved"
        SPAM = "spam", "Spam"

    article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="feedback",
        help_text="Empty for general feedback about the site.",
    )  # fmt: skip
    vote = models.ForeignKey(
        Vote, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages",
        help_text="The “Is this page useful?” answer this message followed.",
    )  # fmt: skip
    category = models.CharField(
        max_length=20, choices=Category.choices, blank=True, help_text="Empty for a message written after a vote."
    )
    message = text.TextField()
    name = text.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    helpful = models.CharField(
        "was the page useful?", max_length=3, choices=Helpful.choices, blank=True,
        help_text="The reader's answer, when the message followed a vote.",
    )  # fmt: skip
    created_at = models.DateTimeField("received", auto_now_add=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    spam_reason = models.CharField(
        max_length=100, blank=True, editable=False, help_text="Why the form flagged it as spam, if it did."
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_feedback",
        limit_choices_to={"is_staff": True},
    )  # fmt: skip
    editor_note = text.TextField("internal notes", blank=True, help_text="Internal; never shown to the submitter.")
    resolved_at = models.DateTimeField(null=True, blank=True, editable=False)
    client_hash = models.CharField(
        max_length=64, blank=True, editable=False,
        help_text="Keyed hash of the client's address, for abuse review; emptied by purge_feedback_personal_data.",
    )  # fmt: skip
    notified_at = models.DateTimeField("editors notified", null=True, blank=True, editable=False)
    notification_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    notification_error = models.CharField(max_length=300, blank=True, editable=False)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        get_latest_by = "created_at"
        verbose_name_plural = "feedback"
        indexes = [
            # The triage list: newest first within a status.
            models.Index(fields=["status", "-created_at"], name="feedback_triage_idx"),
            # The editors' desk (editorial/desk.py, charts.py) reads these alone, never the table: feedback per
            # week of the last 12 (spam left out), new items per category, and the items assigned to a person.
            models.Index(fields=["created_at", "status"], name="feedback_week_idx"),
            models.Index(fields=["status", "category"], name="feedback_status_category_idx"),
            models.Index(fields=["assignee", "status"], name="feedback_assignee_status_idx"),
            # send_feedback_notifications: the few rows still waiting for their email.
            models.Index(fields=["created_at"], condition=Q(notified_at__isnull=True), name="feedback_unnotified_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(message=""), name="feedback_has_a_message"),
        ]

    def __str__(self) -> str:
        about = self.article.title if self.article else "the site"
        return f"Feedback on {about} ({self.created_at:%Y-%m-%d})" if self.created_at else f"Feedback on {about}"

    def get_admin_url(self) -> str:
        return reverse("admin:editorial_feedback_change", args=[self.pk])


class WorkflowEvent(models.Model):
    """One step of an article through review: who moved it, when, and what they said. Steps of a
    working copy are recorded on its live article; a deleted article's steps stay, by identifier."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "Submitted for review"
        APPROVE = "approve", "Approved and published"
        SCHEDULE = "schedule", "Approved and scheduled"
        REQUEST_CHANGES = "request_changes", "Changes requested"
        UNPUBLISH = "unpublish", "Unpublished"
        REVIEW = "review", "Medically reviewed"
        SAVE = "save", "Saved"
        START_WORKING_COPY = "start_working_copy", "Working copy started"
        DISCARD_WORKING_COPY = "discard_working_copy", "Working copy discarded"
        RESTORE = "restore", "Old revision restored as a draft"
        IMPORT = "import", "Imported"
        DELETE = "delete", "Deleted"
        RECOVER = "recover", "Recovered as a draft"

    article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="workflow_events"
    )
    article_uuid = models.UUIDField("article's stable identifier", db_index=True)
    article_title = text.CharField(max_length=200)
    on_working_copy = models.BooleanField(default=False, help_text="The step was taken on the working copy.")
    action = models.CharField(max_length=30, choices=Action.choices)
    from_status = models.CharField(max_length=20)
    to_status = models.CharField(max_length=20)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    comment = text.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        get_latest_by = "at"
        indexes = [
            # The editors' desk: did this person write this article ("my drafts", "sent back to me")?
            models.Index(fields=["article", "by", "action"], name="workflow_event_author_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.by} on {self.at:%Y-%m-%d %H:%M}"


class RateLimitCounter(models.Model):
    """Hits per client in a fixed time window, shared by every worker process (see editorial/ratelimit.py)."""

    scope = models.CharField(max_length=20)
    client_hash = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            # One counter per client and window; the upsert in ratelimit.py relies on it.
            models.UniqueConstraint(fields=["scope", "client_hash", "window_start"], name="ratelimit_one_counter"),
        ]
        indexes = [
            # The purge of expired windows.
            models.Index(fields=["window_start"], name="ratelimit_window_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.client_hash[:8]}… {self.hits} since {self.window_start:%H:%M}"


def articles_with_feedback_figures(articles: models.QuerySet) -> models.QuerySet:
    """Annotate articles with `feedback_count` (messages that are not spam), `vote_count`,
    `useful_count` and `useful_share` (0–1, None without votes), using subqueries so the
    counts do not multiply each other and the query count stays fixed."""

    def count_of(queryset):
        counted = queryset.filter(article=OuterRef("pk")).order_by().values("article").annotate(n=Count("pk"))
        return Coalesce(Subquery(counted.values("n")[:1]), Value(0))

    votes = Vote.objects.all()
    return articles.annotate(
        feedback_count=count_of(Feedback.objects.not_spam()),
        vote_count=count_of(votes),
        useful_count=count_of(votes.filter(helpful=Helpful.YES)),
    ).annotate(
        useful_share=Cast(F("useful_count"), FloatField()) / NullIf(Cast(F("vote_count"), FloatField()), 0.0),
    )
