"""Site-wide texts and pages editors change without a deploy."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

from core import text

from ..markdown import render
from .articles import Kind
from .fields import MarkdownField

DEFAULT_DISCLAIMER = (
    "This encyclopedia explains health topics in general terms. It does not replace advice, "
    "diagnosis or treatment from a doctor or other qualified health professional who knows "
    "your situation. Talk to one about any question you have on a medical condition, and never "
    "ignore or put off professional advice because of something you read here. We work to keep "
    "every article accurate and current but cannot guarantee that it is complete or free of "
    "errors, and accept no liability for decisions made on the basis of it. "
    "**In an emergency, call {emergency_number} straight away.**"
)


def default_emergency_number() -> str:
    return settings.EMERGENCY_NUMBER


# Where a text is kept for later (the search index), the numbers' placeholders become words that
# stay true when the site settings change.
PLACEHOLDER_WORDS = {
    "{emergency_number}": "the emergency number",
    "{urgent_service}": "an urgent help service",
    "{urgent_number}": "its number",
}


def without_placeholders(text: str) -> str:
    for placeholder, words in PLACEHOLDER_WORDS.items():
        text = text.replace(placeholder, words)
    return text


class SiteSettings(models.Model):
    """Site-wide texts editors change without a deploy. There is one row (pk=1); the defaults
    below are only the starting texts."""

    site_name = text.CharField(max_length=100, default="Health Encyclopedia")
    disclaimer = MarkdownField("medical disclaimer", default=DEFAULT_DISCLAIMER)
    disclaimer_html = text.TextField(editable=False, default="")
    feedback_invitation = text.CharField(
        max_length=300,
        default="Spotted a mistake, or is something unclear? Tell us what could be better.",
        help_text="Shown above the feedback form on every article.",
    )
    emergency_number = text.CharField(
        max_length=20,
        default=default_emergency_number,
        help_text="The number readers call in an emergency (999, 112, 911). Every page, form and email "
        "that tells readers to call for help shows this; texts say {emergency_number} where it goes.",
    )
    urgent_service_name = text.CharField(
        "urgent help service",
        max_length=100,
        blank=True,
        help_text="Where readers get help the same day, day or night, when it is not an emergency (for "
        "example “NHS 111”); shown with the urgent care advice. Texts say {urgent_service} where it goes. "
        "Leave empty where there is no such service.",
    )
    urgent_service_number = text.CharField(
        "urgent help number",
        max_length=20,
        blank=True,
        help_text="Its telephone number (for example 111); texts say {urgent_number} where it goes.",
    )
    promotion_enabled = models.BooleanField("show the promotional block", default=True)
    promotion_title = text.CharField(max_length=120, blank=True)
    promotion_text = text.TextField(blank=True, help_text="Plain text.")
    target_reading_age = models.PositiveSmallIntegerField(
        default=11,
        validators=[MinValueValidator(7), MaxValueValidator(21)],
        help_text="Articles should be this easy to read or easier. Reading age is the SMOG grade + 5 (the UK "
        "convention); 11 is the NHS's upper bound for health information (SMOG grade 6).",
    )
    reading_age_override_required = models.BooleanField(
        "approving a harder article needs an override",
        default=False,
        help_text="When ticked, a reviewer approving an article over the target reading age must tick an override "
        "and give the reason, which is kept in the review history.",
    )

    class Meta:
        verbose_name = "site settings"
        verbose_name_plural = "site settings"

    def __str__(self) -> str:
        return "Site settings"

    def save(self, *args, **kwargs):
        self.pk = 1
        self.disclaimer_html = render(self.disclaimer).html
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> "SiteSettings":
        settings = cls.objects.prefetch_related("promotion_links").filter(pk=1).first()
        if settings is None:  # a new or flushed database: start from the default texts
            settings, _ = cls.objects.get_or_create(pk=1)
        return settings

    @classmethod
    def reading_rules(cls) -> tuple[int, bool]:
        """(target reading age, whether approving over it needs an override), in one small query."""
        stored = cls.objects.filter(pk=1).values_list("target_reading_age", "reading_age_override_required").first()
        if stored is None:
            default = cls()
            return default.target_reading_age, default.reading_age_override_required
        return stored

    def fill_numbers(self, value: str) -> str:
        """`value` with the placeholders that articles, FAQs, site pages and the disclaimer may contain
        replaced by this site's numbers, so that one setting changes every text. HTML in (marked safe)
        gives HTML out, the numbers escaped; plain text in gives plain text out."""
        numbers = {
            "{emergency_number}": self.emergency_number,
            "{urgent_service}": self.urgent_service_name or "an urgent help service",
            "{urgent_number}": self.urgent_service_number,
        }
        is_html = isinstance(value, SafeData)
        for placeholder, number in numbers.items():
            value = value.replace(placeholder, conditional_escape(number) if is_html else number)
        return mark_safe(value) if is_html else value

    @property
    def shows_promotion(self) -> bool:
        return self.promotion_enabled and bool(self.promotion_title or self.promotion_text)


class PromotionLink(models.Model):
    site_settings = models.ForeignKey(SiteSettings, on_delete=models.CASCADE, related_name="promotion_links")
    position = models.PositiveIntegerField(default=0)
    label = text.CharField(max_length=80)
    url = models.URLField()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label


RESERVED_PAGE_SLUGS = {*(kind.plural for kind in Kind), "search", "feedback", "admin", "feed", "static", "pages"}


class SitePageQuerySet(models.QuerySet):
    def in_footer(self) -> "SitePageQuerySet":
        return self.filter(show_in_footer=True).order_by("position", "title")


class SitePage(models.Model):
    """A simple page of the site (about, editorial policy, privacy, accessibility, contact), at /<slug>/."""

    slug = models.SlugField(max_length=80, unique=True, help_text="The address: /<slug>/.")
    title = text.CharField(max_length=200)
    summary = text.CharField(max_length=300, blank=True, help_text="The description for search engines.")
    body = MarkdownField(help_text="Markdown.")
    body_html = text.TextField(editable=False, default="")
    show_in_footer = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0, help_text="Order in the footer; lower first.")
    updated_at = models.DateTimeField(auto_now=True)

    objects = SitePageQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("encyclopedia:site_page", args=[self.slug])

    def clean(self) -> None:
        if self.slug in RESERVED_PAGE_SLUGS:
            raise ValidationError(
                {"slug": ValidationError("“%(slug)s” is already an address of the site.", code="reserved",
                                         params={"slug": self.slug})}
            )  # fmt: skip

    def save(self, *args, **kwargs):
        self.body_html = render(self.body).html
        super().save(*args, **kwargs)
