"""What a search returns: hits with their highlighted snippets, and the results around them."""

import re
from dataclasses import dataclass, field

from django.core.paginator import Page
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..models import Kind
from .query import ParsedQuery

MAX_RESULTS = 200  # ranked and shown at most (10 pages of 20): bounds the work on PostgreSQL
START, STOP = "\x02", "\x03"  # highlight markers: never in stored text (see index.plain_text)


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
    no_article_about: str = ""  # what the reader asked about, when no article is about it (engine.missing_subject)

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


# A line break in the stored text ends a paragraph, heading or list item (index.plain_text): in a
# one-line snippet it becomes a full stop where the line has no punctuation of its own, so that
# list items do not run together ("Dehydration. Pregnancy.", not "Dehydration Pregnancy").
_LINE_END = re.compile(rf"([^\s{START}{STOP}])([{START}{STOP}]*)[^\S\n]*\n\s*")
_ENDS_ITSELF = set(".!?:;,…")


def with_line_ends(text: str) -> str:
    text = _LINE_END.sub(lambda line: f"{line[1]}{line[2]}{'' if line[1] in _ENDS_ITSELF else '.'} ", text)
    return " ".join(text.split())


def highlighted(text: str) -> SafeString:
    """Escape everything, then turn the database's markers into <mark>: no markup from the article
    (or from the query) can reach the page."""
    escaped = str(escape(with_line_ends(text.replace(STOP + START, ""))))
    return mark_safe(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))


def matched_names(highlighted_names: str) -> list[str]:
    """The alternative names that carry a highlight marker, without the markers."""
    return [
        line.replace(START, "").replace(STOP, "") for line in (highlighted_names or "").splitlines() if START in line
    ]


def hit_from_row(
    kind, slug, title, summary, title_marked, summary_marked, text_snippet, names_marked, exact, *, lay_terms=False
) -> Hit:
    if START in (summary_marked or "") or START not in (text_snippet or ""):
        snippet = highlighted(summary_marked or summary)
    else:
        snippet = highlighted(text_snippet)
    # "Also called" when the match came from an alternative name rather than the title. A query with
    # everyday terms may match the title through their medical term: the name the reader used is shown.
    also_called = [] if START in (title_marked or "") and not lay_terms else matched_names(names_marked)
    return Hit(kind=kind, slug=slug, title=title, summary=summary, snippet=snippet, also_called=also_called,
               exact=bool(exact))  # fmt: skip
