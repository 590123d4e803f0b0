import unicodedata
import uuid

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from markdownx.models import MarkdownxField

from .markdown import render


class Kind(models.TextChoices):
    """Singular values in data, query strings and files; plural in URL paths (`Kind.plural`)."""

    CONDITION = "condition", "Condition"
    SYMPTOM = "symptom", "Symptom"
    PROCEDURE = "procedure", "Procedure"

    @property
    def plural(self) -> str:
        return f"{self.value}s"

    @property
    def plural_label(self) -> str:
        return f"{self.label}s"

    @classmethod
    def from_plural(cls, plural: str) -> "Kind":
        return {kind.plural: kind for kind in cls}[plural]


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


def sort_key(title: str) -> str:
    """Case- and accent-insensitive key, so "MRI scan" sorts between "Migraine" and "Nausea"."""
    decomposed = unicodedata.normalize("NFKD", title)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold().strip()


def index_letter(title: str) -> str:
    first = sort_key(title)[:1].upper()
    return first if "A" <= first <= "Z" else "#"


class ArticleQuerySet(models.QuerySet):
    def published(self) -> "ArticleQuerySet":
        """What readers may see: published, and not scheduled for later."""
        return self.filter(status=Status.PUBLISHED, published_at__lte=timezone.now())

    def of_kind(self, kind: Kind) -> "ArticleQuerySet":
        return self.filter(kind=kind)

    def alphabetical(self) -> "ArticleQuerySet":
        return self.order_by("sort_title", "pk")

    def recently_updated(self) -> "ArticleQuerySet":
        return self.order_by("-updated_at", "pk")

    def count_by_kind(self) -> dict[str, int]:
        """{kind value: count} for every kind, in one query."""
        return self.aggregate(**{kind.value: Count("pk", filter=Q(kind=kind)) for kind in Kind})

    def letters(self) -> set[str]:
        return set(self.order_by().values_list("letter", flat=True).distinct())

    def for_page(self) -> "ArticleQuerySet":
        """Everything the article page shows, in a fixed number of queries."""
        return self.prefetch_related(
            "alternative_names",
            "faqs",
            models.Prefetch(
                "related",
                queryset=Article.objects.published().alphabetical().only("kind", "slug", "title", "summary"),
                to_attr="published_related",
            ),
        )


class Article(models.Model):
    uuid = models.UUIDField(
        "stable identifier", default=uuid.uuid4, unique=True, editable=False,
        help_text="Never changes, even when the title, slug or kind does.",
    )  # fmt: skip
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, help_text="The last part of the address; unique within the kind.")
    summary = models.TextField(
        max_length=600,
        help_text="One paragraph shown under the title and as the description in search engines.",
    )
    body = MarkdownxField(
        blank=True, help_text="Markdown. Each “## Heading” starts a section listed in the table of contents."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    show_promotion = models.BooleanField(
        "show the promotional block",
        default=True,
        help_text="Untick for pages where a promotion would be out of place.",
    )
    related = models.ManyToManyField(
        "self", blank=True, symmetrical=True, help_text="Shown on both articles, grouped by kind."
    )

    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="Readers see the article from this moment; a future time schedules it."
    )
    updated_at = models.DateTimeField(
        "last updated", default=timezone.now, help_text="Shown to readers as “Last updated on”."
    )
    last_reviewed_on = models.DateField("last medically reviewed", null=True, blank=True)

    # Derived from the fields above in save(); never edited by hand.
    body_html = models.TextField(editable=False, default="")
    sections = models.JSONField(editable=False, default=list)
    sort_title = models.CharField(max_length=200, editable=False, default="")
    letter = models.CharField(max_length=1, editable=False, default="#")

    # What search reads, kept current by encyclopedia.search.index (never edited by hand):
    # plain texts on every database (snippets, SQLite's FTS5 table reads them through triggers)
    # and, on PostgreSQL, the weighted document built from them. Its GIN index, the trigram
    # index on the title and SQLite's FTS5 tables are made by migration 0003 for their
    # database only, so they are not listed in Meta.indexes.
    search_names = models.TextField(editable=False, default="")  # alternative names, one a line
    search_headings = models.TextField(editable=False, default="")  # section headings and FAQ questions
    search_text = models.TextField(editable=False, default="")  # plain text of the body and FAQ answers
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["sort_title"]
        get_latest_by = "updated_at"
        constraints = [
            models.UniqueConstraint(fields=["kind", "slug"], name="article_slug_unique_per_kind"),
        ]
        indexes = [
            # The A–Z pages (one kind, or one kind and letter, in title order) read rows in index
            # order; counts per kind and the letters present are answered from the index alone.
            models.Index(fields=["kind", "status", "sort_title", "published_at"], name="article_kind_az_idx"),
            models.Index(
                fields=["kind", "letter", "status", "sort_title", "published_at"], name="article_letter_az_idx"
            ),
            # The home page's "recently updated" list.
            models.Index(fields=["-updated_at"], name="article_updated_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("encyclopedia:article", args=[self.kind, self.slug])

    @property
    def kind_enum(self) -> Kind:
        return Kind(self.kind)

    def save(self, *args, **kwargs):
        rendered = render(self.body)
        self.body_html = rendered.html
        self.sections = rendered.sections
        self.sort_title = sort_key(self.title)
        self.letter = index_letter(self.title)
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        if update_fields := kwargs.get("update_fields"):
            kwargs["update_fields"] = {*update_fields, "body_html", "sections", "sort_title", "letter", "published_at"}
        super().save(*args, **kwargs)

    def related_by_kind(self) -> list[tuple[Kind, list["Article"]]]:
        """Published related articles grouped as Conditions / Symptoms / Procedures (needs `for_page()`)."""
        groups = [(kind, [a for a in self.published_related if a.kind == kind]) for kind in Kind]
        return [(kind, articles) for kind, articles in groups if articles]


class AlternativeName(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="alternative_names")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["article", "name"], name="alternative_name_unique_per_article"),
        ]

    def __str__(self) -> str:
        return self.name


