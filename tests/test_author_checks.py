"""Author checks: each finds its problem, names the place and the fix, and leaves good text alone."""

import pytest

from encyclopedia.author_checks import author_checks

pytestmark = pytest.mark.db_independent

GOOD = """Intro.

## Causes

Read the [NHS advice on leg cramps](https://www.nhs.uk/conditions/leg-cramps/). Take an NSAID if the NHS says so.

### Night cramps

| When | What to do |
|------|------------|
| At night | Stretch your calf |

![A calf stretch against a wall](image:2f1c)

## When to seek medical attention

!!! urgent "Get help today if"
    - the cramps last more than 10 minutes
"""


def found(body: str, kind: str = "symptom") -> list[tuple[str, str, int | None]]:
    return [(f.check, f.section, f.line) for f in author_checks(kind=kind, body_markdown=body)]


def test_good_text_has_no_findings():
    assert found(GOOD) == []


def test_a_skipped_heading_level_is_found_with_the_level_to_use():
    findings = author_checks(kind="procedure", body_markdown="## Causes\n\n#### Detail\n")
    assert [(f.check, f.section, f.line) for f in findings] == [("heading order", "Causes", 3)]
    assert "level 3" in findings[0].fix and "###" in findings[0].fix


def test_a_first_heading_below_level_two_skips_a_level():
    assert found("Intro.\n\n### Detail\n", kind="procedure") == [("heading order", "Introduction", 3)]


def test_empty_and_duplicate_headings_are_found():
    body = "## Causes\n\ntext\n\n##\n\n## causes\n"
    assert found(body, kind="procedure") == [("empty heading", "Causes", 5), ("duplicate heading", "causes", 7)]


@pytest.mark.parametrize("text", ["click here", "Here", "read more", "https://example.org/page"])
def test_vague_link_text_and_addresses_as_link_text_are_found(text):
    findings = author_checks(kind="procedure", body_markdown=f"## Causes\n\nSee [{text}](https://example.org/page).\n")
    assert [(f.check, f.line) for f in findings] == [("link text", 3)]
    assert "say what the reader will find" in findings[0].fix


def test_a_bare_address_in_the_text_is_found():
    assert found("See https://example.org or <https://example.org/b>.", kind="procedure") == [
        ("link text", "Introduction", 1),
        ("link text", "Introduction", 1),
    ]


def test_a_table_without_a_header_row_is_found():
    body = "## Doses\n\n| Adults | 2 tablets |\n| Children | 1 tablet |\n"
    findings = author_checks(kind="procedure", body_markdown=body)
    assert [(f.check, f.section, f.line) for f in findings] == [("table header", "Doses", 3)]
    assert "|---|" in findings[0].fix


def test_a_table_with_an_empty_header_row_is_found():
    body = "|  |  |\n|---|---|\n| Adults | 2 tablets |\n"
    assert found(body, kind="procedure") == [("table header", "Introduction", 1)]


def test_words_in_capitals_are_found_but_known_abbreviations_are_not():
    findings = author_checks(
        kind="procedure", body_markdown="## Warning\n\nDo NOT stop taking COPD medicine SUDDENLY.\n"
    )
    assert [(f.check, f.line) for f in findings] == [("capitals", 3)]
    assert "SUDDENLY" in findings[0].problem and "COPD" not in findings[0].problem  # NOT has three letters


def test_an_image_without_alt_text_is_found_in_both_forms():
    body = "## Stretches\n\n![](https://example.org/a.png)\n\n![ ](image:2f1c)\n"
    assert found(body, kind="procedure") == [("alt text", "Stretches", 3), ("alt text", "Stretches", 5)]


@pytest.mark.parametrize("kind", ["symptom", "condition"])
def test_a_symptom_or_condition_without_a_when_to_get_help_section_is_found(kind):
    findings = author_checks(kind=kind, body_markdown="## Causes\n\nSome causes.\n")
    assert [f.check for f in findings] == ["when to get help"]
    assert "When to seek medical attention" in findings[0].fix


def test_a_procedure_needs_no_when_to_get_help_section_and_a_care_box_is_enough():
    assert found("## How it is done\n\nText.\n", kind="procedure") == []
    assert found('## Outlook\n\n!!! emergency "Call 999 if"\n    - you cannot breathe\n') == []


def test_code_blocks_are_left_alone():
    assert found("```\n#### NOT A HEADING\nclick [here](x)\n```\n", kind="procedure") == []


def test_faq_answers_are_checked_too_and_named_by_their_question():
    findings = author_checks(
        kind="procedure", body_markdown="## Causes\n\nText.\n", faqs=[("Why?", "Fine."), ("How?", "See [here](x).")]
    )
    assert [(f.check, f.section, f.line) for f in findings] == [("link text", "FAQs, question 2", 1)]
