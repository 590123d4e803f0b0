"""Safe uploads (issue 18, point 5): every file is decoded and written anew by Pillow; each hostile or
broken file is refused with a message naming its problem; nothing of the uploaded bytes but the
pixels is ever stored. And the renditions made at upload (point 4)."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image as PILImage

from encyclopedia.images import create_image, image_sources, make_renditions
from encyclopedia.models import Image, Rendition

from .image_files import (
    CAMERA,
    decompression_bomb,
    encode,
    jpeg_with_metadata,
    photo,
    png_chunk,
    png_claiming,
    upload,
)

# Pillow, files, permissions and headers: nothing here differs between database engines.
pytestmark = [pytest.mark.django_db, pytest.mark.engine_independent]

METADATA = {"title": "Calf stretch", "alt_text": "A person leaning on a wall, one leg stretched behind."}


def refusal(data: bytes, name: str = "photo.jpg") -> str:
    with pytest.raises(ValidationError) as refused:
        create_image(upload=upload(data, name), uploaded_by=None, **METADATA)
    assert not Image.objects.exists() and not Rendition.objects.exists()
    return " ".join(refused.value.message_dict["file"])


def stored_bytes(field) -> bytes:
    with field.open("rb") as stored:
        return stored.read()


def test_an_empty_file_is_refused():
    assert "The file is empty" in refusal(b"")


def test_a_file_over_the_byte_limit_is_refused_with_both_sizes(settings):
    settings.IMAGE_MAX_UPLOAD_BYTES = 2_000
    data = jpeg_with_metadata()
    assert len(data) > 2_000
    assert f"The file is {len(data) / 1000:.0f} KB; the limit is 2 KB" in refusal(data)


def test_a_60000_by_60000_png_is_refused_for_its_pixels_before_any_decoding():
    message = refusal(png_claiming(60_000, 60_000), "huge.png")
    assert "megapixels" in message and "limit" in message


def test_a_decompression_bomb_is_refused_with_its_size():
    data = decompression_bomb()
    assert len(data) < 20_000
    assert "8,000 × 8,000 pixels (64.0 megapixels); the limit is 40 megapixels" in refusal(data, "bomb.png")


@pytest.mark.parametrize(
    "hidden",
    [
        pytest.param("after", id="html-after-the-image"),
        pytest.param("comment", id="script-in-a-jpeg-comment"),
        pytest.param("zip", id="zip-after-the-image"),
    ],
)
def test_a_polyglot_file_is_refused(hidden):
    image = encode(photo(), "PNG")
    if hidden == "after":
        data, name = image + b"<html><script>alert(document.cookie)</script></html>", "photo.png"
    elif hidden == "zip":
        data, name = image + b"PK\x03\x04" + b"\x00" * 40, "photo.png"
    else:
        jpeg = encode(photo())
        comment = b"<script>alert(1)</script>"
        segment = b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment
        data, name = jpeg[:2] + segment + jpeg[2:], "photo.jpg"
    assert "holds something besides the image" in refusal(data, name)


def test_a_jpeg_named_png_is_refused_naming_both():
    message = refusal(encode(photo()), "photo.png")
    assert "named “.png” but holds a JPEG image" in message


def test_a_file_without_an_extension_is_refused():
    assert "has no extension but holds a JPEG image" in refusal(encode(photo()), "photo")


def test_a_truncated_file_is_refused():
    data = encode(photo(300, 200))
    assert "damaged or incomplete" in refusal(data[: len(data) // 2])


def test_a_truncated_png_is_refused():
    data = encode(photo(300, 200), "PNG")
    assert "damaged or incomplete" in refusal(data[:-40], "photo.png")


def test_a_png_with_a_broken_checksum_is_refused():
    data = bytearray(encode(photo(), "PNG"))
    data[50] ^= 0xFF  # inside the first data chunk: its CRC no longer matches
    assert "damaged or incomplete" in refusal(bytes(data), "photo.png")


def test_svg_is_refused_as_a_possible_script():
    svg = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert "SVG images are not accepted" in refusal(svg, "diagram.svg")


@pytest.mark.parametrize("image_format,name", [("GIF", "a.gif"), ("BMP", "a.bmp"), ("TIFF", "a.tiff")])
def test_other_raster_formats_are_refused_by_what_they_hold(image_format, name):
    assert f"{image_format} images are not accepted" in refusal(encode(photo(), image_format), name)


def test_a_file_that_is_no_image_is_refused():
    assert "not an image we can read" in refusal(b"MZ\x90\x00 this is a program", "photo.jpg")


def test_metadata_is_stripped_from_the_stored_file_and_every_rendition():
    image = create_image(upload=upload(jpeg_with_metadata(640, 400)), uploaded_by=None, **METADATA)
    files = [image.file, *(rendition.file for rendition in image.renditions.all())]
    assert len(files) > 5
    for field in files:
        data = stored_bytes(field)
        for trace in (b"Exif", CAMERA.encode(), b"GPS", b"xmpmeta", b"patient-name", b"ICC_PROFILE", b"iCCP"):
            assert trace not in data, f"{trace!r} in {field.name}"
        decoded = PILImage.open(io.BytesIO(data))
        assert not decoded.getexif() and "icc_profile" not in decoded.info and "xmp" not in decoded.info


def test_the_photo_is_turned_upright_before_its_orientation_is_dropped():
    # Orientation 6: the camera was turned; the 120 × 80 pixels are shown 80 wide and 120 high.
    image = create_image(upload=upload(jpeg_with_metadata(120, 80, orientation=6)), uploaded_by=None, **METADATA)
    assert (image.width, image.height) == (80, 120)
    assert PILImage.open(io.BytesIO(stored_bytes(image.file))).size == (80, 120)


def test_stored_files_get_random_names_that_say_nothing_of_the_upload():
    first = create_image(upload=upload(encode(photo()), "jane-roe-rash.jpg"), uploaded_by=None, **METADATA)
    second = create_image(upload=upload(encode(photo()), "jane-roe-rash.jpg"), uploaded_by=None, **METADATA)
    names = [first.file.name, second.file.name, *first.renditions.values_list("file", flat=True)]
    assert not any("jane" in name for name in names)
    assert len(set(names)) == len(names)
    assert first.file.name.startswith("images/") and len(first.file.name.split("/")[-1]) == 32 + 4


def test_photographs_are_stored_as_jpeg_and_drawings_with_transparency_as_png():
    photograph = create_image(upload=upload(encode(photo(), "WEBP"), "a.webp"), uploaded_by=None, **METADATA)
    drawing = PILImage.new("RGBA", (100, 60), (0, 0, 0, 0))
    drawing.paste((200, 30, 30, 255), (10, 10, 50, 50))
    diagram = create_image(upload=upload(encode(drawing, "PNG"), "a.png"), uploaded_by=None, **METADATA)
    assert photograph.file.name.endswith(".jpg") and diagram.file.name.endswith(".png")
    assert PILImage.open(io.BytesIO(stored_bytes(diagram.file))).mode == "RGBA"


def test_an_avif_upload_is_accepted():
    image = create_image(upload=upload(encode(photo(), "AVIF"), "a.avif"), uploaded_by=None, **METADATA)
    assert (image.width, image.height) == (120, 80)


def test_alt_text_is_required_unless_the_image_is_decorative():
    with pytest.raises(ValidationError) as refused:
        create_image(upload=upload(encode(photo())), uploaded_by=None, title="Wave")
    assert "alt_text" in refused.value.message_dict or "__all__" in refused.value.message_dict
    assert not Image.objects.exists()
    image = create_image(upload=upload(encode(photo())), uploaded_by=None, title="Wave", decorative=True)
    assert image.alt_text == ""


def test_renditions_in_three_formats_at_each_width_never_larger_than_the_upload():
    image = create_image(upload=upload(encode(photo(700, 350))), uploaded_by=None, **METADATA)
    made = {
        (rendition.spec, rendition.format): (rendition.width, rendition.height) for rendition in image.renditions.all()
    }
    assert made[("w480", "avif")] == made[("w480", "webp")] == made[("w480", "jpeg")] == (480, 240)
    # 700 wide: the 960 spec is the upload's own width, and no 1600 is made.
    assert made[("w960", "jpeg")] == (700, 350)
    assert not any(spec == "w1600" for spec, _ in made)
    # Open Graph keeps its 1200 × 630 shape at the size the upload allows; it is never AVIF or WebP.
    assert made[("og", "jpeg")] == (667, 350) and ("og", "avif") not in made
    assert made[("thumb", "avif")] == (400, 300)
    for rendition in image.renditions.all():
        assert PILImage.open(io.BytesIO(stored_bytes(rendition.file))).format == rendition.format.upper()


def test_crops_centre_on_the_focal_point():
    # Red on the left third, blue elsewhere; the focal point is in the red.
    picture = PILImage.new("RGB", (900, 450), (0, 0, 255))
    picture.paste((255, 0, 0), (0, 0, 300, 450))
    image = create_image(upload=upload(encode(picture, "PNG"), "a.png"), uploaded_by=None, focal_x=0.1, **METADATA)
    thumb = image.renditions.get(spec="thumb", format="png")
    red, green, blue = PILImage.open(io.BytesIO(stored_bytes(thumb.file))).convert("RGB").getpixel((50, 150))
    assert red > 200 and blue < 50
    image.focal_x = 0.9
    image.save()
    make_renditions(image)
    thumb = image.renditions.get(spec="thumb", format="png")
    red, green, blue = PILImage.open(io.BytesIO(stored_bytes(thumb.file))).convert("RGB").getpixel((50, 150))
    assert blue > 200 and red < 50
    assert image.renditions.count() == len({(r.spec, r.format) for r in image.renditions.all()})


def test_image_sources_lists_srcsets_from_stored_renditions_without_opening_any_file(django_assert_num_queries):
    image = create_image(upload=upload(encode(photo(1000, 500))), uploaded_by=None, **METADATA)
    image = Image.objects.prefetch_related("renditions").get(pk=image.pk)
    with django_assert_num_queries(0):
        sources = image_sources(image, list(image.renditions.all()))
    assert [source["type"] for source in sources["sources"]] == ["image/avif", "image/webp"]
    # 480 and 960 wide, and the upload's own 1000 in place of 1600.
    assert [entry.split()[-1] for entry in sources["sources"][0]["srcset"].split(", ")] == ["480w", "960w", "1000w"]
    assert (sources["width"], sources["height"]) == (1000, 500)
    assert sources["fallback_url"].endswith(".jpg") and sources["fallback_type"] == "image/jpeg"
    assert sources["og"]["width"] == 952 and sources["og"]["height"] == 500
    assert sources["thumb"]["url"].startswith("/media/images/r/")


def test_an_unusual_png_chunk_does_not_smuggle_text_through():
    # A text chunk (tEXt) holding a name: a valid PNG whose metadata must not survive.
    data = encode(photo(), "PNG")
    data = data[:33] + png_chunk(b"tEXt", b"Comment\x00patient-name-Jane-Roe") + data[33:]
    image = create_image(upload=upload(data, "a.png"), uploaded_by=None, **METADATA)
    assert b"patient-name" not in stored_bytes(image.file)
