"""Library images in articles: ![alt](image:<uuid>) becomes a responsive figure with its credit; readers only
ever see images that went through review with the article; editors drop files on the editor; the image follows
the article to og:image, JSON-LD, the API, export files and the page cache."""

import datetime
import io
import json
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage

from editorial import workflow
from encyclopedia import article_images
from encyclopedia.images import create_image
from encyclopedia.models import Article, ArticleImage, Image, Status

from .conftest import client_for, make_article, person
from .test_admin import change_form_data
from .test_images_storage import bucket, fetch  # noqa: F401  (the SeaweedFS bucket fixture)
from .test_query_counts import ARTICLE_PAGE_QUERIES, queries_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def png(width: int = 64, height: int = 40, colour=(200, 80, 60)) -> SimpleUploadedFile:
    data = io.BytesIO()
    PILImage.new("RGB", (width, height), colour).save(data, "PNG")
    return SimpleUploadedFile("drawing.png", data.getvalue(), content_type="image/png")


def library_image(**fields) -> Image:
    values = {
        "title": "Calf stretch", "alt_text": "A person stretching a calf against a wall.",
        "credit": "Illustration: Health Encyclopedia", "licence": Image.Licence.CC0, **fields,
    }  # fmt: skip
    return create_image(upload=png(), uploaded_by=None, **values)


def reference(image: Image, alt: str = "") -> str:
    return f"![{alt}](image:{image.uuid})"


