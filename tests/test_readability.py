"""The reading scores against counts made by hand (the arithmetic is in each test's comments)."""

import pytest

from encyclopedia.readability import article_reading, flesch_kincaid_grade, smog_grade, syllable_count

pytestmark = pytest.mark.db_independent


def reading(body="", *, title="Anything", summary="", faqs=(), plain_words=None):
    return article_reading(title=title, summary=summary, body_markdown=body, faqs=faqs, plain_words=plain_words)


def test_smog_on_a_30_sentence_sample_is_mclaughlins_table():
    # 30 sentences, 30 long words: 1.0430 × √(30 × 30 / 30) + 3.1291 = 1.0430 × 5.4772 + 3.1291 = 8.8418
    assert reading(" ".join(["Eat a banana."] * 30)).figures.smog_grade == 8.8
    # 30 sentences, 15 long words: 1.0430 × √15 + 3.1291 = 1.0430 × 3.8730 + 3.1291 = 7.1686
    assert reading(" ".join(["Eat a banana.", "Eat an egg."] * 15)).figures.smog_grade == 7.2
    # No long word at all: the formula's constant, 3.1291
    assert reading(" ".join(["Eat an egg."] * 30)).figures.smog_grade == 3.1


def test_a_short_text_is_scaled_to_30_sentences():
    figures = reading(
        "Leg cramps are painful. The doctor will examine your abdomen. Drink plenty of water each day."
    ).figures
    # Sentences 3; words 4 + 6 + 6 = 16.
    # Syllables: leg 1 cramps 1 are 1 painful 2 = 5; the 1 doctor 2 will 1 examine 3 your 1 abdomen 3 = 11;
    #            drink 1 plenty 2 of 1 water 2 each 1 day 1 = 8; total 24.
    # Long words (3+ syllables): examine, abdomen = 2.
    assert (figures.sentences, figures.words, figures.syllables, figures.long_words) == (3, 16, 24, 2)
    # SMOG: 1.0430 × √(2 × 30 / 3) + 3.1291 = 1.0430 × 4.4721 + 3.1291 = 7.7935
    assert figures.smog_grade == 7.8
    # UK reading age = SMOG grade + 5
    assert figures.reading_age == 12.8
    # Flesch–Kincaid: 0.39 × 16 / 3 + 11.8 × 24 / 16 − 15.59 = 2.08 + 17.70 − 15.59 = 4.19
    assert figures.fk_grade == 4.2


def test_the_formulas_alone():
    assert smog_grade(long_words=0, sentences=0) is None
    assert smog_grade(long_words=9, sentences=30) == 6.3  # 1.0430 × 3 + 3.1291 = 6.2581
    assert flesch_kincaid_grade(words=0, sentences=0, syllables=0) is None
    assert flesch_kincaid_grade(words=100, sentences=10, syllables=140) == 4.8  # 3.9 + 16.52 − 15.59 = 4.83


def test_the_articles_own_title_words_are_not_long_words():
    # "Hypertension" has 4 syllables: as the title it is left out; as any other word it counts.
    assert reading("Hypertension means high blood pressure.", title="Hypertension").figures.long_words == 0
    assert reading("Hypertension means high blood pressure.", title="High blood pressure").figures.long_words == 1
    # 1 sentence, 1 long word: 1.0430 × √30 + 3.1291 = 8.8418
    assert reading("Hypertension means high blood pressure.").figures.smog_grade == 8.8


def test_headings_and_list_items_end_sentences():
    figures = reading("## Symptoms\n\nYou may have:\n\n- a fever\n- a headache\n").figures
    # "Symptoms" | "You may have:" | "a fever" | "a headache": 4 sentences of 1 + 3 + 2 + 2 = 8 words
    assert (figures.sentences, figures.words) == (4, 8)


def test_care_box_titles_and_table_cells_end_sentences_and_links_read_as_their_text():
    body = (
        '!!! urgent "Get help today if"\n    - it hurts\n\n'
        "| When | What |\n|---|---|\n| Night | Stretch |\n\n"
        "Read [our page](https://example.org/page) or [[symptoms/chest-pain|chest pain]].\n"
    )
    figures = reading(body).figures
    # "Get help today if" | "it hurts" | When | What | Night | Stretch | "Read our page or chest pain."
    assert (figures.sentences, figures.words) == (7, 4 + 2 + 1 + 1 + 1 + 1 + 6)


def test_abbreviations_do_not_end_sentences():
    figures = reading("Take a painkiller, e.g. paracetamol, if it hurts. Rest.").figures
    assert figures.sentences == 2


def test_sections_are_the_summary_each_section_and_the_faqs():
    result = reading(
        "Intro text here.\n\n## Causes\n\nA cause.\n\n### Detail\n\nMore detail.\n\n## Treatment\n\nRest.",
        summary="A summary.",
        faqs=[("What is it?", "A thing.")],
    )
    assert [(section.title, section.line, section.figures.sentences) for section in result.sections] == [
        ("Summary", None, 1),
        ("Introduction", None, 1),
        ("Causes", 3, 4),  # the heading, "A cause.", the "Detail" heading, "More detail."
        ("Treatment", 11, 2),
        ("FAQs", None, 2),
    ]
    assert result.figures.sentences == 10


def test_sentences_over_25_words_are_long_with_their_place():
    twenty_five = " ".join(["word"] * 25) + "."
    twenty_six = " ".join(["word"] * 26) + "."
    result = reading(f"## Causes\n\n{twenty_five}\n\n{twenty_six}\n")
    assert [(s.words, s.place.section, s.place.line) for s in result.long_sentences] == [(26, "Causes", 5)]


def test_hard_words_with_a_plain_alternative_are_named_with_it():
    result = reading(
        "Pain in the abdomen. Take medication.",
        faqs=[("Is it serious?", "Rarely. See your abdomen.")],
        plain_words={"Abdomen": "tummy, belly", "medication": "medicine", "pain": "hurt"},
    )
    suggestions = [(w.word, w.plain, w.place.line, w.place.faq) for w in result.plain_word_suggestions]
    # "pain" has one syllable: not a hard word, whatever the list says.
    assert suggestions == [("abdomen", "tummy, belly", 1, None), ("medication", "medicine", 1, None),
                           ("abdomen", "tummy, belly", None, 1)]  # fmt: skip
    assert {w.word for w in result.hard_words} == {"abdomen", "medication", "serious"}


def test_syllables_come_from_the_dictionary_and_words_it_lacks_are_estimated():
    assert [syllable_count(word) for word in ("abdomen", "water", "hypertension", "long-term", "2024")] == [
        3, 2, 4, 2, 1,
    ]  # fmt: skip
    assert syllable_count("paracetamol") == 5  # not in the CMU dictionary: pa-ra-ce-ta-mol


def test_empty_text_has_no_grade():
    result = reading("")
    assert result.figures.smog_grade is None and result.reading_age is None and result.sections == []
