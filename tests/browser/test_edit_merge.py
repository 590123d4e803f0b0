"""Two editors on the same draft in a real browser: the second save shows the three-way merge, its choice
is made by keyboard, and the saved article holds both editors' work."""

import datetime

import reversion
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from encyclopedia.models import Article, Status

from ..conftest import make_article
from .axe import assert_no_violations

PASSWORD = "a-long-enough-password"


def sign_in(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="Log out").or_(page.get_by_role("button", name="Log out"))).to_be_visible()


def save(page: Page) -> None:
    page.get_by_role("button", name="Save", exact=True).first.click()


def test_second_save_merges_three_ways_and_keeps_both_editors_work(
    page: Page, context: BrowserContext, live_server, django_user_model, transactional_db
):
    django_user_model.objects.create_superuser("alice", "alice@example.org", PASSWORD)
    with reversion.create_revision():  # as a save through the admin leaves it
        article = make_article(
            status=Status.DRAFT, title="Leg cramps", slug="leg-cramps", summary="The first summary.",
            body="## Causes\n\nThe first body.", updated_at=timezone.now() - datetime.timedelta(days=1),
        )  # fmt: skip
    url = f"{live_server.url}/admin/encyclopedia/article/{article.pk}/change/"
    sign_in(page, live_server, "alice")
    first, second = page, context.new_page()  # the same editor in two tabs: two forms open on one version
    first.goto(url)
    second.goto(url)

    second.get_by_label("Title").fill("Leg cramps (muscle cramps)")
    second.get_by_label("Summary").fill("Their new summary.")
    save(second)
    expect(second.locator(".messagelist")).to_contain_text("was changed successfully")

    first.get_by_label("Title").fill("Leg cramps at night")
    first.locator("#id_body").fill("## Causes\n\nMy new body.")
    save(first)

    merge = first.get_by_role("region", name="Changes made since you opened this article")
    expect(merge).to_be_visible()
    expect(first.locator(".errornote")).to_be_visible()
    title = first.get_by_role("region", name="Title: changed by both of you, choose one")
    for version in ("Leg cramps", "Leg cramps (muscle cramps)", "Leg cramps at night"):
        expect(title.get_by_role("cell", name=version, exact=True)).to_be_visible()
    expect(
        first.get_by_role("region", name="Summary: changed by them only, their version is in the form")
    ).to_be_visible()
    expect(first.locator("#id_summary")).to_have_value("Their new summary.")
    expect(first.locator("#id_body")).to_have_value("## Causes\n\nMy new body.")
    assert_no_violations(first, ".merge")

    # By keyboard: Tab into the choice, then the arrow keys move between "Keep theirs" and "Keep mine".
    keep_theirs = title.get_by_role("radio", name="Keep theirs")
    keep_mine = title.get_by_role("radio", name="Keep mine (as it is in the form)")
    keep_theirs.focus()
    first.keyboard.press("Space")
    expect(keep_theirs).to_be_checked()
    first.keyboard.press("ArrowDown")
    expect(keep_mine).to_be_checked()
    first.keyboard.press("ArrowUp")
    expect(keep_theirs).to_be_checked()
    save(first)

    expect(first.locator(".messagelist")).to_contain_text("was changed successfully")
    article = Article.objects.get(pk=article.pk)
    assert (article.title, article.summary, article.body) == (
        "Leg cramps (muscle cramps)",
        "Their new summary.",
        "## Causes\n\nMy new body.",
    )
