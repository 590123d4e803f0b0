"""What the PostgreSQL and SQLite back ends share: where they read, what "published" is in their
SQL, the tables they read and the limits they keep to."""

from django.db import connection, connections, router

from ..models import AlternativeName, Article, LayTerm
from .query import ParsedQuery
from .results import MAX_RESULTS

COUNT_LIMIT = 3 * (MAX_RESULTS + 1)  # matches counted at most in one search (PostgreSQL)
SIMILAR_LIMIT = 10  # typo matches shown at most
MIN_SIMILARITY = 0.45  # trigram similarity a name needs to count as what the reader meant
SUGGESTION_LIMIT = 8

ARTICLE = connection.ops.quote_name(Article._meta.db_table)
ALTERNATIVE_NAME = connection.ops.quote_name(AlternativeName._meta.db_table)
LAY_TERM = connection.ops.quote_name(LayTerm._meta.db_table)
# Every other name of an article, (article_id, name): its alternative names and the everyday terms
# pointing to it (the same names `Article.search_names` holds).
OTHER_NAMES = (
    f"(SELECT article_id, name FROM {ALTERNATIVE_NAME} "
    f"UNION ALL SELECT article_id, term FROM {LAY_TERM} WHERE article_id IS NOT NULL)"
)


def published_condition(connection, alias: str) -> tuple[str, list]:
    """The WHERE clause of `Article.objects.published()`, compiled for `connection`, for raw SQL that
    calls the article table `alias`. The same SQL as the raw condition it replaces, so the same plans:
    `a.id IN (<the queryset>)` costs PostgreSQL a second probe of the article table per match."""
    query = Article.objects.published().query
    if len(query.alias_map) > 1:
        raise ValueError("Article.objects.published() joins other tables: search's SQL cannot reuse its condition")
    where = query.where.relabeled_clone({query.base_table: alias})
    sql, params = where.as_sql(query.get_compiler(connection=connection), connection)
    return sql, list(params)


class Backend:
    """The reads of one search. Each database's subclass answers counts(), page(), similar_names()
    and suggestions() with the same meaning."""

    caps_counts = False  # whether counts() stops at COUNT_LIMIT

    def __init__(self):
        # Compiled once: every query of one search sees the same moment.
        self._published = published_condition(connections[router.db_for_read(Article)], alias="a")

    def run(self, sql: str, params: list) -> list[tuple]:
        # Read where the router sends reads (a replica when there are some).
        with connections[router.db_for_read(Article)].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def published(self) -> tuple[str, list]:
        """What readers may see, for queries that call the article table `a`."""
        return self._published


def checked_words(parsed: ParsedQuery) -> list[str]:
    """The words whose existence is checked to decide whether to look for typos (at most ten)."""
    words = (word for term in parsed.positive_terms for word in term.words if word not in parsed.lay_words)
    return list(dict.fromkeys(words))[:10]
