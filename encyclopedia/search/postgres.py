"""Search on PostgreSQL: a weighted tsvector document with its GIN index, ts_rank and ts_headline,
and pg_trgm for names that look like the query."""

from django.db.backends.signals import connection_created
from django.dispatch import receiver

from ..models import Kind
from .backend import (
    ARTICLE,
    COUNT_LIMIT,
    MIN_SIMILARITY,
    OTHER_NAMES,
    SIMILAR_LIMIT,
    SUGGESTION_LIMIT,
    Backend,
    checked_words,
)
from .index import SEARCH_CONFIG
from .query import ParsedQuery
from .results import MAX_RESULTS, START, STOP, Hit, hit_from_row


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
        # Whether a published article has the word: one in drafts only is a word in no article, or
        # "Did you mean" would tell which words unpublished articles hold.
        known = (
            f"EXISTS (SELECT 1 FROM {ARTICLE} a, (SELECT websearch_to_tsquery('{SEARCH_CONFIG}', %s) AS q "
            f"OFFSET 0) w WHERE a.search_vector @@ w.q AND {published})"
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
            [
                *query_params,
                *Kind.values,
                *(param for word in words for param in (word, *published_params)),
                *published_params,
                *kind_params,
                COUNT_LIMIT,
            ],
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
        return [
            hit_from_row(*row[:6], f"… {row[6]} …" if row[6] else "", *row[7:], lay_terms=bool(parsed.lay_words))
            for row in rows
        ]

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
              FROM {OTHER_NAMES} n JOIN {ARTICLE} a ON a.id = n.article_id
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
        down, join in from three letters (words inside names) and four (look-alikes). Each branch
        leaves unpublished articles out before it stops at its limit, so that drafts cannot push
        published titles out."""
        published, published_params = self.published()
        like = text.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        limit = SUGGESTION_LIMIT * 3
        parts, params = [], []
        for table, column in ((ARTICLE, "a.title"), (OTHER_NAMES, "n.name")):
            # Prefixes in name order through the btree index, joined row by row until the limit.
            joined = f"{ARTICLE} a" if table == ARTICLE else f"{table} n JOIN {ARTICLE} a ON a.id = n.article_id"
            parts.append(
                f"(SELECT a.id AS article_id, {column} AS term, 3.0 AS score FROM {joined} "
                f"WHERE lower({column}) LIKE %s AND {published} ORDER BY lower({column}) LIMIT %s)"
            )
            params += [f"{like}%", *published_params, limit]
            trigram_branches = []
            if len(text) >= 3:
                trigram_branches.append(("2.0 + ", f"{column} ILIKE %s", f"% {like}%"))
            if len(text) >= 4:
                trigram_branches.append(("", f"%s <%% {column}", text))
            for score, match, match_param in trigram_branches:
                if table == ARTICLE:
                    source, source_params = f"{ARTICLE} a WHERE {match} AND", [match_param]
                else:  # names found through their trigram index first (OFFSET 0), then joined: with the
                    # join and the LIMIT in view, the planner reads the whole table instead
                    source = (
                        f"(SELECT article_id, name FROM {table} n WHERE {match} OFFSET 0) n "
                        f"JOIN {ARTICLE} a ON a.id = n.article_id WHERE"
                    )
                    source_params = [match_param]
                parts.append(
                    f"(SELECT a.id, {column}, {score}word_similarity(%s, {column}) FROM {source} {published} LIMIT %s)"
                )
                params += [text, *source_params, *published_params, limit]
        return self.run(
            f"""
            SELECT names.term, a.title, a.kind, a.slug FROM ({" UNION ALL ".join(parts)}) names
            JOIN {ARTICLE} a ON a.id = names.article_id
            ORDER BY names.score DESC, length(names.term), names.term
            LIMIT %s
            """,
            params + [limit],
        )


@receiver(connection_created, dispatch_uid="search_trigram_thresholds")
def _trigram_thresholds(sender, connection, **kwargs):
    """pg_trgm's `<%` (word similarity, used with its index) cuts at 0.6 by default, which misses
    common misspellings ("anaemia" is 0.5 from "anemia"); names below MIN_SIMILARITY are dropped
    afterwards anyway. Set once per connection; a placeholder until pg_trgm is loaded."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)", [str(MIN_SIMILARITY)])
