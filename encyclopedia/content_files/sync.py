"""Writing checked article files (`read_article_files`) to the database: each article and its
parts created or updated in one transaction, and only what changed is saved."""

import uuid as uuid_lib
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone

from ..models import FAQ, AlternativeName, Article, MedicalCode, Source, Status
from ..signals import parts_saved_together
from .parse import ArticleFile


def assign_changes(instance: models.Model, values: dict) -> bool:
    """Set the fields that differ; True when anything did (or the instance is new)."""
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    return bool(changed) or instance._state.adding


def _sync_rows(existing: list[models.Model], wanted: list[dict], make) -> bool:
    """Rows kept in order: the n-th existing row takes the n-th wanted values; extra rows go."""
    changed = False
    for index, values in enumerate(wanted):
        row = existing[index] if index < len(existing) else make()
        if assign_changes(row, values):
            row.save()
            changed = True
    for row in existing[len(wanted) :]:
        row.delete()
        changed = True
    return changed


def _source_values(source: dict) -> dict:
    return {"publisher": "", "url": "", "accessed_on": None, **source}


def sync_article(file: ArticleFile, *, default_status: Status) -> tuple[Article, bool]:
    """Create or update the article a file describes (not its related articles: see `import_article_files`)."""
    pk = file.target_pk
    article = Article.objects.get(pk=pk) if pk else Article(uuid=file.uuid or uuid_lib.uuid4())
    values = dict(file.article_fields)
    if article._state.adding:
        values.setdefault("status", default_status)
    status = values.get("status", article.status)
    if "published_at" not in values and article.published_at is None and status == Status.PUBLISHED:
        values["published_at"] = values.get("updated_at") or timezone.now()
    changed = assign_changes(article, values)
    if changed:
        article.save()

    with parts_saved_together():
        if file.alternative_names is not None:
            existing = {name.name: name for name in article.alternative_names.all()}
            for name in set(existing) - set(file.alternative_names):
                existing[name].delete()
                changed = True
            for name in [name for name in file.alternative_names if name not in existing]:
                AlternativeName.objects.create(article=article, name=name)
                changed = True
        faqs_changed = file.faqs is not None and _sync_rows(
            list(article.faqs.all()), file.faqs, lambda: FAQ(article=article)
        )
    if faqs_changed:
        changed = True
        article.save(update_fields=list(Article.READING_FIELDS))  # its revision keeps figures with these FAQs
    if file.sources is not None:
        wanted = [_source_values(source) for source in file.sources]
        changed |= _sync_rows(list(article.sources.all()), wanted, lambda: Source(article=article))
    if file.codes is not None:
        existing = {(code.system, code.code): code for code in article.codes.all()}
        wanted = {(code["system"], code["code"]): code for code in file.codes}
        for key in set(existing) - set(wanted):
            existing[key].delete()
            changed = True
        for key, values in wanted.items():
            code = existing.get(key) or MedicalCode(article=article)
            if assign_changes(code, values):
                code.save()
                changed = True
    return article, changed


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    written_ids: frozenset[int]  # the articles created or changed

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


def import_article_files(files: Iterable[ArticleFile], *, default_status: Status) -> ImportResult:
    """Write checked files (`read_article_files`) in one transaction; articles that match nothing changed
    are not saved at all, so a second import writes nothing. Related articles are symmetric: an article's
    related set becomes what its file lists plus the imported files that list it."""
    files = list(files)
    with transaction.atomic():
        articles, changed, created = {}, set(), set()
        for file in files:
            new = file.target_pk is None
            article, article_changed = sync_article(file, default_status=default_status)
            articles[file.address] = article
            if new:
                created.add(article.pk)
            if article_changed:
                changed.add(article.pk)

        def pk_of(target: "ArticleFile | int") -> int:
            return target if isinstance(target, int) else articles[target.address].pk

        wanted = {
            articles[file.address].pk: {pk_of(t) for t in file.related_targets}
            for file in files
            if file.related is not None
        }
        for file in files:
            for target in file.related_targets:
                if pk_of(target) in wanted:
                    wanted[pk_of(target)].add(articles[file.address].pk)
        for article in Article.objects.filter(pk__in=wanted).prefetch_related(
            models.Prefetch("related", Article.objects.articles().only("pk"))
        ):
            if {other.pk for other in article.related.all()} != wanted[article.pk]:
                # Symmetric: the other side follows. Relations with working copies are not in files: kept.
                copies = article.related.filter(live_article__isnull=False).values_list("pk", flat=True)
                article.related.set(wanted[article.pk] | set(copies))
                changed.add(article.pk)
    updated = len(changed - created)
    return ImportResult(
        created=len(created), updated=updated, unchanged=len(files) - len(created) - updated,
        written_ids=frozenset(created | changed),
    )  # fmt: skip
