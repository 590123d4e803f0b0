"""A letter link of the A–Z moves within the page: the page scrolls to the letter, the address
gains its anchor, and nothing is loaded again."""

from playwright.sync_api import Page, expect

from encyclopedia.models import Kind

from ..conftest import make_article


def test_a_letter_link_jumps_within_the_page(page: Page, live_server, transactional_db):
    for title in ["Acne", "Asthma", "Bronchitis", "Croup", "Gout", "Lupus", "Mumps", "Rickets", "Shingles", "Zoster"]:
        make_article(kind=Kind.CONDITION, title=title, slug=title.lower(), summary="A long summary. " * 12)
    page.set_viewport_size({"width": 390, "height": 700})
    page.goto(f"{live_server.url}/conditions/")
    page.evaluate("window.loadedOnce = true")  # gone if the link loads a new page
    page.get_by_role("navigation", name="Letters").get_by_role("link", name="Z", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/conditions/#letter-Z")
    expect(page.get_by_role("heading", name="Z", exact=True)).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 0
    assert page.evaluate("window.loadedOnce") is True
