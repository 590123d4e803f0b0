"""Review cycle, sources, durable addresses and links between articles."""

import datetime
import http.server
import threading
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from encyclopedia.models import Kind, Source, Status, next_review_due

from .conftest import client_for, make_article, person
from .test_admin import change_form_data

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)


def post_change(client, article, **overrides):
    article.refresh_from_db()
    return client.post(
        reverse("admin:encyclopedia_article_change", args=[article.pk]), change_form_data(article, **overrides)
    )


class TestReviewCycle:
    def test_reviewer_records_a_review_and_readers_see_who_and_when(self, reviewer, client):
        article = make_article(slug="reviewed")
        step = reverse("admin:encyclopedia_article_step", args=[article.pk])  # a published page cannot be saved
        with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0, tzinfo=datetime.UTC), tick=False):
            response = client_for(reviewer).post(step, {"transition": "review", "workflow_comment": "Checked doses."})
        assert response.status_code == 302
        article.refresh_from_db()
        assert (article.last_reviewed_on, article.reviewed_by, article.next_review_due) == (
            TODAY, reviewer, datetime.date(2029, 6, 15)
        )  # fmt: skip
        page = client.get("/symptoms/reviewed/").content.decode()
        assert 'Medically reviewed by Carol Example on <time datetime="2026-06-15">15 June 2026</time>.' in page
        assert 'Next review due <time datetime="2029-06-15">June 2029</time>.' in page
        assert article.workflow_events.get().comment == "Checked doses."

    def test_an_editor_cannot_record_a_review(self, writer):
        article = make_article(status=Status.DRAFT)
        response = post_change(client_for(writer), article, transition="review")
        assert "You cannot “Save and record a medical review today” this article." in response.content.decode()
        article.refresh_from_db()
        assert article.reviewed_by is None

    def test_next_review_is_three_years_later_by_default_and_the_period_is_a_setting(self, settings):
        assert next_review_due(datetime.date(2024, 2, 29)) == datetime.date(2027, 2, 28)
        settings.MEDICAL_REVIEW_INTERVAL_MONTHS = 18
        assert next_review_due(datetime.date(2025, 11, 30)) == datetime.date(2027, 5, 30)

    @pytest.mark.parametrize(
        ("due", "overdue", "due_soon"),
        [
            (TODAY - datetime.timedelta(days=1), True, False),
            (TODAY, False, True),
            (TODAY + datetime.timedelta(days=30), False, True),
            (TODAY + datetime.timedelta(days=31), False, False),
        ],
        ids=["yesterday", "today", "in-30-days", "in-31-days"],
    )
    def test_admin_filters_on_both_sides_of_the_due_date(self, reviewer, due, overdue, due_soon):
        make_article(title="Subject article", next_review_due=due)
        client = client_for(reviewer)
        url = reverse("admin:encyclopedia_article_changelist")
        with time_machine.travel(datetime.datetime(2026, 6, 15, 12, 0, tzinfo=datetime.UTC), tick=False):
            assert ("Subject article" in client.get(url, {"review": "overdue"}).content.decode()) is overdue
            assert ("Subject article" in client.get(url, {"review": "due_soon"}).content.decode()) is due_soon

    def test_report_lists_overdue_articles_and_emails_each_reviewer_their_list(self, reviewer, django_user_model):
        other = person(django_user_model, "erin", "Medical reviewer")
        make_article(title="Carol's overdue", reviewed_by=reviewer, last_reviewed_on=datetime.date(2023, 1, 1),
                     next_review_due=datetime.date(2026, 1, 1))  # fmt: skip
        make_article(title="Erin's overdue", reviewed_by=other, last_reviewed_on=datetime.date(2023, 2, 1),
                     next_review_due=datetime.date(2026, 2, 1))  # fmt: skip
        make_article(title="Not yet due", reviewed_by=reviewer, last_reviewed_on=datetime.date(2025, 1, 1),
                     next_review_due=datetime.date(2028, 1, 1))  # fmt: skip
        out = StringIO()
        with time_machine.travel(datetime.datetime(2026, 6, 15, 12, 0, tzinfo=datetime.UTC), tick=False):
            call_command("review_report", "--email", stdout=out)
        report = out.getvalue()
        assert "2 article(s) overdue" in report
        assert "Carol's overdue – due 01 January 2026" in report and "Not yet due" not in report
        assert sorted(message.to[0] for message in mail.outbox) == ["carol@example.org", "erin@example.org"]
        carols = next(message for message in mail.outbox if message.to == ["carol@example.org"])
        assert "Carol's overdue" in carols.body and "Erin's overdue" not in carols.body


def test_sources_are_edited_inline_and_shown_in_order(reviewer, client):
    article = make_article(slug="cited", status=Status.DRAFT)
    data = {
        "sources-TOTAL_FORMS": "2",
        "sources-0-position": "2", "sources-0-title": "Second source", "sources-0-publisher": "Health Agency",
        "sources-0-url": "https://example.org/second", "sources-0-accessed_on": "2026-03-01",
        "sources-1-position": "1", "sources-1-title": "First source", "sources-1-publisher": "",
        "sources-1-url": "", "sources-1-accessed_on": "", "transition": "approve",
    }  # fmt: skip
    assert post_change(client_for(reviewer), article, **data).status_code == 302
    page = client.get("/symptoms/cited/").content.decode()
    assert page.index("First source") < page.index("Second source")
    assert '<a href="https://example.org/second">Second source</a>. Health Agency. Accessed 1 March 2026.' in page


