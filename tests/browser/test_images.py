"""Images in a real browser: what a phone downloads for an article with three images (Chromium picks AVIF
from the <picture>), and a file dropped on the editor going into the library and into the text."""

import base64
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.files import File
from playwright.sync_api import Page, expect

from encyclopedia.images import create_image
from encyclopedia.models import Article, Image

from ..conftest import PASSWORD, make_article
from .axe import assert_no_violations

DEMO_IMAGES = Path(__file__).resolve().parents[2] / "encyclopedia" / "demo_content" / "images"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def serve_media(page: Page) -> None:
    """The live server does not serve uploads (nginx does in production): answer them from MEDIA_ROOT."""

    def answer(route):
        name = route.request.url.split(settings.MEDIA_URL, 1)[1]
        route.fulfill(path=str(Path(settings.MEDIA_ROOT) / name))

    page.route(f"**{settings.MEDIA_URL}**", answer)


def demo_image(number: int) -> Image:
    path = DEMO_IMAGES / f"5d2c6a1e-3f4b-4c8e-9a51-0c7e2b1d4a0{number}.png"
    with path.open("rb") as handle:
        return create_image(upload=File(handle, name=path.name), uploaded_by=None, title=f"Drawing {number}",
                            alt_text=f"Drawing number {number}.", credit="Illustration: Health Encyclopedia")  # fmt: skip


@pytest.mark.parametrize("scale", [1, 3])
def test_an_article_with_three_images_transfers_under_150_kb_on_a_phone(browser, live_server, scale):
    images = [demo_image(number) for number in (1, 3, 4)]
    paragraphs = "\n\n".join(["Some text about the subject, long enough to push the next picture down."] * 6)
    body = "\n\n".join(f"## Part {n}\n\n{paragraphs}\n\n![](image:{image.uuid})" for n, image in enumerate(images))
    article = make_article(title="Pictures", slug="pictures", body=body)
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=scale)
    page = context.new_page()
    serve_media(page)
    sizes, types = {}, {}

    def received(response):
        sizes[response.url] = len(response.body()) + sum(len(k) + len(v) + 4 for k, v in response.headers.items())
        if settings.MEDIA_URL in response.url:
            types[response.url] = response.headers.get("content-type")

    page.on("response", received)
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    for figure in page.locator("figure.figure img").all():  # every lazy image comes into view and loads
        figure.scroll_into_view_if_needed()
        expect(figure).to_have_js_property("complete", True)
    page.wait_for_load_state("networkidle")
    total = sum(sizes.values())
    print(f"\nscale {scale}: {len(sizes)} responses, {total / 1024:.1f} KiB, images {sorted(types.values())}")
    assert sorted(types.values()) == ["image/avif"] * 3
    assert total < 150_000
    context.close()


@pytest.fixture
def uploader_page(page: Page, live_server, writer) -> Page:
    writer.user_permissions.add(Permission.objects.get(codename="add_image"))
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill(writer.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    serve_media(page)
    return page


DROP = """([selector, data]) => {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], "calf.png", {type: "image/png"}));
  document.querySelector(selector).dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true}));
}"""


def test_a_file_dropped_on_the_editor_joins_the_library_and_shows_in_the_preview(uploader_page: Page, live_server):
    page = uploader_page
    page.goto(f"{live_server.url}/admin/encyclopedia/article/add/")
    data = base64.b64encode((DEMO_IMAGES / "5d2c6a1e-3f4b-4c8e-9a51-0c7e2b1d4a01.png").read_bytes()).decode()
    page.evaluate(DROP, ["#id_body", data])
    body = page.locator("#id_body")
    expect(body).to_have_value(re.compile(r"!\[\]\(image:[0-9a-f-]{36}\)"))
    expect(page.get_by_role("status").filter(has_text="give it alternative text")).to_contain_text(
        "give it alternative text, a credit and its licence"
    )
    image = Image.objects.get()
    assert image.file and body.input_value() == f"![](image:{image.uuid})"
    expect(page.locator("#id_body ~ .markdownx-preview figure img")).to_have_js_property("complete", True)


def test_a_file_that_is_not_an_image_is_refused_with_the_reason_beside_the_editor(uploader_page: Page, live_server):
    page = uploader_page
    page.goto(f"{live_server.url}/admin/encyclopedia/article/add/")
    page.evaluate(DROP, ["#id_body", base64.b64encode(b"not a picture at all").decode()])
    expect(page.get_by_role("alert")).to_contain_text("This file is not an image we can read")
    assert "Invalid response" not in page.locator("#id_body").input_value()
    assert not Image.objects.exists()


def test_figures_pass_axe_and_a_printed_one_stays_whole_at_a_readable_size(page: Page, live_server):
    image = demo_image(1)
    diagram = demo_image(3)
    Image.objects.filter(pk=diagram.pk).update(kind=Image.Kind.DIAGRAM, long_description="Two curves.")
    article = make_article(slug="printed", body=f"Text before.\n\n![](image:{image.uuid})\n\n## After\n\nMore.")
    article.related.add(make_article(title="Spirometry", body=f"![](image:{diagram.uuid})"))
    serve_media(page)
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    assert_no_violations(page)
    page.goto(f"{live_server.url}/symptoms/{Article.objects.get(title='Spirometry').slug}/")
    expect(page.get_by_text("What the diagram shows")).to_be_visible()
    assert_no_violations(page)
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    page.emulate_media(media="print")
    figure = page.locator("figure.figure")
    expect(figure.locator("img")).to_have_js_property("complete", True)
    assert figure.evaluate("element => getComputedStyle(element).breakInside") == "avoid"
    height = figure.locator("img").bounding_box()["height"]
    assert 200 < height <= 12 / 2.54 * 96 + 1  # readable, and at most 12 cm: room for the text around it
    expect(figure.locator(".figure__credit")).to_have_text("Illustration: Health Encyclopedia · CC0 1.0")
