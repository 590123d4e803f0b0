import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))


def pytest_collection_modifyitems(config, items):
    browser_dir = Path(__file__).parent
    for item in items:
        if browser_dir in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            # The live server needs committed data; restore what migrations created (roles, site
            # pages, site settings) after each test's flush, as a fresh site would have it.
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


@pytest.fixture(scope="session", autouse=True)
def migrated_data_is_restored(playwright, django_db_setup):
    """Make serialized_rollback restore what migrations created, as the markers above ask.

    Between its calls, Playwright's sync API marks an event loop as running in the test's thread,
    and Django then keeps database connections per context: the tests get connections other than
    the ones whose data was serialized at set-up, and without this nothing was restored after a
    test's flush (no roles, site pages or site settings in any browser test but the first)."""
    from django.db import connections

    from ..conftest import SERIALIZED_CONTENTS

    for alias, contents in SERIALIZED_CONTENTS.items():
        connections[alias]._test_serialized_contents = contents


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM}"
        if os.environ.get("CI") in {"true", "1"}:
            pytest.fail(f"{message}; CI must run the browser tests.")
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic",
        ],
    }  # fmt: skip


REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(`${event.effectiveDirective} blocked ${event.blockedURI || "inline code"} on ${location.pathname}`);
});
"""


@pytest.fixture
def csp_violations(context) -> list[str]:
    """Every Content-Security-Policy violation in any page of the test's browser context."""
    violations: list[str] = []
    context.expose_binding("reportCspViolation", lambda source, text: violations.append(text))
    context.add_init_script(REPORT_VIOLATIONS)
    return violations


@pytest.fixture(autouse=True)
def no_csp_violations(request, csp_violations):
    """Each browser test is also a check that the site and the admin run under the strict policy."""
    yield
    if "csp_violation_expected" not in request.keywords:
        assert csp_violations == [], "the page broke the Content-Security-Policy"
