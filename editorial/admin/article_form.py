"""The article's admin form: the workflow's instructions beside the content, and edit conflicts."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import cached_property
from reversion.models import Version

from encyclopedia.models import Article

from .. import revisions
from ..workflow import available_transitions

TRANSITION_LABELS = {
    "submit": "Save and submit for review",
    "approve": "Save, approve and publish",
    "request_changes": "Request changes",
    "unpublish": "Unpublish",
    "review": "Save and record a medical review today",
}

SCHEDULE_FORMAT = "%d %b %Y %H:%M"  # as in the article list's "Scheduled for …"


def transition_label(name: str, *, published_at: datetime.datetime | None = None) -> str:
    """The button's words: approving with a "published at" in the future schedules rather than publishes."""
    if name == "approve" and published_at is not None and published_at > timezone.now():
        return f"Save, approve and schedule for {timezone.localtime(published_at):{SCHEDULE_FORMAT}}"
    return TRANSITION_LABELS[name]


class ArticleAdminForm(forms.ModelForm):
    minor_edit = forms.BooleanField(
        required=False,
        help_text="Tick for a typo or wording fix: “Last updated” stays as it is.",
    )
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    workflow_comment = forms.CharField(
        label="Comment for the review history",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Saved with “submit for review”, “request changes”, “approve” or “unpublish”; the author sees it here.",
    )
    # Set by the button the editor pressed (name="transition"); never rendered as a field.
    transition = forms.ChoiceField(choices=[("", ""), *TRANSITION_LABELS.items()], required=False)

    WORKFLOW_FIELDS = {"minor_edit", "base_version", "workflow_comment", "transition"}
    user = None  # the editor, set by ArticleAdmin.get_form
    is_preview = False  # a preview never fails on a conflict or a transition

    class Meta:
        model = Article
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The admin widgets show whole seconds; without this, stored microseconds would make
        # every save look like a change of these dates.
        for name in ("published_at", "updated_at"):
            if self.initial.get(name):
                self.initial[name] = self.initial[name].replace(microsecond=0)
        self.fields["base_version"].initial = self.instance.version
        self.conflict = None

    @property
    def published_at(self) -> datetime.datetime | None:
        """The "published at" the buttons act on: as just entered in the form if it is valid, else as saved."""
        cleaned = getattr(self, "cleaned_data", {})
        return cleaned["published_at"] if "published_at" in cleaned else self.instance.published_at

    @cached_property
    def changed_data(self) -> list[str]:
        # What changed in the article itself: the workflow fields are instructions, not content.
        return [name for name in super().changed_data if name not in self.WORKFLOW_FIELDS]

    def clean(self):
        cleaned = super().clean()
        if not self.is_preview:
            self._check_for_conflict(cleaned)
            self._check_transition(cleaned)
        return cleaned

    def _check_for_conflict(self, cleaned) -> None:
        if self.instance._state.adding:
            return
        # Locked until the admin's transaction ends: a concurrent save waits, then sees our version.
        current = Article.objects.select_for_update().get(pk=self.instance.pk)
        if cleaned.get("base_version") == current.version:
            return
        last = Version.objects.get_for_object(current).select_related("revision__user").first()
        who = last.revision.user if last and last.revision.user else "another editor"
        when = timezone.localtime(last.revision.date_created) if last else timezone.localtime(current.updated_at)
        self.conflict = revisions.diff_content(
            revisions.content_of_article(current), revisions.content_of_form(cleaned)
        )
        self.add_error(
            None,
            ValidationError(
                "This article was changed by %(who)s at %(when)s, after you opened it. Your changes have not been "
                "saved, and nothing was overwritten. Your text is kept below and the differences are shown: "
                "merge what you need, then save again to replace the current version.",
                code="edit_conflict",
                params={"who": who, "when": when.strftime("%d %B %Y %H:%M")},
            ),
        )
        # Saving again from this form is a deliberate choice made after seeing the differences.
        self.data = self.data.copy()
        self.data[self.add_prefix("base_version")] = str(current.version)

    def _check_transition(self, cleaned) -> None:
        name = cleaned.get("transition")
        if not name:
            return
        if name not in available_transitions(self.instance, self.user):
            self.add_error(None, ValidationError(
                "You cannot “%(action)s” this article.", code="transition_not_allowed",
                params={"action": TRANSITION_LABELS[name]},
            ))  # fmt: skip
        elif name == "request_changes" and not cleaned.get("workflow_comment", "").strip():
            self.add_error("workflow_comment", "Say what should change: the author sees this comment.")
