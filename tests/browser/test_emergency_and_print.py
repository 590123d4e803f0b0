"""What needs a browser: the emergency advice on a phone's first screen, and the printout."""

import pytest
from playwright.sync_api import Page, expect

from encyclopedia.content_files.parse import parse_article_file
from encyclopedia.management.commands.load_demo_content import DEMO_CONTENT_DIR
from encyclopedia.models import Kind

from ..conftest import make_article

PHONE = {"width": 390, "height": 844}  # a common phone's viewport, in CSS pixels


@pytest.fixture
def chest_pain(transactional_db):
    """The demo Chest pain article as written: its summary, names, body and FAQs."""
    path = DEMO_CONTENT_DIR / "symptom" / "chest-pain.md"
    file = parse_article_file(path, path.read_text(encoding="utf-8"))
    fields = file.article_fields
    article = make_article(
        kind=Kind.SYMPTOM, slug="chest-pain", title=fields["title"], summary=fields["summary"], body=fields["body"],
        alternative_names=tuple(file.alternative_names), faqs=tuple((f["question"], f["answer"]) for f in file.faqs),
    )  # fmt: skip
    article.related.add(make_article(kind=Kind.PROCEDURE, title="Electrocardiogram", summary="A heart tracing."))
    return article


def test_chest_pains_emergency_box_is_on_a_phones_first_screen(page: Page, live_server, chest_pain):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/symptoms/chest-pain/")
    box = page.get_by_role("complementary", name="Emergency: Call 911 now if")
    expect(box).to_be_visible()
    bounds = box.bounding_box()
    assert bounds["y"] + bounds["height"] <= PHONE["height"], f"the box ends {bounds['y'] + bounds['height']} px down"
    box.get_by_role("link", name="More on when to get help").click()
    expect(page.get_by_role("heading", level=3, name="Emergency: Call 911 now if")).to_be_in_viewport()


def test_printout_names_site_address_and_date_and_keeps_boxes_whole(page: Page, live_server, chest_pain):
    page.goto(f"{live_server.url}/symptoms/chest-pain/")
    header = page.locator(".print-header")
    expect(header).to_be_hidden()  # on screen: nothing
    page.emulate_media(media="print")
    expect(header).to_be_visible()
    expect(header).to_contain_text("Health Encyclopedia")
    expect(header).to_contain_text(f"{live_server.url}/symptoms/chest-pain/")
    expect(header).to_contain_text("Printed on ")
    expect(page.get_by_role("link", name="Electrocardiogram")).to_be_visible()
    expect(page.get_by_text("A heart tracing.")).to_be_hidden()  # related articles by title only

    def style(selector: str, prop: str) -> list[str]:
        return page.eval_on_selector_all(selector, f"els => els.map(el => getComputedStyle(el)['{prop}'])")

    assert set(style(".care", "breakInside")) == {"avoid"}
    assert len(style(".care", "breakInside")) == 4  # the box under the summary and the three in their section
    assert set(style(".faq", "breakInside")) == {"avoid"}
    assert set(style(".faq dt", "breakAfter")) == {"avoid"}  # a question never alone at a page foot
