"""Published articles are corrected in a working copy: readers keep seeing the approved version on
every path until a medical reviewer approves the correction. Restores, deletes and recoveries go
through the same gate, and every step leaves a revision and a workflow event."""

import pytest
import reversion
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from reversion.models import Version

from editorial import workflow
from editorial.models import WorkflowEvent
from encyclopedia.models import FAQ, AlternativeName, Article, ArticleRedirect, Kind, Status

from .conftest import client_for, make_article
from .test_admin import change_form_data

pytestmark = pytest.mark.django_db

MARKER = "Zebrafinch"  # a word no article has: wherever readers could see the working copy, it would show


def admin_url(name: str, *args) -> str:
    return reverse(f"admin:encyclopedia_article_{name}", args=args)


@pytest.fixture
def cramps(reviewer):
    article = make_article(
        kind=Kind.SYMPTOM, slug="leg-cramps", title="Leg cramps", summary="Sudden tightening of a calf muscle.",
        body="## Causes\n\nLong walks.", alternative_names=("Charley horse",), faqs=(("How long?", "Minutes."),),
    )  # fmt: skip
    return workflow.article_record_review(article=article, by=reviewer)


def start_working_copy(client, article: Article) -> Article:
    response = client.post(admin_url("working_copy", article.pk))
    assert response.status_code == 302
    return Article.objects.get(live_article=article)


def edit(client, article: Article, **changes):
    article.refresh_from_db()
    response = client.post(admin_url("change", article.pk), change_form_data(article, **changes))
    assert response.status_code == 302, response.content.decode()[:3000]


def reader_views(client, article: Article) -> dict[str, str]:
    """Every way a reader or client reaches published content."""
    views = {
        "page": client.get(article.get_absolute_url()).content.decode(),
        "search": client.get("/search/", {"q": "leg cramps"}).content.decode(),
        "suggestions": client.get("/search/suggest/", {"q": "leg"}).content.decode(),
        "A–Z": client.get("/symptoms/", {"letter": "L"}).content.decode(),
        "feed": client.get("/feed/").content.decode(),
        "sitemap": client.get("/sitemap.xml").content.decode(),
        "API": client.get(reverse("api:article", args=[article.kind_enum, article.slug])).content.decode(),
        "API list": client.get("/api/v1/articles/").content.decode(),
    }
    assert article.title in views["API"]  # a real answer, not a 404 that could never show the marker
    return views


