"""Keeping the search data of articles current: the one place that writes it.

Every save or delete of an article, an FAQ, an alternative name or an everyday term goes through the signal
receivers at the bottom, which call `search_index_refresh`. Bulk writes skip signals, so the
code that makes them (the `generate_articles` command) fills `search_fields()` itself and then
calls `search_documents_update` directly.

Both paths end in `search_documents_update`, which builds each database's index from the stored
texts: PostgreSQL the weighted document `Article.search_vector`, SQLite its two FTS5 tables (made
by migration 0007). No triggers: Django remakes SQLite tables on some schema changes, which would
drop them without a word.
"""

import html
import re
from collections.abc import Iterable

from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import TextField, Value
from django.db.models.functions import Concat
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils.html import strip_tags

from .. import upkeep
from ..models import FAQ, AlternativeName, Article, LayTerm
from ..models.site import without_placeholders

SEARCH_CONFIG = "english"
# Fields whose change alters what search reads; other saves (e.g. "last updated") skip the refresh.
SEARCHED_FIELDS = {"title", "summary", "body", "body_html", "sections"}

_BLOCK_END = re.compile(r"</(p|li|h[1-6]|dt|dd|blockquote|pre|tr)>", re.IGNORECASE)
# Control characters never belong in text, and \x02/\x03 mark highlights in snippets.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def plain_text(rendered_html: str) -> str:
    """Readable text from stored sanitized HTML: block ends become line breaks."""
    text = _CONTROL.sub(" ", html.unescape(strip_tags(_BLOCK_END.sub("\n", rendered_html))))
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def search_fields(
    *, sections: list[dict], body_html: str, names: Iterable[str], faqs: Iterable[tuple[str, str]]
) -> dict:
    """The search columns of one article from its parts: faqs are (question, answer_html) pairs."""
    faqs = list(faqs)
    return {
        "search_names": "\n".join(names),
        "search_headings": "\n".join([section["title"] for section in sections] + [question for question, _ in faqs]),
        "search_text": without_placeholders(
            "\n".join([plain_text(body_html), *(plain_text(answer) for _, answer in faqs)]).strip()
        ),
    }


def search_vector_expression():
    """Title and alternative names weigh A, summary B, headings and FAQ questions C, body and answers D."""
    return (
        SearchVector(
            Concat("title", Value("\n"), "search_names", output_field=TextField()), weight="A", config=SEARCH_CONFIG
        )
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
        + SearchVector("search_headings", weight="C", config=SEARCH_CONFIG)
        + SearchVector("search_text", weight="D", config=SEARCH_CONFIG)
    )


FTS_TABLE = "encyclopedia_article_fts"  # SQLite: words, stemmed (porter), for matching and ranking
TRIGRAM_TABLE = "encyclopedia_article_trigram"  # SQLite: titles and names as trigrams, for typos
FTS_COLUMNS = ["title", "search_names", "summary", "search_headings", "search_text"]


def search_documents_update(article_ids: Iterable[int], *, model=Article) -> None:
    """Rebuild the index entries of these articles from their stored texts (`model`: a migration's
    historical Article)."""
    ids = list(article_ids)
    if not ids:
        return
    if connection.vendor == "postgresql":
        model.objects.filter(pk__in=ids).update(search_vector=search_vector_expression())
    elif connection.vendor == "sqlite":
        _sqlite_documents_delete(ids)
        placeholders = ", ".join(["%s"] * len(ids))
        articles = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            columns = ", ".join(FTS_COLUMNS)
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} (rowid, {columns}) SELECT id, {columns} "
                f"FROM {articles} WHERE id IN ({placeholders})",
                ids,
            )
            cursor.execute(
                f"INSERT INTO {TRIGRAM_TABLE} (rowid, title, search_names) SELECT id, title, search_names "
                f"FROM {articles} WHERE id IN ({placeholders})",
                ids,
            )


def _sqlite_documents_delete(ids: list[int]) -> None:
    placeholders = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        for table in (FTS_TABLE, TRIGRAM_TABLE):
            cursor.execute(f"DELETE FROM {table} WHERE rowid IN ({placeholders})", ids)


def search_index_refresh(article_ids: Iterable[int]) -> None:
    """Recompute the search data of these articles from their current content. Working copies have none:
    search holds live content only, and a copy's text reaches it when it is approved onto its article."""
    ids = set(article_ids)
    articles = list(Article.objects.articles().filter(pk__in=ids).only("pk", "sections", "body_html"))
    if not articles:
        return
    names: dict[int, list[str]] = {article.pk: [] for article in articles}
    for article_id, name in AlternativeName.objects.filter(article__in=articles).values_list("article_id", "name"):
        names[article_id].append(name)
    # Everyday terms pointing to the article are searched as its other names.
    for article_id, term in LayTerm.objects.filter(article__in=articles).values_list("article_id", "term"):
        names[article_id].append(term)
    faqs: dict[int, list[tuple[str, str]]] = {article.pk: [] for article in articles}
    for article_id, question, answer_html in FAQ.objects.filter(article__in=articles).values_list(
        "article_id", "question", "answer_html"
    ):
        faqs[article_id].append((question, answer_html))
    for article in articles:
        for name, value in search_fields(
            sections=article.sections, body_html=article.body_html, names=names[article.pk], faqs=faqs[article.pk]
        ).items():
            setattr(article, name, value)
    Article.objects.bulk_update(articles, ["search_names", "search_headings", "search_text"])
    search_documents_update(article.pk for article in articles)


@receiver(post_save, sender=Article, dispatch_uid="search_article_saved")
def _article_saved(sender, instance: Article, created: bool, update_fields=None, raw=False, **kwargs):
    if raw or (update_fields is not None and not SEARCHED_FIELDS & set(update_fields)):
        return
    search_index_refresh([instance.pk])


@receiver(post_delete, sender=Article, dispatch_uid="search_article_deleted")
def _article_deleted(sender, instance: Article, **kwargs):
    if connection.vendor == "sqlite":  # PostgreSQL's document goes with the row
        _sqlite_documents_delete([instance.pk])


@receiver(post_save, sender=FAQ, dispatch_uid="search_faq_saved")
@receiver(post_delete, sender=FAQ, dispatch_uid="search_faq_deleted")
@receiver(post_save, sender=AlternativeName, dispatch_uid="search_name_saved")
@receiver(post_delete, sender=AlternativeName, dispatch_uid="search_name_deleted")
def _part_changed(sender, instance, raw=False, origin=None, **kwargs):
    if not raw and not upkeep.left_for_later(instance, origin):
        search_index_refresh([instance.article_id])  # does nothing when the article itself is being deleted


@receiver(pre_save, sender=LayTerm, dispatch_uid="search_lay_term_saving")
def _lay_term_saving(sender, instance: LayTerm, raw=False, **kwargs):
    # The article it pointed to before loses the term as one of its names.
    instance._old_article_id = (
        LayTerm.objects.filter(pk=instance.pk).values_list("article_id", flat=True).first()
        if instance.pk and not raw
        else None
    )


@receiver(post_save, sender=LayTerm, dispatch_uid="search_lay_term_saved")
@receiver(post_delete, sender=LayTerm, dispatch_uid="search_lay_term_deleted")
def _lay_term_changed(sender, instance: LayTerm, raw=False, **kwargs):
    if not raw:
        search_index_refresh({instance.article_id, getattr(instance, "_old_article_id", None)} - {None})