def page(client, article: Article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def calf():
    return library_image()


class TestReadersSeeAResponsiveFigureWithItsCredit:
    def test_an_image_on_a_line_of_its_own_becomes_a_picture_with_sources_sizes_and_credit(self, client, calf):
        article = make_article(body=f"## Treatment\n\nStretch.\n\n{reference(calf)}\n\nMore text.")
        html = page(client, article)
        figure = re.search(r"<figure class=\"figure\">.*?</figure>", html, re.S)[0]
        assert '<source type="image/avif" srcset="/media/' in figure and '<source type="image/webp"' in figure
        assert re.search(r'<img src="/media/[^"]+" srcset="[^"]+ 64w" sizes="[^"]+" width="64" height="40"', figure)
        assert 'alt="A person stretching a calf against a wall."' in figure and 'decoding="async"' in figure
        assert "Illustration: Health Encyclopedia" in figure
        assert '<a href="https://creativecommons.org/publicdomain/zero/1.0/" rel="license">CC0 1.0</a>' in figure

    def test_the_first_image_near_the_top_loads_at_once_and_later_ones_lazily(self, client, calf):
        other = library_image(title="Second")
        article = make_article(body=f"{reference(calf)}\n\n## Causes\n\nText.\n\n## Later\n\n{reference(other)}")
        images = re.findall(r"<img [^>]*>", page(client, article).split('class="article__body"')[1])
        assert len(images) == 2 and 'loading="lazy"' not in images[0] and 'loading="lazy"' in images[1]

    def test_a_per_use_alt_text_replaces_the_librarys_and_a_decorative_image_has_an_empty_one(self, client, calf):
        flourish = library_image(title="Flourish", alt_text="", decorative=True)
        article = make_article(body=f"{reference(calf, 'The stretch, seen from the side')}\n\n{reference(flourish)}")
        html = page(client, article)
        assert 'alt="The stretch, seen from the side"' in html and 'alt=""' in html

    def test_a_diagrams_long_description_is_under_a_disclosure(self, client):
        diagram = library_image(kind=Image.Kind.DIAGRAM, long_description="Two curves: the healthy one rises fast.")
        html = page(client, make_article(body=reference(diagram)))
        assert re.search(r"<details class=\"figure__description\">\s*<summary>What the diagram shows</summary>", html)
        assert "Two curves: the healthy one rises fast." in html

    def test_an_image_not_in_the_library_shows_nothing_to_readers(self, client):
        article = make_article(body="Before.\n\n![gone](image:00000000-0000-4000-8000-000000000000)\n\nAfter.")
        html = page(client, article)
        assert "<figure" not in html and "00000000-0000" not in html and "After." in html

    def test_addresses_typed_by_editors_never_reach_an_img(self, client, calf):
        body = (
            '![x](https://evil.example/x.png)\n\n<img src="https://evil.example/y.png">\n\n'
            f'<figure data-image="{calf.uuid}"><img src="https://evil.example/z.png"></figure>\n\n'
            '<picture><source srcset="https://evil.example/w.avif"></picture>'
        )
        html = page(client, make_article(body=body))
        assert "evil.example" not in html

    def test_the_related_articles_card_shows_the_first_image_as_a_thumbnail(self, client, calf):
        article = make_article(title="Dehydration")
        article.related.add(make_article(title="Leg cramps", body=reference(calf)))
        card = re.search(r'<li class="related__card">.*?</li>', page(client, article), re.S)[0]
        assert '<img src="/media/' in card and 'alt=""' in card and "Leg cramps" in card


class TestEverywhereTheArticleGoes:
    def test_the_head_has_og_image_with_its_size_and_alt(self, client, calf):
        html = page(client, make_article(body=reference(calf)))
        assert re.search(r'<meta property="og:image" content="http://testserver/media/[^"]+\.png">', html)
        assert '<meta property="og:image:width" content="64">' in html  # a small image is not enlarged
        assert '<meta property="og:image:alt" content="A person stretching a calf against a wall.">' in html

    def test_json_ld_has_an_image_object_with_licence_and_credit(self, client):
        image = library_image(creator="Ana Author", credit="Ana Author / CC BY 4.0", licence=Image.Licence.CC_BY,
                              source_url="https://example.org/calf")  # fmt: skip
        html = page(client, make_article(body=reference(image)))
        data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1])
        image_object = data[0]["image"][0]
        assert image_object["@type"] == "ImageObject"
        assert image_object["license"] == "https://creativecommons.org/licenses/by/4.0/"
        assert image_object["acquireLicensePage"] == "https://example.org/calf"
        assert image_object["creditText"] == "Ana Author / CC BY 4.0"
        assert image_object["creator"] == {"@type": "Person", "name": "Ana Author"}
        assert image_object["copyrightNotice"] == "Ana Author / CC BY 4.0 – CC BY 4.0"

    def test_the_api_lists_images_with_alt_credit_and_renditions(self, client, calf):
        article = make_article(slug="cramps", body=reference(calf))
        data = client.get(reverse("api:article", args=[article.kind_enum, "cramps"])).json()
        [image] = data["images"]
        assert image["uuid"] == str(calf.uuid) and image["alt_text"] == calf.alt_text
        assert image["credit"] == "Illustration: Health Encyclopedia" and image["licence"]["code"] == "cc0"
        formats = {(r["spec"], r["format"]) for r in image["renditions"]}
        assert {("w480", "avif"), ("w480", "webp"), ("og", "png"), ("thumb", "avif")} <= formats
        assert all(r["url"].startswith("http://testserver/media/") for r in image["renditions"])
        assert 'srcset="http://testserver/media/' in data["body_html"]

    def test_a_cached_page_expires_when_its_image_changes(self, client, calf):
        article = make_article(body=reference(calf))
        assert client.get(article.get_absolute_url())["X-Page-Cache"] == "miss"
        assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"
        calf.title = "Renamed in the library"
        calf.save()
        assert client.get(article.get_absolute_url())["X-Page-Cache"] == "miss"

    def test_query_count_does_not_grow_with_the_number_of_images(self, client, django_assert_num_queries):
        images = [library_image(title=f"Image {number}") for number in range(6)]
        article = make_article(slug="subject", body=reference(images[0]))
        one = queries_for(client, "/symptoms/subject/")
        article.body = "\n\n".join(reference(image) for image in images)
        article.save()
        assert queries_for(client, "/symptoms/subject/") == one == ARTICLE_PAGE_QUERIES + 2  # images, renditions
        assert client.get("/symptoms/subject/").content.decode().count('<figure class="figure">') == 6
        with django_assert_num_queries(0):
            assert client.get("/symptoms/subject/")["X-Page-Cache"] == "hit"


