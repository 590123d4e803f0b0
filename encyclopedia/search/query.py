"""What a reader typed, parsed once into terms that both databases search the same way.

The syntax is the web-search one readers know (PostgreSQL's `websearch_to_tsquery`):
words are all required, `"quoted words"` must appear together, `or` between two terms
accepts either, and `-word` or `-"some words"` leaves out articles that have them.
Only runs of letters and digits (with inner hyphens, as in "x-ray") become words, so no
operator, quote or control character of either database's query language gets through.
"""

import re
import unicodedata
from dataclasses import dataclass, field, replace

MAX_QUERY_LENGTH = 200
LAY_TERM_MAX_WORDS = 4  # the longest lay term recognised in a query, in words search keeps

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
    # The words of lay terms found in the query and of their alternatives ("pee" or "urine"): not
    # checked for typos.
    lay_words: frozenset[str] = frozenset()

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

    def lay_term_keys(self) -> list[str]:
        """The runs of up to LAY_TERM_MAX_WORDS plain words that could be a lay term's key."""
        keys = []
        for run in self._plain_runs():
            for start in range(len(run)):
                for size in range(1, min(LAY_TERM_MAX_WORDS, len(run) - start) + 1):
                    keys.append(" ".join(run[start : start + size]))
        return list(dict.fromkeys(keys))

    def _plain_runs(self) -> list[list[str]]:
        """Consecutive groups of one unquoted, wanted word each: where a lay term can be recognised."""
        runs, run = [], []
        for group in self.groups:
            if len(group) == 1 and not group[0].negated and not group[0].is_phrase:
                run.append(group[0].words[0])
            else:
                runs, run = runs + [run] if run else runs, []
        return runs + [run] if run else runs

    def with_alternatives(self, lay_terms: dict[str, tuple[str, str]]) -> "ParsedQuery":
        """This query with each lay term found in it ({key: (term, medical term)}) accepting its medical
        term too, as if the reader had typed `"burning when i pee" or "urinating"`: the term in its own
        words (which hold the words search leaves out, so the phrase matches where it is written), or
        the medical term. Longest terms first, left to right."""
        if not lay_terms:
            return self
        groups, lay_words, index = [], set(), 0
        while index < len(self.groups):
            found = None
            for size in range(min(LAY_TERM_MAX_WORDS, len(self.groups) - index), 0, -1):
                window = self.groups[index : index + size]
                if all(len(each) == 1 and not each[0].negated and not each[0].is_phrase for each in window):
                    key = " ".join(each[0].words[0] for each in window)
                    if key in lay_terms:
                        found = (size, key)
                        break
            if found is None:
                groups.append(self.groups[index])
                index += 1
                continue
            size, key = found
            term, medical = lay_terms[key]
            alternatives = [Term(words=tuple(_WORD.findall(term.casefold())) or tuple(key.split()))]
            for each in medical.split(","):  # "abdominal pain, stomach cramps": either
                words = tuple(_WORD.findall(each.casefold()))
                if words and Term(words=words) not in alternatives:
                    alternatives.append(Term(words=words))
            groups.append(alternatives)
            lay_words.update(word for alternative in alternatives for word in alternative.words)
            index += size
        return replace(self, groups=groups, lay_words=frozenset(lay_words))

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


def lay_term_key(text: str) -> str:
    """A lay term's words as a query holds them: "Burning when I pee" is "burning pee"."""
    return " ".join(word for term in parse(text).positive_terms for word in term.words)[:100]
