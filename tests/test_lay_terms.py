"""The everyday-terms list: editors keep it in the admin; search, suggestions, "Did you mean" and the
A–Z read it at once, on both databases."""

import pytest

from encyclopedia.lay_terms_list import lay_terms_from_file
from encyclopedia.models import Kind, LayTerm, Status
from encyclopedia.search import search_articles, suggest
from encyclopedia.search.query import lay_term_key

from .conftest import make_article


def found(query: str) -> list[str]:
    results = search_articles(query)
    return [hit.title for hit in results.page.object_list] if results.page else []


@pytest.fixture
def gastro(db):
    return make_article(kind=Kind.CONDITION, title="Gastroenteritis", slug="gastroenteritis",
                        summary="An infection of the gut that causes diarrhoea and vomiting.")  # fmt: skip


def add_term(superuser_client, **fields):
    data = {"term": "", "article": "", "medical_term": "", **fields}
    return superuser_client.post("/admin/encyclopedia/layterm/add/", data)


def test_the_shipped_list_has_200_pairs_loaded_by_the_migration_and_pointing_to_demo_articles(db):
    rows = lay_terms_from_file()
    assert len(rows) >= 200
    assert LayTerm.objects.count() == len({lay_term_key(row["term"]) for row in rows})
    assert all(row["medical_term"] or row["article"] for row in rows)
    kinds = {kind.value for kind in Kind}
    from encyclopedia.management.commands.load_demo_content import DEMO_CONTENT_DIR

    for row in rows:
        if row["article"]:
            kind, slug = row["article"].split("/")
            assert kind in kinds and (DEMO_CONTENT_DIR / kind / f"{slug}.md").exists(), row


def test_a_term_added_in_the_admin_finds_its_article_at_once_and_joins_the_a_to_z(superuser_client, gastro, client):
    assert "Collywobbles" not in client.get("/conditions/").content.decode()  # now cached
    assert found("collywobbles") == []
    response = add_term(superuser_client, term="Collywobbles", article=gastro.pk, in_a_to_z="on")
    assert response.status_code == 302
    assert found("collywobbles") == ["Gastroenteritis"]
    page = client.get("/conditions/").content.decode()
    assert 'Collywobbles, see <a href="/conditions/gastroenteritis/">Gastroenteritis</a>' in page
    assert page.index('id="letter-C"') < page.index("Collywobbles") < page.index('id="letter-G"')


def test_a_term_moved_to_another_article_leaves_the_first(superuser_client, gastro):
    other = make_article(kind=Kind.CONDITION, title="Food allergy", slug="food-allergy")
    term = LayTerm.objects.create(term="Dodgy tummy", article=gastro)
    assert found("dodgy tummy") == ["Gastroenteritis"]
    response = superuser_client.post(f"/admin/encyclopedia/layterm/{term.pk}/change/",
                                     {"term": "Dodgy tummy", "article": other.pk, "medical_term": ""})  # fmt: skip
    assert response.status_code == 302
    assert found("dodgy tummy") == ["Food allergy"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"term": "Gippy tummy"}, "Choose an article or give the medical term."),
        ({"term": "the", "medical_term": "x"}, "Give at least one word search can use"),
        ({"term": "WEE!", "medical_term": "urine"}, "This term is already in the list"),
        ({"term": "Squits", "medical_term": "diarrhoea", "in_a_to_z": "on"}, "Only a term pointing to an article"),
    ],
)
def test_the_admin_refuses_a_term_that_leads_nowhere_or_twice(superuser_client, fields, message):
    response = add_term(superuser_client, **fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not LayTerm.objects.filter(term=fields["term"]).exists()


def test_a_medical_term_makes_the_everyday_word_find_articles_that_use_it(db):
    make_article(title="Kidney stones", summary="Hard deposits that can make passing urine painful.")
    assert "Kidney stones" in found("painful wee")  # "wee" → "urine, urinating" (the shipped list)
    assert "Kidney stones" not in found('"painful wee"')  # a quoted phrase is the reader's own words


def test_a_term_for_an_unpublished_article_shows_nowhere(db, client):
    draft = make_article(kind=Kind.CONDITION, title="Secret draft", slug="secret-draft", status=Status.DRAFT)
    LayTerm.objects.create(term="Hush hush", article=draft, in_a_to_z=True)
    assert found("hush hush") == []
    assert suggest("hush") == []
    assert "Hush hush" not in client.get("/conditions/").content.decode()


def test_deleting_the_article_keeps_the_term_with_its_medical_term(gastro):
    term = LayTerm.objects.create(term="Gut rot", article=gastro, medical_term="gastroenteritis")
    gastro.delete()
    term.refresh_from_db()
    assert term.article is None and term.medical_term == "gastroenteritis"


def test_suggestions_and_did_you_mean_know_the_everyday_name(gastro):
    LayTerm.objects.filter(key="tummy bug").update(article=gastro)
    gastro.save()  # search data from the term now pointing here (a bulk update sends no signal)
    assert suggest("tummy b")[0] == {
        "title": "Gastroenteritis", "kind": "condition", "kind_label": "Condition",
        "url": "/conditions/gastroenteritis/", "also_called": "Tummy bug",
    }  # fmt: skip
    assert search_articles("tummy bugg").suggestion == "Tummy bug"


def test_a_search_snippet_keeps_list_items_apart(db, client):
    make_article(title="Hiccups", summary="Short.", body="## Causes\n\n- Eating fast\n- Fizzy drinks\n- Stress\n")
    page = client.get("/search/", {"q": "fizzy"}).content.decode()
    assert "Eating fast. <mark>Fizzy</mark> drinks. Stress" in page


def test_the_a_to_z_titles_each_page_plainly(db, client):
    make_article(kind=Kind.CONDITION, title="Pleurisy", slug="pleurisy")
    assert "<title>Conditions A to Z – " in client.get("/conditions/").content.decode()
    page = client.get("/conditions/", {"letter": "P"}).content.decode()
    assert "<title>Conditions starting with P – " in page
    assert "<h1>Conditions starting with P</h1>" in page


def test_cross_references_fall_on_the_page_of_their_letter(db, client, monkeypatch):
    monkeypatch.setattr("encyclopedia.views.INDEX_PAGE_SIZE", 2)
    articles = [
        make_article(kind=Kind.CONDITION, title=title, slug=title.lower()) for title in ("Acne", "Croup", "Mumps")
    ]
    LayTerm.objects.create(term="Bad skin", article=articles[0], in_a_to_z=True)  # between page 1 and page 2
    LayTerm.objects.create(term="Zits", article=articles[0], in_a_to_z=True)  # after the last article
    first, second = (client.get("/conditions/", {"page": n}).content.decode() for n in (1, 2))
    assert "Bad skin" in first and "Bad skin" not in second
    assert "Zits" in second and "Zits" not in first
    assert 'href="#letter-A"' in first and 'href="?letter=M"' in first and 'href="#letter-M"' in second
