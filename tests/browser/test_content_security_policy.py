"""The policy is enforced by a real browser: injected inline code is refused, and our pages need none."""

import pytest
from playwright.sync_api import Page


@pytest.mark.csp_violation_expected
def test_an_injected_inline_script_is_refused_and_reported(page: Page, live_server, leg_cramps, csp_violations):
    page.goto(f"{live_server.url}{leg_cramps.get_absolute_url()}")
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.injected = true";
          document.body.append(script);
        }"""
    )
    page.wait_for_timeout(200)

    assert page.evaluate("window.injected") is None
    assert any(violation.startswith("script-src") for violation in csp_violations)


def test_reader_pages_run_their_scripts_under_the_policy(page: Page, live_server, leg_cramps, csp_violations):
    for path in ["/", "/symptoms/", leg_cramps.get_absolute_url(), "/search/?q=cramp", "/feedback/"]:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")

    assert csp_violations == []
