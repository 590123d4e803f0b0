"""The demo content through export_articles and import_articles: every field survives the round trip, and
a second import changes nothing. The demo is loaded once for the module (tests/conftest.py's demo_content);
each test's changes, deleting every article included, are rolled back after it."""

import datetime

import pytest
from django.core.management import call_command
from reversion.models import Revision

from encyclopedia.models import FAQ, Article, ArticleRedirect, Kind, MedicalCode, Source, Status

from .conftest import make_article, person
from .test_content_files import importer, snapshot  # noqa: F401 (importer: every test imports in Ivy's name)

pytestmark = pytest.mark.django_db


@pytest.fixture
def rich_content(demo_content, django_user_model):
    """The demo content plus what the demo lacks: drafts, a named reviewer, sources, odd positions, SNOMED codes."""
    carol = person(django_user_model, "carol", "Medical reviewer")
    draft = make_article(
        kind=Kind.PROCEDURE, title="Tilt table test", slug="tilt-table-test", status=Status.DRAFT,
        summary="A test of how blood pressure\nresponds to standing.", body="## Why it is done\n\nFainting: *why*?",
        alternative_names=("Head-up tilt",), faqs=(("Does it hurt?", "No.\n\n- a list\n- of two"),),
        reviewed_by=carol, last_reviewed_on=datetime.date(2026, 2, 3), next_review_due=datetime.date(2027, 1, 1),
        show_promotion=False,
    )  # fmt: skip
    draft.faqs.update(position=7)
    draft.related.add(Article.objects.get(slug="dizziness"))
    Source.objects.create(article=draft, position=3, title="Syncope guideline", publisher="A society",
                          url="https://example.org/syncope", accessed_on=datetime.date(2026, 1, 31))  # fmt: skip
    Source.objects.create(article=draft, position=9, title="A textbook")
    MedicalCode.objects.create(article=draft, system="snomedct", code="22298006")
    return draft


def test_export_then_import_into_an_empty_database_reproduces_every_field(rich_content, tmp_path, capsys):
    before = snapshot()
    assert len(before["articles"]) == 37 and before["codes"] and before["sources"] and before["related"]
    call_command("export_articles", tmp_path)
    assert len(list(tmp_path.glob("*/*.md"))) == 37
    Article.objects.all().delete()
    assert not Article.objects.exists() and not FAQ.objects.exists() and not MedicalCode.objects.exists()

    call_command("import_articles", tmp_path, "--by", "ivy")
    assert "37 file(s): 37 created, 0 updated, 0 unchanged." in capsys.readouterr().out
    after = snapshot()
    for part in before:
        assert after[part] == before[part], part


def test_importing_the_same_files_again_changes_nothing(rich_content, tmp_path, capsys):
    call_command("export_articles", tmp_path)
    before = snapshot()
    versions = dict(Article.objects.values_list("pk", "version"))
    revisions = Revision.objects.count()
    call_command("import_articles", tmp_path, "--by", "ivy")
    assert "37 file(s): 0 created, 0 updated, 37 unchanged." in capsys.readouterr().out
    assert snapshot() == before
    assert dict(Article.objects.values_list("pk", "version")) == versions
    assert Revision.objects.count() == revisions


def test_an_export_is_a_readable_markdown_file_with_everything_in_its_front_matter(rich_content, tmp_path):
    call_command("export_articles", tmp_path)
    text = (tmp_path / "procedure" / "tilt-table-test.md").read_text()
    assert text.startswith(f"---\nuuid: {rich_content.uuid}\nkind: procedure\nslug: tilt-table-test\n")
    for line in [
        "status: draft",
        "reviewed_by: carol",
        "last_reviewed: 2026-02-03",
        "next_review_due: 2027-01-01",
        "  - symptom/dizziness",
        "    position: 7",
        "  - system: snomedct\n    code: '22298006'",
        "    accessed_on: 2026-01-31",
        "---\n\n## Why it is done\n\nFainting: *why*?\n",
    ]:
        assert line in text
    leg_cramps = (tmp_path / "symptom" / "leg-cramps.md").read_text()
    assert "codes:\n  - system: icd10cm\n    code: R25.2\n    description: Cramp and spasm\n" in leg_cramps


def test_a_changed_slug_updates_the_same_article_by_its_identifier_and_keeps_the_old_address(rich_content, tmp_path):
    call_command("export_articles", tmp_path)
    path = tmp_path / "symptom" / "leg-cramps.md"
    path.write_text(path.read_text().replace("slug: leg-cramps", "slug: muscle-cramps"))
    article = Article.objects.get(slug="leg-cramps")
    call_command("import_articles", tmp_path, "--by", "ivy")
    article.refresh_from_db()
    assert article.slug == "muscle-cramps"
    assert ArticleRedirect.objects.get(kind="symptom", slug="leg-cramps").article == article