class TestArticleImagesFollowTheText:
    def test_the_rows_follow_the_body_and_faq_answers_in_order(self, calf):
        second = library_image(title="Second")
        article = make_article(body=reference(calf), faqs=(("How?", reference(second)),))
        assert list(article.images.values_list("image__title", "position")) == [("Calf stretch", 0), ("Second", 1)]
        article.faqs.all().delete()
        article.body = "No pictures now."
        article.save()
        assert not ArticleImage.objects.exists()

    def test_an_image_an_article_shows_cannot_be_deleted(self, calf):
        make_article(body=reference(calf))
        with pytest.raises(ProtectedError):
            calf.delete()


class TestReviewedImagesAreFrozen:
    def test_what_readers_see_of_an_image_cannot_change_under_a_published_article(self, calf):
        make_article(title="Leg cramps", body=reference(calf))
        calf.alt_text = "Something else"
        with pytest.raises(ValidationError, match="“Leg cramps”.*alternative text"):
            calf.full_clean()

    def test_the_media_library_refuses_the_change_and_says_what_to_do(self, superuser_client, calf):
        make_article(title="Leg cramps", body=reference(calf))
        url = reverse("admin:encyclopedia_image_change", args=[calf.pk])
        data = {name: getattr(calf, name) or "" for name in ("title", "kind", "alt_text", "caption", "credit",
                                                              "licence", "focal_x", "focal_y")}  # fmt: skip
        response = superuser_client.post(url, {**data, "alt_text": "Changed under the review"})
        assert response.status_code == 200
        assert "Upload or duplicate a new image instead" in response.content.decode()
        calf.refresh_from_db()
        assert calf.alt_text == "A person stretching a calf against a wall."

    def test_an_image_only_drafts_show_may_still_change_and_its_library_name_always(self, calf):
        article = make_article(status=Status.DRAFT, body=reference(calf))
        calf.alt_text = "A better description."
        calf.full_clean()
        calf.save()
        article.status = Status.PUBLISHED
        article.save()
        calf.title = "Library name only editors see"
        calf.full_clean()


class TestTheGate:
    def test_the_form_refuses_a_reference_the_library_does_not_have(self, writer):
        article = make_article(status=Status.DRAFT)
        written = "![x](image:00000000-0000-4000-8000-000000000000)"
        response = client_for(writer).post(
            reverse("admin:encyclopedia_article_change", args=[article.pk]), change_form_data(article, body=written)
        )
        assert response.status_code == 200
        assert f"{written}: the media library has no image with this id." in response.content.decode()

    def test_a_faq_answer_with_an_address_from_elsewhere_is_refused(self, writer):
        article = make_article(status=Status.DRAFT)
        data = change_form_data(article, **{
            "faqs-TOTAL_FORMS": "1", "faqs-0-position": "1", "faqs-0-question": "What does it look like?",
            "faqs-0-answer": "![a rash](https://example.org/rash.jpg)",
        })  # fmt: skip
        response = client_for(writer).post(reverse("admin:encyclopedia_article_change", args=[article.pk]), data)
        assert "only images from the media library can be shown (image:&lt;id&gt;)" in response.content.decode()
        assert not article.faqs.exists()

    def test_an_image_inline_in_a_sentence_is_refused_with_where_to_put_it(self, calf):
        problems = article_images.reference_problems([f"Look: {reference(calf)} here."])
        assert problems == [f"{reference(calf)}: put the image on a line of its own."]

    def test_submitting_is_refused_until_the_image_has_alt_text_and_a_credit(self, writer):
        dropped = library_image(title="IMG_0042.jpg", alt_text=article_images.ALT_TEXT_TO_WRITE, credit="")
        article = make_article(status=Status.DRAFT, body=reference(dropped))
        with pytest.raises(ValidationError, match="“IMG_0042.jpg” needs alternative text and a credit"):
            workflow.article_submit_for_review(article=article, by=writer)
        response = client_for(writer).post(
            reverse("admin:encyclopedia_article_change", args=[article.pk]),
            change_form_data(article, transition="submit"),
        )
        assert "needs alternative text and a credit in the media library" in response.content.decode()
        form = client_for(writer).get(reverse("admin:encyclopedia_article_change", args=[article.pk])).content.decode()
        assert "“IMG_0042.jpg”: “IMG_0042.jpg” needs alternative text and a credit" in form

    def test_approval_is_refused_for_a_clinical_photograph_without_consent_naming_it(self, reviewer):
        photo = library_image(title="Rash on the forearm", kind=Image.Kind.CLINICAL_PHOTOGRAPH)
        article = make_article(status=Status.IN_REVIEW, body=reference(photo))
        with pytest.raises(ValidationError, match="“Rash on the forearm” is a clinical photograph without"):
            workflow.article_approve_and_publish(article=article, by=reviewer)
        assert Article.objects.get(pk=article.pk).status == Status.IN_REVIEW

    def test_approval_is_refused_for_an_image_whose_licence_ended(self, reviewer):
        image = library_image(
            title="Borrowed", licence=Image.Licence.PERMISSION, licence_expires=datetime.date(2020, 1, 1)
        )
        article = make_article(status=Status.IN_REVIEW, body=reference(image))
        with pytest.raises(ValidationError, match="The licence of “Borrowed” ended on 01 January 2020"):
            workflow.article_approve_and_publish(article=article, by=reviewer)


