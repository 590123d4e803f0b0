import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from encyclopedia.models import Article, Kind, Status

from .conftest import make_article


@pytest.mark.django_db
class TestPublished:
    def test_published_article_in_the_past_is_visible(self):
        article = make_article()
        assert list(Article.objects.published()) == [article]

    def test_draft_is_not_visible(self):
        make_article(status=Status.DRAFT)
        assert not Article.objects.published().exists()

    def test_article_scheduled_for_later_is_not_visible_until_then(self):
        make_article(published_at=timezone.now() + datetime.timedelta(hours=1))
        assert not Article.objects.published().exists()

    def test_publishing_without_a_date_publishes_now(self):
        article = make_article(status=Status.DRAFT)
        article.status = Status.PUBLISHED
        article.save()
        assert article.published_at is not None
        assert Article.objects.published().get() == article


@pytest.mark.django_db
def test_slug_is_unique_within_a_kind_only():
    make_article(kind=Kind.SYMPTOM, slug="fever")
    make_article(kind=Kind.CONDITION, slug="fever")  # another kind: allowed
    with pytest.raises(IntegrityError), transaction.atomic():
        make_article(kind=Kind.SYMPTOM, slug="fever")


@pytest.mark.django_db
def test_relations_are_symmetric():
    cramps = make_article(title="Leg cramps")
    dehydration = make_article(kind=Kind.CONDITION, title="Dehydration")
    cramps.related.add(dehydration)
    assert list(dehydration.related.all()) == [cramps]


@pytest.mark.django_db
def test_saving_stores_rendered_html_sections_and_index_letter():
    article = make_article(title="Émphysema", body="## Causes\n\nSmoking <script>x</script>\n")
    article.refresh_from_db()
    assert article.body_html == '<h2 id="causes">Causes</h2>\n<p>Smoking </p>'
    assert article.sections == [{"id": "causes", "title": "Causes", "html_start": 0, "markdown_start": 0}]
    assert article.letter == "E"
    assert article.sort_title == "emphysema"


@pytest.mark.django_db
def test_each_article_has_a_stable_identifier_that_survives_a_rename():
    article = make_article(slug="old-name")
    identifier = article.uuid
    article.slug, article.kind = "new-name", Kind.CONDITION
    article.save()
    article.refresh_from_db()
    assert article.uuid == identifier
    assert article.get_absolute_url() == "/conditions/new-name/"
