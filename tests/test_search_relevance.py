"""What readers type, and the demo article they mean: it must be in the top 3 on both databases.

Rows marked TYPO need typo tolerance. The issue asks for them on PostgreSQL (pg_trgm); SQLite
finds them too, through its FTS5 trigram table, so they run on both unless that changes.
"""

import pytest
from django.core.management import call_command
from django.db import connection

from encyclopedia.models import Article, PromotionLink, SiteSettings
from encyclopedia.search import search_articles

TYPO = "typo"

RELEVANCE = [
    # lay names and synonyms
    ("charley horse", "symptom/leg-cramps", ""),
    ("high blood sugar", "condition/type-2-diabetes", ""),
    ("adult onset diabetes", "condition/type-2-diabetes", ""),
    ("hypertension", "condition/high-blood-pressure", ""),
    ("raised blood pressure", "condition/high-blood-pressure", ""),
    ("flu", "condition/influenza", ""),
    ("grippe", "condition/influenza", ""),
    ("stomach bug", "condition/gastroenteritis", ""),
    ("stomach flu", "condition/gastroenteritis", ""),
    ("low iron", "condition/iron-deficiency-anemia", ""),
    ("underactive thyroid", "condition/hypothyroidism", ""),
    ("wear and tear arthritis", "condition/osteoarthritis", ""),
    ("bladder infection", "condition/urinary-tract-infection", ""),
    ("water infection", "condition/urinary-tract-infection", ""),
    ("nerve damage", "condition/peripheral-neuropathy", ""),
    ("poor circulation in legs", "condition/peripheral-artery-disease", ""),
    ("pins and needles", "symptom/numbness-and-tingling", ""),
    ("throwing up", "symptom/nausea-and-vomiting", ""),
    ("feeling sick", "symptom/nausea-and-vomiting", ""),
    ("loose stools", "symptom/diarrhea", ""),
    ("high temperature", "symptom/fever", ""),
    ("breathless", "symptom/shortness-of-breath", ""),
    ("wheezing", "condition/asthma", ""),
    ("tight chest", "symptom/chest-pain", ""),
    ("sore joints", "symptom/joint-pain", ""),
    ("head pain", "symptom/headache", ""),
    ("sick headache", "condition/migraine", ""),
    # plurals and other word forms (stemming)
    ("leg cramps", "symptom/leg-cramps", ""),
    ("cramping", "symptom/leg-cramps", ""),
    ("lightheaded", "symptom/dizziness", ""),
    ("dizzy", "symptom/dizziness", ""),
    ("coughing up phlegm", "symptom/cough", ""),
    # questions and descriptions in readers' words
    ("why do my legs cramp at night", "symptom/leg-cramps", ""),
    ("cramp in calf at night", "symptom/leg-cramps", ""),
    ("tired all the time", "symptom/fatigue", ""),
    ("out of breath", "symptom/shortness-of-breath", ""),
    ("what is a urine dipstick", "procedure/urinalysis", ""),
    # procedures by their lay name or abbreviation
    ("heart tracing", "procedure/electrocardiogram", ""),
    ("ECG", "procedure/electrocardiogram", ""),
    ("EKG", "procedure/electrocardiogram", ""),
    ("breathing test", "procedure/spirometry", ""),
    ("lung function test", "procedure/spirometry", ""),
    ("knee surgery", "procedure/knee-replacement", ""),
    ("blood draw", "procedure/blood-test", ""),
    ("urine test", "procedure/urinalysis", ""),
    ("A1C", "procedure/hba1c-test", ""),
    ("average blood sugar test", "procedure/hba1c-test", ""),
    ("MRI", "procedure/mri-scan", ""),
    ("magnetic scan", "procedure/mri-scan", ""),
    ("x-ray of the chest", "procedure/chest-x-ray", ""),
    ("camera test of the bowel", "procedure/colonoscopy", ""),
    ("ankle blood pressure test", "procedure/ankle-brachial-index", ""),
    ("bp check", "procedure/blood-pressure-measurement", ""),
    # typos
    ("leg crmaps", "symptom/leg-cramps", TYPO),
    ("diabetis", "condition/type-2-diabetes", TYPO),
    ("anaemia", "condition/iron-deficiency-anemia", TYPO),
    ("migrane", "condition/migraine", TYPO),
    ("astma", "condition/asthma", TYPO),
    ("colonscopy", "procedure/colonoscopy", TYPO),
]
TYPO_TOLERANT = {"postgresql", "sqlite"}  # databases whose search tolerates typos
# Ranking guard: most readers should find what they meant first, not only in the top 3.
MIN_TOP_1_SHARE = 0.9


@pytest.fixture(scope="module")
def demo_content(django_db_setup, django_db_blocker):
    """The demo articles, loaded once for the module and removed afterwards."""
    with django_db_blocker.unblock():
        call_command("load_demo_content", verbosity=0, stdout=open("/dev/null", "w"))
    yield
    with django_db_blocker.unblock():
        Article.objects.all().delete()
        PromotionLink.objects.all().delete()
        SiteSettings.objects.all().delete()
        SiteSettings.load()  # back to the default texts a new site starts with


def position(query: str, expected: str) -> int:
    """1-based position of the expected article among the first three results; 0 when absent."""
    results = search_articles(query)
    found = [f"{hit.kind}/{hit.slug}" for hit in results.page.object_list[:3]] if results.page else []
    return found.index(expected) + 1 if expected in found else 0


def skip_unless_supported(needs: str) -> None:
    if needs == TYPO and connection.vendor not in TYPO_TOLERANT:
        pytest.skip(f"typo tolerance needs pg_trgm or FTS5 trigrams; not available on {connection.vendor}")


@pytest.mark.parametrize(("query", "expected", "needs"), RELEVANCE, ids=[row[0] for row in RELEVANCE])
def test_reader_finds_the_article_they_mean_in_the_top_three(demo_content, db, query, expected, needs):
    skip_unless_supported(needs)
    assert position(query, expected), f"{expected} is not in the top 3 for “{query}”"


def test_relevance_table_has_at_least_forty_rows_and_mostly_hits_first(demo_content, db, capsys):
    rows = [(query, expected) for query, expected, needs in RELEVANCE
            if needs != TYPO or connection.vendor in TYPO_TOLERANT]  # fmt: skip
    positions = [position(query, expected) for query, expected in rows]
    top_1, top_3 = positions.count(1), sum(1 for each in positions if each)
    with capsys.disabled():
        print(f"\nrelevance on {connection.vendor}: top 1 {top_1}/{len(rows)}, top 3 {top_3}/{len(rows)}")
    assert len(RELEVANCE) >= 40
    assert top_1 >= MIN_TOP_1_SHARE * len(rows)
