from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Count, F, FloatField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Coalesce, NullIf
from django.urls import reverse
from django.utils import timezone

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
            # The triage list filtered by status (?status__exact=new), newest first.
            models.Index(fields=["status", "-created_at"], name="feedback_triage_idx"),
            # The triage list's default view: everything but spam, newest first (ORDER BY created_at
            # DESC, id DESC LIMIT 100), and its count, without reading the spam.
            models.Index(fields=["-created_at", "-id"], condition=~Q(status="spam"), name="feedback_not_spam_idx"),
            # "Assigned to me" (?assigned=me) and the daily digest's feedback assigned to each person.
            models.Index(fields=["assignee", "-created_at"], name="feedback_assignee_idx"),
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


class FeedbackNote(models.Model):
    """One internal note in a feedback item's thread: never shown to the reader, never edited."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="Empty for a note written before notes had authors, or by a removed account.",
    )  # fmt: skip
    created_at = models.DateTimeField("written", default=timezone.now)
    body = text.TextField("note")

    class Meta:
        ordering = ["created_at", "pk"]
        get_latest_by = "created_at"
        constraints = [models.CheckConstraint(condition=~Q(body=""), name="feedback_note_has_text")]

    def __str__(self) -> str:
        return f"Note by {self.author or 'someone'} on {self.created_at:%Y-%m-%d %H:%M}"


class FeedbackReply(models.Model):
    """An answer emailed to a reader who left an address. The address itself is kept only on the
    feedback (emptied by purge_feedback_personal_data) and on the outbox message that carries the
    reply (deleted by the same purge): this record keeps what was said, by whom and when."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField("written", default=timezone.now)
    body = text.TextField("reply")

    class Meta:
        ordering = ["created_at", "pk"]
        get_latest_by = "created_at"
        verbose_name_plural = "replies"
        constraints = [models.CheckConstraint(condition=~Q(body=""), name="feedback_reply_has_text")]

    def __str__(self) -> str:
        return f"Reply by {self.author or 'someone'} on {self.created_at:%Y-%m-%d %H:%M}"


class EmailKind(models.TextChoices):
    """The kinds of email the site sends to its staff (and, for replies, to readers)."""

    SUBMITTED = "submitted", "An article is submitted for review (to medical reviewers)"
    CHANGES_REQUESTED = "changes_requested", "Changes are requested on my article"
    APPROVED = "approved", "My article is approved and published"
    SCHEDULED = "scheduled", "My article is approved and scheduled"
    PUBLISHED = "published", "My scheduled article is published"
    DIGEST = "digest", "Daily digest: reviews falling due and feedback assigned to me"
    REPLY = "reply", "Reply to a reader"


class NotificationPreference(models.Model):
    """Which emails one staff member wants; every kind is on until they turn it off."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    submitted = models.BooleanField(EmailKind.SUBMITTED.label, default=True)
    changes_requested = models.BooleanField(EmailKind.CHANGES_REQUESTED.label, default=True)
    approved = models.BooleanField(EmailKind.APPROVED.label, default=True)
    scheduled = models.BooleanField(EmailKind.SCHEDULED.label, default=True)
    published = models.BooleanField(EmailKind.PUBLISHED.label, default=True)
    digest = models.BooleanField(EmailKind.DIGEST.label, default=True)

    class Meta:
        verbose_name = "my email notifications"
        verbose_name_plural = "my email notifications"

    def __str__(self) -> str:
        return f"Email notifications of {self.user}"

    def get_absolute_url(self) -> str:
        return reverse("admin:editorial_notificationpreference_change", args=[self.pk])


class OutboxQuerySet(models.QuerySet):
    def pending(self) -> "OutboxQuerySet":
        return self.filter(sent_at__isnull=True).order_by("created_at", "pk")


class OutboxMessage(models.Model):
    """One email, stored in the transaction that caused it and sent after the commit; a failing mail
    server leaves it pending for send_notifications to retry. Deleted by purge_feedback_personal_data
    once older than FEEDBACK_PERSONAL_DATA_DAYS, with the address it held."""

    recipient = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        help_text="The staff member it is for; empty for a reply to a reader.",
    )  # fmt: skip
    kind = models.CharField(max_length=30, choices=EmailKind.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField("queued", auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"
        indexes = [
            # send_notifications: the few messages still waiting, oldest first.
            models.Index(fields=["created_at"], condition=Q(sent_at__isnull=True), name="outbox_pending_idx"),
            # send_daily_digest: has this person had today's digest already?
            models.Index(fields=["user", "kind", "-created_at"], name="outbox_user_kind_idx"),
            # purge_feedback_personal_data: messages older than the retention period.
            models.Index(fields=["created_at"], name="outbox_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient} ({'sent' if self.sent_at else 'pending'})"


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


class PlainWord(models.Model):
    """A hard word and the everyday words to use instead ("abdomen" → "tummy, belly"): the reading check
    names the alternative wherever an article uses the word."""

    word = models.CharField(
        max_length=60, unique=True,
        validators=[RegexValidator(r"^[a-z][a-z'-]*$", "One word, in small letters (hyphens and apostrophes allowed).")],
        help_text="One word, in small letters: “abdomen”. Its plural (“-s”) is found too. Only words of three "
        "syllables or more are highlighted: shorter words already count as plain.",
    )  # fmt: skip
    plain = models.CharField(
        "plain alternative", max_length=200, help_text="What to write instead, alternatives separated by commas."
    )

    class Meta:
        ordering = ["word"]
        verbose_name = "plain word"

    def __str__(self) -> str:
        return f"{self.word} → {self.plain}"

    def clean(self) -> None:
        self.word = self.word.strip().lower()

    @classmethod
    def as_dict(cls) -> dict[str, str]:
        return dict(cls.objects.values_list("word", "plain"))