class TestRedirects:
    def test_every_old_address_is_one_permanent_hop_to_the_current_one(self, client):
        article = make_article(kind=Kind.SYMPTOM, slug="cramp")
        for kind, slug in [(Kind.SYMPTOM, "leg-cramp"), (Kind.SYMPTOM, "leg-cramps"), (Kind.CONDITION, "leg-cramps")]:
            article.kind, article.slug = kind, slug
            article.save()
        for old in ["/symptoms/cramp/", "/symptoms/leg-cramp/", "/symptoms/leg-cramps/"]:
            response = client.get(old)
            assert (response.status_code, response["Location"]) == (301, "/conditions/leg-cramps/"), old
        assert client.get("/conditions/leg-cramps/").status_code == 200

    def test_going_back_to_an_old_address_makes_no_loop(self, client):
        article = make_article(slug="first")
        article.slug = "second"
        article.save()
        article.slug = "first"
        article.save()
        assert client.get("/symptoms/first/").status_code == 200
        assert client.get("/symptoms/second/")["Location"] == "/symptoms/first/"

    def test_unpublished_article_old_addresses_are_404(self, client):
        article = make_article(slug="old")
        article.slug = "new"
        article.save()
        article.status = Status.DRAFT
        article.save()
        assert client.get("/symptoms/old/").status_code == 404
        assert client.get("/symptoms/new/").status_code == 404

    def test_deleted_article_addresses_are_410(self, client):
        article = make_article(slug="old")
        article.slug = "gone"
        article.save()
        article.delete()
        for address in ["/symptoms/old/", "/symptoms/gone/"]:
            response = client.get(address)
            assert response.status_code == 410
            assert "This article has been removed" in response.content.decode()

    def test_a_new_article_can_take_over_an_old_address(self, client):
        article = make_article(slug="shared")
        article.slug = "moved"
        article.save()
        make_article(slug="shared", title="New occupant")
        assert "New occupant" in client.get("/symptoms/shared/").content.decode()


class TestInternalLinks:
    def test_link_shows_the_target_current_title_and_address(self, client):
        make_article(kind=Kind.CONDITION, slug="dehydration", title="Dehydration")
        make_article(
            slug="source", body="Often caused by [[conditions/dehydration]] or [[conditions/dehydration|low fluids]]."
        )
        page = client.get("/symptoms/source/").content.decode()
        assert '<a href="/conditions/dehydration/">Dehydration</a>' in page
        assert '<a href="/conditions/dehydration/">low fluids</a>' in page

    def test_links_follow_a_rename_at_once_and_turn_to_text_when_unpublished(self, client):
        target = make_article(kind=Kind.CONDITION, slug="dehydration", title="Dehydration")
        make_article(
            slug="source", body="See [[conditions/dehydration]].", faqs=(("Why?", "See [[conditions/dehydration]]."),)
        )
        target.title, target.slug = "Fluid loss", "fluid-loss"
        target.save()
        page = client.get("/symptoms/source/").content.decode()
        assert page.count('<a href="/conditions/fluid-loss/">Fluid loss</a>') == 2  # body and FAQ
        target.status = Status.DRAFT
        target.save()
        page = client.get("/symptoms/source/").content.decode()
        assert "/conditions/fluid-loss/" not in page and "See dehydration." in page

    def test_missing_target_is_plain_text_for_readers_and_flagged_for_editors(self, client, reviewer):
        article = make_article(slug="source", body="See [[conditions/no-such-thing|this]] and [[symptoms/missing]].")
        page = client.get("/symptoms/source/").content.decode()
        assert "See this and missing." in page and "data-article" not in page
        draft = make_article(kind=Kind.CONDITION, slug="draft-target", title="Draft target", status=Status.DRAFT)
        article.body += f" Also [[conditions/{draft.slug}]]."
        article.save()
        form = (
            client_for(reviewer).get(reverse("admin:encyclopedia_article_change", args=[article.pk])).content.decode()
        )
        assert "These links show as plain text to readers:" in form
        assert "[[conditions/no-such-thing]]: no such article" in form
        assert "[[conditions/draft-target]]: “Draft target” is not published" in form

    def test_check_links_lists_broken_links(self):
        make_article(kind=Kind.CONDITION, slug="fine", title="Fine")
        make_article(slug="source", title="Source", body="[[conditions/fine]] and [[conditions/broken]]")
        out = StringIO()
        with pytest.raises(CommandError, match="1 broken link"):
            call_command("check_links", stdout=out)
        assert "/symptoms/source/ (Source): [[conditions/broken]] leads nowhere readers can go" in out.getvalue()
        assert "Internal links: 2 checked, 1 broken." in out.getvalue()


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self):
        if self.path == "/slow":
            threading.Event().wait(3)
        self.send_response(200 if self.path == "/ok" else 404)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_check_links_checks_source_addresses_with_a_bounded_timeout():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        article = make_article(slug="cited")
        for position, path in enumerate(["/ok", "/missing", "/slow"]):
            Source.objects.create(article=article, position=position, title=f"Source {path}", url=base + path)
        out = StringIO()
        with pytest.raises(CommandError, match="2 broken link"):
            call_command("check_links", "--external", "--timeout", "0.5", stdout=out)
    finally:
        server.shutdown()
    report = out.getvalue()
    assert f"{base}/missing – HTTP 404" in report
    assert f"{base}/slow – timed out" in report
    assert "Source addresses: 3 checked, 2 broken." in report
