"""axe-core in the browser: inject it with Playwright and report violations readably.

scripts/test installs axe-core 4.14.1 into .axe/ (gitignored); AXE_CORE_PATH points elsewhere.
"""

import json
import os
from pathlib import Path

import pytest
from playwright.sync_api import Page

AXE_CORE = Path(os.environ.get("AXE_CORE_PATH", Path(__file__).parents[2] / ".axe/node_modules/axe-core/axe.min.js"))
RULE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def axe_violations(page: Page, context: str | dict | None = None) -> list[dict]:
    """Run axe on the page (or on the elements matching the CSS selector `context`, or axe's include/exclude)."""
    if not AXE_CORE.exists():
        message = f"axe-core not found at {AXE_CORE} (scripts/test installs it)"
        if os.environ.get("CI") in {"true", "1"}:
            pytest.fail(message)
        pytest.skip(message)
    # From our own origin, as a file: the site's Content-Security-Policy refuses inline scripts.
    url = page.evaluate("location.origin") + "/__axe-core.js"
    page.route(url, lambda route: route.fulfill(path=str(AXE_CORE), content_type="text/javascript"))
    page.add_script_tag(url=url)
    result = page.evaluate(
        "async ([context, tags]) => await axe.run(context || document, {runOnly: {type: 'tag', values: tags}})",
        [context, RULE_TAGS],
    )
    return result["violations"]


def describe(violations: list[dict]) -> str:
    """The violations as a readable assertion message: rule, impact, help and each offending node."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} – {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    {json.dumps(node['target'])}: {node['failureSummary'].replace(chr(10), ' ')}")
    return "\n".join(lines)


def assert_no_violations(page: Page, context: str | dict | None = None) -> None:
    violations = axe_violations(page, context)
    assert not violations, "axe-core found accessibility violations:\n" + describe(violations)
