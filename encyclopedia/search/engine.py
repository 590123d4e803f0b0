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

The public functions are here; each database's SQL is in postgres.py and sqlite.py, on the
common Backend (backend.py); results.py holds what a search returns.
"""

import datetime

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from core.ratelimit import window_hits

from ..models import Article, Kind, LayTerm, SearchMiss
from .backend import COUNT_LIMIT, MIN_SIMILARITY, SIMILAR_LIMIT, SUGGESTION_LIMIT, Backend
from .postgres import PostgresBackend
from .query import ParsedQuery, lay_term_key, normalise, parse
from .results import MAX_RESULTS, Hit, SearchResults, highlighted
from .sqlite import SQLiteBackend, trigram_score

FEW_RESULTS = 3  # below this, typo matches and a "Did you mean" are added
MIN_SUGGEST_LENGTH = 2
SEARCH_MISS_MAX_LENGTH = 100  # a longer query that found nothing is not kept


def backend() -> Backend:
    return PostgresBackend() if connection.vendor == "postgresql" else SQLiteBackend()


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
    parsed = parsed.with_alternatives(LayTerm.objects.medical_terms(parsed.lay_term_keys()))
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
        results.no_article_about = missing_subject(results)
        return results
    # Few word matches: add what the reader probably meant, all on one page.
    hits = db.page(parsed, results.mode == "any", "", 0, FEW_RESULTS) if counts else []
    if unknown_words and not any(hit.exact for hit in hits):
        hits += typo_hits(results, db, exclude={(hit.kind, hit.slug) for hit in hits})
    results.counts = {each: sum(1 for hit in hits if hit.kind == each) for each in Kind.values}
    results.counts = {each: count for each, count in results.counts.items() if count}
    results.page = Paginator([hit for hit in hits if not kind or hit.kind == kind], page_size).get_page(page_number)
    results.no_article_about = missing_subject(results)
    return results


def missing_subject(results: SearchResults) -> str:
    """The query, when it names something we have no article about: no result is called by it, and a
    top result is called by a name of as many words with one of them different and not merely
    misspelt ("type 1 diabetes" beside "Type 2 diabetes", "leg pain" beside "Chest pain"). A query
    with lay terms, a typo or operators says what it looks for less plainly, and gets no such line."""
    query = results.query
    if not results.page or results.page.number != 1 or results.suggestion or query.lay_words:
        return ""
    if any(len(group) != 1 or group[0].negated or group[0].is_phrase for group in query.groups):
        return ""
    words = [group[0].words[0] for group in query.groups]
    hits = results.page.object_list[:FEW_RESULTS]
    if len(words) < 2 or any(hit.exact or hit.typo_match for hit in hits):
        return ""
    for hit in hits:
        for name in [hit.title, *hit.also_called]:
            name_words = lay_term_key(name).split()
            different = [
                (word, other) for word, other in zip(words, name_words, strict=False)
                if word != other and trigram_score(word, other) < MIN_SIMILARITY
            ]  # fmt: skip
            if len(name_words) == len(words) and len(different) == 1:
                return query.text
    return ""


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


def search_miss_record(*, query: ParsedQuery, client: str) -> bool:
    """Count a search that found nothing under its normalised text; True when counted.

    A query already kept is counted in one atomic statement. A new one is kept only when it has a
    letter and fewer than SEARCH_MISS_MAX_LENGTH characters, when `client` (core.clients.client_hash)
    has added fewer than SEARCH_MISS_NEW_PER_CLIENT_PER_HOUR this hour, and when fewer than
    SEARCH_MISS_NEW_PER_DAY were added in the last 24 hours by anyone: random queries cannot make
    the table grow faster than that."""
    key = query.normalised
    if not key or len(key) >= SEARCH_MISS_MAX_LENGTH or not any(char.isalpha() for char in key):
        return False
    now = timezone.now()
    if SearchMiss.objects.filter(query=key).update(count=F("count") + 1, last_searched_at=now):
        return True
    hits, _ = window_hits(cache_alias=settings.API_RATE_LIMIT_CACHE, scope="search-miss", client=client, window=3600)
    if hits > settings.SEARCH_MISS_NEW_PER_CLIENT_PER_HOUR:
        return False
    # Kept only while fewer than the daily cap were added in the last 24 hours (search_miss_recent_idx),
    # checked in the same statement; another request may have added the query meanwhile.
    table = connection.ops.quote_name(SearchMiss._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (query, count, first_searched_at, last_searched_at) "
            f"SELECT %s, 1, %s, %s WHERE (SELECT count(*) FROM (SELECT 1 FROM {table} "
            "WHERE first_searched_at > %s LIMIT %s) recent) < %s "
            f"ON CONFLICT (query) DO UPDATE SET count = {table}.count + 1, last_searched_at = excluded.last_searched_at",
            [key, now, now, now - datetime.timedelta(days=1), settings.SEARCH_MISS_NEW_PER_DAY,
             settings.SEARCH_MISS_NEW_PER_DAY],
        )  # fmt: skip
        return cursor.rowcount > 0
