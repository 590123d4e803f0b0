"""An article's content as one value: its own text fields, its parts (FAQs, alternative names,
sources, medical codes) and its related articles. What a working copy copies, what approving it
copies back, and what restoring or recovering a revision puts back.

Review data, status, publication time and identity are not content: they belong to the article
and change only through the workflow's transitions.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from reversion.models import Version

from encyclopedia.models import FAQ, AlternativeName, Article, MedicalCode, Source
from encyclopedia.signals import parts_saved_together

FIELDS = ("kind", "title", "slug", "summary", "body", "show_promotion", "updated_at")
# related name on Article → (model, the fields copied)
PARTS = {
    "faqs": (FAQ, ("position", "question", "answer")),
    "alternative_names": (AlternativeName, ("name",)),
    "sources": (Source, ("position", "title", "publisher", "url", "accessed_on")),
    "codes": (MedicalCode, ("system", "code", "description")),
}


@dataclass(frozen=True)
class ArticleContent:
    fields: dict
    parts: dict[str, list[dict]]
    related_ids: frozenset[int]

    @classmethod
    def of_article(cls, article: Article) -> "ArticleContent":
        return cls(
            fields={name: getattr(article, name) for name in FIELDS},
            parts={
                name: list(getattr(article, name).order_by("pk").values(*copied)) for name, (_, copied) in PARTS.items()
            },
            related_ids=frozenset(article.related.values_list("pk", flat=True)),
        )

    @classmethod
    def of_version(cls, version: Version) -> "ArticleContent":
        """The content as a revision stored it (the article's version and its parts in the same revision)."""
        article = version._object_version.object
        in_revision = list(version.revision.version_set.all())
        parts = {}
        for name, (model, copied) in PARTS.items():
            type_id = ContentType.objects.get_for_model(model).pk
            rows = sorted(
                (v.field_dict for v in in_revision if v.content_type_id == type_id),
                key=lambda row: row["id"],
            )
            parts[name] = [{field: row[field] for field in copied} for row in rows if row["article_id"] == article.pk]
        return cls(
            fields={name: getattr(article, name) for name in FIELDS},
            parts=parts,
            related_ids=frozenset(version.field_dict.get("related", [])),
        )

    def write_to(self, article: Article) -> None:
        """Make `article` hold this content: its fields saved, its parts and relations replaced. Each row
        goes through save() and delete(), so the page cache and search index follow."""
        for name, value in self.fields.items():
            setattr(article, name, value)
        article.save()
        with parts_saved_together():
            for name, (model, _) in PARTS.items():
                for row in getattr(article, name).all():
                    row.delete()
                for values in self.parts[name]:
                    model.objects.create(article=article, **values)
        # Saved again now that its FAQs are written: the reading figures read them, and the revision keeps them.
        article.save(update_fields=list(Article.READING_FIELDS))
        related = Article.objects.articles().filter(pk__in=self.related_ids).exclude(pk=article.pk)
        if article.is_working_copy:
            related = related.exclude(pk=article.live_article_id)
        article.related.set(related)
