import pytest
from django.core.management import call_command

from encyclopedia.models import FAQ, AlternativeName, Article, Kind, PromotionLink

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    """Everything the demo command writes, keyed without primary keys where it can be."""
    return {
        "articles": sorted(
            Article.objects.values_list("kind", "slug", "uuid", "title", "summary", "body", "body_html", "status",
                                        "published_at", "updated_at", "last_reviewed_on")
        ),
        "faqs": sorted(FAQ.objects.values_list("pk", "article__slug", "position", "question", "answer")),
        "names": sorted(AlternativeName.objects.values_list("pk", "article__slug", "name")),
        "related": sorted(Article.related.through.objects.values_list("from_article__slug", "to_article__slug")),
        "promotion_links": sorted(PromotionLink.objects.values_list("pk", "label", "url")),
    }  # fmt: skip


def test_demo_content_loads_and_a_second_run_changes_nothing(capsys):
    call_command("load_demo_content")
    first = snapshot()
    call_command("load_demo_content")
    assert snapshot() == first
    assert "0 created or updated" in capsys.readouterr().out


def test_demo_content_covers_every_kind_cross_related(client):
    call_command("load_demo_content")
    published = Article.objects.published()
    assert published.count() >= 30
    for kind in Kind:
        assert published.of_kind(kind).count() >= 10, kind
    assert all(article.related.exists() for article in published)
    assert all(article.faqs.exists() for article in published)


def test_leg_cramps_follows_the_seed_structure(client):
    call_command("load_demo_content")
    response = client.get("/symptoms/leg-cramps/")
    assert response.status_code == 200
    article = Article.objects.get(kind=Kind.SYMPTOM, slug="leg-cramps")
    assert [section["title"] for section in article.sections] == [
        "Causes", "Symptoms", "Treatment and prevention", "When to seek medical attention"
    ]  # fmt: skip
    assert "Charley horse" in article.alternative_names.values_list("name", flat=True)
    page = response.content.decode()
    assert "Also called: Charley horse" in page
    assert 'Last updated on <time datetime="2025-06-25">25 June 2025</time>' in page
    assert "Frequently asked questions" in page


def test_demo_changes_are_applied_on_the_next_run(client):
    call_command("load_demo_content")
    article = Article.objects.get(slug="leg-cramps")
    article.title = "Edited by hand"
    article.save()
    article.faqs.first().delete()
    call_command("load_demo_content")
    article.refresh_from_db()
    assert article.title == "Leg cramps"
    assert article.faqs.count() == 9
