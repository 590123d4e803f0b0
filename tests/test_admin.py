import datetime
import re

import pytest
from django.contrib import admin
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from editorial.admin.article_inlines import FAQInline
from editorial.models import Feedback
from encyclopedia.models import Article, Kind, Source, Status

from .conftest import client_for, make_article
from .feedback_helpers import triage_form

pytestmark = pytest.mark.django_db


def test_every_admin_changelist_and_form_loads(superuser_client, superuser, rf, leg_cramps):
    # A misspelt admin option is silently ignored until its page is loaded. The superuser, because
    # no role may open every admin page (users, groups and site settings belong to no role).
    Feedback.objects.create(article=leg_cramps, message="Typo in causes")
    request = rf.get("/")
    request.user = superuser
    for model, model_admin in admin.site._registry.items():
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        assert superuser_client.get(reverse(f"{name}_changelist"), follow=True).status_code == 200, name
        if (instance := model.objects.first()) is not None:
            assert superuser_client.get(reverse(f"{name}_change", args=[instance.pk])).status_code == 200, name
        if model_admin.has_add_permission(request):
            assert superuser_client.get(reverse(f"{name}_add")).status_code == 200, name


def test_article_form_uses_the_markdownx_editor_for_body_and_faq_answers(writer_client):
    page = writer_client.get(reverse("admin:encyclopedia_article_add")).content.decode()
    assert 'class="markdownx"' in page
    assert 'name="body"' in page and 'name="faqs-0-answer"' in page
    assert page.count('data-markdownx-urls-path="/admin/markdown-preview/"') >= 2
    assert "markdownx/js/markdownx" in page


def article_form_data(**overrides) -> dict:
    data = {
        "kind": "symptom",
        "title": "Hiccups",
        "slug": "hiccups",
        "summary": "Repeated involuntary spasms of the diaphragm.",
        "body": "## Causes\n\nEating quickly.\n",
        "published_at_0": "2025-01-01",
        "published_at_1": "09:00:00",
        "updated_at_0": "2025-01-01",
        "updated_at_1": "09:00:00",
        "last_reviewed_on": "",
        "show_promotion": "on",
        "alternative_names-TOTAL_FORMS": "1",
        "alternative_names-INITIAL_FORMS": "0",
        "alternative_names-0-name": "Singultus",
        "faqs-TOTAL_FORMS": "2",
        "faqs-INITIAL_FORMS": "0",
        "sources-TOTAL_FORMS": "0",
        "sources-INITIAL_FORMS": "0",
        "codes-TOTAL_FORMS": "0",
        "codes-INITIAL_FORMS": "0",
        "faqs-0-position": "2",
        "faqs-0-question": "Are hiccups dangerous?",
        "faqs-0-answer": "Rarely. **See a doctor** if they last more than two days.",
        "faqs-1-position": "1",
        "faqs-1-question": "What stops hiccups?",
        "faqs-1-answer": "Holding your breath may help.",
    }
    data.update(overrides)
    return data


def test_reviewer_saves_an_article_with_faqs_and_readers_see_them_in_order(reviewer_client, client):
    response = reviewer_client.post(reverse("admin:encyclopedia_article_add"), article_form_data(transition="approve"))
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get(slug="hiccups")
    assert [faq.question for faq in article.faqs.all()] == ["What stops hiccups?", "Are hiccups dangerous?"]
    assert "<strong>See a doctor</strong>" in article.faqs.last().answer_html
    assert list(article.alternative_names.values_list("name", flat=True)) == ["Singultus"]
    page = client.get("/symptoms/hiccups/").content.decode()
    assert page.index("What stops hiccups?") < page.index("Are hiccups dangerous?")


def change_form_data(article: Article, **overrides) -> dict:
    updated = timezone.localtime(article.updated_at)
    published = timezone.localtime(article.published_at) if article.published_at else None
    current = {
        "kind": article.kind, "title": article.title, "slug": article.slug, "summary": article.summary,
        "body": article.body,
        "published_at_0": published.strftime("%Y-%m-%d") if published else "",
        "published_at_1": published.strftime("%H:%M:%S") if published else "",
        "updated_at_0": updated.strftime("%Y-%m-%d"), "updated_at_1": updated.strftime("%H:%M:%S"),
        # The admin posts the date it showed, to tell a hand-made change (a callable default's hidden initial).
        "initial-updated_at_0": updated.strftime("%Y-%m-%d"), "initial-updated_at_1": updated.strftime("%H:%M:%S"),
        "alternative_names-TOTAL_FORMS": "0", "faqs-TOTAL_FORMS": "0",
        "base_version": str(article.version),
    }  # fmt: skip
    return article_form_data(**{**current, **overrides})


