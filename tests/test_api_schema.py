"""The OpenAPI description is kept true: schemathesis reads /api/v1/openapi.json from the live server and runs
all its phases against every operation (valid requests, invalid ones that must be refused with a 4xx,
undeclared methods, chains of calls); no response may be a server error or break the description
(status, content type, headers, body)."""

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
import schemathesis
from django.core.cache import cache
from django.core.management import call_command
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from encyclopedia.models import Article, Kind, MedicalCode

# Live-server tests, starting from what migrations created (serialized_rollback): so they may run
# before the browser tests, and the long schemathesis run can start early (see tests/conftest.py).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Examples per operation and phase: about 400 requests in all, about half a minute on two cores.
MAX_EXAMPLES = 25
CONFIG = Path(__file__).with_name("schemathesis.toml")
CONFORMANCE = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
               response_schema_conformance]  # fmt: skip


@pytest.fixture
def schema_url(live_server):
    call_command("load_demo_content", stdout=io.StringIO())
    cache.clear()
    return f"{live_server.url}/api/v1/openapi.json"


@pytest.mark.slow
def test_schemathesis_finds_no_server_error_and_no_response_that_breaks_the_description(schema_url, tmp_path):
    command = [
        str(Path(sys.executable).with_name("st")), "--no-color", "--config-file", str(CONFIG), "run", schema_url,
        "--max-examples", str(MAX_EXAMPLES), "--seed", "1", "--generation-database", "none",
        "--request-timeout", "30",
    ]  # fmt: skip
    run = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=300)
    summary = run.stdout[run.stdout.rfind("SUMMARY") :]
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "Tested: 5" in summary  # every operation but openapi.json, the address the description was read from
    generated = re.search(r"(\d+) generated, (\d+) passed", summary)
    assert generated and generated[1] == generated[2] and int(generated[1]) >= 300, summary


def test_every_demo_article_and_code_lookup_matches_the_description(schema_url):
    schema = schemathesis.openapi.from_url(schema_url)
    detail = schema["/api/v1/articles/{kinds}/{slug}/"]["GET"]
    for article in Article.objects.published():
        case = detail.Case(path_parameters={"kinds": Kind(article.kind).plural, "slug": article.slug})
        assert case.call_and_validate(checks=CONFORMANCE).status_code == 200
    lookup = schema["/api/v1/lookup/"]["GET"]
    codes = list(MedicalCode.objects.values_list("system", "code").distinct())
    assert len(codes) >= 25
    for system, code in [*codes, ("icd10cm", "M17.11"), ("icd10cm", "R25.1")]:
        response = lookup.Case(query={"system": system, "code": code}).call_and_validate(checks=CONFORMANCE)
        assert response.status_code == 200
        assert response.json()["results"] or code == "R25.1"
