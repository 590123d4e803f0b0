"""Ranked full-text search over published articles, the same surface on PostgreSQL and SQLite.

A search runs a small number of queries, whatever the number of results:
1. counts per kind of the articles that have all the words, with a check of which words no
   article has at all (when none matches every word, a second count of those that have any);
2. the page of results, ranked, with highlighted snippets and the alternative names that matched;
and only when a word is in no article (a typo, perhaps) and few articles matched:
3. titles and alternative names that look like the query (typo tolerance, "Did you mean");
4. the articles those names belong to.
On PostgreSQL at most MAX_RESULTS results are ranked and shown and counting stops at COUNT_LIMIT,
so that a common word costs about as much as a rare one (bench/search.py measures it).

Ranking: an exact title or alternative-name match always comes first, then relevance
(PostgreSQL's ts_rank over the weighted document; SQLite's bm25 with the same weights per
column), then title. Typo matches come after every word match.
"""

import re
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db import connection, connections, router
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..models import AlternativeName, Article, Kind, SearchMiss
from .index import FTS_TABLE, SEARCH_CONFIG, TRIGRAM_TABLE
from .query import ParsedQuery, normalise, parse

MAX_RESULTS = 200  # ranked and shown at most (10 pages of 20): bounds the work on PostgreSQL
COUNT_LIMIT = 3 * (MAX_RESULTS + 1)  # matches counted at most in one search (PostgreSQL)
FEW_RESULTS = 3  # below this, typo matches and a "Did you mean" are added
SIMILAR_LIMIT = 10  # typo matches shown at most
MIN_SIMILARITY = 0.45  # trigram similarity a name needs to count as what the reader meant
SUGGESTION_LIMIT = 8
MIN_SUGGEST_LENGTH = 2

START, STOP = "\x02", "\x03"  # highlight markers: never in stored text (see index.plain_text)
# SQLite's bm25 weights per FTS column, in the order title, names, summary, headings, text:
# the same proportions as PostgreSQL's default weights for A, A, B, C, D.
BM25_WEIGHTS = "10.0, 10.0, 4.0, 2.0, 1.0"
ARTICLE = connection.ops.quote_name(Article._meta.db_table)
ALTERNATIVE_NAME = connection.ops.quote_name(AlternativeName._meta.db_table)


@dataclass
class Hit:
    kind: str
    slug: str
    title: str
    summary: str
    snippet: SafeString  # escaped text with <mark> around matched words
    also_called: list[str] = field(default_factory=list)
    exact: bool = False  # the query is this article's title or one of its alternative names
    typo_match: bool = False

    @property
    def url(self) -> str:
        return reverse("encyclopedia:article", args=[self.kind, self.slug])

    def get_kind_display(self) -> str:
        return Kind(self.kind).label


@dataclass
class SearchResults:
    query: ParsedQuery
    kind: str  # "" for every kind
    counts: dict[str, int]  # per kind, before the kind filter
    mode: str  # "all": every word matched; "any": some words matched; "none"
    page: Page | None = None
    suggestion: str = ""  # "Did you mean …?"
    counts_capped: bool = False  # counting stopped at COUNT_LIMIT: the counts are "at least"

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def total_in_kind(self) -> int:
        return self.counts.get(self.kind, 0) if self.kind else self.total

    @property
    def more_than_shown(self) -> bool:
        """More matches than are ranked and shown (MAX_RESULTS)."""
        return self.total_in_kind > MAX_RESULTS

    @property
    def max_results(self) -> int:
        return MAX_RESULTS

    @property
    def found_nothing(self) -> bool:
        return self.total == 0


def highlighted(text: str) -> SafeString:
    """Escape everything, then turn the database's markers into <mark>: no markup from the article
    (or from the query) can reach the page."""
    escaped = str(escape(text.replace(STOP + START, "")))
    return mark_safe(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))


def matched_names(highlighted_names: str) -> list[str]:
    """The alternative names that carry a highlight marker, without the markers."""
    return [
        line.replace(START, "").replace(STOP, "") for line in (highlighted_names or "").splitlines() if START in line
    ]


# --- similarity of names, for typos (PostgreSQL computes the same with pg_trgm) ---------------


