"""Search on SQLite: FTS5 tables (words, stemmed, ranked by bm25; titles and names as trigrams),
with pg_trgm's similarity computed in Python."""

import re

from ..models import Kind
from .backend import ARTICLE, MIN_SIMILARITY, SIMILAR_LIMIT, SUGGESTION_LIMIT, Backend, checked_words
from .index import FTS_TABLE, TRIGRAM_TABLE
from .query import ParsedQuery
from .results import Hit, hit_from_row

# SQLite's bm25 weights per FTS column, in the order title, names, summary, headings, text:
# the same proportions as PostgreSQL's default weights for A, A, B, C, D.
BM25_WEIGHTS = "10.0, 10.0, 4.0, 2.0, 1.0"


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


class SQLiteBackend(Backend):
    def counts(
        self, parsed: ParsedQuery, any_word: bool, check_words: bool = False, kind: str = ""
    ) -> tuple[dict[str, int], set]:
        """Exact counts per kind (SQLite has no bitmap to spare: each kind is counted in full)."""
        published, published_params = self.published()
        words = checked_words(parsed) if check_words else []
        # Whether a published article has the word (see PostgresBackend.counts).
        known = (
            f"(SELECT count(*) FROM (SELECT 1 FROM {FTS_TABLE} f JOIN {ARTICLE} a ON a.id = f.rowid "
            f"WHERE {FTS_TABLE} MATCH %s AND {published} LIMIT 1))"
        )
        kinds = Kind.values
        per_kind = (
            f"(SELECT count(*) FROM {FTS_TABLE} f JOIN {ARTICLE} a ON a.id = f.rowid "
            f"WHERE {FTS_TABLE} MATCH %s AND a.kind = %s AND {published})"
        )
        row = self.run(
            f"SELECT {', '.join([per_kind] * len(kinds) + [known] * len(words))}",
            [param for kind in kinds for param in (parsed.fts5(any_word=any_word), kind, *published_params)]
            + [param for word in words for param in ('"' + word.replace('"', '""') + '"', *published_params)],
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
        return [hit_from_row(*row, lay_terms=bool(parsed.lay_words)) for row in rows]

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