class TestCorrectingAPublishedArticle:
    def test_an_editor_drafts_a_correction_that_readers_see_only_once_approved(self, client, writer, reviewer, cramps):
        editor = client_for(writer)
        copy = start_working_copy(editor, cramps)
        assert copy.body == cramps.body and copy.status == Status.DRAFT
        assert list(copy.faqs.values_list("question", flat=True)) == ["How long?"]

        edit(editor, copy, title=f"Leg cramps ({MARKER})", body=f"## Causes\n\n{MARKER} dancing.",
             transition="submit", workflow_comment="Corrected the causes.")  # fmt: skip
        copy.refresh_from_db()
        assert copy.status == Status.IN_REVIEW

        for path, text in reader_views(client, cramps).items():
            assert MARKER not in text, path
        assert cramps.get_absolute_url() not in client.get("/search/", {"q": MARKER}).content.decode()
        assert "Long walks." in reader_views(client, cramps)["page"]
        listed = client_for(reviewer).get(admin_url("changelist")).content.decode()
        assert "Published · changes in review" in listed and MARKER not in listed, listed[listed.find("result_list") :][
            :3000
        ]

        edit(client_for(reviewer), copy, transition="approve", workflow_comment="Checked.")
        assert not Article.objects.filter(pk=copy.pk).exists()
        cramps.refresh_from_db()
        assert (cramps.title, cramps.status) == (f"Leg cramps ({MARKER})", Status.PUBLISHED)
        assert cramps.reviewed_by == reviewer  # review data stays the live article's
        views = reader_views(client, cramps)
        assert MARKER in views["page"] and MARKER in views["API"]
        actions = list(cramps.workflow_events.order_by("pk").values_list("action", "on_working_copy"))
        assert actions[-4:] == [("start_working_copy", False), ("save", True), ("submit", True), ("approve", True)]

    def test_an_editor_cannot_approve_nor_edit_the_live_article_in_place(self, writer, cramps):
        editor = client_for(writer)
        response = editor.post(admin_url("change", cramps.pk), change_form_data(cramps, body=MARKER))
        assert response.status_code == 403
        page = editor.get(admin_url("change", cramps.pk)).content.decode()
        assert "Edit in a working copy" in page
        copy = start_working_copy(editor, cramps)
        editor.post(admin_url("change", copy.pk), change_form_data(copy, body=MARKER, transition="approve"))
        cramps.refresh_from_db()
        assert MARKER not in cramps.body
        with pytest.raises(workflow.PermissionDenied):
            workflow.article_approve_and_publish(article=copy, by=writer)

    def test_discarding_the_working_copy_leaves_the_live_article_as_it_was(self, writer, cramps):
        editor = client_for(writer)
        copy = start_working_copy(editor, cramps)
        edit(editor, copy, body=MARKER)
        assert editor.post(admin_url("discard", copy.pk)).status_code == 302
        assert not Article.objects.filter(live_article=cramps).exists()
        cramps.refresh_from_db()
        assert cramps.body == "## Causes\n\nLong walks."

    def test_unpublishing_keeps_the_working_copys_text_as_the_draft(self, reviewer, writer, client, cramps):
        copy = start_working_copy(client_for(writer), cramps)
        edit(client_for(writer), copy, body=MARKER)
        client_for(reviewer).post(admin_url("step", cramps.pk), {"transition": "unpublish", "workflow_comment": "Old"})
        cramps.refresh_from_db()
        assert (cramps.status, cramps.body) == (Status.DRAFT, MARKER)
        assert not Article.objects.filter(live_article=cramps).exists()
        assert client.get(cramps.get_absolute_url()).status_code == 404

    def test_a_working_copy_cannot_take_another_articles_address(self, writer, cramps):
        make_article(slug="calf-pain", title="Calf pain")
        copy = start_working_copy(client_for(writer), cramps)
        copy.refresh_from_db()
        response = client_for(writer).post(admin_url("change", copy.pk), change_form_data(copy, slug="calf-pain"))
        assert "Another symptom already has this address." in response.content.decode()


class TestRevisionsNeverPublish:
    def revisions_of(self, article: Article, by) -> tuple[Version, Version]:
        with reversion.create_revision():
            reversion.set_user(by)
            article.body = f"## Causes\n\n{MARKER} in an old revision."
            article.save()
        with reversion.create_revision():
            reversion.set_user(by)
            article.body = "## Causes\n\nLong walks."
            article.save()
        return tuple(Version.objects.get_for_object(article)[:2])

    def test_restoring_a_published_articles_revision_drafts_it_in_the_working_copy(self, writer, client, cramps):
        _, old = self.revisions_of(cramps, writer)
        reviewed = (cramps.last_reviewed_on, cramps.reviewed_by_id, cramps.next_review_due, cramps.published_at)
        response = client_for(writer).post(admin_url("revision", cramps.pk, old.pk))
        assert response.status_code == 302
        copy = Article.objects.get(live_article=cramps)
        assert MARKER in copy.body and copy.status == Status.DRAFT
        cramps.refresh_from_db()
        assert cramps.status == Status.PUBLISHED and MARKER not in cramps.body
        assert (cramps.last_reviewed_on, cramps.reviewed_by_id, cramps.next_review_due, cramps.published_at) == reviewed
        assert MARKER not in client.get(cramps.get_absolute_url()).content.decode()
        assert cramps.workflow_events.filter(action=WorkflowEvent.Action.RESTORE, on_working_copy=True).exists()

    @pytest.mark.parametrize("foreign", ["faq", "other article", "nonsense"])
    def test_a_version_that_is_not_of_this_article_is_refused(self, writer, cramps, foreign):
        other = make_article(title="Other")
        with reversion.create_revision():
            other.save()
        versions = {
            "faq": Version.objects.filter(content_type=ContentType.objects.get_for_model(FAQ)).first(),
            "other article": Version.objects.get_for_object(other).get(),
        }
        version_id = versions[foreign].pk if foreign in versions else 999999
        editor = client_for(writer)
        assert editor.get(admin_url("revision", cramps.pk, version_id)).status_code == 404
        assert editor.post(admin_url("revision", cramps.pk, version_id)).status_code == 404
        assert not Article.objects.filter(live_article=cramps).exists()


