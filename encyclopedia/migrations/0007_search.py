"""Search: the texts search reads on every database, the weighted document and its indexes on
PostgreSQL, the FTS5 tables on SQLite, and the list of searches that found nothing."""

import django.contrib.postgres.search
import django.utils.timezone
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

POSTGRES_INDEXES = [
    # `search_vector @@ query`: every search (matching, counting per kind, ranking).
    ("article_search_vector_idx", "encyclopedia_article USING gin (search_vector)"),
    # Title and alternative-name matches, which always join the ranked candidates (search/postgres.py):
    # found without reading the whole document of every article that has a common word.
    (
        "article_search_names_idx",
        "encyclopedia_article USING gin (to_tsvector('english'::regconfig, title::text || ' ' || search_names))",
    ),
    # Suggestions as you type: titles and alternative names starting with what was typed
    # (lower(...) LIKE 'prefix%', in any collation).
    ("article_title_prefix_idx", "encyclopedia_article (lower(title) text_pattern_ops)"),
    ("alternative_name_prefix_idx", "encyclopedia_alternativename (lower(name) text_pattern_ops)"),
    # Suggestions (words inside names), "Did you mean" and typo tolerance (ILIKE and <%).
    ("article_title_trgm_idx", "encyclopedia_article USING gin (title gin_trgm_ops)"),
    ("alternative_name_trgm_idx", "encyclopedia_alternativename USING gin (name gin_trgm_ops)"),
]
SQLITE_TABLES = [
    # Matching and ranking (bm25) with English stemming; rowid is the article's id.
    "encyclopedia_article_fts USING fts5(title, search_names, summary, search_headings, search_text, "
    "tokenize = 'porter unicode61 remove_diacritics 2')",
    # Titles and alternative names as trigrams: suggestions, "Did you mean" and typo tolerance.
    "encyclopedia_article_trigram USING fts5(title, search_names, tokenize = 'trigram')",
]


def create_search_structures(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for name, definition in POSTGRES_INDEXES:
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")
    elif vendor == "sqlite":
        for definition in SQLITE_TABLES:
            schema_editor.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {definition}")


def drop_search_structures(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for name, _ in POSTGRES_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    elif vendor == "sqlite":
        for definition in SQLITE_TABLES:
            schema_editor.execute(f"DROP TABLE IF EXISTS {definition.split()[0]}")


def index_existing_articles(apps, schema_editor):
    from encyclopedia.search.index import search_documents_update, search_fields

    Article = apps.get_model("encyclopedia", "Article")
    for article in Article.objects.prefetch_related("alternative_names", "faqs").iterator(chunk_size=500):
        fields = search_fields(
            sections=article.sections,
            body_html=article.body_html,
            names=[name.name for name in article.alternative_names.all()],
            faqs=[(faq.question, faq.answer_html) for faq in article.faqs.all()],
        )
        Article.objects.filter(pk=article.pk).update(**fields)
    search_documents_update(Article.objects.values_list("pk", flat=True), model=Article)


class Migration(migrations.Migration):
    dependencies = [("encyclopedia", "0006_site_pages")]

    operations = [
        TrigramExtension(),  # does nothing on other databases
        migrations.AddField(
            model_name="article",
            name="search_names",
            field=models.TextField(default="", editable=False),
        ),
        migrations.AddField(
            model_name="article",
            name="search_headings",
            field=models.TextField(default="", editable=False),
        ),
        migrations.AddField(
            model_name="article",
            name="search_text",
            field=models.TextField(default="", editable=False),
        ),
        migrations.AddField(
            model_name="article",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.CreateModel(
            name="SearchMiss",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("query", models.CharField(max_length=200, unique=True)),
                ("count", models.PositiveIntegerField(default=1)),
                ("first_searched_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("last_searched_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "verbose_name": "search that found nothing",
                "verbose_name_plural": "searches that found nothing",
                "ordering": ["-count", "-last_searched_at"],
                "indexes": [models.Index(fields=["-count", "-last_searched_at"], name="search_miss_frequent_idx")],
            },
        ),
        migrations.RunPython(create_search_structures, drop_search_structures),
        migrations.RunPython(index_existing_articles, migrations.RunPython.noop),
    ]
