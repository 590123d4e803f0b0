"""The editors' desk (the admin's home page) and "How the encyclopedia is doing": each role sees its sections
once, every count links to a list of exactly those items, and both pages cost a fixed number of queries."""

import datetime
import os
import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from editorial import workflow
from editorial.models import Feedback, Vote
from encyclopedia.images import create_image
from encyclopedia.models import Article, SearchMiss, SiteSettings, Status

from .conftest import client_for, make_article
from .image_files import encode, photo, upload

pytestmark = pytest.mark.django_db

DESK = "/admin/"
DOING = "/admin/doing/"


def build_world(writer, reviewer, triager, *, size: int = 1, start: int = 0) -> dict:
    """Work for every section, `size` times over: drafts, an article sent back with a comment, articles in
    review, reviews overdue and due soon, a scheduled article, feedback and searches that found nothing."""
    now = timezone.now()
    today = timezone.localdate()
    made = {}
    for n in range(start, start + size):
        draft = make_article(status=Status.DRAFT, title=f"Hiccups {n}")
        workflow.record_event(article=draft, by=writer, action=workflow.Action.SAVE, from_status="")
        sent_back = make_article(status=Status.DRAFT, title=f"Gout {n}")
        workflow.record_event(article=sent_back, by=writer, action=workflow.Action.SAVE, from_status="")
        workflow.article_submit_for_review(article=sent_back, by=writer)
        workflow.article_request_changes(article=sent_back, by=reviewer, comment=f"Cite the 2024 guideline ({n}).")
        waiting = make_article(status=Status.DRAFT, title=f"Vertigo {n}")
        workflow.article_submit_for_review(article=waiting, by=writer)
        overdue = make_article(title=f"Overdue {n}", next_review_due=today - datetime.timedelta(days=3 + n))
        make_article(title=f"Links {n}", body=f"See [[symptoms/nowhere-{n}]] and [[symptoms/{overdue.slug}]].")
        make_article(title=f"Good links {n}", body=f"See [[symptoms/{overdue.slug}]].")
        make_article(title=f"Due soon {n}", next_review_due=today + datetime.timedelta(days=10 + n))
        make_article(title=f"Scheduled {n}", published_at=now + datetime.timedelta(days=5 + n))
        article = make_article(title=f"Read {n}")
        for helpful in ["no"] * 8 + ["yes"] * 4:
            Vote.objects.create(article=article, helpful=helpful)
        Feedback.objects.create(article=article, message=f"Unclear dosage {n}.", category="correction")
        Feedback.objects.create(message=f"Mine {n}", category="question", status="in_progress", assignee=triager)
        Feedback.objects.create(message=f"Buy now {n}", category="other", status="spam")
        SearchMiss.objects.create(query=f"hiccup cure {n}", count=5 + n)
        made.update(draft=draft, sent_back=sent_back, waiting=waiting)
    return made


@pytest.fixture
def world(writer, reviewer, triager):
    return build_world(writer, reviewer, triager)


def links(html: str) -> list[tuple[str, str]]:
    """(href, text) of every link on the page, unescaped, tags removed from the text."""
    return [
        (unescape(href), " ".join(re.sub(r"<[^>]+>", " ", unescape(text)).split()))
        for href, text in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', html, re.S)
    ]


def link_to(html: str, text_starts: str) -> str:
    found = [href for href, text in links(html) if text.startswith(text_starts)]
    assert len(found) == 1, f"{len(found)} links start with {text_starts!r}"
    return found[0]


