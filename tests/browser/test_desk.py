"""Each role signs in and finds its own work on the first page; the desk and "How the encyclopedia is doing",
charts included, pass axe-core in light and dark colour schemes."""

import itertools

import pytest
from playwright.sync_api import Page, expect

from ..conftest import PASSWORD
from ..test_desk import build_world
from .axe import assert_no_violations


@pytest.fixture
def people(writer, reviewer, triager, django_user_model):
    build_world(writer, reviewer, triager)
    superuser = django_user_model.objects.create_superuser("alice", "alice@example.org", PASSWORD)
    return {"writer": writer, "reviewer": reviewer, "triager": triager, "superuser": superuser}


def sign_in(page: Page, live_server, user) -> None:
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


SECTIONS = {
    "writer": ["Writing"],
    "reviewer": ["Medical review", "Writing"],
    "triager": ["Reader feedback"],
    "superuser": ["Medical review", "Writing", "Reader feedback"],
}
ALL_SECTIONS = {"Medical review", "Writing", "Reader feedback"}


def test_each_role_sees_its_sections_first_and_the_pages_pass_axe(page: Page, live_server, people):
    for role, user in people.items():
        page.context.clear_cookies()
        sign_in(page, live_server, user)
        expect(page.get_by_role("heading", level=1)).to_have_text("Your desk")
        for section in SECTIONS[role]:
            expect(page.get_by_role("heading", level=2, name=section, exact=True)).to_be_visible()
        for section in ALL_SECTIONS - set(SECTIONS[role]):
            expect(page.get_by_role("heading", level=2, name=section, exact=True)).to_have_count(0)
    # The superuser's pages show every section and every chart.
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.goto(f"{live_server.url}/admin/")
        assert_no_violations(page)
        page.goto(f"{live_server.url}/admin/doing/")
        expect(page.locator("svg.chart__picture")).to_have_count(4)
        page.get_by_text("Figures as a table").first.click()  # the open table is checked too
        assert_no_violations(page)


# Each label's box on the page, in CSS pixels: on one line, labels stand a word space apart at least.
LABEL_BOXES = """() => [...document.querySelectorAll("svg.chart__picture")].map(svg =>
  [...svg.querySelectorAll("text.chart__label")].map(text => {
    const box = text.getBoundingClientRect();
    return {text: text.textContent, left: box.left, right: box.right, top: Math.round(box.top)};
  }))"""


def test_chart_labels_under_the_bars_never_run_into_each_other(page: Page, live_server, people):
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, live_server, people["superuser"])
    page.goto(f"{live_server.url}/admin/doing/")
    for labels in page.evaluate(LABEL_BOXES):
        for line in {label["top"] for label in labels}:
            on_line = sorted((label for label in labels if label["top"] == line), key=lambda label: label["left"])
            for before, after in itertools.pairwise(on_line):
                assert after["left"] - before["right"] >= 6, (before, after)  # at least a word space
