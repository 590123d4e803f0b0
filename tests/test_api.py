"""The read API under /api/v1/: what apps get, what they never get, and how it behaves over HTTP."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from encyclopedia.models import ArticleRedirect, Kind, MedicalCode, Source, Status

from .conftest import make_article, person

pytestmark = pytest.mark.django_db

CARE_BODY = """Intro paragraph with a link to [[conditions/dehydration]].

## Causes

- Not drinking enough

## When to seek medical attention

!!! urgent "Get help today if"
    - The calf is swollen
"""


@pytest.fixture(autouse=True)
def fresh_rate_limit_counters():
    cache.clear()


def code(article, system: str, value: str, description: str = "") -> MedicalCode:
    return MedicalCode.objects.create(article=article, system=system, code=value, description=description)


class TestArticleDetail:
    def test_an_article_has_everything_its_page_shows(self, client, django_user_model):
        dehydration = make_article(kind=Kind.CONDITION, slug="dehydration", title="Dehydration")
        carol = person(django_user_model, "carol", None)
        article = make_article(
            slug="leg-cramps", title="Leg cramps", body=CARE_BODY, alternative_names=("Charley horse",),
            faqs=(("Why at night?", "Nobody **knows**."),), reviewed_by=carol,
            last_reviewed_on=datetime.date(2026, 1, 2), next_review_due=datetime.date(2029, 1, 2),
        )  # fmt: skip
        article.related.add(dehydration)
        Source.objects.create(article=article, title="A guideline", url="https://example.org/g")
        code(article, "icd10cm", "R25.2", "Cramp and spasm")

        response = client.get("/api/v1/articles/symptoms/leg-cramps/")
        assert response.status_code == 200
        data = response.json()
        assert (data["uuid"], data["kind"], data["slug"], data["title"]) == (
            str(article.uuid), "symptom", "leg-cramps", "Leg cramps"
        )  # fmt: skip
        assert data["page_url"] == "http://testserver/symptoms/leg-cramps/"
        assert data["url"] == "http://testserver/api/v1/articles/symptoms/leg-cramps/"
        assert data["alternative_names"] == ["Charley horse"]
        assert data["reviewed_by"] == {"name": "Carol Example"}
        assert (data["last_reviewed_on"], data["next_review_due"]) == ("2026-01-02", "2029-01-02")
        assert data["body_markdown"] == CARE_BODY
        assert [(s["id"], s["title"]) for s in data["sections"]] == [
            (None, None), ("causes", "Causes"), ("when-to-seek-medical-attention", "When to seek medical attention")
        ]  # fmt: skip
        intro, causes, _ = data["sections"]
        assert intro["markdown"] == "Intro paragraph with a link to [[conditions/dehydration]]."
        assert '<a href="http://testserver/conditions/dehydration/">Dehydration</a>' in intro["html"]
        assert causes["markdown"] == "## Causes\n\n- Not drinking enough"
        assert causes["html"] == '<h2 id="causes">Causes</h2>\n<ul>\n<li>Not drinking enough</li>\n</ul>'
        assert data["care_callouts"] == [
            {"level": "urgent", "title": "Get help today if", "text": "The calf is swollen"}
        ]
        assert data["faqs"] == [{"question": "Why at night?", "answer_markdown": "Nobody **knows**.",
                                 "answer_html": "<p>Nobody <strong>knows</strong>.</p>"}]  # fmt: skip
        assert [(r["kind"], r["slug"]) for r in data["related"]] == [("condition", "dehydration")]
        assert data["sources"] == [
            {"title": "A guideline", "publisher": None, "url": "https://example.org/g", "accessed_on": None}
        ]
        assert data["codes"] == [
            {"system": "icd10cm", "system_name": "ICD-10-CM", "code": "R25.2", "description": "Cramp and spasm"}
        ]

    def test_html_from_editors_is_sanitized(self, client):
        make_article(
            slug="xss", body="## Hi\n\n<script>alert(1)</script>[x](javascript:alert(1)) <img src=x onerror=alert(1)>"
        )
        data = client.get("/api/v1/articles/symptoms/xss/").json()
        assert "<script" not in data["body_html"] and "javascript:" not in data["body_html"]
        assert "onerror" not in data["body_html"] and "<img" not in data["body_html"]

    @pytest.mark.parametrize(
        "state",
        [{"status": Status.DRAFT}, {"status": Status.IN_REVIEW},
         {"published_at": timezone.now() + datetime.timedelta(days=1)}],
        ids=["draft", "in-review", "scheduled"],
    )  # fmt: skip
    def test_unpublished_articles_are_404_and_never_listed_searched_looked_up_or_related(self, client, state):
        hidden = make_article(slug="hidden", title="Hidden cramps", **state)
        code(hidden, "icd10cm", "R25.2")
        visible = make_article(slug="visible", title="Visible")
        visible.related.add(hidden)
        response = client.get("/api/v1/articles/symptoms/hidden/")
        assert response.status_code == 404
        assert response.json() == {
            "error": {"code": "not_found", "message": "No published article at symptoms/hidden."}
        }
        assert [a["slug"] for a in client.get("/api/v1/articles/").json()["results"]] == ["visible"]
        assert client.get("/api/v1/search/?q=cramps").json()["count"] == 0
        assert client.get("/api/v1/lookup/?system=icd10cm&code=R25.2").json()["results"] == []
        assert client.get("/api/v1/articles/symptoms/visible/").json()["related"] == []

    def test_an_old_address_redirects_once_to_the_current_one_and_a_deleted_article_is_gone(self, client):
        article = make_article(slug="old-name")
        article.slug = "new-name"
        article.save()
        response = client.get("/api/v1/articles/symptoms/old-name/")
        assert (response.status_code, response["Location"]) == (
            301,
            "http://testserver/api/v1/articles/symptoms/new-name/",
        )
        article.delete()
        response = client.get("/api/v1/articles/symptoms/new-name/")
        assert response.status_code == 410 and response.json()["error"]["code"] == "gone"
        assert ArticleRedirect.objects.filter(slug="new-name", article=None).exists()


class TestList:
    def test_pages_link_to_each_other_in_the_body_and_the_link_header(self, client):
        for letter in "ABCDE":
            make_article(title=f"{letter} article")
        response = client.get("/api/v1/articles/?page_size=2&page=2")
        data = response.json()
        assert (data["count"], data["page"], data["pages"], data["page_size"]) == (5, 2, 3, 2)
        assert [a["title"] for a in data["results"]] == ["C article", "D article"]
        base = "http://testserver/api/v1/articles/?page_size=2&page="
        assert data["links"] == {"self": base + "2", "first": base + "1", "last": base + "3",
                                 "previous": base + "1", "next": base + "3"}  # fmt: skip
        assert response["Link"] == (
            f'<{base}1>; rel="first", <{base}1>; rel="prev", <{base}3>; rel="next", <{base}3>; rel="last"'
        )
        assert client.get("/api/v1/articles/?page=4&page_size=2").status_code == 404

    def test_filters_by_kind_update_time_and_review_date(self, client):
        def at(day):
            return datetime.datetime(2026, 3, day, 12, 0, tzinfo=datetime.UTC)

        make_article(
            kind=Kind.CONDITION, title="Old condition", updated_at=at(1), last_reviewed_on=datetime.date(2023, 1, 1)
        )
        make_article(
            kind=Kind.CONDITION, title="New condition", updated_at=at(20), last_reviewed_on=datetime.date(2026, 1, 1)
        )
        make_article(kind=Kind.SYMPTOM, title="New symptom", updated_at=at(20))

        def titles(query):
            response = client.get(f"/api/v1/articles/?{query}")
            assert response.status_code == 200, response.content
            return [a["title"] for a in response.json()["results"]]

        assert titles("kind=condition") == ["New condition", "Old condition"]
        assert titles("updated_since=2026-03-10") == ["New condition", "New symptom"]
        assert titles("updated_since=2026-03-20T12:00:00%2B00:00") == ["New condition", "New symptom"]
        assert titles("updated_since=2026-03-20T12:00:01Z") == []
        assert titles("reviewed_before=2025-01-01") == ["Old condition"]
        assert titles("kind=condition&updated_since=2026-03-10") == ["New condition"]

    @pytest.mark.parametrize(
        ("query", "parameter"),
        [("kind=symptoms", "kind"), ("updated_since=yesterday", "updated_since"),
         ("updated_since=2026-03-10T10:00:00", "updated_since"), ("reviewed_before=2026-02-30", "reviewed_before"),
         ("page=0", "page"), ("page=two", "page"), ("page_size=101", "page_size")],
    )  # fmt: skip
    def test_an_invalid_parameter_is_a_400_naming_it(self, client, query, parameter):
        response = client.get(f"/api/v1/articles/?{query}")
        assert response.status_code == 400
        error = response.json()["error"]
        assert (error["code"], error["parameter"]) == ("invalid_parameter", parameter)
        assert parameter in error["message"]


class TestSearch:
    def test_search_uses_the_site_engine_and_filters_by_kind(self, client):
        make_article(kind=Kind.SYMPTOM, title="Leg cramps")
        make_article(kind=Kind.CONDITION, title="Cramp syndrome")
        make_article(title="Headache")
        data = client.get("/api/v1/search/?q=cramp").json()
        assert [a["title"] for a in data["results"]] == ["Cramp syndrome", "Leg cramps"]
        assert [a["title"] for a in client.get("/api/v1/search/?q=cramp&kind=symptom").json()["results"]] == [
            "Leg cramps"
        ]

    @pytest.mark.parametrize("query", ["", "q=", "q=%20%20", "q=a%00b", "q=" + "x" * 201])
    def test_a_missing_or_unusable_query_is_a_400(self, client, query):
        response = client.get(f"/api/v1/search/?{query}")
        assert response.status_code == 400 and response.json()["error"]["parameter"] == "q"


class TestLookup:
    def test_an_exact_code_finds_its_articles(self, client):
        cramps = make_article(slug="leg-cramps", title="Leg cramps")
        code(cramps, "icd10cm", "R25.2", "Cramp and spasm")
        data = client.get("/api/v1/lookup/?system=icd10cm&code=r252").json()
        assert data["query"]["code"] == "R25.2" and data["query"]["description"] == "Cramp and spasm"
        assert data["matched"]["code"] == "R25.2" and data["exact"] is True
        assert [a["slug"] for a in data["results"]] == ["leg-cramps"]

    def test_a_code_without_articles_falls_back_along_the_official_hierarchy_and_says_which_matched(self, client):
        block = make_article(kind=Kind.CONDITION, slug="nervous-system-signs", title="Nervous system signs")
        code(block, "icd10cm", "R25-R29")
        data = client.get("/api/v1/lookup/?system=icd10cm&code=R25.2").json()
        assert data["tried"] == ["R25.2", "R25", "R25-R29"]
        assert data["matched"] == {
            "system": "icd10cm", "system_name": "ICD-10-CM", "code": "R25-R29",
            "description": "Symptoms and signs involving the nervous and musculoskeletal systems (R25-R29)",
        }  # fmt: skip
        assert data["exact"] is False and [a["slug"] for a in data["results"]] == ["nervous-system-signs"]
        category = make_article(slug="abnormal-movements", title="Abnormal movements")
        code(category, "icd10cm", "R25")
        data = client.get("/api/v1/lookup/?system=icd10cm&code=R25.2").json()
        assert data["matched"]["code"] == "R25" and [a["slug"] for a in data["results"]] == ["abnormal-movements"]

    def test_a_valid_code_nobody_carries_answers_an_empty_list(self, client):
        data = client.get("/api/v1/lookup/?system=icd10cm&code=R25.1").json()
        assert data["matched"] is None and data["results"] == [] and data["tried"] == ["R25.1", "R25", "R25-R29"]

    def test_snomed_codes_match_exactly(self, client):
        diabetes = make_article(kind=Kind.CONDITION, slug="type-2-diabetes")
        code(diabetes, "snomedct", "44054006")
        data = client.get("/api/v1/lookup/?system=snomedct&code=44054006").json()
        assert [a["slug"] for a in data["results"]] == ["type-2-diabetes"] and data["tried"] == ["44054006"]

    @pytest.mark.parametrize(
        ("query", "parameter", "message"),
        [
            ("system=icd10cm&code=Z99.99", "code", "“Z99.99” is not in the ICD-10-CM code set."),
            ("system=snomedct&code=44054007", "code", "its last digit is not the right check digit"),
            ("system=icd9&code=729.82", "system", "system must be one of icd10cm, snomedct"),
            ("system=icd10cm", "code", "code is required."),
        ],
    )
    def test_an_invalid_code_answers_400_with_the_reason(self, client, query, parameter, message):
        response = client.get(f"/api/v1/lookup/?{query}")
        assert response.status_code == 400
        error = response.json()["error"]
        assert error["parameter"] == parameter and message in error["message"]


class TestHttp:
    def test_an_unchanged_response_is_a_304_and_a_changed_one_is_not(self, client):
        article = make_article(slug="subject")
        first = client.get("/api/v1/articles/symptoms/subject/")
        etag = first["ETag"]
        assert first["Cache-Control"] == "public, max-age=60"
        again = client.get("/api/v1/articles/symptoms/subject/", headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
        article.title = "Changed"
        article.save()
        changed = client.get("/api/v1/articles/symptoms/subject/", headers={"If-None-Match": etag})
        assert changed.status_code == 200 and changed["ETag"] != etag

    def test_any_origin_may_read_and_preflights_are_answered(self, client):
        make_article()
        response = client.get("/api/v1/articles/", headers={"Origin": "https://app.example"})
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "ETag" in response["Access-Control-Expose-Headers"]
        preflight = client.options(
            "/api/v1/articles/",
            headers={"Origin": "https://app.example", "Access-Control-Request-Method": "GET",
                     "Access-Control-Request-Headers": "if-none-match"},
        )  # fmt: skip
        assert preflight.status_code == 204
        assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
        assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]

    @pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "QUERY"])
    def test_writing_is_refused_with_a_json_405_and_no_cookie_is_ever_set(self, method):
        client = Client(enforce_csrf_checks=True)  # as browsers and apps meet it: CSRF middleware on
        response = client.generic(method, "/api/v1/articles/", "title=x")
        assert response.status_code == 405 and response["Allow"] == "GET, HEAD, OPTIONS"
        assert response.json()["error"]["code"] == "method_not_allowed"
        assert not client.get("/api/v1/articles/").cookies

    def test_unknown_addresses_answer_json_and_a_missing_slash_is_added(self, client):
        for path in ("/api/v1/nowhere/", "/api/v1/articles/%0A3/x/"):
            response = client.get(path)
            assert response.status_code == 404 and response.json()["error"]["code"] == "not_found", path
        assert client.get("/api/v1/articles/diseases/x/").status_code == 404
        redirect = client.get("/api/v1/search?q=x")
        assert (redirect.status_code, redirect["Location"]) == (301, "/api/v1/search/?q=x")

    def test_a_client_over_the_limit_gets_429_with_retry_after_and_others_do_not(self, client, settings):
        settings.API_RATE_LIMIT_REQUESTS = 3
        for remaining in (2, 1, 0):
            assert client.get("/api/v1/openapi.json")["RateLimit-Remaining"] == str(remaining)
        refused = client.get("/api/v1/openapi.json")
        assert refused.status_code == 429
        assert refused.json()["error"]["code"] == "rate_limited"
        assert 1 <= int(refused["Retry-After"]) <= settings.API_RATE_LIMIT_WINDOW
        assert refused["Access-Control-Allow-Origin"] == "*"  # so that a browser app can read why
        assert client.get("/api/v1/openapi.json", REMOTE_ADDR="192.0.2.7").status_code == 200

    def test_behind_a_proxy_the_address_it_appends_identifies_the_client(self, client, settings):
        settings.API_RATE_LIMIT_REQUESTS = 1
        settings.TRUSTED_PROXY_COUNT = 1  # the same setting as the feedback forms' limits
        forwarded = {"X-Forwarded-For": "10.0.0.1, 198.51.100.1"}
        assert client.get("/api/v1/", headers=forwarded).status_code == 200
        assert client.get("/api/v1/", headers={"X-Forwarded-For": "10.0.0.2, 198.51.100.1"}).status_code == 429
        assert client.get("/api/v1/", headers={"X-Forwarded-For": "198.51.100.2"}).status_code == 200


# Each endpoint costs the same number of queries however much content there is.
LIST_QUERIES = 2  # count, page
# article with reviewer, names, FAQs, sources, codes, related, related articles' thumbnails (links, images: none here)
DETAIL_QUERIES = 7
SEARCH_QUERIES = 4  # the everyday terms among its words, the search engine's counts and ranked page, the articles
LOOKUP_QUERIES = 1  # codes with their published articles


def add_content(count: int) -> None:
    for number in range(count):
        article = make_article(
            title=f"Cramp {number}", faqs=(("Q?", "A."),), alternative_names=(f"Cramp name {number}",)
        )
        code(article, "icd10cm", "R25.2")
        Source.objects.create(article=article, title="A source")


@pytest.mark.parametrize(
    ("path", "queries"),
    [
        ("/api/v1/articles/?page_size=100", LIST_QUERIES),
        ("/api/v1/search/?q=cramp&page_size=100", SEARCH_QUERIES),
        ("/api/v1/lookup/?system=icd10cm&code=R25.2", LOOKUP_QUERIES),
        ("/api/v1/openapi.json", 0),
    ],
)
def test_query_counts_do_not_grow_with_content(client, django_assert_num_queries, path, queries):
    add_content(2)
    with django_assert_num_queries(queries):
        assert client.get(path).status_code == 200
    add_content(20)
    with django_assert_num_queries(queries):
        assert client.get(path).status_code == 200


def test_article_detail_queries_do_not_grow_with_relations_faqs_or_codes(client, django_assert_num_queries):
    article = make_article(slug="subject")
    with django_assert_num_queries(DETAIL_QUERIES):
        client.get("/api/v1/articles/symptoms/subject/")
    for number in range(10):
        article.related.add(make_article(kind=Kind.CONDITION))
        article.faqs.create(position=number, question=f"Q{number}?", answer="A.")
        Source.objects.create(article=article, title=f"Source {number}")
    code(article, "icd10cm", "R25.2")
    code(article, "snomedct", "44054006")
    with django_assert_num_queries(DETAIL_QUERIES):
        data = client.get("/api/v1/articles/symptoms/subject/").json()
    assert len(data["related"]) == len(data["faqs"]) == len(data["sources"]) == 10 and len(data["codes"]) == 2


def test_article_texts_name_the_emergency_number_in_words_not_a_placeholder(client):
    make_article(slug="cramps", body='!!! emergency "Call {emergency_number} now if"\n    - The leg is cold\n')
    data = client.get("/api/v1/articles/symptoms/cramps/").json()
    assert data["care_callouts"][0]["title"] == "Call the emergency number now if"
    assert "{emergency_number}" not in str(data)
