"""A control character pasted into any text (an editor's, a reader's, an imported file's) is
removed on the way in, and one stored before that cannot break the feed or the sitemap."""

import csv
import io
import xml.dom.minidom

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from core.text import clean_text
from editorial.models import Feedback
from encyclopedia.models import FAQ, AlternativeName, Article, PromotionLink, SitePage, SiteSettings, Source

from .conftest import make_article
from .feedback_helpers import general, post_feedback

pytestmark = pytest.mark.django_db

DIRTY = "Cramps\x0b at\x00 night\x1b\x7f\x85,\r\nwith a tab\there\rand\ufffe"
CLEAN = "Cramps at night,\nwith a tab\there\nand"


def test_clean_text_keeps_tab_and_newline_and_turns_carriage_returns_into_newlines():
    assert clean_text(DIRTY) == CLEAN
    assert clean_text("Ça va — ok 🙂\n") == "Ça va — ok 🙂\n"


def test_an_article_and_its_parts_are_stored_without_control_characters():
    article = make_article(title="Leg\x0b cramps", summary=DIRTY, body=f"## Causes\n\n{DIRTY}",
                           alternative_names=("Charley\x0c horse",), faqs=(("Why\x0b?", DIRTY),))  # fmt: skip
    Source.objects.create(article=article, title="A\x1fbook", publisher="Pub\x08")
    stored = Article.objects.values("title", "summary", "body", "body_html", "search_text").get()
    assert stored["title"] == "Leg cramps" and stored["summary"] == CLEAN
    assert all(not any(ch in value for ch in "\x0b\x00\x1b\r") for value in stored.values())
    assert list(AlternativeName.objects.values_list("name", flat=True)) == ["Charley horse"]
    assert list(FAQ.objects.values_list("question", "answer")) == [("Why?", CLEAN)]
    assert list(Source.objects.values_list("title", "publisher")) == [("Abook", "Pub")]


def test_bulk_paths_store_clean_text_too():
    Article.objects.bulk_create([Article(kind="symptom", slug="bulk", title="Bulk\x0b", summary=DIRTY)])
    Article.objects.filter(slug="bulk").update(summary="Updated\x0b summary")
    assert Article.objects.values_list("title", "summary").get() == ("Bulk", "Updated summary")


def test_site_settings_pages_and_links_are_stored_without_control_characters():
    settings = SiteSettings.load()
    settings.site_name, settings.disclaimer, settings.promotion_text = "Health\x0b", DIRTY, DIRTY
    settings.save()
    PromotionLink.objects.create(site_settings=settings, label="Go\x0b", url="https://example.org/")
    SitePage.objects.create(slug="team", title="About\x0b", summary="Us\x0c", body=DIRTY)
    assert SiteSettings.objects.values_list("site_name", "disclaimer", "promotion_text").get() == (
        "Health", CLEAN, CLEAN)  # fmt: skip
    assert PromotionLink.objects.values_list("label", flat=True).get() == "Go"
    assert SitePage.objects.filter(slug="team").values_list("title", "summary", "body").get() == (
        "About", "Us", CLEAN)  # fmt: skip


def test_an_imported_file_is_stored_without_control_characters(tmp_path, django_user_model):
    from .conftest import person

    person(django_user_model, "ivy", "Medical reviewer")
    (tmp_path / "a.md").write_text(
        "---\nkind: symptom\nslug: cramps\ntitle: Cramps\nsummary: Pasted\x0b text.\n---\n## Causes\n\nCold\x0c.\n",
        encoding="utf-8",
    )
    call_command("import_articles", tmp_path, "--by", "ivy")
    assert Article.objects.values_list("summary", "body").get() == ("Pasted text.", "## Causes\n\nCold.")


@pytest.mark.django_db(transaction=True)  # the email is sent once the feedback is committed
def test_feedback_is_stored_without_control_characters_and_mails_and_exports_cleanly(client, admin_client):
    response = post_feedback(client, general(message="The page\x0b on cramps\x1b is wrong.", email="r@example.org"))
    assert response.status_code in (200, 302)
    assert Feedback.objects.values_list("message", flat=True).get() == "The page on cramps is wrong."
    assert mail.outbox and "\x0b" not in mail.outbox[0].body and "\x1b" not in mail.outbox[0].body
    export = admin_client.get("/admin/editorial/feedback/export.csv")
    assert export.status_code == 200
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert ["The page on cramps is wrong."] == [row[7] for row in rows[1:]]


def stored_before_the_fix(article: Article, **values) -> None:
    """Write text the way it was before the fix: behind the ORM's back."""
    table = connection.ops.quote_name(Article._meta.db_table)
    assignments = ", ".join(f"{connection.ops.quote_name(column)} = %s" for column in values)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {assignments} WHERE id = %s", [*values.values(), article.pk])


def test_rows_stored_before_the_fix_do_not_break_the_feed_or_the_sitemap(client):
    article = make_article(title="Leg cramps", slug="leg-cramps")
    stored_before_the_fix(article, title="Leg\x0b cramps", summary="Sudden\x0b pain\x1b.")
    for path in ("/feed/", "/sitemap.xml"):
        response = client.get(path)
        assert response.status_code == 200, path
        document = xml.dom.minidom.parseString(response.content)  # well-formed XML 1.0
        assert document.documentElement is not None
    assert b"Leg cramps" in client.get("/feed/").content
    api = client.get("/api/v1/articles/symptoms/leg-cramps/")
    assert api.status_code == 200 and "\x0b" not in api.content.decode()
