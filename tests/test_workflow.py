"""The editorial workflow through the real admin: roles, transitions, scheduling, preview,
revisions and edit conflicts."""

import datetime
import re

import pytest
import reversion
import time_machine
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from editorial import workflow
from editorial.models import WorkflowEvent
from encyclopedia.models import FAQ, Article, Kind, Status

from .conftest import client_for, make_article
from .test_admin import article_form_data, change_form_data

pytestmark = pytest.mark.django_db


def change_url(article: Article) -> str:
    return reverse("admin:encyclopedia_article_change", args=[article.pk])


def post_change(client, article: Article, **overrides):
    article.refresh_from_db()
    return client.post(change_url(article), change_form_data(article, **overrides))


def view_on_site_link(page: str) -> str:
    return re.search(r'href="([^"]+)" class="viewsitelink"', page).group(1)


def test_roles_come_from_a_migration():
    assert set(Group.objects.values_list("name", flat=True)) >= {"Editor", "Medical reviewer", "Feedback triager"}
    assert Group.objects.get(name="Medical reviewer").permissions.filter(codename="publish_article").exists()
    assert not Group.objects.get(name="Editor").permissions.filter(codename="publish_article").exists()


class TestEditor:
    def test_writes_a_draft_and_submits_it_for_review_with_a_comment(self, writer):
        client = client_for(writer)
        response = client.post(
            reverse("admin:encyclopedia_article_add"),
            article_form_data(transition="submit", workflow_comment="Ready for a clinical check."),
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        article = Article.objects.get(slug="hiccups")
        assert article.status == Status.IN_REVIEW
        saved, event = article.workflow_events.order_by("pk")
        assert (saved.action, saved.by) == ("save", writer)
        assert (event.action, event.by, event.comment) == ("submit", writer, "Ready for a clinical check.")
        assert (event.from_status, event.to_status) == ("draft", "in_review")

    def test_cannot_publish_through_the_form(self, writer):
        article = make_article(status=Status.DRAFT)
        response = post_change(client_for(writer), article, transition="approve")
        assert response.status_code == 200
        assert "You cannot “Save, approve and publish” this article." in response.content.decode()
        article.refresh_from_db()
        assert article.status == Status.DRAFT

    def test_cannot_publish_by_posting_a_status(self, writer):
        article = make_article(status=Status.DRAFT)
        assert post_change(client_for(writer), article, status="published").status_code == 302
        article.refresh_from_db()
        assert article.status == Status.DRAFT

    def test_cannot_publish_through_an_admin_action(self, writer):
        article = make_article(status=Status.DRAFT)
        client_for(writer).post(
            reverse("admin:encyclopedia_article_changelist"),
            {"action": "approve_and_publish", "_selected_action": [article.pk]},
        )
        article.refresh_from_db()
        assert article.status == Status.DRAFT

    def test_cannot_change_an_article_in_review_or_published(self, writer):
        for status in (Status.IN_REVIEW, Status.PUBLISHED):
            article = make_article(status=status)
            client = client_for(writer)
            page = client.get(change_url(article)).content.decode()
            assert 'name="_save"' not in page  # shown read-only
            assert post_change(client, article, title="Sneaky edit").status_code == 403
            article.refresh_from_db()
            assert article.title != "Sneaky edit"

    def test_cannot_schedule(self, writer):
        article = make_article(status=Status.DRAFT)
        post_change(client_for(writer), article, published_at_0="2030-01-01", published_at_1="09:00:00")
        article.refresh_from_db()
        assert article.published_at is None


class TestReviewer:
    def test_approves_and_publishes_an_article_in_review(self, reviewer, client):
        article = make_article(status=Status.IN_REVIEW, slug="ready")
        response = post_change(client_for(reviewer), article, transition="approve", workflow_comment="Checked.")
        assert response.status_code == 302
        article.refresh_from_db()
        assert article.status == Status.PUBLISHED
        assert article.workflow_events.get(action=WorkflowEvent.Action.APPROVE).by == reviewer
        assert client.get("/symptoms/ready/").status_code == 200

    def test_request_changes_needs_a_comment_and_the_author_sees_it(self, reviewer, writer):
        article = make_article(status=Status.IN_REVIEW)
        reviewer_client = client_for(reviewer)
        response = post_change(reviewer_client, article, transition="request_changes")
        assert "Say what should change: the author sees this comment." in response.content.decode()
        post_change(
            reviewer_client, article, transition="request_changes", workflow_comment="Cite a source for the dose."
        )
        article.refresh_from_db()
        assert article.status == Status.CHANGES_REQUESTED  # not a fresh draft: sent back, with the comment
        assert workflow.available_transitions(article, writer) == ["submit"]  # resubmitted like a draft
        page = client_for(writer).get(change_url(article)).content.decode()
        assert "Changes requested by Carol Example" in page
        assert "Cite a source for the dose." in page

    def test_unpublishes_a_published_article(self, reviewer, client):
        article = make_article(slug="withdrawn")
        step = reverse("admin:encyclopedia_article_step", args=[article.pk])
        client_for(reviewer).post(step, {"transition": "unpublish", "workflow_comment": "Outdated advice."})
        article.refresh_from_db()
        assert article.status == Status.DRAFT
        assert client.get("/symptoms/withdrawn/").status_code == 404

    def test_bulk_approve_uses_the_same_transition(self, reviewer):
        articles = [make_article(status=Status.IN_REVIEW) for _ in range(2)]
        client_for(reviewer).post(
            reverse("admin:encyclopedia_article_changelist"),
            {"action": "approve_and_publish", "_selected_action": [a.pk for a in articles]},
        )
        assert set(Article.objects.values_list("status", flat=True)) == {Status.PUBLISHED}
        assert WorkflowEvent.objects.filter(action="approve", by=reviewer).count() == 2


def test_feedback_triager_sees_feedback_but_not_articles(triager):
    client = client_for(triager)
    assert client.get(reverse("admin:editorial_feedback_changelist")).status_code == 200
    assert client.get(reverse("admin:encyclopedia_article_changelist")).status_code == 403


class TestScheduledPublishing:
    def test_approved_article_with_a_future_time_appears_exactly_then(self, reviewer, client):
        publish_at = datetime.datetime(2030, 3, 1, 9, 0, tzinfo=datetime.UTC)
        article = make_article(status=Status.IN_REVIEW, slug="scheduled")
        with time_machine.travel(datetime.datetime(2030, 2, 28, 12, 0, tzinfo=datetime.UTC), tick=False):
            post_change(
                client_for(reviewer),
                article,
                transition="approve",
                published_at_0="2030-03-01",
                published_at_1="09:00:00",
            )
            article.refresh_from_db()
            assert (article.status, article.published_at) == (Status.PUBLISHED, publish_at)
            listing = client_for(reviewer).get(reverse("admin:encyclopedia_article_changelist")).content.decode()
            assert "Scheduled for 01 Mar 2030 09:00" in listing
        with time_machine.travel(publish_at - datetime.timedelta(seconds=1), tick=False):
            assert client.get("/symptoms/scheduled/").status_code == 404
            assert "/symptoms/scheduled/" not in client.get("/symptoms/").content.decode()
        with time_machine.travel(publish_at, tick=False):
            assert client.get("/symptoms/scheduled/").status_code == 200
            assert "/symptoms/scheduled/" in client.get("/symptoms/").content.decode()


class TestPreview:
    def test_staff_preview_a_saved_draft_that_readers_cannot_see(self, writer, client):
        article = make_article(status=Status.DRAFT, slug="secret", title="Secret draft")
        response = client_for(writer).get(reverse("admin:encyclopedia_article_preview", args=[article.pk]))
        assert response.status_code == 200
        page = response.content.decode()
        assert ">Secret draft</h1>" in page and "Preview" in page
        assert '<meta name="robots" content="noindex, nofollow">' in page
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert "no-store" in response["Cache-Control"]
        assert client.get("/symptoms/secret/").status_code == 404

    def test_preview_of_unsaved_changes_renders_them_and_saves_nothing(self, writer):
        article = make_article(status=Status.DRAFT, title="Old title")
        data = change_form_data(
            article, title="New unsaved title", body="## Causes\n\nUnsaved **finding**.",
            **{"faqs-TOTAL_FORMS": "1", "faqs-0-position": "1", "faqs-0-question": "Unsaved question?",
               "faqs-0-answer": "Unsaved answer."},
        )  # fmt: skip
        response = client_for(writer).post(reverse("admin:encyclopedia_article_preview", args=[article.pk]), data)
        assert response.status_code == 200
        page = response.content.decode()
        assert ">New unsaved title</h1>" in page
        assert "Unsaved <strong>finding</strong>" in page and "Unsaved question?" in page
        article.refresh_from_db()
        assert article.title == "Old title"
        assert not FAQ.objects.exists()
        assert not Version.objects.exists()

    def test_read_only_change_page_offers_no_preview_of_unsaved_changes(self, writer):
        article = make_article(status=Status.IN_REVIEW)
        client = client_for(writer)
        page = client.get(change_url(article)).content.decode()
        assert "Preview saved version" in page
        assert "Preview unsaved changes" not in page
        response = client.post(
            reverse("admin:encyclopedia_article_preview", args=[article.pk]), change_form_data(article)
        )
        assert response.status_code == 403

    def test_editable_change_page_offers_a_preview_of_unsaved_changes(self, writer):
        page = client_for(writer).get(change_url(make_article(status=Status.DRAFT))).content.decode()
        assert "Preview unsaved changes" in page

    def test_preview_errors_are_shown_in_the_admin_with_the_labels_editors_see(self, reviewer):
        article = make_article(status=Status.DRAFT)
        data = change_form_data(
            article, title="",
            **{"codes-TOTAL_FORMS": "2", "codes-0-system": "snomedct", "codes-0-code": "22298006",
               "codes-1-system": "snomedct", "codes-1-code": ""},
        )  # fmt: skip
        response = client_for(reviewer).post(reverse("admin:encyclopedia_article_preview", args=[article.pk]), data)
        assert response.status_code == 400
        page = response.content.decode()
        assert 'id="header"' in page and "admin/css/base.css" in page  # the admin's own page
        assert "Title: This field is required." in page
        assert "Medical codes, row 2: Code: This field is required." in page
        assert "codes –" not in page and "code: This" not in page

    @pytest.mark.parametrize(
        "status, published_at",
        [
            (Status.DRAFT, None),
            (Status.IN_REVIEW, None),
            (Status.PUBLISHED, timezone.now() + datetime.timedelta(days=30)),  # scheduled
        ],
    )
    def test_view_on_site_opens_the_preview_of_what_readers_cannot_see(self, reviewer, status, published_at):
        article = make_article(status=status, published_at=published_at)
        client = client_for(reviewer)
        view_on_site = view_on_site_link(client.get(change_url(article)).content.decode())
        assert view_on_site == reverse("admin:encyclopedia_article_preview", args=[article.pk])
        assert client.get(view_on_site).status_code == 200

    def test_view_on_site_opens_the_public_page_of_a_published_article(self, reviewer, client):
        article = make_article(status=Status.PUBLISHED, slug="visible")
        staff = client_for(reviewer)
        view_on_site = view_on_site_link(staff.get(change_url(article)).content.decode())
        public = staff.get(view_on_site, follow=True)
        assert public.redirect_chain[-1][0].endswith("/symptoms/visible/")
        assert public.status_code == 200

    def test_readers_cannot_use_the_preview(self, client):
        article = make_article(status=Status.DRAFT)
        response = client.get(reverse("admin:encyclopedia_article_preview", args=[article.pk]))
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


class TestRevisions:
    def test_every_admin_save_stores_a_revision_with_author_and_comment(self, reviewer):
        client = client_for(reviewer)
        article = make_article(status=Status.DRAFT)
        post_change(client, article, title="First wording")
        post_change(client, article, title="Second wording", transition="approve", workflow_comment="Looks right.")
        versions = Version.objects.get_for_object(article)
        assert versions.count() == 2  # one per save; the approval is part of the second
        assert {v.revision.user for v in versions} == {reviewer}
        assert versions[0].revision.get_comment() == "Changed Title. Approved and published: Looks right."

    def test_a_revision_holds_the_article_and_its_parts_but_not_its_version_counter(self):
        article = make_article(alternative_names=("Charley horse",), faqs=(("Is it common?", "Yes."),))
        with reversion.create_revision():  # any save, not only the admin's (EditorialConfig.ready registers)
            article.save()
        version = Version.objects.get_for_object(article).get()
        assert "version" not in version.field_dict and version.field_dict["title"] == article.title
        stored = {v.content_type.model for v in version.revision.version_set.all()}
        assert stored == {"article", "faq", "alternativename"}

    def test_compare_shows_changes_to_text_faqs_and_relations(self, reviewer):
        client = client_for(reviewer)
        dehydration = make_article(kind=Kind.CONDITION, title="Dehydration")
        article = make_article(status=Status.DRAFT, body="## Causes\n\nHeat.")
        post_change(client, article, **{"faqs-TOTAL_FORMS": "1", "faqs-0-position": "1",
                                        "faqs-0-question": "Is it common?", "faqs-0-answer": "Yes."})  # fmt: skip
        faq = article.faqs.get()
        post_change(
            client, article, body="## Causes\n\nHeat and exercise.", related=[dehydration.pk],
            **{"faqs-TOTAL_FORMS": "1", "faqs-INITIAL_FORMS": "1", "faqs-0-id": str(faq.pk), "faqs-0-article": str(article.pk),
               "faqs-0-position": "1", "faqs-0-question": "Is it very common?", "faqs-0-answer": "Yes."},
        )  # fmt: skip
        new, old = Version.objects.get_for_object(article)[:2]
        url = reverse("admin:encyclopedia_article_compare", args=[article.pk])
        page = client.get(url, {"from": old.pk, "to": new.pk}).content.decode()
        assert "<del>- Heat.</del>" in page and "<ins>+ Heat and exercise.</ins>" in page
        assert "<del>- Q: Is it common?</del>" in page and "<ins>+ Q: Is it very common?</ins>" in page
        assert "<ins>+ Dehydration</ins>" in page

    def test_compare_shows_status_labels_and_changes_to_sources(self, reviewer):
        client = client_for(reviewer)
        article = make_article(status=Status.DRAFT)
        source = {"sources-TOTAL_FORMS": "1", "sources-0-position": "1", "sources-0-title": "Asthma guideline",
                  "sources-0-publisher": "NICE", "sources-0-url": "https://www.nice.org.uk/guidance/ng245",
                  "sources-0-accessed_on": "2025-06-01"}  # fmt: skip
        post_change(client, article, **source)
        saved = article.sources.get()
        post_change(
            client, article, transition="submit",
            **{**source, "sources-INITIAL_FORMS": "1", "sources-0-id": str(saved.pk),
               "sources-0-article": str(article.pk), "sources-0-accessed_on": "2025-07-15"},
        )  # fmt: skip
        new, old = Version.objects.get_for_object(article)[:2]
        url = reverse("admin:encyclopedia_article_compare", args=[article.pk])
        page = client.get(url, {"from": old.pk, "to": new.pk}).content.decode()
        assert "<del>- Draft</del>" in page and "<ins>+ In review</ins>" in page
        assert "in_review" not in page
        assert '<th scope="row">Sources</th>' in page
        line = "Asthma guideline · NICE · https://www.nice.org.uk/guidance/ng245 · accessed {}"
        assert f"<del>- {line.format('01 June 2025')}</del>" in page
        assert f"<ins>+ {line.format('15 July 2025')}</ins>" in page

    def test_restoring_an_old_revision_brings_back_text_faqs_and_relations_as_a_new_revision(self, reviewer):
        client = client_for(reviewer)
        dehydration = make_article(kind=Kind.CONDITION, title="Dehydration")
        article = make_article(status=Status.DRAFT, title="Original")
        post_change(client, article, related=[dehydration.pk], **{"faqs-TOTAL_FORMS": "1", "faqs-0-position": "1",
                    "faqs-0-question": "Original question?", "faqs-0-answer": "Original answer."})  # fmt: skip
        original = Version.objects.get_for_object(article).first()
        faq = article.faqs.get()
        post_change(
            client, article, title="Rewritten", related=[],
            **{"faqs-TOTAL_FORMS": "1", "faqs-INITIAL_FORMS": "1", "faqs-0-id": str(faq.pk), "faqs-0-article": str(article.pk),
               "faqs-0-DELETE": "on", "faqs-0-position": "1", "faqs-0-question": "x", "faqs-0-answer": "x"},
        )  # fmt: skip
        article.refresh_from_db()
        assert (article.title, article.faqs.count(), article.related.count()) == ("Rewritten", 0, 0)

        revision_url = reverse("admin:encyclopedia_article_revision", args=[article.pk, original.pk])
        page = client.get(revision_url).content.decode()
        assert "<del>- Original</del>" in page and "<ins>+ Rewritten</ins>" in page
        assert client.post(revision_url).status_code == 302
        article.refresh_from_db()
        assert article.title == "Original"
        assert list(article.faqs.values_list("question", flat=True)) == ["Original question?"]
        assert list(article.related.all()) == [dehydration]
        assert Version.objects.get_for_object(article).count() == 3


class TestEditConflict:
    def test_second_save_is_refused_keeping_the_text_and_showing_the_difference(self, writer, reviewer):
        article = make_article(status=Status.DRAFT, body="## Causes\n\nOriginal text.")
        bob, carol = client_for(writer), client_for(reviewer)
        opened_version = str(article.version)  # both open the form now
        first = change_form_data(article, body="## Causes\n\nCarol's correction.")
        second = change_form_data(article, body="## Causes\n\nBob's rewrite.")
        assert first["base_version"] == second["base_version"] == opened_version

        assert carol.post(change_url(article), first).status_code == 302
        response = bob.post(change_url(article), second)
        assert response.status_code == 200
        page = response.content.decode()
        assert "This article was changed by carol" in page
        assert "Your changes have not been saved, and nothing was overwritten." in page
        assert "Bob&#x27;s rewrite." in page  # kept in the form
        assert "Carol&#x27;s correction." in page  # theirs, beside his, with a choice to make
        assert '<label for="merge-body-mine">Keep mine (as it is in the form)</label>' in page
        article.refresh_from_db()
        assert article.body == "## Causes\n\nCarol's correction."

        # Having seen both, Bob saves again from the re-rendered form, keeping his text: a deliberate choice.
        new_base = re.search(r'name="base_version" value="(\d+)"', page).group(1)
        conflicts = re.search(r'name="conflict_fields" value="([^"]*)"', page).group(1)
        again = {**second, "base_version": new_base, "conflict_fields": conflicts}
        assert "Choose which version to keep" in bob.post(change_url(article), again).content.decode()
        assert bob.post(change_url(article), {**again, "merge-body": "mine"}).status_code == 302
        article.refresh_from_db()
        assert article.body == "## Causes\n\nBob's rewrite."

    def test_a_workflow_step_by_someone_else_also_counts_as_a_change(self, writer, reviewer):
        article = make_article(status=Status.IN_REVIEW)
        stale = change_form_data(article, title="Edited after the review")
        post_change(client_for(reviewer), article, transition="request_changes", workflow_comment="Add sources.")
        response = client_for(reviewer).post(change_url(article), stale)
        assert "Your changes have not been saved" in response.content.decode()


class TestScheduledApprovalWording:
    future = datetime.datetime(2030, 3, 1, 9, 0, tzinfo=datetime.UTC)

    @time_machine.travel(datetime.datetime(2030, 2, 28, 12, 0, tzinfo=datetime.UTC), tick=False)
    def test_button_says_schedule_for_a_saved_future_time(self, reviewer):
        article = make_article(status=Status.IN_REVIEW, published_at=self.future)
        page = client_for(reviewer).get(change_url(article)).content.decode()
        assert ">Save, approve and schedule for 01 Mar 2030 09:00</button>" in page
        assert "approve and publish" not in page

    @time_machine.travel(datetime.datetime(2030, 2, 28, 12, 0, tzinfo=datetime.UTC), tick=False)
    def test_button_says_schedule_for_a_future_time_just_entered(self, reviewer):
        article = make_article(status=Status.IN_REVIEW, published_at=self.future - datetime.timedelta(days=30))
        assert ">Save, approve and publish</button>" in client_for(reviewer).get(change_url(article)).content.decode()
        # Sent back with an error elsewhere: the buttons follow the time the reviewer entered.
        response = post_change(
            client_for(reviewer), article, title="", published_at_0="2030-03-01", published_at_1="09:00:00"
        )
        assert response.status_code == 200
        assert ">Save, approve and schedule for 01 Mar 2030 09:00</button>" in response.content.decode()

    @time_machine.travel(datetime.datetime(2030, 2, 28, 12, 0, tzinfo=datetime.UTC), tick=False)
    def test_message_says_scheduled_for(self, reviewer):
        article = make_article(status=Status.IN_REVIEW)
        response = post_change(
            client_for(reviewer), article, transition="approve", published_at_0="2030-03-01", published_at_1="09:00:00"
        )
        shown = [str(message) for message in response.wsgi_request._messages]
        assert f"“{article.title}”: approved and scheduled for 01 Mar 2030 09:00." in shown
        assert not any("publish done" in message for message in shown)

    def test_button_and_message_say_publish_for_a_past_time(self, reviewer):
        article = make_article(status=Status.IN_REVIEW)
        assert ">Save, approve and publish</button>" in client_for(reviewer).get(change_url(article)).content.decode()
        response = post_change(client_for(reviewer), article, transition="approve")
        assert any("save, approve and publish done." in str(m) for m in response.wsgi_request._messages)


def test_reviewer_is_named_in_text_not_linked_to_the_user_admin(writer, reviewer, django_user_model):
    article = make_article(status=Status.DRAFT, reviewed_by=reviewer, last_reviewed_on=datetime.date(2025, 5, 1))
    page = client_for(writer).get(change_url(article)).content.decode()
    field = re.search(r'<div class="form-row[^"]*field-reviewer_name.*?</div>\s*</div>', page, re.S).group(0)
    assert "Carol Example" in field
    assert "<a " not in field and "/auth/user/" not in page
    no_full_name = django_user_model.objects.create_user("erin", is_staff=True)
    article.reviewed_by = no_full_name
    article.save()
    assert ">erin<" in client_for(writer).get(change_url(article)).content.decode()


def test_each_role_main_step_is_styled_like_save_in_the_same_row(writer, reviewer):
    article = make_article(status=Status.DRAFT)
    main = '<button type="submit" name="transition" value="{}" class="button default workflow-main">'
    for client, step in ((client_for(writer), "submit"), (client_for(reviewer), "approve")):
        page = client.get(change_url(article)).content.decode()
        row = page[page.rindex('<div class="submit-row">') :]
        assert row.index('name="_save"') < row.index(main.format(step)) < row.index('name="_continue"')
        assert page.count("workflow-main") == 1


def test_scheduled_state_is_shown_on_the_change_form(reviewer):
    article = make_article(published_at=timezone.now() + datetime.timedelta(days=2))
    page = client_for(reviewer).get(change_url(article)).content.decode()
    assert "Status: <strong>Scheduled</strong>" in page
