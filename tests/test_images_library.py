"""The media library in the admin (issue 18, points 1 and 2): upload, search, filter by kind, reuse,
where used; the metadata a medical publisher needs; who may upload (nobody anonymous)."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from encyclopedia.images import create_image
from encyclopedia.models import Image, ImageKind, Kind, Licence, SkinTone

from .conftest import make_article
from .image_files import encode, jpeg_with_metadata, photo, upload

# Pillow, files, permissions and headers: nothing here differs between database engines.
pytestmark = [pytest.mark.django_db, pytest.mark.engine_independent]

ADD = reverse("admin:encyclopedia_image_add")
LIST = reverse("admin:encyclopedia_image_changelist")
COVERAGE = reverse("admin:encyclopedia_image_coverage")


def form(**fields) -> dict:
    return {
        "title": "Calf stretch", "kind": ImageKind.ILLUSTRATION, "alt_text": "A person leaning on a wall.",
        "licence": Licence.CC0, "focal_x": "0.5", "focal_y": "0.5", "credit": "Health Encyclopedia",
        **fields,
    }  # fmt: skip


def library_image(**metadata) -> Image:
    fields = {"title": "Rash", "alt_text": "A rash.", "kind": ImageKind.ILLUSTRATION, **metadata}
    return create_image(upload=upload(encode(photo(60, 40))), uploaded_by=None, **fields)


def test_an_editor_uploads_an_image_with_its_metadata(writer_client, writer):
    response = writer_client.post(ADD, {**form(), "upload": upload(jpeg_with_metadata(200, 100))})
    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.title, image.uploaded_by, image.width, image.height) == ("Calf stretch", writer, 200, 100)
    assert image.renditions.filter(spec="w480", format="avif").exists()
    page = writer_client.get(reverse("admin:encyclopedia_image_change", args=[image.pk])).content.decode()
    assert f"![A person leaning on a wall.](image:{image.uuid})" in page
    assert '<picture><source type="image/avif"' in page


def test_a_refused_file_is_named_on_the_form_and_nothing_is_stored(writer_client):
    response = writer_client.post(ADD, {**form(), "upload": upload(b"<svg><script>alert(1)</script></svg>", "a.svg")})
    assert response.status_code == 200
    assert "SVG images are not accepted" in response.content.decode()
    assert not Image.objects.exists()


def test_alt_text_is_required_unless_decorative_on_the_form(writer_client):
    response = writer_client.post(ADD, {**form(alt_text=""), "upload": upload(encode(photo()))})
    assert "Say what the image shows, or tick “decorative”" in response.content.decode()
    assert not Image.objects.exists()
    response = writer_client.post(ADD, {**form(alt_text="", decorative="on"), "upload": upload(encode(photo()))})
    assert response.status_code == 302 and Image.objects.get().decorative


def test_consent_cannot_be_dated_in_the_future(writer_client):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = writer_client.post(
        ADD, {**form(consent_recorded_at=tomorrow.isoformat()), "upload": upload(encode(photo()))}
    )
    assert "Consent cannot have been given in the future." in response.content.decode()


def test_anonymous_visitors_can_upload_nothing(client):
    response = client.post(ADD, {**form(), "upload": upload(encode(photo()))})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.get(LIST).status_code == 302
    assert not Image.objects.exists()


def test_staff_without_a_library_role_can_upload_nothing(triager_client):
    assert triager_client.post(ADD, {**form(), "upload": upload(encode(photo()))}).status_code == 403
    assert triager_client.get(COVERAGE).status_code == 403
    assert not Image.objects.exists()


def test_editors_upload_and_edit_but_only_reviewers_delete():
    editor, reviewer = Group.objects.get(name="Editor"), Group.objects.get(name="Medical reviewer")
    writing = {"add_image", "change_image", "view_image"}
    assert writing <= set(editor.permissions.values_list("codename", flat=True))
    assert "delete_image" not in set(editor.permissions.values_list("codename", flat=True))
    assert writing | {"delete_image"} <= set(reviewer.permissions.values_list("codename", flat=True))


def test_the_library_is_searched_and_filtered_by_kind_with_a_fixed_number_of_queries(
    writer_client, django_assert_max_num_queries
):
    library_image(title="Calf stretch", alt_text="Stretching the calf.")
    library_image(title="Appendix", kind=ImageKind.DIAGRAM, alt_text="Where the appendix is.")
    library_image(title="Eczema on the arm", kind=ImageKind.CLINICAL_PHOTOGRAPH, alt_text="Dry patches.")
    found = writer_client.get(LIST, {"q": "appendix"}).content.decode()
    assert "Appendix" in found and "Calf stretch" not in found
    found = writer_client.get(LIST, {"kind__exact": ImageKind.CLINICAL_PHOTOGRAPH}).content.decode()
    assert "Eczema on the arm" in found and "Appendix" not in found
    assert 'class="image-thumbnail"' in found
    for _ in range(5):
        library_image()
    with django_assert_max_num_queries(20) as few:
        writer_client.get(LIST)
    library_image()
    with django_assert_max_num_queries(len(few)):
        writer_client.get(LIST)


def test_the_list_warns_of_licences_ending_soon_and_ended(writer_client):
    today = timezone.localdate()
    library_image(title="Ends soon", licence=Licence.PERMISSION, licence_expires=today + datetime.timedelta(days=10))
    library_image(title="Ended", licence=Licence.PERMISSION, licence_expires=today - datetime.timedelta(days=1))
    library_image(title="Far off", licence=Licence.PERMISSION, licence_expires=today + datetime.timedelta(days=400))
    page = writer_client.get(LIST).content.decode()
    assert "ends in 10 days" in page and "ended on" in page
    assert "Licences ending within 30 days or ended: “Ended”" in page and "“Ends soon”" in page
    assert "“Far off”" not in page.split("Licences ending")[1].split("</li>")[0]
    filtered = writer_client.get(LIST, {"licence_ends": "soon"}).content.decode()
    assert "Far off" not in filtered.split('id="result_list"')[1] and "Ended" in filtered


def test_a_clinical_photograph_without_consent_is_not_publishable():
    photo_ = library_image(kind=ImageKind.CLINICAL_PHOTOGRAPH, title="Eczema")
    assert photo_.is_publishable() == [
        "“Eczema” is a clinical photograph without recorded consent (who, when and a reference)."
    ]
    photo_.consent_given_by, photo_.consent_recorded_at, photo_.consent_reference = (
        "The patient",
        timezone.localdate(),
        "C-17",
    )
    assert photo_.is_publishable() == []
    photo_.licence_expires = timezone.localdate() - datetime.timedelta(days=1)
    assert "licence of “Eczema” ended" in photo_.is_publishable()[0]


def test_a_clinical_photograph_uploaded_without_consent_is_flagged_on_saving_and_in_the_list(writer_client):
    fields = form(title="Eczema", kind=ImageKind.CLINICAL_PHOTOGRAPH)
    page = writer_client.post(ADD, {**fields, "upload": upload(encode(photo()))}, follow=True).content.decode()
    assert "“Eczema” is a clinical photograph without recorded consent" in page
    assert "No article showing it can be published until then." in page
    assert "<strong>Missing</strong>" in writer_client.get(LIST).content.decode()


def test_moving_the_focal_point_makes_the_crops_again(writer_client):
    image = library_image()
    old = set(image.renditions.values_list("file", flat=True))
    change = reverse("admin:encyclopedia_image_change", args=[image.pk])
    response = writer_client.post(change, form(title="Rash", alt_text="A rash.", focal_x="0.2"))
    assert response.status_code == 302
    assert not old & set(image.renditions.values_list("file", flat=True))


def test_a_reviewer_deletes_an_unused_image_and_its_files_go(reviewer_client, django_capture_on_commit_callbacks):
    image = library_image()
    names = [image.file.name, *image.renditions.values_list("file", flat=True)]
    storage = image.file.storage
    delete = reverse("admin:encyclopedia_image_delete", args=[image.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert reviewer_client.post(delete, {"post": "yes"}).status_code == 302
    assert not Image.objects.exists()
    assert not any(storage.exists(name) for name in names)


def test_skin_tone_scale_is_the_fixed_monk_scale():
    assert len(SkinTone.choices) == 10
    assert SkinTone.MST_1.label == "Monk 1 (lightest)" and SkinTone.MST_10.label == "Monk 10 (darkest)"


uses = pytest.mark.skipif(not hasattr(Image, "uses"), reason="images in articles (ArticleImage) are not in this build")


def use(article, image):
    from encyclopedia.models import ArticleImage  # imguse's model

    return ArticleImage.objects.create(article=article, image=image)


@uses
def test_the_change_page_lists_where_the_image_is_used(writer_client):
    image = library_image()
    use(make_article(title="Eczema", slug="eczema"), image)
    use(make_article(title="Psoriasis", slug="psoriasis"), image)
    page = writer_client.get(reverse("admin:encyclopedia_image_change", args=[image.pk])).content.decode()
    assert ">Eczema</a>" in page and ">Psoriasis</a>" in page
    assert "2 articles" in writer_client.get(LIST).content.decode()


@uses
def test_coverage_counts_each_conditions_clinical_photographs_per_skin_tone(writer_client):
    eczema = make_article(title="Eczema", slug="eczema", kind=Kind.CONDITION)
    for tone in (SkinTone.MST_2, SkinTone.MST_2, SkinTone.MST_9, ""):
        use(eczema, library_image(kind=ImageKind.CLINICAL_PHOTOGRAPH, skin_tone=tone))
    use(eczema, library_image(kind=ImageKind.DIAGRAM))  # not a photograph: not counted
    page = writer_client.get(COVERAGE).content.decode()
    row = page.split(">Eczema</a>")[1].split("</tr>")[0]
    assert row.count("<td>2</td>") == 1 and "<td>1</td>" in row and "2 of 10" in row


def test_the_coverage_page_loads_for_editors(writer_client):
    assert writer_client.get(COVERAGE).status_code == 200