class TestDeleteAndRecover:
    def test_only_a_reviewer_deletes_and_only_with_a_reason(self, writer, reviewer, client, cramps):
        assert client_for(writer).post(admin_url("delete", cramps.pk), {"comment": "Duplicate"}).status_code == 403
        page = client_for(reviewer).post(admin_url("delete", cramps.pk), {"comment": " "}).content.decode()
        assert "Say why" in page and Article.objects.filter(pk=cramps.pk).exists()
        client_for(reviewer).post(admin_url("delete", cramps.pk), {"comment": "Merged into Muscle cramps."})
        assert client.get("/symptoms/leg-cramps/").status_code == 410
        event = WorkflowEvent.objects.get(action=WorkflowEvent.Action.DELETE)
        assert (event.article, event.article_uuid, event.comment) == (None, cramps.uuid, "Merged into Muscle cramps.")

    def test_bulk_delete_is_not_offered_and_cannot_be_posted(self, reviewer, cramps):
        reviewer_client = client_for(reviewer)
        assert "delete_selected" not in reviewer_client.get(admin_url("changelist")).content.decode()
        reviewer_client.post(admin_url("changelist"), {"action": "delete_selected", "_selected_action": [cramps.pk],
                                                       "post": "yes"})  # fmt: skip
        assert Article.objects.filter(pk=cramps.pk).exists()

    def test_a_reviewer_recovers_a_deleted_article_as_a_draft(self, writer, reviewer, client, cramps):
        workflow.article_delete(article=cramps, by=reviewer, comment="By mistake")
        (version,) = workflow.deleted_article_versions()
        assert client_for(writer).post(admin_url("recover", version.pk), {"comment": "Oops"}).status_code == 403
        client_for(reviewer).post(admin_url("recover", version.pk), {"comment": "Deleted by mistake."})
        article = Article.objects.get(uuid=cramps.uuid)
        assert article.status == Status.DRAFT and article.published_at is None
        assert list(article.alternative_names.values_list("name", flat=True)) == ["Charley horse"]
        assert client.get("/symptoms/leg-cramps/").status_code == 404  # back, but not for readers yet
        assert not ArticleRedirect.objects.filter(kind="symptom", slug="leg-cramps").exists()
        assert article.workflow_events.filter(action=WorkflowEvent.Action.RECOVER).exists()
        assert AlternativeName.objects.filter(article=article).count() == 1


def test_exports_and_imports_leave_working_copies_out(tmp_path, writer, reviewer, cramps):
    from django.core.management import call_command

    copy = start_working_copy(client_for(writer), cramps)
    edit(client_for(writer), copy, body=MARKER)
    call_command("export_articles", tmp_path)
    (exported,) = tmp_path.rglob("*.md")
    assert MARKER not in exported.read_text()
    call_command("import_articles", tmp_path, "--by", reviewer.username)
    copy.refresh_from_db()
    assert copy.body == MARKER and Article.objects.get(pk=cramps.pk).body == "## Causes\n\nLong walks."


