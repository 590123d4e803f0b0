"""Articles in and out as Markdown files: export_articles, import_articles (and the demo loader, which shares them)."""

import textwrap
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from reversion.models import Revision

from editorial.models import WorkflowEvent
from encyclopedia.models import (
    FAQ,
    AlternativeName,
    Article,
    MedicalCode,
    Source,
    Status,
)
from encyclopedia.search.engine import search_articles

from .conftest import make_article, person

pytestmark = pytest.mark.django_db

ARTICLE_FIELDS = [
    "uuid", "kind", "slug", "title", "summary", "body", "status", "show_promotion", "published_at", "updated_at",
    "last_reviewed_on", "reviewed_by__username", "next_review_due", "body_html", "sections", "care_callouts",
    "sort_title", "letter",
]  # fmt: skip


@pytest.fixture(autouse=True)
def importer(django_user_model):
    """Imports are made in a staff member's name; Ivy is a medical reviewer, so she may import anything."""
    return person(django_user_model, "ivy", "Medical reviewer")


def snapshot() -> dict:
    """Every stored field of the content, keyed by the articles' stable identifiers instead of primary keys."""
    return {
        "articles": sorted(Article.objects.values_list(*ARTICLE_FIELDS), key=lambda row: str(row[0])),
        "related": sorted(
            (str(a), str(b))
            for a, b in Article.related.through.objects.values_list("from_article__uuid", "to_article__uuid")
        ),
        "names": sorted(AlternativeName.objects.values_list("article__uuid", "name")),
        "faqs": sorted(FAQ.objects.values_list("article__uuid", "position", "question", "answer", "answer_html")),
        "sources": sorted(
            Source.objects.values_list("article__uuid", "position", "title", "publisher", "url", "accessed_on")
        ),
        "codes": sorted(MedicalCode.objects.values_list("article__uuid", "system", "code", "description")),
    }


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def test_files_without_an_identifier_match_by_kind_and_slug_and_new_ones_arrive_as_drafts(leg_cramps, tmp_path):
    write(tmp_path, "a.md", """
        ---
        kind: symptom
        slug: leg-cramps
        title: Leg cramps (updated)
        summary: New summary.
        ---
        ## Causes
    """)  # fmt: skip
    write(tmp_path, "b.md", """
        ---
        kind: condition
        slug: cramp-syndrome
        title: Cramp syndrome
        summary: Rare.
        related: [symptom/leg-cramps]
        codes:
          - {system: icd10cm, code: r252}
        ---
    """)  # fmt: skip
    call_command("import_articles", tmp_path, "--by", "ivy")
    leg_cramps.refresh_from_db()
    assert (leg_cramps.title, leg_cramps.status, leg_cramps.faqs.count()) == ("Leg cramps (updated)", "published", 1)
    new = Article.objects.get(slug="cramp-syndrome")
    assert new.status == Status.DRAFT and new.published_at is None
    assert list(new.related.all()) == [leg_cramps] and list(leg_cramps.related.all()) == [new]
    assert list(new.codes.values_list("code", "description")) == [("R25.2", "Cramp and spasm")]


def test_every_problem_of_every_file_is_reported_with_its_line_and_nothing_is_imported(leg_cramps, tmp_path):
    before = snapshot()
    write(tmp_path, "symptom/good.md", """
        ---
        kind: symptom
        slug: good
        title: A good one
        summary: Fine.
        ---
    """)  # fmt: skip
    write(tmp_path, "symptom/bad.md", """
        ---
        kind: symptom
        slug: Not A Slug
        title: Bad
        summary: Several problems.
        colour: red
        related:
          - condition/asthma
          - nonsense
        codes:
          - system: icd10cm
            code: Z99.99
          - system: snomedct
            code: "44054007"
        faqs:
          - question: Where is the answer?
        sources:
          - title: A source
            url: not a url
        ---
    """)  # fmt: skip
    write(tmp_path, "symptom/broken.md", """
        ---
        kind: symptom
        title: [unclosed
        ---
    """)  # fmt: skip
    write(tmp_path, "symptom/duplicate.md", """
        ---
        kind: symptom
        slug: good
        title: Twice
        summary: Same address as good.md.
        ---
    """)  # fmt: skip
    with pytest.raises(CommandError) as raised:
        call_command("import_articles", tmp_path, "--by", "ivy")
    message = str(raised.value)
    bad, broken, duplicate = (tmp_path / "symptom" / name for name in ("bad.md", "broken.md", "duplicate.md"))
    for expected in [
        "Nothing was imported: 10 problem(s) in 3 file(s).",
        f"{bad}:3: slug: Enter a valid “slug”",
        f"{bad}:6: unknown key “colour”",
        f"{bad}:9: related: “nonsense” is not kind/slug",
        f"{bad}:8: related: no article condition/asthma here or in these files",
        f"{bad}:12: codes.0.code: “Z99.99” is not in the ICD-10-CM code set.",
        f"{bad}:14: codes.1.code: “44054007” is not a SNOMED CT identifier: its last digit is not the right check digit.",
        f"{bad}:16: faqs.0.answer: This field cannot be blank.",
        f"{bad}:19: sources.0.url: Enter a valid URL.",
        f"{broken}:4: the front matter is not valid YAML",
        f"{tmp_path / 'symptom' / 'good.md'}:2: symptom/good is also in {duplicate}",
    ]:
        assert expected in message, (expected, message)
    assert snapshot() == before
    assert not Article.objects.filter(slug="good").exists()


