import calendar
import datetime
import unicodedata
import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from core import text

from ..codes import CodingSystem, InvalidCode, check_code
from ..markdown import render
from ..readability import article_reading
from .fields import MarkdownField


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
    IN_REVIEW = "in_review", "In review"
    # Sent back by a medical reviewer with a comment: edited and resubmitted like a draft, but its
    # author (and the desk) can tell it from a fresh one.
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    PUBLISHED = "published", "Published"
    # A working copy approved to replace its live article at a future time (publish_scheduled_changes).
    SCHEDULED_CHANGE = "scheduled_change", "Approved, scheduled"


def sort_key(title: str) -> str:
    """Case- and accent-insensitive key, so "MRI scan" sorts between "Migraine" and "Nausea"."""
    decomposed = unicodedata.normalize("NFKD", title)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold().strip()


def index_letter(title: str) -> str:
    first = sort_key(title)[:1].upper()
    return first if "A" <= first <= "Z" else "#"


def next_review_due(reviewed_on: datetime.date) -> datetime.date:
    """When the next medical review is due: MEDICAL_REVIEW_INTERVAL_MONTHS (three years by default) after
    `reviewed_on`, on the same day of the month where it exists (29 February moves to 28 February)."""
    months = reviewed_on.month - 1 + settings.MEDICAL_REVIEW_INTERVAL_MONTHS
    year, month = reviewed_on.year + months // 12, months % 12 + 1
    return reviewed_on.replace(year=year, month=month, day=min(reviewed_on.day, calendar.monthrange(year, month)[1]))


# The states in which an article's content is being written: editable, and submitted from.
WRITING_STATES = frozenset({Status.DRAFT, Status.CHANGES_REQUESTED})


class ArticleQuerySet(models.QuerySet):
    def published(self) -> "ArticleQuerySet":
        """What readers may see: published, and not scheduled for later. Never a working copy: those are
        never published themselves (a database constraint)."""
        return self.filter(status=Status.PUBLISHED, published_at__lte=timezone.now())

    def articles(self) -> "ArticleQuerySet":
        """Every article as editors list them: working copies are reached from their live article."""
        return self.filter(live_article__isnull=True)

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

    def next_publication_time(self) -> datetime.datetime | None:
        """When readers' pages next change without a save: a scheduled article or change, if any, comes due."""
        upcoming = self.filter(status__in=[Status.PUBLISHED, Status.SCHEDULED_CHANGE], published_at__gt=timezone.now())
        return upcoming.aggregate(next=models.Min("published_at"))["next"]

    def over_reading_target(self, target: int) -> "ArticleQuerySet":
        return self.filter(reading_age__gt=target)

    def review_overdue(self, today: datetime.date) -> "ArticleQuerySet":
        return self.filter(next_review_due__lt=today)

    def review_due_within(self, days: int, today: datetime.date) -> "ArticleQuerySet":
        return self.filter(next_review_due__gte=today, next_review_due__lte=today + datetime.timedelta(days=days))


