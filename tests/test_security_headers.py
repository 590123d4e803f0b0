"""Security headers on reader pages and in the admin, with the values production settings give."""

import importlib
import re
from html.parser import HTMLParser

import pytest
from django.test import override_settings
from django.urls import reverse

SECURITY_SETTING = re.compile(r"^(SECURE_|SESSION_COOKIE_|CSRF_COOKIE_)")


@pytest.fixture
def production_security(monkeypatch):
    """The security settings of config.settings.production, applied to this test."""
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret-" + "k3y" * 20)
    monkeypatch.setenv("ALLOWED_HOSTS", "testserver")
    production = importlib.import_module("config.settings.production")
    values = {name: getattr(production, name) for name in dir(production) if SECURITY_SETTING.match(name)}
    with override_settings(**values):
        yield values


def csp_directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";"))}


class InlineCode(HTMLParser):
    """Collects inline <script>/<style> elements (with their nonce) and style="" attributes."""

    def __init__(self):
        super().__init__()
        self.inline = []  # (tag, nonce)
        self.style_attributes = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "style" or (tag == "script" and "src" not in attrs and self._executable(attrs)):
            self.inline.append((tag, attrs.get("nonce")))
        if "style" in attrs:
            self.style_attributes.append((tag, attrs["style"]))

    @staticmethod
    def _executable(attrs):
        return attrs.get("type", "text/javascript") in ("text/javascript", "module", "application/javascript")


def inline_code(response) -> InlineCode:
    parser = InlineCode()
    parser.feed(response.content.decode())
    return parser


def test_a_reader_page_carries_every_security_header(client, leg_cramps, production_security):
    response = client.get(leg_cramps.get_absolute_url(), secure=True)

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_the_content_security_policy_allows_no_inline_script_and_no_framing(client, leg_cramps):
    response = client.get(leg_cramps.get_absolute_url())
    policy = csp_directives(response)

    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]


def test_reader_pages_need_no_nonce_so_a_cached_copy_stays_valid(client, leg_cramps):
    first = client.get(leg_cramps.get_absolute_url())
    second = client.get(leg_cramps.get_absolute_url())

    assert inline_code(first).inline == []
    assert inline_code(first).style_attributes == []
    assert "nonce-" not in first["Content-Security-Policy"]
    assert first["Content-Security-Policy"] == second["Content-Security-Policy"]


@pytest.mark.parametrize("name", ["home", "search", "feedback"])
def test_other_reader_pages_have_no_inline_script_or_style(client, leg_cramps, name):
    url = {"home": "/", "search": "/search/?q=cramp", "feedback": f"/feedback/?article={leg_cramps.pk}"}[name]
    response = client.get(url)

    assert response.status_code == 200
    assert "Content-Security-Policy" in response
    assert inline_code(response).inline == []
    assert inline_code(response).style_attributes == []


@pytest.mark.parametrize(
    "url_name",
    ["admin:index", "admin:encyclopedia_article_add", "admin:encyclopedia_article_changelist", "admin:login"],
)
def test_admin_pages_run_only_nonced_inline_code(writer_client, leg_cramps, url_name):
    response = writer_client.get(reverse(url_name), follow=True)
    policy = csp_directives(response)
    found = inline_code(response)

    assert response.status_code == 200
    assert "'unsafe-inline'" not in policy["script-src"]
    nonces = {value.removeprefix("'nonce-").removesuffix("'") for value in policy["script-src"] if "nonce-" in value}
    for tag, nonce in found.inline:
        assert nonce in nonces, f"an inline <{tag}> without this response's nonce"
    assert found.style_attributes == []


def test_the_article_editor_with_markdownx_has_the_policy(reviewer_client, leg_cramps):
    # A reviewer: only they may change a published article, so only they get its editor.
    response = reviewer_client.get(reverse("admin:encyclopedia_article_change", args=[leg_cramps.pk]))
    html = response.content.decode()

    assert response.status_code == 200
    assert "markdownx" in html
    assert "'unsafe-inline'" not in csp_directives(response)["script-src"]
    assert inline_code(response).style_attributes == []


def test_session_and_csrf_cookies_are_secure_httponly_and_same_site(client, writer, production_security):
    login_page = client.get(reverse("admin:login"), secure=True)
    csrf = login_page.cookies["csrftoken"]
    response = client.post(
        reverse("admin:login"),
        {"username": "bob", "password": "a-long-enough-password", "csrfmiddlewaretoken": csrf.value},
        secure=True,
        headers={"referer": "https://testserver/admin/login/"},
    )

    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] == "Lax"
    assert csrf["secure"]
    assert csrf["samesite"] == "Lax"


def test_a_page_served_from_the_cache_carries_the_same_headers(client, leg_cramps, production_security):
    miss = client.get(leg_cramps.get_absolute_url(), secure=True)
    hit = client.get(leg_cramps.get_absolute_url(), secure=True)

    assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
    for header in [
        "Content-Security-Policy", "Permissions-Policy", "Strict-Transport-Security", "X-Frame-Options",
        "X-Content-Type-Options", "Referrer-Policy", "Cross-Origin-Opener-Policy", "ETag", "Cache-Control",
    ]:  # fmt: skip
        assert hit[header] == miss[header], header
    assert int(hit["Content-Length"]) == len(hit.content) == len(miss.content)