def test_a_file_saved_with_a_byte_order_mark_and_windows_line_endings_is_read(leg_cramps, tmp_path):
    text = "---\nkind: symptom\nslug: leg-cramps\ntitle: Leg cramps\nsummary: Windows.\n---\n## Causes\n\nCold.\n"
    (tmp_path / "a.md").write_bytes("\ufeff".encode() + text.replace("\n", "\r\n").encode())
    call_command("import_articles", tmp_path, "--by", "ivy")
    leg_cramps.refresh_from_db()
    assert (leg_cramps.summary, leg_cramps.body) == ("Windows.", "## Causes\n\nCold.")


def test_a_reviewer_unknown_here_is_an_error_not_a_silent_loss(leg_cramps, tmp_path):
    write(tmp_path, "a.md", """
        ---
        kind: symptom
        slug: leg-cramps
        title: Leg cramps
        summary: Same.
        reviewed_by: nobody
        ---
    """)  # fmt: skip
    with pytest.raises(CommandError, match=r"a.md:6: reviewed_by: no user “nobody” here"):
        call_command("import_articles", tmp_path, "--by", "ivy")


def test_keys_left_out_keep_what_the_article_has(leg_cramps, tmp_path):
    MedicalCode.objects.create(article=leg_cramps, system="icd10cm", code="R25.2")
    Source.objects.create(article=leg_cramps, title="Kept")
    write(tmp_path, "a.md", """
        ---
        kind: symptom
        slug: leg-cramps
        title: Leg cramps
        summary: Sudden, painful tightening of a leg muscle, most often in the calf.
        alternative_names: []
        ---
    """)  # fmt: skip
    call_command("import_articles", tmp_path, "--by", "ivy")
    assert leg_cramps.codes.count() == leg_cramps.sources.count() == leg_cramps.faqs.count() == 1
    assert not leg_cramps.alternative_names.exists()  # present and empty: there are none


def test_dry_run_reports_and_writes_nothing(leg_cramps, tmp_path, capsys):
    call_command("export_articles", tmp_path)
    Article.objects.all().delete()
    call_command("import_articles", tmp_path, "--by", "ivy", "--dry-run")
    assert "1 file(s): 1 created, 0 updated, 0 unchanged (dry run: nothing was written)." in capsys.readouterr().out
    assert not Article.objects.exists()


def test_an_import_is_one_revision_per_article_with_a_comment(leg_cramps, tmp_path):
    call_command("export_articles", tmp_path)
    path = tmp_path / "symptom" / "leg-cramps.md"
    path.write_text(path.read_text().replace("title: Leg cramps", "title: Leg cramps at night"))
    call_command("import_articles", tmp_path, "--by", "ivy")
    revision = Revision.objects.get()
    assert revision.comment == f"Imported from {tmp_path.name}"
    assert revision.version_set.get(content_type__model="article").field_dict["title"] == "Leg cramps at night"


