"""What a reader typed, parsed once into terms that both databases search the same way.

The syntax is the web-search one readers know (PostgreSQL's `websearch_to_tsquery`):
words are all required, `"quoted words"` must appear together, `or` between two terms
accepts either, and `-word` or `-"some words"` leaves out articles that have them.
Only runs of letters and digits (with inner hyphens, as in "x-ray") become words, so no
operator, quote or control character of either database's query language gets through.
"""

import re
import unicodedata
from dataclasses import dataclass, field

MAX_QUERY_LENGTH = 200

# PostgreSQL's English stop-word list (share/tsearch_data/english.stop): PostgreSQL drops these
# itself; SQLite's FTS5 has no stop words, so the same ones are dropped here before searching.
STOP_WORDS = frozenset(
    "i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her "
    "hers herself it its itself they them their theirs themselves what which who whom this that these "
    "those am is are was were be been being have has had having do does did doing a an the and but if "
    "or because as until while of at by for with about against between into through during before after "
    "above below to from up down in out on off over under again further then once here there when where "
    "why how all any both each few more most other some such no nor not only own same so than too very "
    "s t can will just don should now".split()
)

_TOKEN = re.compile(r'(?P<minus>-?)(?:"(?P<phrase>[^"]*)(?:"|$)|(?P<word>[^\W_]+(?:-[^\W_]+)*))')
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # one word, or the words of a quoted phrase
    negated: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass
class ParsedQuery:
    text: str  # what the reader typed, cleaned and cut to MAX_QUERY_LENGTH (shown back to them)
    truncated: bool = False
    # Terms joined by AND; each group is a set of alternatives joined by `or`.
    groups: list[list[Term]] = field(default_factory=list)
    only_stop_words: bool = False

    @property
    def positive_terms(self) -> list[Term]:
        return [term for group in self.groups for term in group if not term.negated]

    @property
    def negative_terms(self) -> list[Term]:
        return [term for group in self.groups for term in group if term.negated]

    @property
    def is_searchable(self) -> bool:
        return bool(self.positive_terms)

    @property
    def normalised(self) -> str:
        """The key searches that found nothing are counted under: lower case, words only."""
        return normalise(self.text)

    def websearch(self, *, any_word: bool = False) -> str:
        """The query in websearch syntax, rebuilt from the parsed words only (for PostgreSQL).
        With `any_word`, every positive term becomes an alternative (the looser second try)."""
        if any_word:
            positive = " or ".join(_websearch_term(term) for term in self.positive_terms)
            negative = " ".join(_websearch_term(term) for term in self.negative_terms)
            return f"{positive} {negative}".strip()
        return " ".join(" or ".join(_websearch_term(term) for term in group) for group in self.groups)

    def fts5(self, *, any_word: bool = False) -> str:
        """The query in SQLite FTS5 syntax: every word double-quoted, so nothing is an operator."""

        def alternatives(terms: list[Term]) -> str:
            quoted = [_fts5_term(term) for term in terms]
            return quoted[0] if len(quoted) == 1 else "(" + " OR ".join(quoted) + ")"

        if any_word:
            positive = alternatives(self.positive_terms)
        else:
            groups = [[term for term in group if not term.negated] for group in self.groups]
            positive = " AND ".join(alternatives(group) for group in groups if group)
        negative = self.negative_terms
        return f"({positive}) NOT {alternatives(negative)}" if negative else positive


def _websearch_term(term: Term) -> str:
    text = " ".join(term.words)
    text = f'"{text}"' if term.is_phrase else text
    return f"-{text}" if term.negated else text


def _fts5_term(term: Term) -> str:
    return '"' + " ".join(term.words) + '"'  # words never contain a double quote


def clean(text: str) -> tuple[str, bool]:
    """Normalise Unicode, turn NUL and other control characters into spaces, cut overlong text."""
    text = unicodedata.normalize("NFKC", text)
    text = " ".join(_CONTROL.sub(" ", text).split())
    if len(text) > MAX_QUERY_LENGTH:
        return text[:MAX_QUERY_LENGTH].rstrip(), True
    return text, False


def normalise(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))[:MAX_QUERY_LENGTH]


def parse(raw: str) -> ParsedQuery:
    text, truncated = clean(raw)
    parsed = ParsedQuery(text=text, truncated=truncated)
    pending_or = False
    saw_stop_word = False
    for match in _TOKEN.finditer(text):
        negated = bool(match["minus"])
        if match["phrase"] is not None:
            words = tuple(_WORD.findall(match["phrase"].casefold()))
            if not words:
                continue
        else:
            word = match["word"].casefold()
            if word == "or" and not negated:
                pending_or = bool(parsed.groups)
                continue
            if word in STOP_WORDS:
                saw_stop_word = True
                continue
            words = (word,)
        term = Term(words=words, negated=negated)
        if pending_or and not negated and not all(t.negated for t in parsed.groups[-1]):
            parsed.groups[-1].append(term)
        else:
            parsed.groups.append([term])
        pending_or = False
    parsed.only_stop_words = saw_stop_word and not parsed.positive_terms
    return parsed
