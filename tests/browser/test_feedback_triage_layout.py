"""The feedback list and page as a triager sees them: a message column that can be read on a laptop, and on a
phone (390 px) nothing cut off or pushed off-screen and every control at least 44 px each way to touch."""

import pytest
from playwright.sync_api import Page, expect

from editorial.models import Feedback, FeedbackNote

from ..conftest import make_article
from .axe import assert_no_violations

PASSWORD = "a-long-enough-password"
LONG = (
    "The dose of magnesium in the treatment section looks ten times too high compared with the leaflet of my "
    "tablets; could a pharmacist check it? Also the word 'cramp' is misspelt twice in the summary."
)

# Interactive elements of the page's own content (Django's header and breadcrumbs are its chrome).
TOO_SMALL = """(root) => [...root.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary'
  )].filter((el) => el.offsetParent !== null && !el.closest('.empty-form'))
  .map((el) => [el, el.getBoundingClientRect()])
  .filter(([el, box]) => box.width < 44 || box.height < 44)
  .map(([el, box]) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${(el.textContent || el.name || '').trim().slice(0, 30)}" ${Math.round(box.width)}x${Math.round(box.height)}`)"""

# Text that does not fit its box, or runs past the right edge of the screen.
CLIPPED = """(root) => [...root.querySelectorAll('*')]
  .filter((el) => el.offsetParent !== null && el.children.length === 0 && el.textContent.trim()
                  && !el.closest('.visually-hidden'))  // hidden on purpose, for screen readers
  .filter((el) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible'
                  || el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .map((el) => `${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 30)}"`)"""


@pytest.fixture
def triager_page(page: Page, live_server, triager) -> Page:
    triager.set_password(PASSWORD)
    triager.save()
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill(triager.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out").or_(page.get_by_role("link", name="Log out"))).to_be_visible()
    return page


@pytest.fixture
def feedback(triager):
    article = make_article(title="Nocturnal leg cramps in older adults", slug="nocturnal-leg-cramps")
    items = [
        Feedback.objects.create(
            article=article,
            category="correction",
            message=f"{n}. {LONG}",
            name="Sam",
            email="sam@example.org",
            assignee=triager if n % 2 else None,
        )  # fmt: skip
        for n in range(12)
    ]
    FeedbackNote.objects.create(feedback=items[0], author=triager, body="Asked the medical reviewer to check.")
    return items


def test_the_message_column_is_readable_at_laptop_width(triager_page: Page, live_server, feedback):
    triager_page.set_viewport_size({"width": 1366, "height": 900})
    triager_page.goto(f"{live_server.url}/admin/editorial/feedback/")
    message = triager_page.locator("td.field-short_message").first
    box = message.bounding_box()
    assert box["width"] >= 320  # some 50 characters a line, not 70 px
    # All of it in sight: the table fits its box, which scrolls sideways only when it must.
    results = triager_page.locator("#changelist .results")
    assert results.evaluate("el => el.scrollWidth <= el.clientWidth")
    assert box["x"] + box["width"] <= results.bounding_box()["x"] + results.bounding_box()["width"] <= 1366
    assert triager_page.evaluate("document.documentElement.scrollWidth") <= 1366
    assert_no_violations(triager_page)


@pytest.mark.parametrize("path", ["", "{pk}/change/"], ids=["list", "change page"])
def test_list_and_page_are_usable_on_a_phone(triager_page: Page, live_server, feedback, path):
    triager_page.set_viewport_size({"width": 390, "height": 844})
    triager_page.goto(f"{live_server.url}/admin/editorial/feedback/" + path.format(pk=feedback[0].pk))
    content = triager_page.locator("#content")
    assert content.evaluate(TOO_SMALL) == []
    assert content.evaluate(CLIPPED) == []
    assert triager_page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_no_violations(triager_page)
