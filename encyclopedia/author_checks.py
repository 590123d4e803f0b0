"""Checks an author can act on, run with the reading check: each finding names its place (section and line
of the Markdown) and the fix. Pure functions of the text, like readability.py; nothing here is a gate."""

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace

from .markdown import CARE_LEVELS

# Capitals: words of four letters or more in capitals that are abbreviations, not shouting.
KNOWN_ABBREVIATIONS = {
    "AIDS", "ADHD", "BRCA", "COPD", "COVID", "CPAP", "DVLA", "GERD", "GORD", "HDL", "HIV", "HRT", "LDL", "MMR",
    "MRSA", "NHS", "NICE", "NSAID", "NSAIDS", "PCOS", "PTSD", "SARS", "SSRI", "SSRIS", "SNRI", "TENS", "UNICEF",
    "WHO", "ASAP", "FAQS", "HPV", "CPR", "ECG", "EKG", "MRI", "ICD", "SNOMED", "USA", "UK", "NATO", "DNA", "RNA",
}  # fmt: skip
VAGUE_LINK_TEXT = {"click here", "here", "read more", "more", "click", "link", "this link", "this page", "learn more",
                   "find out more", "more info", "more information", "see here", "go here"}  # fmt: skip
# Headings that say when to get help: the section NHS pages put care advice under.
SEEK_HELP_HEADING = re.compile(
    r"seek|medical (help|attention|advice)|when to (see|get|call|contact|go)|get help|urgent|emergency|"
    r"see a (doctor|gp)|call 999|call 911",
    re.IGNORECASE,
)

_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})(?!#)(.*?)\s*#*\s*$")
_LINK = re.compile(r"(?<!!)\[([^\]]*)\]\(([^)]*)\)")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_BARE_URL = re.compile(r"(?<![(<\[])\bhttps?://[^\s)>\]]+|\bwww\.[a-z0-9-]+\.[^\s)>\]]+", re.IGNORECASE)
_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)]*)\)")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_CAPITALS = re.compile(r"\b[A-Z]{4,}\b")
_CARE_BOX = re.compile(r"^\s*!!!\s*(\w+)")
INTRODUCTION = "Introduction"


@dataclass(frozen=True)
class Finding:
    check: str  # a short name: "heading order", "link text", …
    section: str
    line: int | None
    problem: str
    fix: str

    def as_dict(self) -> dict:
        return asdict(self)


def _headings(lines: list[str]) -> Iterable[tuple[int, int, str]]:
    """(line number, level as rendered, text) of each heading outside code; a "#" renders as h2."""
    in_fence = False
    for number, line in enumerate(lines, start=1):
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and (match := _HEADING.match(line)):
            yield number, max(2, len(match[1])), match[2].strip()


def _text_lines(lines: list[str]) -> Iterable[tuple[int, str, str]]:
    """(line number, section title, line) outside code blocks."""
    section, in_fence = INTRODUCTION, False
    for number, line in enumerate(lines, start=1):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        heading = _HEADING.match(line)
        if heading and len(heading[1]) <= 2 and heading[2].strip():
            section = heading[2].strip()
        yield number, section, line


def _lines(markdown: str) -> list[str]:
    return (markdown or "").replace("\r\n", "\n").split("\n")


def author_checks(*, kind: str, body_markdown: str, faqs: Iterable[tuple[str, str]] = ()) -> list[Finding]:
    """The findings of the body, then of the FAQ answers (links, capitals, images, tables: the answers have no
    headings of their own). An FAQ's place is "FAQs, question N" and the line within its answer."""
    lines = _lines(body_markdown)
    findings: list[Finding] = []
    findings += _heading_findings(lines)
    findings += _line_findings(lines)
    findings += _table_findings(lines)
    findings += _care_findings(kind, lines)
    for number, (_, answer) in enumerate(faqs, start=1):
        answer_lines = _lines(answer)
        for finding in [*_line_findings(answer_lines), *_table_findings(answer_lines)]:
            findings.append(replace(finding, section=f"FAQs, question {number}"))
    return findings


