"""The OpenAPI description is kept true: schemathesis reads /api/v1/openapi.json from the live server, generates
requests for every operation (valid ones, and invalid ones that must be refused with a 4xx) and checks that
no response is a server error or breaks the description (status, content type, headers, body)."""

import io

import hypothesis
import pytest
import schemathesis
from django.core.cache import cache
from django.core.management import call_command
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from encyclopedia.models import Article, Kind, MedicalCode

# Per operation and mode: about 500 requests in all, well under a minute on two cores.
EXAMPLES = 40
ALWAYS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]  # fmt: skip


@pytest.fixture
def schema(live_server, transactional_db):
    call_command("load_demo_content", stdout=io.StringIO())
    cache.clear()
    return schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")


def checks_for(operation, mode: GenerationMode) -> list:
    if mode == GenerationMode.NEGATIVE:
        return [*ALWAYS, negative_data_rejection]
    # The lookup answers 400 to a well-formed code that is not in the code set: a description cannot list
    # the 98,000 codes, so "valid by the schema" does not mean "accepted" there.
    return ALWAYS if operation.path == "/api/v1/lookup/" else [*ALWAYS, positive_data_acceptance]


def test_generated_requests_get_responses_that_match_the_description(schema):
    operations = [result.ok() for result in schema.get_all_operations()]
    # Every operation but openapi.json itself, which schemathesis leaves out as the address it read the description from.
    assert {operation.path for operation in operations} == {
        "/api/v1/", "/api/v1/articles/", "/api/v1/articles/{kinds}/{slug}/", "/api/v1/search/", "/api/v1/lookup/",
    }  # fmt: skip
    for operation in operations:
        fuzz(operation, GenerationMode.POSITIVE)
        # Invalid requests need a query or path parameter to get wrong (a header is text whatever it holds).
        if any(parameter.location in ("query", "path") for parameter in operation.iter_parameters()):
            fuzz(operation, GenerationMode.NEGATIVE)


def fuzz(operation, mode: GenerationMode) -> None:
    checks = checks_for(operation, mode)

    @hypothesis.settings(
        max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
        suppress_health_check=list(hypothesis.HealthCheck), phases=[hypothesis.Phase.generate],
    )  # fmt: skip
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        case.call_and_validate(checks=checks)

    run()


def test_every_demo_article_and_code_lookup_matches_the_description(schema):
    detail = schema["/api/v1/articles/{kinds}/{slug}/"]["GET"]
    for article in Article.objects.published():
        case = detail.Case(path_parameters={"kinds": Kind(article.kind).plural, "slug": article.slug})
        assert case.call_and_validate(checks=ALWAYS).status_code == 200
    lookup = schema["/api/v1/lookup/"]["GET"]
    codes = list(MedicalCode.objects.values_list("system", "code").distinct())
    assert len(codes) >= 25
    for system, code in [*codes, ("icd10cm", "M17.11"), ("icd10cm", "R25.1")]:
        response = lookup.Case(query={"system": system, "code": code}).call_and_validate(checks=ALWAYS)
        assert response.status_code == 200
        assert response.json()["results"] or code == "R25.1"