def trigrams(text: str) -> set[str]:
    grams = set()
    for word in re.findall(r"[^\W_]+", text.casefold()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def trigram_score(query: str, term: str) -> float:
    """pg_trgm's greatest(similarity, word_similarity), computed in Python for SQLite."""
    wanted, words = trigrams(query), re.findall(r"[^\W_]+", term.casefold())
    if not wanted or not words:
        return 0.0
    whole = trigrams(term)
    best = len(wanted & whole) / len(wanted | whole)
    for size in range(1, len(words) + 1):
        for start in range(len(words) - size + 1):
            window = trigrams(" ".join(words[start : start + size]))
            best = max(best, len(wanted & window) / len(wanted))
    return best


# --- database back ends ------------------------------------------------------------------------


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


class PostgresBackend(Backend):
    caps_counts = True

    def tsquery(self, parsed: ParsedQuery, any_word: bool) -> tuple[str, list]:
        return f"websearch_to_tsquery('{SEARCH_CONFIG}', %s)", [parsed.websearch(any_word=any_word)]

    def counts(
        self, parsed: ParsedQuery, any_word: bool, check_words: bool = False, kind: str = ""
    ) -> tuple[dict[str, int], set]:
        """Matches per kind, and with `check_words` the query's words that no article has (misspelt,
        perhaps). One scan reads at most COUNT_LIMIT matches (all kinds, or `kind`): the index
        bitmap for a common word is the costly part, so it is built once."""
        query, query_params = self.tsquery(parsed, any_word)
        published, published_params = self.published()
        kind_filter, kind_params = ("AND a.kind = %s", [kind]) if kind else ("", [])
        words = checked_words(parsed) if check_words else []
        known = (
            f"EXISTS (SELECT 1 FROM {ARTICLE} a, (SELECT websearch_to_tsquery('{SEARCH_CONFIG}', %s) AS q "
            f"OFFSET 0) w WHERE a.search_vector @@ w.q)"
        )
        per_kind = ", ".join(["count(*) FILTER (WHERE matches.kind = %s)"] * len(Kind.values))
        # MATERIALIZED (and OFFSET 0) hide the words from the planner: knowing a word is common, it
        # would scan the table and test every document, where the GIN bitmap reads no document.
        row = self.run(
            f"""
            WITH q AS MATERIALIZED (SELECT {query} AS q)
            SELECT {per_kind}, {", ".join([known] * len(words)) or "NULL"}
            FROM (SELECT a.kind FROM {ARTICLE} a, q
                  WHERE a.search_vector @@ q.q AND {published} {kind_filter} LIMIT %s) matches
            """,
            [*query_params, *Kind.values, *words, *published_params, *kind_params, COUNT_LIMIT],
        )[0]
        counts = {each: count for each, count in zip(Kind.values, row, strict=False) if count}
        unknown = {word for word, exists in zip(words, row[len(Kind.values) :], strict=False) if not exists}
        return counts, unknown

    def page(self, parsed: ParsedQuery, any_word: bool, kind: str, offset: int, limit: int) -> list[Hit]:
        query, query_params = self.tsquery(parsed, any_word)
        # Ranked by the weight of each word found, wherever it is: with all words required,
        # ts_rank would also reward words standing close together, which buries an article whose
        # title has one word and whose body has the other.
        rank_query, rank_params = self.tsquery(parsed, any_word=True)
        published, published_params = self.published()
        kind_filter, kind_params = ("AND a.kind = %s", [kind]) if kind else ("", [])
        exact = [parsed.text.casefold(), parsed.normalised]
        marks = f'StartSel="{START}", StopSel="{STOP}"'
        # Ranking reads every candidate's document, so the candidates are bounded: articles whose
        # title or alternative names match (a small index of their own; the whole query is then
        # checked as a filter, ts_match_vq, not through the big index, whose bitmap for a common
        # word costs more than the check), and up to MAX_RESULTS others. Below MAX_RESULTS
        # matches that is every match and the order exact.
        # Snippets are made for the page's rows only.
        rows = self.run(
            f"""
            WITH q AS MATERIALIZED (SELECT {query} AS q),
            candidates AS (
              (SELECT a.id FROM {ARTICLE} a, q
               WHERE to_tsvector('{SEARCH_CONFIG}'::regconfig, a.title::text || ' ' || a.search_names) @@ q.q
                 AND ts_match_vq(a.search_vector, q.q) AND {published} {kind_filter} LIMIT %s)
              UNION
              (SELECT a.id FROM {ARTICLE} a, q
               WHERE a.search_vector @@ q.q AND {published} {kind_filter} LIMIT %s)
            )
            SELECT r.kind, r.slug, r.title, r.summary,
              ts_headline('{SEARCH_CONFIG}', r.title, q.q, %s),
              ts_headline('{SEARCH_CONFIG}', r.summary, q.q, %s),
              ts_headline('{SEARCH_CONFIG}', r.search_text, q.q, %s),
              ts_headline('{SEARCH_CONFIG}', r.search_names, q.q, %s),
              r.exact
            FROM (
              SELECT a.id, a.kind, a.slug, a.title, a.summary, a.search_text, a.search_names, a.sort_title,
                (lower(a.title) IN (%s, %s)
                 OR string_to_array(lower(a.search_names), E'\n') && ARRAY[%s, %s]::text[]) AS exact,
                ts_rank(a.search_vector, {rank_query}) AS rank
              FROM candidates JOIN {ARTICLE} a ON a.id = candidates.id
              ORDER BY exact DESC, rank DESC, a.sort_title, a.id
              LIMIT %s OFFSET %s
            ) r, q
            ORDER BY r.exact DESC, r.rank DESC, r.sort_title, r.id
            """,
            [
                *query_params,
                *published_params, *kind_params, MAX_RESULTS,
                *published_params, *kind_params, MAX_RESULTS,
                f"HighlightAll=true, {marks}",
                f"HighlightAll=true, {marks}",
                f'MaxFragments=2, MaxWords=28, MinWords=12, FragmentDelimiter=" … ", {marks}',
                f"HighlightAll=true, {marks}",
                *exact, *exact,
                *rank_params,
                limit, offset,
            ],
        )  # fmt: skip
        # ts_headline cuts fragments out of the text without saying so (SQLite's snippet() does).
        return [hit_from_row(*row[:6], f"… {row[6]} …" if row[6] else "", *row[7:]) for row in rows]

    def similar_names(self, text: str) -> list[tuple[int, str, float]]:
        """(article id, title or alternative name, score) for names that look like `text`."""
        published, published_params = self.published()
        score = "greatest(similarity({0}, %s), word_similarity(%s, {0}))"
        match = "%s <%% {0}"
        rows = self.run(
            f"""
            SELECT article_id, term, score FROM (
              SELECT a.id AS article_id, a.title AS term, {score.format("a.title")} AS score
              FROM {ARTICLE} a WHERE {match.format("a.title")} AND {published}
              UNION ALL
              SELECT n.article_id, n.name, {score.format("n.name")}
              FROM {ALTERNATIVE_NAME} n JOIN {ARTICLE} a ON a.id = n.article_id
              WHERE {match.format("n.name")} AND {published}
            ) names
            WHERE score >= %s
            ORDER BY score DESC, length(term), term
            LIMIT %s
            """,
            [text] * 3 + published_params + [text] * 3 + published_params + [MIN_SIMILARITY, SIMILAR_LIMIT * 3],
        )
        return [(article_id, term, float(score)) for article_id, term, score in rows]

    def suggestions(self, text: str) -> list[tuple[str, str, str, str]]:
        """(term, title, kind, slug) for titles and names starting with, containing or resembling
        `text`. Prefixes use the btree indexes; trigrams, which cannot narrow one or two letters
        down, join in from three letters (words inside names) and four (look-alikes)."""
        published, published_params = self.published()
        like = text.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        parts, params = [], []
        for table, column, article in ((ARTICLE, "title", "id"), (ALTERNATIVE_NAME, "name", "article_id")):
            parts.append(
                f"(SELECT {article} AS article_id, {column} AS term, 3.0 AS score FROM {table} "
                f"WHERE lower({column}) LIKE %s ORDER BY lower({column}) LIMIT %s)"
            )
            params += [f"{like}%", SUGGESTION_LIMIT * 3]
            if len(text) >= 3:
                parts.append(
                    f"(SELECT {article}, {column}, 2.0 + word_similarity(%s, {column}) FROM {table} "
                    f"WHERE {column} ILIKE %s LIMIT %s)"
                )
                params += [text, f"% {like}%", SUGGESTION_LIMIT * 3]
            if len(text) >= 4:
                parts.append(
                    f"(SELECT {article}, {column}, word_similarity(%s, {column}) FROM {table} "
                    f"WHERE %s <%% {column} LIMIT %s)"
                )
                params += [text, text, SUGGESTION_LIMIT * 3]
        rows = self.run(
            f"""
            SELECT names.term, a.title, a.kind, a.slug FROM ({" UNION ALL ".join(parts)}) names
            JOIN {ARTICLE} a ON a.id = names.article_id
            WHERE {published}
            ORDER BY names.score DESC, length(names.term), names.term
            LIMIT %s
            """,
            params + published_params + [SUGGESTION_LIMIT * 3],
        )
        return rows


class SQLiteBackend(Backend):
    def counts(
        self, parsed: ParsedQuery, any_word: bool, check_words: bool = False, kind: str = ""
    ) -> tuple[dict[str, int], set]:
        """Exact counts per kind (SQLite has no bitmap to spare: each kind is counted in full)."""
        published, published_params = self.published()
        words = checked_words(parsed) if check_words else []
        known = f"(SELECT count(*) FROM (SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT 1))"
        kinds = Kind.values
        per_kind = (
            f"(SELECT count(*) FROM {FTS_TABLE} f JOIN {ARTICLE} a ON a.id = f.rowid "
            f"WHERE {FTS_TABLE} MATCH %s AND a.kind = %s AND {published})"
        )
        row = self.run(
            f"SELECT {', '.join([per_kind] * len(kinds) + [known] * len(words))}",
            [param for kind in kinds for param in (parsed.fts5(any_word=any_word), kind, *published_params)]
            + ['"' + word.replace('"', '""') + '"' for word in words],
        )[0]
        counts = {kind: count for kind, count in zip(kinds, row, strict=False) if count}
        return counts, {word for word, exists in zip(words, row[len(kinds) :], strict=True) if not exists}

    def page(self, parsed: ParsedQuery, any_word: bool, kind: str, offset: int, limit: int) -> list[Hit]:
        published, published_params = self.published()
        kind_filter, kind_params = ("AND a.kind = %s", [kind]) if kind else ("", [])
        exact = [parsed.text.casefold(), parsed.normalised]
        in_names = "instr(char(10) || lower(a.search_names) || char(10), char(10) || %s || char(10)) > 0"
        rows = self.run(
            f"""
            SELECT a.kind, a.slug, a.title, a.summary,
              highlight({FTS_TABLE}, 0, char(2), char(3)),
              highlight({FTS_TABLE}, 2, char(2), char(3)),
              snippet({FTS_TABLE}, 4, char(2), char(3), ' … ', 24),
              highlight({FTS_TABLE}, 1, char(2), char(3)),
              (lower(a.title) IN (%s, %s) OR {in_names} OR {in_names}) AS exact
            FROM {FTS_TABLE} JOIN {ARTICLE} a ON a.id = {FTS_TABLE}.rowid
            WHERE {FTS_TABLE} MATCH %s AND {published} {kind_filter}
            ORDER BY exact DESC, bm25({FTS_TABLE}, {BM25_WEIGHTS}), a.sort_title, a.id
            LIMIT %s OFFSET %s
            """,
            [*exact, *exact, parsed.fts5(any_word=any_word), *published_params, *kind_params, limit, offset],
        )
        return [hit_from_row(*row) for row in rows]

    def _trigram_candidates(self, fts_query: str, limit: int) -> list[tuple[int, str, str, str, str, str]]:
        published, published_params = self.published()
        return self.run(
            f"SELECT a.id, a.title, a.search_names, a.title, a.kind, a.slug FROM {TRIGRAM_TABLE} t "
            f"JOIN {ARTICLE} a ON a.id = t.rowid WHERE {TRIGRAM_TABLE} MATCH %s AND {published} "
            f"ORDER BY t.rank LIMIT %s",
            [fts_query, *published_params, limit],
        )

    @staticmethod
    def _any_trigram(text: str) -> str:
        grams = sorted({gram for gram in trigrams(text) if gram.strip() and " " not in gram})
        return " OR ".join('"' + gram.replace('"', '""') + '"' for gram in grams[:60])

    def similar_names(self, text: str) -> list[tuple[int, str, float]]:
        fts_query = self._any_trigram(text)
        if not fts_query:
            return []
        scored = []
        for article_id, title, names, *_ in self._trigram_candidates(fts_query, 50):
            for term in [title, *names.splitlines()]:
                if (score := trigram_score(text, term)) >= MIN_SIMILARITY:
                    scored.append((article_id, term, score))
        scored.sort(key=lambda row: (-row[2], len(row[1]), row[1]))
        return scored[: SIMILAR_LIMIT * 3]

    def suggestions(self, text: str) -> list[tuple[str, str, str, str]]:
        folded = text.casefold()
        if len(text) >= 3:  # the trigram tokenizer finds substrings of three characters or more
            phrase = '"' + text.replace('"', '""') + '"'
            candidates = self._trigram_candidates(phrase, 100)
            fuzzy = self._any_trigram(text)
            if len(candidates) < SUGGESTION_LIMIT and fuzzy:
                candidates += self._trigram_candidates(fuzzy, 50)
        else:
            published, published_params = self.published()
            pattern = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            candidates = self.run(
                f"SELECT a.id, a.title, a.search_names, a.title, a.kind, a.slug FROM {ARTICLE} a "
                f"WHERE (a.title LIKE %s ESCAPE '\\' OR a.search_names LIKE %s ESCAPE '\\' "
                f"OR a.search_names LIKE %s ESCAPE '\\') AND {published} LIMIT 100",
                [pattern, pattern, "%" + "\n" + pattern, *published_params],
            )
        scored = []
        for _, title, names, _, kind, slug in candidates:
            for term in [title, *names.splitlines()]:
                lowered = term.casefold()
                if lowered.startswith(folded):
                    score = 3.0
                elif f" {folded}" in f" {lowered}":
                    score = 2.0
                elif folded in lowered:
                    score = 1.0
                else:
                    score = trigram_score(text, term)
                    if score < MIN_SIMILARITY:
                        continue
                scored.append((score, term, title, kind, slug))
        scored.sort(key=lambda row: (-row[0], len(row[1]), row[1]))
        return [(term, title, kind, slug) for _, term, title, kind, slug in scored]


@receiver(connection_created, dispatch_uid="search_trigram_thresholds")
def _trigram_thresholds(sender, connection, **kwargs):
    """pg_trgm's `<%` (word similarity, used with its index) cuts at 0.6 by default, which misses
    common misspellings ("anaemia" is 0.5 from "anemia"); names below MIN_SIMILARITY are dropped
    afterwards anyway. Set once per connection; a placeholder until pg_trgm is loaded."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)", [str(MIN_SIMILARITY)])


def checked_words(parsed: ParsedQuery) -> list[str]:
    """The words whose existence is checked to decide whether to look for typos (at most ten)."""
    return list(dict.fromkeys(word for term in parsed.positive_terms for word in term.words))[:10]


def backend() -> Backend:
    return PostgresBackend() if connection.vendor == "postgresql" else SQLiteBackend()


def hit_from_row(kind, slug, title, summary, title_marked, summary_marked, text_snippet, names_marked, exact) -> Hit:
    if START in (summary_marked or "") or START not in (text_snippet or ""):
        snippet = highlighted(summary_marked or summary)
    else:
        snippet = highlighted(text_snippet)
    # "Also called" when the match came from an alternative name rather than the title.
    also_called = [] if START in (title_marked or "") else matched_names(names_marked)
    return Hit(kind=kind, slug=slug, title=title, summary=summary, snippet=snippet, also_called=also_called,
               exact=bool(exact))  # fmt: skip


# --- the public surface ------------------------------------------------------------------------


class _RankedHits:
    """The word matches as a sequence the Paginator can count and slice (one query per slice)."""

    def __init__(self, results: SearchResults, db: Backend):
        self.results, self.db = results, db

    def count(self) -> int:
        return min(self.results.total_in_kind, MAX_RESULTS)

    def __getitem__(self, window: slice) -> list[Hit]:
        return self.db.page(
            self.results.query, self.results.mode == "any", self.results.kind, window.start, window.stop - window.start
        )


def search_articles(text: str, *, kind: str = "", page_number=1, page_size: int = 20) -> SearchResults:
    """Search published articles; `results.page` is the requested page of hits."""
    parsed = parse(text)
    results = SearchResults(query=parsed, kind=kind, counts={}, mode="none")
    if not parsed.is_searchable:
        return results
    db = backend()
    counts, unknown_words = db.counts(parsed, any_word=False, check_words=True)
    mode = "all"
    if not counts and len(parsed.positive_terms) > 1:
        (counts, _), mode = db.counts(parsed, any_word=True), "any"
    results.counts, results.mode = counts, (mode if counts else "none")
    results.counts_capped = db.caps_counts and sum(counts.values()) >= COUNT_LIMIT
    if results.counts_capped and kind and counts.get(kind, 0) <= MAX_RESULTS:
        # The one scan stopped early: count the chosen kind on its own so its pages are right.
        kind_counts, _ = db.counts(parsed, any_word=mode == "any", kind=kind)
        results.counts[kind] = max(counts.get(kind, 0), kind_counts.get(kind, 0))
    if results.total >= FEW_RESULTS:
        results.page = Paginator(_RankedHits(results, db), page_size).get_page(page_number)
        if unknown_words:  # some word is in no article: perhaps it is misspelt
            typo_hits(results, db, exclude=set(), fetch=False)
        return results
    # Few word matches: add what the reader probably meant, all on one page.
    hits = db.page(parsed, results.mode == "any", "", 0, FEW_RESULTS) if counts else []
    if unknown_words and not any(hit.exact for hit in hits):
        hits += typo_hits(results, db, exclude={(hit.kind, hit.slug) for hit in hits})
    results.counts = {each: sum(1 for hit in hits if hit.kind == each) for each in Kind.values}
    results.counts = {each: count for each, count in results.counts.items() if count}
    results.page = Paginator([hit for hit in hits if not kind or hit.kind == kind], page_size).get_page(page_number)
    return results


def typo_hits(results: SearchResults, db: Backend, exclude: set, fetch: bool = True) -> list[Hit]:
    """Articles whose title or alternative name looks like the query; sets the "Did you mean"."""
    text = " ".join(word for term in results.query.positive_terms for word in term.words)
    similar = db.similar_names(text)
    wanted = normalise(text)
    for _, term, _ in similar:
        if normalise(term) != wanted:
            results.suggestion = term
            break
    best: dict[int, str] = {}
    for article_id, term, _ in similar:
        best.setdefault(article_id, term)
    # A reader who left words out with "-word" gets only articles that were checked against them.
    if not best or not fetch or results.query.negative_terms:
        return []
    order = list(best)[:SIMILAR_LIMIT]
    articles = Article.objects.published().filter(pk__in=order).only("kind", "slug", "title", "summary")
    hits = []
    for article in sorted(articles, key=lambda article: order.index(article.pk)):
        if (article.kind, article.slug) in exclude:
            continue
        term = best[article.pk]
        hits.append(Hit(kind=article.kind, slug=article.slug, title=article.title, summary=article.summary,
                        snippet=highlighted(article.summary), typo_match=True,
                        also_called=[term] if term != article.title else []))  # fmt: skip
    return hits


def suggest(text: str) -> list[dict]:
    """At most SUGGESTION_LIMIT articles whose title or alternative name starts with, contains or
    resembles `text`, one entry per article."""
    text = " ".join(parse(text).text.split())[:100]
    if len(text) < MIN_SUGGEST_LENGTH:
        return []
    seen, suggestions = set(), []
    for term, title, kind, slug in backend().suggestions(text):
        if (kind, slug) in seen:
            continue
        seen.add((kind, slug))
        suggestions.append({
            "title": title, "kind": kind, "kind_label": Kind(kind).label,
            "url": reverse("encyclopedia:article", args=[kind, slug]),
            "also_called": term if term != title else "",
        })  # fmt: skip
        if len(suggestions) == SUGGESTION_LIMIT:
            break
    return suggestions


def search_miss_record(*, query: ParsedQuery) -> None:
    """Count a search that found nothing under its normalised text, in one atomic statement."""
    key = query.normalised
    if not key:
        return
    now, table = timezone.now(), connection.ops.quote_name(SearchMiss._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (query, count, first_searched_at, last_searched_at) "
            "VALUES (%s, 1, %s, %s) ON CONFLICT (query) DO UPDATE "
            f"SET count = {table}.count + 1, last_searched_at = excluded.last_searched_at",
            [key, now, now],
        )
