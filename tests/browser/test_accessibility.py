"""axe-core (WCAG 2.0–2.2 A and AA, plus best practice) on every kind of page, in light and dark colour scheme."""

import pytest
from playwright.sync_api import Page

from encyclopedia.models import Kind

from ..conftest import make_article
from .axe import assert_no_violations

CARE = """## When to seek medical attention

!!! routine "See a doctor if"
    - Cramps keep coming back

!!! urgent
    - The calf is swollen

!!! emergency "Call {emergency_number} now if"
    - The leg is cold and pale
"""


@pytest.fixture
def content(transactional_db):
    cramps = make_article(
        kind=Kind.SYMPTOM, title="Leg cramps", slug="leg-cramps", body="## Causes\n\nOften [[conditions/dehydration]].\n\n" + CARE,
        alternative_names=("Charley horse",), faqs=(("How long do they last?", "A few **minutes**."),),
    )  # fmt: skip
    for kind, title, slug in [
        (Kind.CONDITION, "Dehydration", "dehydration"),
        (Kind.PROCEDURE, "Blood test", "blood-test"),
    ]:
        cramps.related.add(make_article(kind=kind, title=title, slug=slug))
    return cramps


PAGES = {
    "home": "/",
    "conditions": "/conditions/",
    "symptoms": "/symptoms/",
    "procedures": "/procedures/",
    "article": "/symptoms/leg-cramps/",
    "search-results": "/search/?q=cramps",
    "search-nothing": "/search/?q=xylophone",
    "feedback-thanks": "/feedback/thanks/",
    "not-found": "/no-such-page/",
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_page_has_no_axe_violations(page: Page, live_server, content, path, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto(live_server.url + path)
    assert_no_violations(page)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_feedback_form_in_its_error_state_has_no_axe_violations(page: Page, live_server, content, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{live_server.url}/feedback/")
    page.get_by_role("button", name="Send feedback").click()
    page.wait_for_selector(".error-summary")
    assert_no_violations(page)
