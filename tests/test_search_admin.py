"""Editors: what readers did not find, and articles saved in admin are found at once."""

import pytest
from django.urls import reverse

from encyclopedia.models import SearchMiss

from .test_admin import article_form_data

pytestmark = pytest.mark.django_db


def test_searches_that_found_nothing_are_listed_most_frequent_first(writer_client, client):
    for query, times in [("restless legs", 1), ("zebra stripes", 3), ("gout", 2)]:
        for _ in range(times):
            client.get("/search/", {"q": query})
    response = writer_client.get(reverse("admin:encyclopedia_searchmiss_changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index(">zebra stripes</a>") < page.index(">gout</a>") < page.index(">restless legs</a>")
    assert 'href="/search/?q=zebra+stripes"' in page


def test_editors_cannot_add_or_edit_misses_but_can_delete_them(writer_client):
    miss = SearchMiss.objects.create(query="restless legs", count=4)
    assert writer_client.get(reverse("admin:encyclopedia_searchmiss_add")).status_code == 403
    change_page = writer_client.get(reverse("admin:encyclopedia_searchmiss_change", args=[miss.pk]))
    assert change_page.status_code == 200
    assert 'name="query"' not in change_page.content.decode()  # shown read-only
    response = writer_client.post(reverse("admin:encyclopedia_searchmiss_delete", args=[miss.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not SearchMiss.objects.exists()


def test_article_saved_in_admin_is_found_by_its_faqs_and_alternative_names(reviewer_client, client):
    response = reviewer_client.post(reverse("admin:encyclopedia_article_add"), article_form_data(transition="approve"))
    assert response.status_code == 302
    page = client.get("/search/", {"q": "singultus"}).content.decode()
    assert "Also called Singultus" in page
    assert 'href="/symptoms/hiccups/"' in client.get("/search/", {"q": "what stops hiccups"}).content.decode()
