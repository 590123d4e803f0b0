from django.conf import settings
from django.db import models

from encyclopedia.models import Article


class Feedback(models.Model):
    class Helpful(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        NOT_SAID = "", "Not said"

    class Status(models.TextChoices):
        NEW = "new", "New"
        IN_PROGRESS = "in_progress", "In progress"
        RESOLVED = "resolved", "Resolved"
        SPAM = "spam", "Spam"

    article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="feedback",
        help_text="Empty for general feedback about the site.",
    )  # fmt: skip
    message = models.TextField(blank=True)
    name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    helpful = models.CharField(
        "was the page helpful?", max_length=3, choices=Helpful.choices, default=Helpful.NOT_SAID, blank=True
    )
    created_at = models.DateTimeField("received", auto_now_add=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    editor_note = models.TextField(blank=True, help_text="Internal; never shown to the submitter.")

    class Meta:
        ordering = ["-created_at"]
        get_latest_by = "created_at"
        verbose_name_plural = "feedback"
        indexes = [
            # The triage list: newest first within a status.
            models.Index(fields=["status", "-created_at"], name="feedback_triage_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(message="", helpful=""), name="feedback_says_something"),
        ]

    def __str__(self) -> str:
        about = self.article.title if self.article else "the site"
        return f"Feedback on {about} ({self.created_at:%Y-%m-%d})" if self.created_at else f"Feedback on {about}"


class WorkflowEvent(models.Model):
    """One step of an article through review: who moved it, when, and what they said."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "Submitted for review"
        APPROVE = "approve", "Approved and published"
        REQUEST_CHANGES = "request_changes", "Changes requested"
        UNPUBLISH = "unpublish", "Unpublished"
        REVIEW = "review", "Medically reviewed"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="workflow_events")
    action = models.CharField(max_length=20, choices=Action.choices)
    from_status = models.CharField(max_length=20)
    to_status = models.CharField(max_length=20)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        get_latest_by = "at"

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.by} on {self.at:%Y-%m-%d %H:%M}"
