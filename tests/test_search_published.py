"""Search and Article.objects.published() agree on what readers may find, on either database.

Every article here is called "Zorbitis", so an unpublished one would match as well as the published
ones; its alternative name "Zorbitum" is even closer to the misspelling "zorbitux" than "Zorbitis"
is, so it would also win the "Did you mean" if it leaked.
"""

import datetime

import pytest
from django.utils import timezone

from editorial.workflow import article_unpublish
from encyclopedia.models import Article, Status
from encyclopedia.search import search_articles, suggest

from .conftest import make_article

pytestmark = pytest.mark.django_db

TITLE = "Zorbitis"
MISSPELT = "zorbitux"  # in no article: the typo path runs


def hidden_article(state: str, reviewer) -> Article:
    fields = {"title": TITLE, "slug": f"{state}-zorbitis", "alternative_names": ("Zorbitum",)}
    if state == "draft":
        return make_article(status=Status.DRAFT, **fields)
    if state == "in_review":
        return make_article(status=Status.IN_REVIEW, **fields)
    if state == "scheduled":
        return make_article(published_at=timezone.now() + datetime.timedelta(days=1), **fields)
    # withdrawn: readers saw it, then a reviewer unpublished it back to draft
    return article_unpublish(article=make_article(**fields), by=reviewer)


@pytest.fixture(params=["draft", "in_review", "scheduled", "withdrawn"])
def hidden(request, reviewer) -> Article:
    return hidden_article(request.param, reviewer)


def published_slugs() -> set[str]:
    return set(Article.objects.published().values_list("slug", flat=True))


# One published article takes the few-results path (one page, typo matches added); FEW_RESULTS of
# them take the counted and ranked path.
@pytest.mark.parametrize("published", [1, 3], ids=["few-results", "ranked-pages"])
def test_search_finds_what_the_queryset_publishes_and_nothing_else(hidden, published):
    for number in range(published):
        make_article(title=TITLE, slug=f"zorbitis-{number}")
    results = search_articles(TITLE)
    found = {hit.slug for hit in results.page}
    assert found == published_slugs() == {f"zorbitis-{number}" for number in range(published)}
    assert results.total == published


def test_suggestions_offer_what_the_queryset_publishes_and_nothing_else(hidden):
    make_article(title=TITLE, slug="zorbitis")
    suggestions = suggest("zorb")
    assert {each["url"].rstrip("/").rsplit("/", 1)[-1] for each in suggestions} == published_slugs() == {"zorbitis"}
    assert [each["also_called"] for each in suggestions] == [""]


def test_did_you_mean_and_typo_matches_offer_what_the_queryset_publishes_and_nothing_else(hidden):
    make_article(title=TITLE, slug="zorbitis")
    results = search_articles(MISSPELT)
    assert results.suggestion == TITLE
    hits = list(results.page)
    assert {hit.slug for hit in hits} == published_slugs() == {"zorbitis"}
    assert all(hit.typo_match and not hit.also_called for hit in hits)


def test_a_word_only_in_an_unpublished_article_is_a_word_in_no_article(hidden):
    """Otherwise "Did you mean" would tell which words unpublished articles hold: it appears only
    when a word is in no article."""
    make_article(title=TITLE, slug="zorbitis")
    hidden.body = f"## Causes\n\nThe word {MISSPELT} is only here."
    hidden.save()
    results = search_articles(MISSPELT)
    assert results.suggestion == TITLE
    assert {hit.slug for hit in results.page} == {"zorbitis"}


def test_many_unpublished_titles_do_not_push_a_published_one_out_of_the_suggestions(reviewer):
    """Each kind of suggestion is cut to a fixed number only after unpublished articles are left out."""
    make_article(title=TITLE, slug="zorbitis")
    for number in range(30):  # each as good a match, and "Zorbitia …" sorts before "Zorbitis"
        draft = hidden_article(("draft", "in_review", "scheduled")[number % 3], reviewer)
        draft.title, draft.slug = f"Zorbitia {number:02}", f"zorbitia-{number:02}"
        draft.save()
    assert not Article.objects.published().filter(slug__startswith="zorbitia").exists()
    for typed in ("zo", "zorb", "zorbit", "zorbiti"):
        assert [each["title"] for each in suggest(typed)] == [TITLE], typed