class TestScheduledChanges:
    def test_a_reviewer_schedules_a_correction_that_replaces_the_live_text_at_its_time(
        self, writer, reviewer, client, cramps
    ):
        import datetime

        import time_machine
        from django.core.management import call_command
        from django.utils import timezone

        copy = start_working_copy(client_for(writer), cramps)
        edit(client_for(writer), copy, body=f"## Causes\n\n{MARKER}.", transition="submit")
        when = timezone.now() + datetime.timedelta(days=2)
        edit(client_for(reviewer), copy, body=f"## Causes\n\n{MARKER}.", published_at_0=f"{timezone.localtime(when):%Y-%m-%d}",
             published_at_1=f"{timezone.localtime(when):%H:%M:%S}", transition="approve")  # fmt: skip
        copy.refresh_from_db()
        assert copy.status == Status.SCHEDULED_CHANGE
        assert "changes scheduled for" in client_for(reviewer).get(admin_url("changelist")).content.decode()
        call_command("publish_scheduled_changes")  # not due yet
        assert MARKER not in client.get(cramps.get_absolute_url()).content.decode()

        with time_machine.travel(when + datetime.timedelta(minutes=1)):
            call_command("publish_scheduled_changes")
            assert MARKER in client.get(cramps.get_absolute_url()).content.decode()
        assert not Article.objects.filter(pk=copy.pk).exists()
        event = cramps.workflow_events.first()
        assert (event.action, event.by, event.from_status) == ("approve", reviewer, "scheduled_change")

    def test_a_scheduled_change_can_be_sent_back_and_is_not_editable_meanwhile(self, writer, reviewer, cramps):
        import datetime

        from django.utils import timezone

        copy = start_working_copy(client_for(writer), cramps)
        copy.published_at = timezone.now() + datetime.timedelta(days=1)
        copy.save()
        workflow.article_approve_and_publish(article=copy, by=reviewer)
        copy.refresh_from_db()
        assert not workflow.can_edit(writer, copy) and not workflow.can_edit(reviewer, copy)
        workflow.article_request_changes(article=copy, by=reviewer, comment="Wait for the new guideline.")
        copy.refresh_from_db()
        assert copy.status == Status.CHANGES_REQUESTED
        assert workflow.can_edit(writer, copy)  # back with its author, editable like a draft


def test_the_list_filters_articles_with_changes_waiting_in_review(writer, reviewer, cramps):
    other = make_article(title="Cough", slug="cough")
    copy = start_working_copy(client_for(writer), cramps)
    edit(client_for(writer), copy, transition="submit")
    start_working_copy(client_for(writer), other)
    listed = client_for(reviewer).get(admin_url("changelist"), {"status": "changes_in_review"}).content.decode()
    assert "Leg cramps" in listed and "Cough" not in listed
    listed = client_for(reviewer).get(admin_url("changelist"), {"status": "changes"}).content.decode()
    assert "Leg cramps" in listed and "Cough" in listed


@pytest.mark.parametrize("object_id", ["abc", "9" * 30])
@pytest.mark.parametrize("name", ["step", "working_copy", "discard", "delete", "compare", "preview"])
def test_an_address_with_no_article_is_not_found(reviewer, name, object_id):
    reviewer_client = client_for(reviewer)
    for method in (reviewer_client.get, reviewer_client.post):
        # Not found; the preview refuses outright (403), as it does for anything it cannot show.
        assert method(admin_url(name, object_id)).status_code in (403, 404, 405), (name, method)


@pytest.mark.parametrize("object_id", ["abc", "9" * 30])
def test_a_revision_address_with_no_article_is_not_found(reviewer, object_id):
    assert client_for(reviewer).get(admin_url("revision", object_id, "1")).status_code == 404


def test_search_holds_live_content_only(writer, cramps):
    copy = start_working_copy(client_for(writer), cramps)
    edit(client_for(writer), copy, body=f"## Causes\n\n{MARKER}.")
    copy.refresh_from_db()
    cramps.refresh_from_db()
    assert (copy.search_text, copy.search_names) == ("", "")  # a working copy is not in the search data
    assert "Long walks" in cramps.search_text and MARKER not in cramps.search_text