class TestExportDirectory:
    def test_a_directory_that_is_not_empty_is_refused(self, leg_cramps, tmp_path):
        (tmp_path / "notes.txt").write_text("mine")
        with pytest.raises(CommandError, match="is not empty: choose a new directory, or add --replace"):
            call_command("export_articles", tmp_path)

    def test_replace_removes_files_of_articles_that_no_longer_exist(self, leg_cramps, tmp_path, capsys):
        stale = write(tmp_path, "symptom/renamed-long-ago.md", "---\n---\n")
        (tmp_path / "notes.txt").write_text("mine")
        call_command("export_articles", tmp_path, "--replace")
        assert not stale.exists() and (tmp_path / "notes.txt").exists()
        assert (tmp_path / "symptom" / "leg-cramps.md").exists()
        assert "1 stale file(s) removed" in capsys.readouterr().out


def test_export_runs_a_fixed_number_of_queries(tmp_path, django_assert_num_queries):
    for number in range(5):
        article = make_article(faqs=(("Q?", "A."),), alternative_names=(f"Name {number}",))
        MedicalCode.objects.create(article=article, system="icd10cm", code="R25.2")
    # articles with reviewers, names, FAQs, sources, codes, related; the images they show
    with django_assert_num_queries(7):
        call_command("export_articles", tmp_path / "out")


def test_each_further_faq_costs_an_import_about_one_query_and_the_article_is_found_by_every_answer(tmp_path):
    """What an article derives from its FAQs (search data, reading figures, images and links used) is redone
    once for the article, not once per FAQ (signals.parts_saved_together)."""

    def import_with(faqs: int) -> int:
        directory = tmp_path / str(faqs)
        answers = "".join(f"  - question: Question {n}?\n    answer: Answer about kiwifruit{n}.\n" for n in range(faqs))
        write(directory, "a.md", f"---\nkind: symptom\nslug: cramps-{faqs}\ntitle: Cramps\nsummary: Short.\n"
                                 f"status: published\nfaqs:\n{answers}---\n## Causes\n\nOften none.\n")  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            call_command("import_articles", directory, "--by", "ivy")
        return len(queries)

    two, twelve = import_with(2), import_with(12)
    assert twelve - two <= 10 + 2  # ten more FAQ rows, and a little slack for the rest
    article = Article.objects.get(slug="cramps-12")
    assert [hit.title for hit in search_articles("kiwifruit11").page] == ["Cramps"]
    assert article.reading_figures["words"] > Article.objects.get(slug="cramps-2").reading_figures["words"]


class TestImportsGoThroughTheGate:
    def test_an_editor_may_import_drafts_but_not_change_a_published_article(self, tmp_path, django_user_model):
        person(django_user_model, "eve", "Editor")
        article = make_article(slug="leg-cramps", title="Leg cramps")
        call_command("export_articles", tmp_path)
        exported = next(tmp_path.rglob("leg-cramps.md"))
        exported.write_text(exported.read_text().replace("A short summary for readers.", "Unreviewed claim."))
        with pytest.raises(CommandError, match="Only a medical reviewer may import .*symptom/leg-cramps"):
            call_command("import_articles", tmp_path, "--by", "eve")
        article.refresh_from_db()
        assert article.summary == "A short summary for readers."

    def test_an_editor_cannot_publish_by_import(self, tmp_path, django_user_model):
        person(django_user_model, "eve", "Editor")
        write(tmp_path, "symptom/new.md", """
            ---
            kind: symptom
            slug: new
            title: New
            summary: Not reviewed.
            status: published
            ---
        """)  # fmt: skip
        with pytest.raises(CommandError, match="Only a medical reviewer"):
            call_command("import_articles", tmp_path, "--by", "eve")
        assert not Article.objects.filter(slug="new").exists()

    def test_each_imported_article_is_recorded_in_the_importers_name(self, tmp_path):
        make_article(slug="leg-cramps", title="Leg cramps")
        call_command("export_articles", tmp_path)
        exported = next(tmp_path.rglob("leg-cramps.md"))
        exported.write_text(exported.read_text().replace("A short summary for readers.", "Reviewed summary."))
        call_command("import_articles", tmp_path, "--by", "ivy")
        event = WorkflowEvent.objects.get(action=WorkflowEvent.Action.IMPORT)
        assert (event.by.username, event.article.slug) == ("ivy", "leg-cramps")

    def test_an_unknown_importer_is_refused(self, tmp_path):
        with pytest.raises(CommandError, match="No active staff member is called “nobody”"):
            call_command("import_articles", tmp_path, "--by", "nobody")