UPLOAD_URL = "/admin/markdown-upload/"


class TestDroppingAFileOnTheEditor:
    @pytest.fixture
    def uploader(self, writer):
        writer.user_permissions.add(Permission.objects.get(codename="add_image"))
        return client_for(writer)

    def test_the_file_joins_the_library_and_the_editor_gets_its_reference(self, uploader, writer):
        response = uploader.post(UPLOAD_URL, {"image": png()}, headers={"x-requested-with": "XMLHttpRequest"})
        assert response.status_code == 200
        image = Image.objects.get()
        assert response.json()["image_code"] == f"![](image:{image.uuid})"
        assert image.uploaded_by == writer and image.renditions.exists()

    def test_a_file_that_is_not_an_image_is_refused_with_the_reason(self, uploader):
        response = uploader.post(UPLOAD_URL, {"image": SimpleUploadedFile("notes.png", b"just text, not a picture")})
        assert response.status_code == 400 and response.json()["error"]
        assert not Image.objects.exists()

    def test_anonymous_visitors_and_staff_without_the_permission_upload_nothing(self, client, triager):
        assert client.post(UPLOAD_URL, {"image": png()}).status_code in (302, 403)
        assert client_for(triager).post(UPLOAD_URL, {"image": png()}).status_code == 403
        assert not Image.objects.exists()

    def test_the_upload_needs_the_csrf_token(self, writer):
        writer.user_permissions.add(Permission.objects.get(codename="add_image"))
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(writer)
        assert browser.post(UPLOAD_URL, {"image": png()}).status_code == 403

    def test_the_live_preview_shows_the_image_and_names_a_missing_one(self, superuser_client, calf):
        content = f"{reference(calf)}\n\n![](image:00000000-0000-4000-8000-000000000000)"
        html = superuser_client.post("/admin/markdown-preview/", {"content": content}).content.decode()
        assert '<source type="image/avif"' in html
        assert "the media library has no image 00000000-0000-4000-8000-000000000000" in html