class FAQ(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="faqs")
    position = models.PositiveIntegerField(default=0, help_text="Lower numbers come first.")
    question = models.CharField(max_length=300)
    answer = MarkdownxField(help_text="Markdown.")
    answer_html = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "FAQ"
        verbose_name_plural = "FAQs"

    def __str__(self) -> str:
        return self.question

    def save(self, *args, **kwargs):
        self.answer_html = render(self.answer).html
        super().save(*args, **kwargs)


class SearchMiss(models.Model):
    """A search that found nothing, counted per normalised query so editors can add
    alternative names or articles. Nothing about who searched is kept."""

    query = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=1)
    first_searched_at = models.DateTimeField(default=timezone.now)
    last_searched_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-count", "-last_searched_at"]
        verbose_name = "search that found nothing"
        verbose_name_plural = "searches that found nothing"
        indexes = [
            # The admin list, most frequent first.
            models.Index(fields=["-count", "-last_searched_at"], name="search_miss_frequent_idx"),
        ]

    def __str__(self) -> str:
        return self.query


DEFAULT_DISCLAIMER = (
    "This encyclopedia explains health topics in general terms. It does not replace advice, "
    "diagnosis or treatment from a doctor or other qualified health professional who knows "
    "your situation. Talk to one about any question you have on a medical condition, and never "
    "ignore or put off professional advice because of something you read here. We work to keep "
    "every article accurate and current but cannot guarantee that it is complete or free of "
    "errors, and accept no liability for decisions made on the basis of it. "
    "**In an emergency, call your local emergency number straight away.**"
)


class SiteSettings(models.Model):
    """Site-wide texts editors change without a deploy. There is one row (pk=1); the defaults
    below are only the starting texts."""

    site_name = models.CharField(max_length=100, default="Health Encyclopedia")
    disclaimer = MarkdownxField("medical disclaimer", default=DEFAULT_DISCLAIMER)
    disclaimer_html = models.TextField(editable=False, default="")
    feedback_invitation = models.CharField(
        max_length=300,
        default="Spotted a mistake, or is something unclear? Tell us what could be better.",
        help_text="Shown above the feedback form on every article.",
    )
    promotion_enabled = models.BooleanField("show the promotional block", default=True)
    promotion_title = models.CharField(max_length=120, blank=True)
    promotion_text = models.TextField(blank=True, help_text="Plain text.")

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

    @property
    def shows_promotion(self) -> bool:
        return self.promotion_enabled and bool(self.promotion_title or self.promotion_text)


class PromotionLink(models.Model):
    site_settings = models.ForeignKey(SiteSettings, on_delete=models.CASCADE, related_name="promotion_links")
    position = models.PositiveIntegerField(default=0)
    label = models.CharField(max_length=80)
    url = models.URLField()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label