class Article(models.Model):
    uuid = models.UUIDField(
        "stable identifier", default=uuid.uuid4, unique=True, editable=False,
        help_text="Never changes, even when the title, slug or kind does.",
    )  # fmt: skip
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = text.CharField(max_length=200)
    slug = models.SlugField(max_length=200, help_text="The last part of the address; unique within the kind.")
    summary = text.TextField(
        max_length=600,
        help_text="One paragraph shown under the title and as the description in search engines.",
    )
    body = MarkdownField(
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
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="Shown on the page by full name: “Medically reviewed by … on …”.",
    )  # fmt: skip
    next_review_due = models.DateField(null=True, blank=True)
    # Bumped by every save; an edit form that started from an older number is a conflict.
    version = models.PositiveIntegerField(default=0, editable=False)
    # Set on a working copy: the next version of a published article, drafted and reviewed while
    # readers keep seeing the live one; approving it copies it onto the live article.
    live_article = models.OneToOneField(
        "self", on_delete=models.CASCADE, null=True, blank=True, editable=False, related_name="working_copy",
        help_text="The published article this working copy will replace once approved.",
    )  # fmt: skip

    # Derived from the fields above in save(); never edited by hand.
    body_html = text.TextField(editable=False, default="")
    # Where each "## Heading" starts in body_html and body: markdown.RenderedMarkdown.outline.
    sections = models.JSONField(editable=False, default=list)
    care_callouts = models.JSONField(editable=False, default=list)
    sort_title = models.CharField(max_length=200, editable=False, default="")
    letter = models.CharField(max_length=1, editable=False, default="#")
    # How hard the summary, body and FAQs are to read (readability.article_reading): the UK reading age
    # (SMOG grade + 5) and the figures of the whole text and of each section. Stored with each revision.
    reading_age = models.FloatField(null=True, blank=True, editable=False)
    reading_figures = models.JSONField(editable=False, default=dict)

    # What search reads, kept current by encyclopedia.search.index (never edited by hand):
    # plain texts on every database (snippets; on SQLite, index.py copies them into the FTS5
    # tables) and, on PostgreSQL, the weighted document built from them. The GIN and trigram
    # indexes (PostgreSQL) and the FTS5 tables (SQLite) are made by migration 0007 for their
    # database only, so they are not listed in Meta.indexes.
    search_names = text.TextField(editable=False, default="")  # alternative names, one a line
    search_headings = text.TextField(editable=False, default="")  # section headings and FAQ questions
    search_text = text.TextField(editable=False, default="")  # plain text of the body and FAQ answers
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["sort_title"]
        get_latest_by = "updated_at"
        permissions = [("publish_article", "Can approve, publish and unpublish articles")]
        constraints = [
            # A working copy keeps its article's address until it is approved.
            models.UniqueConstraint(
                fields=["kind", "slug"], condition=Q(live_article__isnull=True), name="article_slug_unique_per_kind"
            ),
            # A working copy is never published itself: approving it publishes its live article.
            models.CheckConstraint(
                condition=Q(live_article__isnull=True) | ~Q(status=Status.PUBLISHED), name="working_copy_unpublished"
            ),
            # Only a working copy waits to replace its live article, and only with the time it will.
            models.CheckConstraint(
                condition=~Q(status=Status.SCHEDULED_CHANGE)
                | Q(live_article__isnull=False, published_at__isnull=False),
                name="scheduled_change_is_a_dated_working_copy",
            ),
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
            # The editors' desk (editorial/desk.py) counts articles, never working copies, from these alone:
            # reviews overdue, due within 30 days and per month for the next 12;
            models.Index(
                fields=["next_review_due"], condition=Q(live_article__isnull=True), name="article_review_due_idx"
            ),
            # articles in a state (waiting for review, drafts, sent back) and scheduled in the next 30 days;
            models.Index(
                fields=["status", "published_at"], condition=Q(live_article__isnull=True), name="article_state_idx"
            ),
            # and "How the encyclopedia is doing"'s articles by kind and state.
            models.Index(
                fields=["kind", "status"], condition=Q(live_article__isnull=True), name="article_kind_state_idx"
            ),
            # The desk's and the article list's "over the target reading age" (reading_age > target).
            models.Index(
                fields=["reading_age"], condition=Q(live_article__isnull=True), name="article_reading_age_idx"
            ),
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
        self.sections = rendered.outline
        self.care_callouts = rendered.care_callouts
        self.measure_reading()
        self.sort_title = sort_key(self.title)
        self.letter = index_letter(self.title)
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        self.version += 1
        if update_fields := kwargs.get("update_fields"):
            derived = {"body_html", "sections", "care_callouts", "sort_title", "letter", "published_at", "version",
                       *self.READING_FIELDS}  # fmt: skip
            kwargs["update_fields"] = {*update_fields, *derived}
        super().save(*args, **kwargs)

    READING_FIELDS = ("reading_age", "reading_figures")

    def measure_reading(self) -> None:
        """Set the reading figures from the current text and the FAQs as stored (FAQ changes come back here
        through a signal: signals.faq_changed)."""
        faqs = list(self.faqs.values_list("question", "answer")) if self.pk else []
        reading = article_reading(title=self.title, summary=self.summary, body_markdown=self.body, faqs=faqs)
        self.reading_age = reading.reading_age
        self.reading_figures = reading.summary_dict()

    @property
    def first_care_callout(self) -> dict | None:
        """The care box a reader must see first, under the summary: the first emergency one, else the
        first urgent one (routine advice can wait for its section)."""
        for level in ("emergency", "urgent"):
            for callout in self.care_callouts:
                if callout["level"] == level and callout.get("items"):
                    return callout
        return None

    @property
    def is_working_copy(self) -> bool:
        return self.live_article_id is not None

    @property
    def is_scheduled(self) -> bool:
        return self.status == Status.PUBLISHED and self.published_at is not None and self.published_at > timezone.now()

    @property
    def publication_state(self) -> str:
        """What an editor needs to know at a glance: Draft, In review, Scheduled or Published."""
        if self.status == Status.SCHEDULED_CHANGE:
            return f"Approved, replaces the published version on {timezone.localtime(self.published_at):%d %b %Y %H:%M}"
        return "Scheduled" if self.is_scheduled else self.get_status_display()

    def clean(self) -> None:
        # The unique address constraint leaves working copies out; the address they will take must be free.
        if not self.is_working_copy:
            return
        if Article.objects.articles().filter(kind=self.kind, slug=self.slug).exclude(pk=self.live_article_id).exists():
            raise ValidationError(
                {"slug": ValidationError("Another %(kind)s already has this address.", code="address_taken",
                                         params={"kind": self.get_kind_display().lower()})}
            )  # fmt: skip


class AlternativeName(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="alternative_names")
    name = text.CharField(max_length=200)

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
    question = text.CharField(max_length=300)
    answer = MarkdownField(help_text="Markdown.")
    answer_html = text.TextField(editable=False, default="")

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "FAQ"
        verbose_name_plural = "FAQs"

    def __str__(self) -> str:
        return self.question

    def save(self, *args, **kwargs):
        self.answer_html = render(self.answer).html
        super().save(*args, **kwargs)


class InternalLink(models.Model):
    """A [[kind/slug]] link written in an article (its body or an FAQ answer), one row per address. Kept by
    signals.py from the stored HTML (links.store_internal_links), never edited by hand, so that the articles
    whose links lead nowhere are found in one query (links.has_broken_link) rather than by reading every page."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="internal_link_rows")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    slug = models.SlugField(max_length=200)
    # No published article holds the address, nor had it as an old one. Set when the row is written and again
    # whenever an article at that address changes (signals.py); an article scheduled for later counts as
    # published here, as nothing is saved when its time comes.
    broken = models.BooleanField(default=True)

    class Meta:
        constraints = [
            # Also the index of "this article's links" (the rewrite on save).
            models.UniqueConstraint(fields=["article", "kind", "slug"], name="internal_link_unique"),
        ]
        indexes = [
            # Links to an address whose article changed (signals.py).
            models.Index(fields=["kind", "slug"], name="internal_link_address_idx"),
            # The editors' desk: the articles with a broken link (a handful of rows).
            models.Index(fields=["article"], condition=Q(broken=True), name="internal_link_broken_idx"),
        ]

    def __str__(self) -> str:
        return f"[[{Kind(self.kind).plural}/{self.slug}]]"


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
            # How many were added in the last 24 hours (the daily cap on new rows).
            models.Index(fields=["first_searched_at"], name="search_miss_recent_idx"),
        ]

    def __str__(self) -> str:
        return self.query


class Source(models.Model):
    """A reference the article is based on, listed under "Sources"."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sources")
    position = models.PositiveIntegerField(default=0, help_text="Lower numbers come first.")
    title = text.CharField(max_length=300)
    publisher = text.CharField(max_length=200, blank=True)
    url = models.URLField("address", max_length=500, blank=True)
    accessed_on = models.DateField("date accessed", null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class ArticleRedirectQuerySet(models.QuerySet):
    def destination(self, kind: Kind, slug: str) -> tuple[str, "Article | None"]:
        """Where an old address leads readers now: ("moved", the published article), ("gone", None)
        for a deleted article, or ("missing", None) for no article or an unpublished one."""
        old = self.filter(kind=kind, slug=slug).select_related("article").first()
        if old is not None and old.article is None:
            return "gone", None
        if old is not None and Article.objects.published().filter(pk=old.article_id).exists():
            return "moved", old.article
        return "missing", None


class ArticleRedirect(models.Model):
    """An old address of an article (kind and slug), kept when it is renamed or moved.

    Each row points at the article itself, never at another address, so a redirect is
    always one hop to the current URL whatever the number of renames. A row without an
    article marks a deleted one: its old addresses answer 410 Gone.
    """

    kind = models.CharField(max_length=20, choices=Kind.choices)
    slug = models.SlugField(max_length=200)
    article = models.ForeignKey(Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ArticleRedirectQuerySet.as_manager()

    class Meta:
        constraints = [
            # Also the index for looking up an address that no article holds now.
            models.UniqueConstraint(fields=["kind", "slug"], name="redirect_address_unique"),
        ]

    def __str__(self) -> str:
        return f"/{Kind(self.kind).plural}/{self.slug}/"


class MedicalCode(models.Model):
    """A code of a coding system (ICD-10-CM, SNOMED CT) that says what an article is about; the read
    API's lookup finds articles by it, and the structured data carries it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="codes")
    system = models.CharField("coding system", max_length=20, choices=CodingSystem.choices)
    code = models.CharField(max_length=20, help_text="ICD-10-CM as in R25.2 (or a category, R25); SNOMED CT digits.")
    description = text.CharField(
        max_length=300, blank=True, help_text="Left empty, an ICD-10-CM code takes its official description."
    )

    class Meta:
        ordering = ["system", "code"]
        verbose_name = "medical code"
        constraints = [
            # Also the index of the lookup API, which asks for (system, code) pairs.
            models.UniqueConstraint(fields=["system", "code", "article"], name="medical_code_unique_per_article"),
        ]

    def __str__(self) -> str:
        return f"{CodingSystem(self.system).label} {self.code}"

    def clean(self) -> None:
        if not self.system or not self.code:
            return  # the fields' own "required" errors say it
        try:
            checked = check_code(self.system, self.code)
        except InvalidCode as error:
            raise ValidationError({"code": ValidationError(str(error), code="invalid_code")}) from None
        self.code = checked.code
        if not self.description.strip():
            self.description = checked.description
