import re

from django import forms
from django.conf import settings
from django.utils.text import normalize_newlines
from markdownx.fields import MarkdownxFormField

from encyclopedia.models import Article

from . import spam
from .models import Feedback, Helpful, Vote


class TextAreaField(forms.CharField):
    """Text from a <textarea>, with the browser's CRLF line ends stored as LF."""

    def to_python(self, value):
        return normalize_newlines(super().to_python(value))


class MarkdownField(MarkdownxFormField, TextAreaField):
    pass


class MessageField(TextAreaField):
    """A reader's message: required, at most FEEDBACK_MESSAGE_MAX_LENGTH characters and
    FEEDBACK_MAX_LINKS links, each with a precise error.

    The textarea deliberately has no `maxlength` attribute: browsers silently cut pasted
    text at that length, and the reader would not know what was lost.
    """

    def __init__(self, *, required_message: str, **kwargs):
        super().__init__(
            max_length=settings.FEEDBACK_MESSAGE_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 6}),
            error_messages={
                "required": required_message,
                "max_length": "Your message is %(show_value)d characters long; the limit is %(limit_value)d. "
                "Please shorten it.",
            },
            **kwargs,
        )

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs

    def validate(self, value):
        super().validate(value)
        links, most = spam.count_links(value), settings.FEEDBACK_MAX_LINKS
        if links > most:
            raise forms.ValidationError(
                "Your message contains %(links)d links; please keep it to %(most)d or fewer.",
                code="too_many_links",
                params={"links": links, "most": most},
            )


# A name holds no address: the link limit would not see it, and editors would see it in their email.
# Bare domains are recognised by their common endings ("cheap-pills.com"), not by any dot, so that
# "J.R. Hartley" is a name.
NAME_ADDRESS = re.compile(
    r"://|\bwww\.|\S@\S|\b[a-z0-9-]+\.(?:com|net|org|info|biz|io|co|me|ru|cn|xyz|top|site|online|shop|app)\b",
    re.IGNORECASE,
)
LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


class NameField(forms.CharField):
    """A reader's name: one line, without a web or email address."""

    def validate(self, value):
        super().validate(value)
        if LINE_BREAKS.search(value):
            raise forms.ValidationError("Your name must fit on one line.", code="name_line_break")
        if NAME_ADDRESS.search(value):
            raise forms.ValidationError(
                "Your name cannot contain a web or email address; give your email in the field below.",
                code="name_address",
            )


class SpamTrapMixin(forms.Form):
    """The honeypot: a field people never see (hidden with CSS, not `type=hidden`) and bots fill in."""

    website = forms.CharField(label="Leave this field empty", required=False)

    def honeypot_spam_reason(self) -> str:
        return "honeypot field filled in" if self.cleaned_data.get("website") else ""


class FeedbackForm(SpamTrapMixin, forms.ModelForm):
    """The general feedback form at /feedback/, optionally about one article."""

    article = forms.ModelChoiceField(
        queryset=Article.objects.published(),
        to_field_name="uuid",
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "The article this feedback was about is no longer published."},
    )
    category = forms.ChoiceField(
        label="What is your feedback about?",
        choices=Feedback.Category.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what your feedback is about."},
    )
    message = MessageField(
        label="Your message",
        required_message="Write your message.",
        help_text="Please do not include personal medical details.",
    )
    name = NameField(label="Your name (optional)", required=False, max_length=100)
    email = forms.EmailField(label="Your email (optional)", required=False, help_text="Only if you would like a reply.")
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Feedback
        fields = ["article", "category", "message", "name", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Fresh on every form: "published" depends on the current time.
        self.fields["article"].queryset = Article.objects.published()
        if not self.is_bound:
            self.initial["started"] = spam.started_stamp()

    def clean_message(self) -> str:
        return self.cleaned_data["message"].strip()

    def spam_reason(self) -> str:
        return self.honeypot_spam_reason() or spam.fill_time_spam_reason(
            spam.started_at(self.cleaned_data.get("started") or "")
        )

    def feedback_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "article": data["article"],
            "vote": None,
            "helpful": "",
            "category": data["category"],
            "message": data["message"],
            "name": data["name"].strip(),
            "email": data["email"],
        }


class FollowUpForm(SpamTrapMixin):
    """ "What could be better?", written after a one-click vote and linked to it."""

    vote = forms.CharField(
        widget=forms.HiddenInput,
        error_messages={"required": "We could not tell which answer this message follows."},
    )
    message = MessageField(
        label="What could be better? (optional)",
        required_message="Write what could be better, or leave this page: your answer has already been counted.",
        help_text="Please do not include personal medical details. We cannot reply to this message.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "follow-up_%s")
        super().__init__(*args, **kwargs)
        self.vote_object: Vote | None = None
        self.voted_at: int | None = None

    def clean_vote(self) -> str:
        token = self.cleaned_data["vote"]
        read = spam.read_vote_token(token)
        vote = Vote.objects.select_related("article").filter(pk=read[0]).first() if read else None
        if vote is None:
            raise forms.ValidationError(
                "We could not tell which answer this message follows. Please send it from the feedback page.",
                code="invalid_vote",
            )
        self.vote_object, self.voted_at = vote, read[1]
        return token

    def clean_message(self) -> str:
        return self.cleaned_data["message"].strip()

    def voted_article(self) -> Article | None:
        """The article the vote was about, for the page around the form (valid or not)."""
        if self.vote_object is None:
            token = self.data.get("vote", "") if self.is_bound else self.initial.get("vote", "")
            read = spam.read_vote_token(token)
            self.vote_object = Vote.objects.select_related("article").filter(pk=read[0]).first() if read else None
        return self.vote_object.article if self.vote_object else None

    def spam_reason(self) -> str:
        return self.honeypot_spam_reason() or spam.fill_time_spam_reason(self.voted_at)

    def feedback_fields(self) -> dict:
        vote = self.vote_object
        return {
            "article": vote.article,
            "vote": vote,
            "helpful": vote.helpful,
            "category": "",
            "message": self.cleaned_data["message"],
            "name": "",
            "email": "",
        }


class VoteForm(forms.Form):
    """The one-click "Is this page useful?" answer."""

    article = forms.ModelChoiceField(
        queryset=Article.objects.published(),
        to_field_name="uuid",
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "This article is no longer published.", "required": "No article given."},
    )
    helpful = forms.ChoiceField(
        choices=Helpful.choices,
        error_messages={"required": "Answer “Yes” or “No”.", "invalid_choice": "Answer “Yes” or “No”."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].queryset = Article.objects.published()