def listed_titles(client, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    return set(response.context["cl"].result_list.values_list("title", flat=True))


def test_a_writer_sees_their_drafts_and_what_was_sent_back_with_the_comment(writer_client, world):
    page = writer_client.get(DESK).content.decode()
    assert "Writing" in page and "Medical review" not in page and "Reader feedback" not in page
    assert "Cite the 2024 guideline (0)." in page
    assert "Carol Example" in page  # who sent it back
    assert "Gout 0" in page and "Hiccups 0" in page


def test_each_writer_count_lists_exactly_its_articles(writer_client, world):
    page = writer_client.get(DESK).content.decode()
    assert listed_titles(writer_client, link_to(page, "1 draft")) == {"Hiccups 0"}
    assert listed_titles(writer_client, link_to(page, "1 article with changes requested")) == {"Gout 0"}
    assert listed_titles(writer_client, link_to(page, "1 article in review")) == {"Vertigo 0"}


def test_broken_links_count_lists_exactly_the_published_articles_with_one(writer_client, world):
    page = writer_client.get(DESK).content.decode()
    assert listed_titles(writer_client, link_to(page, "1 published article with links")) == {"Links 0"}


def test_a_link_mended_by_publishing_its_target_or_written_in_an_faq_is_seen(writer_client, reviewer, world):
    target = make_article(status=Status.DRAFT, title="Nowhere", slug="nowhere-0")
    url = reverse("admin:encyclopedia_article_changelist") + "?desk=broken_links"
    workflow.article_approve_and_publish(article=target, by=reviewer)
    assert listed_titles(writer_client, url) == set()
    faq_owner = Article.objects.get(title="Good links 0")
    faq = faq_owner.faqs.create(question="More?", answer="See [[conditions/missing]].")
    assert listed_titles(writer_client, url) == {"Good links 0"}
    faq.delete()
    assert listed_titles(writer_client, url) == set()
    workflow.article_delete(article=faq_owner, by=reviewer, comment="Merged into another article.")


def test_a_reviewer_sees_review_work_and_their_counts_list_exactly_those_articles(reviewer_client, world):
    page = reviewer_client.get(DESK).content.decode()
    assert "Medical review" in page
    assert page.count('id="desk-review"') == 1 and page.count('id="desk-writing"') == 1  # each section once
    assert "waiting 0 days" in page or "submitted today" in page
    assert listed_titles(reviewer_client, link_to(page, "1 article waiting for review")) == {"Vertigo 0"}
    assert listed_titles(reviewer_client, link_to(page, "1 review overdue")) == {"Overdue 0"}
    assert listed_titles(reviewer_client, link_to(page, "1 due within 30 days")) == {"Due soon 0"}
    assert listed_titles(reviewer_client, link_to(page, "1 in the next 30 days")) == {"Scheduled 0"}
    # Carol sent "Gout 0" back but did not write it: it is not "sent back to" her.
    assert listed_titles(reviewer_client, link_to(page, "0 articles with changes requested")) == set()


def test_a_scheduled_working_copy_shows_on_the_reviewers_timeline(reviewer, reviewer_client, writer):
    live = make_article(title="Asthma")
    copy = workflow.article_start_working_copy(article=live, by=writer)
    copy.published_at = timezone.now() + datetime.timedelta(days=3)
    copy.save()
    workflow.article_approve_and_publish(article=copy, by=reviewer)
    page = reviewer_client.get(DESK).content.decode()
    assert "(changes replace the published version)" in page
    assert listed_titles(reviewer_client, link_to(page, "1 in the next 30 days")) == {"Asthma"}
    assert listed_titles(reviewer_client, link_to(page, "1 published article with changes")) == {"Asthma"}


def test_a_triager_sees_only_feedback_work(triager_client, world):
    page = triager_client.get(DESK).content.decode()
    assert "Reader feedback" in page and "Writing" not in page and "Medical review" not in page
    assert "Unclear dosage 0." in page  # oldest unanswered
    assert "Buy now" not in page


def test_triager_feedback_counts_list_exactly_their_items(triager_client, world):
    page = triager_client.get(DESK).content.decode()
    new = triager_client.get(link_to(page, "1 new message"))
    assert new.status_code == 200
    assert [f.message for f in new.context["cl"].result_list] == ["Unclear dosage 0."]
    by_category = triager_client.get(link_to(page, "Correction: 1"))
    assert [f.message for f in by_category.context["cl"].result_list] == ["Unclear dosage 0."]


def test_assigned_to_me_lists_exactly_the_triagers_items(triager_client, world):
    page = triager_client.get(DESK).content.decode()
    response = triager_client.get(link_to(page, "1 assigned to me"))
    assert response.status_code == 200
    assert [f.message for f in response.context["cl"].result_list] == ["Mine 0"]


def test_a_writer_sees_searches_that_found_nothing_and_writes_one(writer_client, world):
    page = writer_client.get(DESK).content.decode()
    assert "hiccup cure 0" in page
    response = writer_client.get(link_to(page, "1 search since"))
    assert response.status_code == 200
    assert [miss.query for miss in response.context["cl"].result_list] == ["hiccup cure 0"]


def test_write_this_article_starts_a_draft_with_the_query_as_title(superuser_client, world):
    page = superuser_client.get(DESK).content.decode()
    url = link_to(page, "Write this article : hiccup cure 0")
    form = superuser_client.get(url)
    assert form.status_code == 200
    assert form.context["adminform"].form.initial["title"] == "hiccup cure 0"


def test_search_miss_count_lists_exactly_the_last_30_days(superuser_client, world):
    SearchMiss.objects.create(query="old", count=50, last_searched_at=timezone.now() - datetime.timedelta(days=90))
    page = superuser_client.get(DESK).content.decode()
    response = superuser_client.get(link_to(page, "1 search since"))
    assert [miss.query for miss in response.context["cl"].result_list] == ["hiccup cure 0"]
    assert "old" not in re.findall(r"<td>([^<]*)</td>", page)


def test_a_superuser_sees_every_section_once(superuser_client, world):
    page = superuser_client.get(DESK).content.decode()
    for section in ("desk-review", "desk-writing", "desk-feedback", "desk-all"):
        assert page.count(f'id="{section}"') == 1
    assert "Everything you can open" in page and "Articles" in page  # the model list, below


def test_every_link_on_the_desk_opens_for_its_reader(writer_client, reviewer_client, triager_client, world):
    for client in (writer_client, reviewer_client, triager_client):
        page = client.get(DESK).content.decode()
        for href, text in links(page):
            if not href.startswith("/admin/"):
                continue
            response = client.get(href, follow=True)  # "My email notifications" goes on to one's own page
            assert response.status_code == 200, (text, href, response.status_code)
            assert "?e=1" not in response.request["QUERY_STRING"], (text, href)


def test_changes_requested_is_a_state_of_its_own_in_the_list_and_its_filter(reviewer_client, world):
    response = reviewer_client.get(reverse("admin:encyclopedia_article_changelist") + "?status=changes_requested")
    assert {a.title for a in response.context["cl"].result_list} == {"Gout 0"}
    assert "Changes requested" in response.content.decode()


def test_the_doing_page_draws_each_chart_with_its_figures(superuser_client, world):
    page = superuser_client.get(DOING).content.decode()
    assert page.count('class="chart__picture"') == 4
    assert page.count("<figcaption") == 4 and page.count("Figures as a table") == 4
    assert 'role="img"' in page
    assert "style=" not in page.split('class="chart__picture"', 1)[1]  # the CSP forbids inline styles


def test_a_triager_sees_only_the_feedback_chart(triager_client, world):
    page = triager_client.get(DOING).content.decode()
    assert page.count('class="chart__picture"') == 1 and "Reader feedback" in page


@pytest.mark.parametrize("path", [DESK, DOING])
def test_desk_and_doing_page_cost_the_same_queries_whatever_the_data(
    path, django_assert_num_queries, writer, reviewer, triager, django_user_model
):
    superuser = django_user_model.objects.create_superuser("root", "root@example.org", "a-long-enough-pw")
    client = client_for(superuser)
    build_world(writer, reviewer, triager, size=1)
    client.get(path)  # warm: content types, site settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(path).status_code == 200
    build_world(writer, reviewer, triager, size=4, start=1)
    with django_assert_num_queries(len(small)):
        assert client.get(path).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for path in (DESK, DOING):
        response = client.get(path)
        assert response.status_code == 302 and urlsplit(response["Location"]).path == "/admin/login/"


def test_generate_feedback_adds_items_and_votes_over_the_period(leg_cramps, triager):
    from django.core.management import call_command

    call_command("generate_feedback", 40, votes=12, days=30, assignee=[triager.username], stdout=open(os.devnull, "w"))
    assert Feedback.objects.count() == 40 and Vote.objects.count() == 12
    oldest = Feedback.objects.earliest("created_at").created_at
    assert timezone.now() - oldest <= datetime.timedelta(days=30)
    assert Feedback.objects.filter(assignee=triager).exists()
    assert set(Feedback.objects.values_list("status", flat=True)) <= set(Feedback.Status.values)


def test_demo_work_fills_each_demo_persons_desk_and_a_second_run_adds_nothing(settings):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    settings.DEBUG = True
    for slug in ("leg-cramps", "dizziness", "osteoarthritis", "asthma"):
        make_article(title=slug.replace("-", " ").capitalize(), slug=slug)
    quiet = open(os.devnull, "w")
    call_command("load_demo_desk", stdout=quiet)
    call_command("load_demo_desk", stdout=quiet)
    assert (
        Article.objects.filter(title="Heartburn").count() == 1
        and SearchMiss.objects.filter(query="tinnitus").count() == 1
    )
    expected = {
        "demo-editor": ["1 article with changes requested", "1 draft"],
        "demo-reviewer": ["articles waiting for review", "1 review overdue", "1 in the next 30 days"],
        "demo-triager": ["13 new messages"],
    }
    for username, counts in expected.items():
        page = client_for(get_user_model().objects.get(username=username)).get(DESK).content.decode()
        for count in counts:
            assert count in page, (username, count)


def test_demo_work_is_refused_without_debug(settings):
    from django.core.management import CommandError, call_command

    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo_desk")


def test_articles_over_the_target_reading_age_are_counted_and_listed_hardest_first(writer_client, world):
    SiteSettings.objects.update(target_reading_age=11)
    Article.objects.update(reading_age=9.5)
    Article.objects.filter(title="Overdue 0").update(reading_age=14.2)
    Article.objects.filter(title="Hiccups 0").update(reading_age=12.1)
    page = writer_client.get(DESK).content.decode()
    assert page.index("Overdue 0") < page.index("reading age 12.1")
    assert listed_titles(writer_client, link_to(page, "2 articles over reading age 11")) == {"Overdue 0", "Hiccups 0"}


def test_image_licences_ending_soon_are_counted_and_link_to_exactly_those_images(writer_client, writer, world):
    today = timezone.localdate()
    for title, ends in [("Ends soon", 5), ("Ended", -1), ("Years left", 900), ("No end", None)]:
        create_image(
            upload=upload(encode(photo())), uploaded_by=writer, title=title, alt_text="A calf stretch.",
            licence_expires=today + datetime.timedelta(days=ends) if ends is not None else None,
        )  # fmt: skip
    page = writer_client.get(DESK).content.decode()
    response = writer_client.get(link_to(page, "2 images whose licence ends"))
    assert {image.title for image in response.context["cl"].result_list} == {"Ends soon", "Ended"}
