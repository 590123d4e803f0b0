from django import forms
from django.conf import settings
from django.utils.text import normalize_newlines
from markdownx.fields import MarkdownxFormField

from encyclopedia.models import Article

from .models import Feedback


class TextAreaField(forms.CharField):
    """Text from a <textarea>, with the browser's CRLF line ends stored as LF."""

    def to_python(self, value):
        return normalize_newlines(super().to_python(value))


class MarkdownField(MarkdownxFormField, TextAreaField):
    pass


class FeedbackForm(forms.ModelForm):
    article = forms.ModelChoiceField(
        queryset=Article.objects.published(),
        to_field_name="uuid",
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "The article this feedback was about is no longer published."},
    )
    helpful = forms.ChoiceField(
        label="Was this page helpful?",
        choices=[(Feedback.Helpful.YES, "Yes"), (Feedback.Helpful.NO, "No")],
        required=False,
        widget=forms.RadioSelect,
    )
    message = TextAreaField(
        label="Your message",
        required=False,
        max_length=settings.FEEDBACK_MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Please do not include personal medical details.",
    )
    name = forms.CharField(label="Your name (optional)", required=False, max_length=100)
    email = forms.EmailField(label="Your email (optional)", required=False, help_text="Only if you would like a reply.")

    class Meta:
        model = Feedback
        fields = ["article", "helpful", "message", "name", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Fresh on every form: "published" depends on the current time.
        self.fields["article"].queryset = Article.objects.published()

    def clean_message(self) -> str:
        return self.cleaned_data["message"].strip()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("message") and not cleaned.get("helpful") and "message" not in self.errors:
            self.add_error(
                "message",
                forms.ValidationError("Write a message, or say whether the page was helpful.", code="empty_feedback"),
            )
        return cleaned