def test_an_editor_drops_a_photo_describes_it_and_after_approval_readers_see_it_with_its_credit(client, writer):
    """The issue's "done when", through the same endpoints and transitions the admin uses."""
    reviewer = person(type(writer), "rita", "Medical reviewer")
    writer.user_permissions.add(Permission.objects.get(codename="add_image"))
    uploaded = client_for(writer).post(UPLOAD_URL, {"image": png(1200, 800)}).json()
    article = make_article(status=Status.DRAFT, slug="calf", body=f"## Stretching\n\n{uploaded['image_code']}")
    with pytest.raises(ValidationError):
        workflow.article_submit_for_review(article=article, by=writer)
    image = Image.objects.get()
    image.alt_text, image.credit, image.licence = "A calf stretch.", "Photo: Ana Author", Image.Licence.CC_BY
    image.full_clean()
    image.save()
    workflow.article_submit_for_review(article=article, by=writer)
    workflow.article_approve_and_publish(article=article, by=reviewer)
    html = page(client, article)
    assert re.search(r'srcset="/media/\S+ 480w, /media/\S+ 960w, /media/\S+ 1200w"', html)
    assert 'alt="A calf stretch."' in html and "Photo: Ana Author" in html and ">CC BY 4.0</a>" in html


def test_export_then_import_into_an_empty_library_reproduces_the_files_exactly(tmp_path, calf, superuser):
    diagram = library_image(title="Diagram", kind=Image.Kind.DIAGRAM, long_description="Two curves.",
                            licence_expires=datetime.date(2030, 5, 1), focal_x=0.25)  # fmt: skip
    make_article(slug="with-images", body=f"{reference(calf)}\n\n{reference(diagram, 'Per-use text')}")

    def exported(name: str) -> dict:
        call_command("export_articles", tmp_path / name, stdout=io.StringIO())
        return {p.relative_to(tmp_path / name): p.read_bytes() for p in (tmp_path / name).rglob("*") if p.is_file()}

    first = exported("first")
    assert sorted(str(path) for path in first if path.parts[0] == "images") == sorted(
        [
            f"images/{calf.uuid}.png",
            f"images/{calf.uuid}.yaml",
            f"images/{diagram.uuid}.png",
            f"images/{diagram.uuid}.yaml",
        ]
    )
    Article.objects.all().delete()
    Image.objects.all().delete()
    call_command("import_articles", tmp_path / "first", "--by", superuser.username, stdout=io.StringIO())
    assert exported("second") == first
    assert Image.objects.get(uuid=diagram.uuid).licence_expires == datetime.date(2030, 5, 1)


def test_the_demo_articles_show_six_images_the_project_drew_with_alt_text_credit_and_licence():
    from encyclopedia.content_files import read_image_files
    from encyclopedia.management.commands.load_demo_content import DEMO_CONTENT_DIR

    images = read_image_files(DEMO_CONTENT_DIR)
    assert len(images) >= 6
    for image in images:
        assert image.values["alt_text"] and image.values["licence"] == "cc0"
        assert image.values["credit"] == "Illustration: Health Encyclopedia" and image.file.suffix == ".png"
    calf = next(image for image in images if image.values["title"] == "Calf stretch against a wall")
    assert f"![](image:{calf.values['uuid']})" in (DEMO_CONTENT_DIR / "symptom" / "leg-cramps.md").read_text()


@pytest.mark.s3
@pytest.mark.usefixtures("bucket")
def test_the_same_flow_with_media_on_the_s3_compatible_server(client, writer, reviewer):
    """`bash scripts/test` runs this against SeaweedFS (MEDIA_STORAGE_URL); readers' browsers fetch the AVIF
    sources of the approved article's figure from the media origin."""
    uploaded = client_for(writer).post(UPLOAD_URL, {"image": png(1000, 600)}).json()
    image = Image.objects.get()
    image.alt_text, image.credit = "A calf stretch.", "Photo: Ana Author"
    image.save()
    article = make_article(status=Status.DRAFT, slug="calf", body=uploaded["image_code"])
    workflow.article_submit_for_review(article=article, by=writer)
    workflow.article_approve_and_publish(article=article, by=reviewer)
    html = page(client, article)
    avif = re.search(r'<source type="image/avif" srcset="(\S+) 480w', html)[1]
    assert avif.startswith(settings.MEDIA_URL)
    status, headers, body = fetch(avif)
    assert status == 200 and headers["Content-Type"] == "image/avif" and body