def test_substantive_edit_moves_last_updated_to_now(reviewer_client):
    article = make_article(status=Status.DRAFT, updated_at=timezone.now() - datetime.timedelta(days=400))
    url = reverse("admin:encyclopedia_article_change", args=[article.pk])
    response = reviewer_client.post(url, change_form_data(article, body="## Causes\n\nA new finding.\n"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert timezone.now() - article.updated_at < datetime.timedelta(minutes=1)


def test_minor_edit_keeps_last_updated(reviewer_client):
    long_ago = (timezone.now() - datetime.timedelta(days=400)).replace(microsecond=0)
    article = make_article(status=Status.DRAFT, updated_at=long_ago)
    url = reverse("admin:encyclopedia_article_change", args=[article.pk])
    response = reviewer_client.post(
        url, change_form_data(article, body="## Causes\n\nFixed a typo.\n", minor_edit="on")
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.updated_at == long_ago
    assert "Fixed a typo." in article.body_html


def test_related_articles_use_autocomplete(writer_client):
    page = writer_client.get(reverse("admin:encyclopedia_article_add")).content.decode()
    assert "data-autocomplete-light-url" in page or "admin-autocomplete" in page


def test_related_article_autocomplete_finds_by_title_and_other_name_in_title_order(writer_client, leg_cramps):
    make_article(title="Leg ulcer", slug="leg-ulcer")
    make_article(title="Calf strain", slug="calf-strain", alternative_names=("Pulled leg muscle",))
    url = reverse("admin:autocomplete")
    params = {"app_label": "encyclopedia", "model_name": "article", "field_name": "related"}

    response = writer_client.get(url, {**params, "term": "leg"})

    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["Calf strain", "Leg cramps", "Leg ulcer"]


def test_article_list_searches_alternative_names(writer_client, leg_cramps):
    page = writer_client.get(reverse("admin:encyclopedia_article_changelist"), {"q": "charley"}).content.decode()
    assert "Leg cramps" in page


class TestMarkdownPreview:
    url = "/admin/markdown-preview/"

    def test_staff_get_the_same_sanitized_html_as_readers(self, writer_client):
        response = writer_client.post(self.url, {"content": "# Title\n\n<script>x()</script>[a](javascript:y)"})
        assert response.status_code == 200
        html = response.content.decode()
        assert '<h2 id="title">Title</h2>' in html
        assert "<script" not in html and "javascript:" not in html

    def test_anonymous_visitors_are_refused(self, client):
        assert client.post(self.url, {"content": "hello"}).status_code == 403

    def test_markdownx_own_views_are_not_mounted(self, client):
        assert client.post("/markdownx/markdownify/", {"content": "x"}).status_code == 404
        assert client.post("/markdownx/upload/").status_code == 404

    def test_preview_requires_the_admin_csrf_token(self, writer):
        strict_client = Client(enforce_csrf_checks=True)
        strict_client.force_login(writer)
        assert strict_client.post(self.url, {"content": "x"}).status_code == 403


class TestFeedbackTriage:
    def test_bulk_action_changes_status(self, triager_client, leg_cramps):
        items = [Feedback.objects.create(article=leg_cramps, message=f"Message {n}") for n in range(3)]
        response = triager_client.post(
            reverse("admin:editorial_feedback_changelist"),
            {"action": "mark_resolved", "_selected_action": [items[0].pk, items[1].pk]},
        )
        assert response.status_code == 302
        assert [item.status for item in Feedback.objects.order_by("pk")] == ["resolved", "resolved", "new"]

    def test_what_the_submitter_sent_is_read_only(self, triager_client, leg_cramps):
        feedback = Feedback.objects.create(article=leg_cramps, message="Original words")
        url = reverse("admin:editorial_feedback_change", args=[feedback.pk])
        response = triager_client.post(
            url, triage_form(message="Tampered", status="in_progress", note="Checking with the reviewer")
        )
        assert response.status_code == 302
        feedback.refresh_from_db()
        assert feedback.message == "Original words"
        assert feedback.status == "in_progress"
        assert [note.body for note in feedback.notes.all()] == ["Checking with the reviewer"]

    def test_list_is_filterable_by_status_and_searchable(self, triager_client, leg_cramps):
        Feedback.objects.create(article=leg_cramps, message="About magnesium", status="spam")
        Feedback.objects.create(article=None, message="About the site")
        url = reverse("admin:editorial_feedback_changelist")
        spam = triager_client.get(url, {"status__exact": "spam"}).content.decode()
        assert "About magnesium" in spam and "About the site" not in spam
        found = triager_client.get(url, {"q": "leg cramps", "status__exact": "all"}).content.decode()
        assert "About magnesium" in found and "About the site" not in found

    def test_feedback_list_runs_a_fixed_number_of_queries(self, triager_client):
        url = reverse("admin:editorial_feedback_changelist")

        def queries_with(count: int) -> int:
            for number in range(count):
                Feedback.objects.create(article=make_article(kind=Kind.CONDITION), message=f"Message {number}")
            with CaptureQueriesContext(connection) as captured:
                assert triager_client.get(url).status_code == 200
            return len(captured)

        assert queries_with(2) == queries_with(20)


def test_site_settings_list_goes_straight_to_the_one_row(superuser_client):
    # The superuser: no role may change the site settings (editorial/migrations/0006_roles.py).
    response = superuser_client.get(reverse("admin:encyclopedia_sitesettings_changelist"))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:encyclopedia_sitesettings_change", args=[1])


def test_last_updated_set_by_hand_is_kept(reviewer_client):
    article = make_article(status=Status.DRAFT, updated_at=timezone.now() - datetime.timedelta(days=400))
    url = reverse("admin:encyclopedia_article_change", args=[article.pk])
    data = change_form_data(
        article, body="## Causes\n\nRewritten.\n", updated_at_0="2026-01-15", updated_at_1="08:30:00"
    )
    assert reviewer_client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.updated_at == datetime.datetime(2026, 1, 15, 8, 30, tzinfo=datetime.UTC)


def test_saving_without_changes_keeps_last_updated(reviewer_client):
    long_ago = (timezone.now() - datetime.timedelta(days=400)).replace(microsecond=0)
    article = make_article(status=Status.DRAFT, updated_at=long_ago)
    url = reverse("admin:encyclopedia_article_change", args=[article.pk])
    # Browsers send text areas back with CRLF line ends: still no change.
    unchanged = change_form_data(article, body=article.body.replace("\n", "\r\n"))
    assert reviewer_client.post(url, unchanged).status_code == 302
    article.refresh_from_db()
    assert article.updated_at == long_ago


def test_change_form_links_to_the_public_page(writer_client, leg_cramps):
    page = writer_client.get(reverse("admin:encyclopedia_article_change", args=[leg_cramps.pk])).content.decode()
    view_on_site = re.search(r'href="([^"]+)" class="viewsitelink"', page).group(1)
    assert writer_client.get(view_on_site)["Location"].endswith("/symptoms/leg-cramps/")


def test_article_list_counts_faqs_once_when_searched_by_alternative_name(reviewer):
    make_article(
        title="Asthma", slug="asthma", alternative_names=("Wheezing illness", "Reactive airway", "Bronchial asthma"),
        faqs=tuple((f"Question {n}?", "Answer.") for n in range(6)),
    )  # fmt: skip
    client = client_for(reviewer)
    url = reverse("admin:encyclopedia_article_changelist")
    for search in ("asthma", "reactive", ""):
        page = client.get(url, {"q": search}).content.decode()
        assert re.search(r'class="field-faq_count">(\d+)<', page).group(1) == "6", search


def test_searched_article_list_runs_a_fixed_number_of_queries(reviewer):
    client = client_for(reviewer)
    url = reverse("admin:encyclopedia_article_changelist")

    def queries_with(count: int) -> int:
        for _ in range(count):
            make_article(title="Asthma", alternative_names=("Asthma attack", "Bronchial asthma"), faqs=(("Q?", "A."),))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"q": "asthma"}).status_code == 200
        return len(captured)

    assert queries_with(2) == queries_with(20)


def test_empty_faq_and_source_rows_come_after_the_saved_ones(reviewer):
    article = make_article(status=Status.DRAFT, faqs=(("First?", "A."), ("Second?", "B."), ("Third?", "C.")))
    Source.objects.create(article=article, position=7, title="A textbook")
    page = client_for(reviewer).get(reverse("admin:encyclopedia_article_change", args=[article.pk])).content.decode()
    assert re.search(r'<input[^>]*name="faqs-3-position"[^>]*value="4"', page)
    assert re.search(r'<input[^>]*name="sources-1-position"[^>]*value="8"', page)
    # Several empty rows are numbered in order; a new article's start at 1.
    request = RequestFactory().get("/")
    request.user = reviewer
    inline = FAQInline(Article, admin.site)
    formset = inline.get_formset(request, article, extra=3)(instance=article)
    assert [form.initial.get("position") for form in formset.extra_forms] == [4, 5, 6]
    formset = inline.get_formset(request, None, extra=2)(instance=Article())
    assert [form.initial.get("position") for form in formset.extra_forms] == [1, 2]


def test_a_faq_added_in_the_empty_row_goes_last_and_untouched_empty_rows_are_ignored(reviewer):
    article = make_article(status=Status.DRAFT, faqs=(("First?", "A."), ("Second?", "B.")))
    client = client_for(reviewer)
    url = reverse("admin:encyclopedia_article_change", args=[article.pk])
    faqs = {
        "faqs-TOTAL_FORMS": "4", "faqs-INITIAL_FORMS": "2",
        **{f"faqs-{n}-{field}": str(getattr(faq, field)) for n, faq in enumerate(article.faqs.all())
           for field in ("id", "position", "question", "answer")},
        "faqs-2-position": "3", "faqs-2-question": "Added?", "faqs-2-answer": "Yes.",
        "faqs-3-position": "4",  # offered, left empty
        "sources-TOTAL_FORMS": "1", "sources-INITIAL_FORMS": "0", "sources-0-position": "1",
    }  # fmt: skip
    response = client.post(url, change_form_data(article, **faqs))
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert list(article.faqs.values_list("question", flat=True)) == ["First?", "Second?", "Added?"]
    assert not article.sources.exists()


def breadcrumbs(page: str) -> tuple[list[tuple[str, str]], str]:
    """The admin's breadcrumb bar (an <ol class="breadcrumbs">, which its CSS styles): links and the current page."""
    bar = re.search(r'<nav aria-label="Breadcrumbs">\s*<ol class="breadcrumbs">(.*?)</ol>\s*</nav>', page, re.S)
    assert bar, "no breadcrumbs in the admin's design"
    links = re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', bar.group(1))
    current = re.search(r'<li aria-current="page">([^<]+)</li>', bar.group(1)).group(1)
    return links, current


def test_history_and_compare_pages_have_the_admin_breadcrumbs(reviewer):
    client = client_for(reviewer)
    article = make_article(title="Asthma", status=Status.DRAFT)
    for title in ("Asthma", "Asthma in adults"):
        client.post(
            reverse("admin:encyclopedia_article_change", args=[article.pk]),
            change_form_data(Article.objects.get(pk=article.pk), title=title),
        )
    new, old = Version.objects.get_for_object(article)[:2]
    to_article = [
        ("/admin/", "Home"),
        ("/admin/encyclopedia/", "Published content"),
        ("/admin/encyclopedia/article/", "Articles"),
        (f"/admin/encyclopedia/article/{article.pk}/change/", "Asthma in adults"),
    ]
    history = client.get(reverse("admin:encyclopedia_article_history", args=[article.pk])).content.decode()
    assert breadcrumbs(history) == (to_article, "History")
    compare_url = reverse("admin:encyclopedia_article_compare", args=[article.pk])
    compare = client.get(compare_url, {"from": old.pk, "to": new.pk}).content.decode()
    history_link = (f"/admin/encyclopedia/article/{article.pk}/history/", "History")
    assert breadcrumbs(compare) == ([*to_article, history_link], "Compare")


def test_least_useful_articles_page_has_the_admin_breadcrumbs(triager):
    page = client_for(triager).get(reverse("admin:editorial_feedback_least_useful")).content.decode()
    links = [("/admin/", "Home"), ("/admin/editorial/", "Editorial"), ("/admin/editorial/feedback/", "Feedback")]
    assert breadcrumbs(page) == (links, "Least useful articles")
