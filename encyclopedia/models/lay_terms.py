"""Everyday words readers search with ("tummy bug", "bp", "wee"), each pointing to the article that
explains it and/or the medical term articles use. Search reads them as other names of their article
and as alternatives to what the reader typed; the A–Z lists some as cross-references."""

from django.core.exceptions import ValidationError
from django.db import models

from core import text

from .articles import Article, Kind, index_letter, sort_key


class LayTermQuerySet(models.QuerySet):
    def medical_terms(self, keys: list[str]) -> dict[str, tuple[str, str]]:
        """{key: (term, medical term)} for the terms among `keys` that have a medical term (one query,
        none without keys)."""
        if not keys:
            return {}
        rows = self.filter(key__in=keys).exclude(medical_term="").values_list("key", "term", "medical_term")
        return {key: (term, medical) for key, term, medical in rows}

    def cross_references(self, kind: Kind) -> "LayTermQuerySet":
        """The A–Z entries of one kind: terms listed there that point to a published article of it."""
        published = Article.objects.published().of_kind(kind)
        return (
            self.filter(in_a_to_z=True, article__in=published)
            .select_related("article")
            .only("term", "sort_title", "letter", "article__kind", "article__slug", "article__title")
            .order_by("sort_title", "pk")
        )


class LayTerm(models.Model):
    term = text.CharField(
        max_length=100, help_text="What readers say or type: “tummy bug”, “bp”, “hypertension” (UK or US spelling)."
    )
    # The term's words as search reads them (lower case, without words like "the" or "when"): one row each.
    key = models.CharField(max_length=100, unique=True, editable=False)
    article = models.ForeignKey(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lay_terms",
        limit_choices_to={"live_article__isnull": True},
        help_text="The article that explains it: search finds that article by this term, and the A–Z can list it.",
        # Kept when the article goes: the term still leads to its medical term, and editors see it unlinked.
    )
    medical_term = text.CharField(
        max_length=100,
        blank=True,
        help_text="The words articles use for it (“urine” for “wee”), several separated by commas: searches "
        "for the term also find articles that use them.",
    )
    in_a_to_z = models.BooleanField(
        "listed in the A–Z",
        default=False,
        help_text="Shown in the article's A–Z under its own letter, as “Term → Article title”. "
        "For names readers look up (“Hypertension”, “Flu”), not phrases (“burning when I pee”).",
    )
    sort_title = models.CharField(max_length=100, editable=False, default="")
    letter = models.CharField(max_length=1, editable=False, default="#")
    updated_at = models.DateTimeField(auto_now=True)

    objects = LayTermQuerySet.as_manager()

    class Meta:
        ordering = ["sort_title"]
        verbose_name = "everyday term"
        verbose_name_plural = "everyday terms"

    def __str__(self) -> str:
        return self.term

    def clean(self):
        from ..search.query import lay_term_key

        errors = {}
        if not lay_term_key(self.term):
            errors["term"] = ValidationError("Give at least one word search can use (not only “the”, “my”…).",
                                             code="no_words")  # fmt: skip
        elif LayTerm.objects.filter(key=lay_term_key(self.term)).exclude(pk=self.pk).exists():
            errors["term"] = ValidationError("This term is already in the list (perhaps in other words).", code="taken")
        if self.article_id is None and not self.medical_term.strip():
            errors["medical_term"] = ValidationError("Choose an article or give the medical term.", code="nowhere")
        if self.in_a_to_z and self.article_id is None:
            errors["in_a_to_z"] = ValidationError(
                "Only a term pointing to an article can be listed.", code="no_article"
            )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        from ..search.query import lay_term_key

        self.key = lay_term_key(self.term)
        self.sort_title = sort_key(self.term)
        self.letter = index_letter(self.term)
        super().save(*args, **kwargs)
