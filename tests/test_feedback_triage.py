"""Triage that scales: a thread of dated notes with authors, replies to readers by email, "assigned to me",
read-only feedback for editors and reviewers, and a list whose cost does not grow with the feedback."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import formats, timezone

from editorial.models import Feedback, FeedbackNote, FeedbackReply, OutboxMessage

from .conftest import client_for
from .feedback_helpers import triage_form

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:editorial_feedback_changelist")


def change_url(feedback: Feedback) -> str:
    return reverse("admin:editorial_feedback_change", args=[feedback.pk])


@pytest.fixture
def question(leg_cramps):
    return Feedback.objects.create(
        article=leg_cramps, category="question", message="Is magnesium safe\nwith my pills?", name="Sam",
        email="sam@example.org",
    )  # fmt: skip


def test_notes_are_a_thread_with_author_and_date_and_stay_as_written(triager, superuser, question):
    assert client_for(triager).post(change_url(question), triage_form(note="Asked Carol.")).status_code == 302
    assert client_for(superuser).post(change_url(question), triage_form(note="Carol says yes.")).status_code == 302
    notes = list(question.notes.all())
    assert [(note.author, note.body) for note in notes] == [(triager, "Asked Carol."), (superuser, "Carol says yes.")]
    page = client_for(triager).get(change_url(question)).content.decode()
    assert page.index("Asked Carol.") < page.index("Carol says yes.")
    thread = page[page.index('id="notes-group"') :]
    assert formats.localize(timezone.localtime(notes[0].created_at)) in thread
    assert '<div class="readonly">Dan Example</div>' in thread and "/admin/auth/user/" not in thread
    # Written notes are shown as text, not in a box that could overwrite them.
    assert ">Asked Carol.</textarea>" not in page
    tampered = triage_form(note="")
    tampered |= {"notes-TOTAL_FORMS": "2", "notes-INITIAL_FORMS": "1", "notes-0-id": notes[0].pk,
                 "notes-0-body": "Rewritten", "notes-1-body": ""}  # fmt: skip
    client_for(triager).post(change_url(question), tampered)
    assert FeedbackNote.objects.get(pk=notes[0].pk).body == "Asked Carol."


def test_a_reply_is_stored_and_emailed_to_the_reader_after_the_commit(
    triager_client, triager, question, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = triager_client.post(change_url(question), triage_form(reply="Yes: ask your pharmacist first."))
    assert response.status_code == 302
    [reply] = FeedbackReply.objects.all()
    assert (reply.feedback, reply.author, reply.body) == (question, triager, "Yes: ask your pharmacist first.")
    [email] = mailoutbox
    assert email.to == ["sam@example.org"]
    assert email.subject == "Re: your feedback about “Leg cramps”"
    assert "Yes: ask your pharmacist first." in email.body
    assert "> Is magnesium safe\n> with my pills?" in email.body
    assert "https://health.example.org/symptoms/leg-cramps/" in email.body
    assert "admin" not in email.body and "dan" not in email.body  # nothing of the staff's side
    page = triager_client.get(change_url(question)).content.decode()
    assert "Yes: ask your pharmacist first." in page


def test_no_reply_form_without_an_address_or_for_spam(triager_client, leg_cramps):
    anonymous = Feedback.objects.create(article=leg_cramps, message="No address")
    spam = Feedback.objects.create(article=leg_cramps, message="Buy", email="bot@example.org", status="spam")
    for feedback in (anonymous, spam):
        page = triager_client.get(change_url(feedback)).content.decode()
        assert 'name="replies-0-body"' not in page
        triager_client.post(change_url(feedback), triage_form(reply="Hello", status=feedback.status))
    assert not FeedbackReply.objects.exists() and not OutboxMessage.objects.exists()


def test_the_readers_address_is_deleted_on_schedule_with_the_email_that_carried_the_reply(
    triager_client, question, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        triager_client.post(change_url(question), triage_form(reply="Thank you."))
    assert OutboxMessage.objects.get().recipient == "sam@example.org"
    long_ago = timezone.now() - datetime.timedelta(days=settings.FEEDBACK_PERSONAL_DATA_DAYS + 1)
    Feedback.objects.update(created_at=long_ago)
    OutboxMessage.objects.update(created_at=long_ago)
    call_command("purge_feedback_personal_data")
    question.refresh_from_db()
    assert (question.email, question.name) == ("", "")
    assert not OutboxMessage.objects.exists()
    assert FeedbackReply.objects.get().body == "Thank you."  # what was said stays, without the address


def test_editors_read_feedback_about_articles_without_triaging_it(writer_client, question, leg_cramps):
    general = Feedback.objects.create(message="About the site in general", email="x@example.org")
    listing = writer_client.get(CHANGELIST).content.decode()
    assert "Is magnesium safe" in listing and "About the site in general" not in listing
    assert 'name="action"' not in listing  # no bulk triage
    assert "Is magnesium safe" not in writer_client.get(CHANGELIST, {"q": "sam@example.org"}).content.decode()
    assert writer_client.get(change_url(general)).status_code == 302  # "doesn't exist", back to the list
    page = writer_client.get(change_url(question)).content.decode()
    assert "Is magnesium safe" in page
    assert "sam@example.org" not in page and "Sam" not in page  # the reader's contact is the triagers'
    assert 'name="status"' not in page and 'name="notes-0-body"' not in page and 'name="replies-0-body"' not in page
    response = writer_client.post(change_url(question), triage_form(status="resolved", note="Mine now"))
    assert response.status_code == 403
    question.refresh_from_db()
    assert question.status == "new" and not question.notes.exists()


def test_assigned_to_me_lists_only_mine(triager_client, triager, reviewer, leg_cramps):
    Feedback.objects.create(article=leg_cramps, message="Mine", assignee=triager)
    Feedback.objects.create(article=leg_cramps, message="Carol's", assignee=reviewer)
    Feedback.objects.create(article=leg_cramps, message="Nobody's")
    Feedback.objects.create(article=leg_cramps, message="Mine but spam", assignee=triager, status="spam")
    page = triager_client.get(CHANGELIST, {"assigned": "me"}).content.decode()
    assert "Mine" in page and "Carol's" not in page and "Nobody's" not in page and "Mine but spam" not in page
    page = triager_client.get(CHANGELIST, {"assigned": "me", "status__exact": "spam"}).content.decode()
    assert "Mine but spam" in page
    assert "Nobody&#x27;s" in triager_client.get(CHANGELIST, {"assigned": "nobody"}).content.decode()


@pytest.mark.parametrize("query", [{}, {"assigned": "me"}, {"status__exact": "new", "category__exact": "question"}])
def test_the_list_runs_the_same_queries_for_5_or_60_items(
    triager_client, triager, leg_cramps, django_assert_num_queries, query
):
    def page_queries():
        with django_assert_num_queries(QUERIES_PER_PAGE):
            assert triager_client.get(CHANGELIST, query).status_code == 200

    def add(count: int):
        Feedback.objects.bulk_create(
            Feedback(article=leg_cramps, message=f"Message {n}", category="question", assignee=triager)
            for n in range(count)
        )

    add(5)
    page_queries()
    add(55)  # more than a page
    page_queries()


# Session, user, the user's permissions (2), the staff for the assignee filter, the count and the page of
# rows (with their articles and assignees): never one per row.
QUERIES_PER_PAGE = 7


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_old_single_note_becomes_the_first_of_the_thread(leg_cramps):
    executor = MigrationExecutor(connection)
    before, after = [("editorial", "0011_text_without_control_characters")], executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("editorial", "Feedback")
    received = timezone.now() - datetime.timedelta(days=3)
    item = old.objects.create(article_id=leg_cramps.pk, message="Typo", editor_note="Fixed in revision 3")
    old.objects.filter(pk=item.pk).update(created_at=received)
    old.objects.create(message="No note")
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    [note] = FeedbackNote.objects.all()
    assert (note.feedback_id, note.body, note.author, note.created_at) == (
        item.pk,
        "Fixed in revision 3",
        None,
        received,
    )
