"""Each hostile request of tests/hostile_requests.py is a test of its own: never a 500, never an
ERROR in the log, the status a careful site would give, and the site's own page where one is due.

Requests go through Django's test client with the WSGI environ written out by hand (PATH_INFO
and QUERY_STRING as a server hands them over, undecoded bytes included), CSRF checks on as in
production, and exceptions turned into responses rather than raised, so a crash shows as a 500.
"""

import logging
import re
from urllib.parse import unquote_to_bytes

import pytest
from django.test import Client

from .feedback_helpers import stamp
from .hostile_requests import ARTICLE, CASES, Case

pytestmark = pytest.mark.django_db

SITE_PAGE = re.compile(rb'<a class="skip-link" href="#main">.*<main id="main"', re.S)
TRACEBACK_SIGNS = (b"Traceback (most recent call last)", b'File "/', b"site-packages")


def environ_for(case: Case, replacements: dict[bytes, bytes]) -> dict:
    """The WSGI environ a server would build: the path percent-decoded into bytes (then held as
    Latin-1 text, as PEP 3333 says), the query string and the headers left as sent."""
    path, _, query = case.target.partition("?")
    environ = {
        "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
        "QUERY_STRING": query.replace("{article}", replacements[b"{article}"].decode()),
    }
    for name, value in case.headers.items():
        key = name.upper().replace("-", "_")
        environ[key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{key}"] = value
    if case.content_type is not None:
        environ["CONTENT_TYPE"] = case.content_type
    return environ


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_hostile_request_gets_a_precise_answer(case: Case, leg_cramps, caplog, settings, request):
    settings.WHITENOISE_USE_FINDERS = True  # serve /static/ as `make run` does (tests have no collectstatic)
    client = Client(raise_request_exception=False, enforce_csrf_checks=True)
    if case.staff:
        client.force_login(request.getfixturevalue(case.staff))
    replacements = {b"{article}": str(leg_cramps.uuid).encode(), b"{started}": stamp().encode()}
    if case.csrf:
        client.get("/admin/login/")
        replacements[b"{csrf}"] = client.cookies["csrftoken"].value.encode()
    body = case.body
    for placeholder, value in replacements.items():
        body = body.replace(placeholder, value)
    assert ARTICLE == leg_cramps.get_absolute_url()

    with caplog.at_level(logging.WARNING):
        response = client.generic(case.method, "/", data=body, **environ_for(case, replacements))

    assert response.status_code != 500
    assert response.status_code in case.expect, response.content[:500]
    content = response.content if not response.streaming else b"".join(response.streaming_content)
    assert not any(sign in content for sign in TRACEBACK_SIGNS)
    assert not any(leak in content for leak in case.must_not_contain)
    if case.page:
        assert response["Content-Type"] == "text/html; charset=utf-8"
        assert SITE_PAGE.search(content), content[:500]
    if response.status_code == 405:
        assert response.has_header("Allow")
    location = response.get("Location", "")
    assert not location.startswith("//") and "evil.example" not in location

    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    expected = f"django.security.{case.security_log}" if case.security_log else None
    assert [record.name for record in errors if record.name != expected] == []
    if expected:
        assert [record.name for record in errors] == [expected]