def _heading_findings(lines: list[str]) -> list[Finding]:
    findings, seen = [], {}
    previous, section = 1, INTRODUCTION  # the page title is the h1
    for number, level, text in _headings(lines):
        if level <= 2 and text:
            section = text
        if not text:
            findings.append(Finding("empty heading", section, number, "This heading has no words.",
                                    "Write what the section is about, or remove the heading."))  # fmt: skip
            continue
        if level > previous + 1:
            findings.append(Finding(
                "heading order", section, number,
                f"“{text}” is a level {level} heading after a level {previous} heading: level {previous + 1} is skipped.",
                f"Make it a level {previous + 1} heading ({'#' * (previous + 1)}), so screen readers can follow the outline.",
            ))  # fmt: skip
        key = " ".join(text.casefold().split())
        if key in seen:
            findings.append(Finding(
                "duplicate heading", section, number, f"The heading “{text}” is already used on line {seen[key]}.",
                "Give each heading its own words, or merge the two sections.",
            ))  # fmt: skip
        else:
            seen[key] = number
        previous = level
    return findings


def _line_findings(lines: list[str]) -> list[Finding]:
    findings = []
    for number, section, line in _text_lines(lines):
        for text, _address in _LINK.findall(line):
            label = " ".join(text.split()).strip(" .:").casefold()
            if label in VAGUE_LINK_TEXT:
                findings.append(Finding(
                    "link text", section, number, f"The link text “{text.strip()}” does not say where it goes.",
                    "Use words that say what the reader will find, such as “NHS advice on leg cramps”.",
                ))  # fmt: skip
            elif re.fullmatch(r"(https?://|www\.)\S+", text.strip(), re.IGNORECASE):
                findings.append(Finding(
                    "link text", section, number, f"The link text is a bare address: {text.strip()}",
                    "Use words that say what the reader will find, such as “NHS advice on leg cramps”.",
                ))  # fmt: skip
        without_links = _IMAGE.sub(" ", _LINK.sub(" ", line))
        for address in [*_AUTOLINK.findall(without_links), *_BARE_URL.findall(_AUTOLINK.sub(" ", without_links))]:
            findings.append(Finding(
                "link text", section, number, f"A bare address is shown as the link: {address}",
                "Write it as [words that say where it goes](address).",
            ))  # fmt: skip
        for alt, _ in _IMAGE.findall(line):
            if not alt.strip():
                findings.append(Finding(
                    "alt text", section, number, "This image has no alternative text.",
                    "Describe what the image shows between the brackets: ![what it shows](…).",
                ))  # fmt: skip
        text_only = _IMAGE.sub(" ", _LINK.sub(r"\1", line))
        shouted = [word for word in _CAPITALS.findall(text_only) if word not in KNOWN_ABBREVIATIONS]
        if shouted:
            findings.append(Finding(
                "capitals", section, number, f"Text in capitals is harder to read: {', '.join(shouted)}.",
                "Write it in ordinary letters; use bold (**like this**) for a warning.",
            ))  # fmt: skip
    return findings


def _table_findings(lines: list[str]) -> list[Finding]:
    findings, run = [], []
    section_of = {number: section for number, section, _ in _text_lines(lines)}
    for number, line in [*enumerate(lines, start=1), (len(lines) + 1, "")]:
        if number in section_of and _TABLE_ROW.match(line):
            run.append((number, line))
            continue
        if run:
            first_number, first = run[0]
            section = section_of[first_number]
            if len(run) < 2 or not _TABLE_RULE.match(run[1][1]):
                findings.append(Finding(
                    "table header", section, first_number, "This table has no header row, so it shows as plain text.",
                    "Make the first row the column headings and put a line like |---|---| under it.",
                ))  # fmt: skip
            elif not any(cell.strip() for cell in first.strip().strip("|").split("|")):
                findings.append(Finding(
                    "table header", section, first_number, "This table's header row is empty.",
                    "Name each column in the first row, so screen readers can say what each cell is.",
                ))  # fmt: skip
            run = []
    return findings


def _care_findings(kind: str, lines: list[str]) -> list[Finding]:
    if kind not in {"symptom", "condition"}:
        return []
    has_heading = any(SEEK_HELP_HEADING.search(text) for _, _, text in _headings(lines))
    has_care_box = any((match := _CARE_BOX.match(line)) and match[1] in CARE_LEVELS for line in lines)
    if has_heading or has_care_box:
        return []
    return [Finding(
        "when to get help", "", None, f"This {kind} has no section saying when to seek medical attention.",
        "Add a “## When to seek medical attention” section with care boxes (!!! urgent \"Get help today if\").",
    )]  # fmt: skip
