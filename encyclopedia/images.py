"""Images in, safely: the one way an uploaded file becomes a library Image, and the renditions readers get.

Pillow decodes every upload and writes new files from its pixels only, so nothing of the uploaded
bytes (metadata, a second file hidden inside, a script) is ever stored or served. Pillow rather than
Willow: Willow is a thin layer over Pillow (or Wand/OpenCV) made for Wagtail's pluggable backends; we
need one backend, and Pillow 12+ encodes AVIF and WebP natively and exposes what the checks below
read (the decoded format, the size before decoding, verify(), the encoder's speed).
"""

import io
import re
import secrets
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageCms, ImageOps, UnidentifiedImageError

from .models.images import Image, Rendition

# The decoded format decides, never the file name. Pillow's names, with the extensions that may carry each.
ACCEPTED_FORMATS = {"JPEG": ("jpg", "jpeg"), "PNG": ("png",), "WEBP": ("webp",), "AVIF": ("avif",)}
ACCEPTED_NAMES = "JPEG, PNG, WebP or AVIF"

# Widths offered in srcset; an image narrower than one gets that spec at its own width and no larger ones.
WIDTHS = {"w480": 480, "w960": 960, "w1600": 1600}
# Cropped around the focal point: Open Graph's recommended size, and the media list's and cards' thumbnail.
CROPS = {"og": (1200, 630), "thumb": (400, 300)}
MIME_TYPES = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png"}
EXTENSIONS = {"avif": "avif", "webp": "webp", "jpeg": "jpg", "png": "png"}

# Markup or a script inside an image file: the other half of a polyglot (an archive or a page after the
# image's end is caught by _image_end). Long enough that compressed pixels almost never hold one by
# chance: a shorter pattern ("<svg", "PK\x03\x04") would refuse about one large photo in a hundred.
_HIDDEN_CONTENT = re.compile(rb"<(script|html|iframe|\?php)[\s>]|<!doctype\s|javascript:", re.IGNORECASE)
_SVG_START = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*(<!doctype\s+svg[^>]*>\s*)?<svg", re.I | re.S)


def _refuse(message: str, code: str, **params) -> ValidationError:
    return ValidationError(message, code=code, params=params)


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size / 1000:.0f} KB"


def _read(upload) -> tuple[bytes, str]:
    """The upload's bytes and its file name, refusing empty and oversized files before reading more."""
    name = getattr(upload, "name", "") or ""
    limit = settings.IMAGE_MAX_UPLOAD_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _refuse(
            f"The file is {_megabytes(size)}; the limit is {_megabytes(limit)}. Export a smaller version.",
            "too_large",
        )
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1)
    if not data:
        raise _refuse("The file is empty (0 bytes): choose the image file again.", "empty")
    if len(data) > limit:
        raise _refuse(f"The file is larger than {_megabytes(limit)}, the limit. Export a smaller version.", "too_large")
    return data, name


def _image_end(data: bytes, image_format: str) -> int | None:
    """Where the image's own bytes end (None: the format does not say), to find bytes after it."""
    if image_format == "PNG":
        end = data.rfind(b"IEND")
        return end + 8 if end >= 0 else None  # the chunk type, then its 4-byte CRC
    if image_format == "JPEG":
        end = data.rfind(b"\xff\xd9")
        return end + 2 if end >= 0 else None
    if image_format == "WEBP" and data[:4] == b"RIFF":
        return 8 + int.from_bytes(data[4:8], "little")
    if image_format == "AVIF":  # ISO base media boxes, each starting with its 32-bit size, cover the file
        position = 0
        while position + 8 <= len(data):
            size = int.from_bytes(data[position : position + 4], "big")
            if size == 1:
                size = int.from_bytes(data[position + 8 : position + 16], "big")
            if size < 8:
                return None
            position += size
        return position
    return None


def _open(data: bytes, name: str) -> PILImage.Image:
    """The upload decoded, or a ValidationError naming what is wrong with it."""
    if _SVG_START.match(data[:4096]):
        raise _refuse(
            "SVG images are not accepted: they can hold scripts. Export the drawing as PNG (at least 1600 pixels wide).",
            "svg",
        )
    limit = settings.IMAGE_MAX_PIXELS
    try:
        with warnings.catch_warnings():
            # Pillow's own guard (above 89 megapixels) warns; ours, below, refuses with a message.
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            image = PILImage.open(io.BytesIO(data))
    except PILImage.DecompressionBombError:
        raise _refuse(
            f"The image has hundreds of megapixels (a decompression bomb?); the limit is {limit / 1e6:,.0f} megapixels.",
            "too_many_pixels",
        ) from None
    except (UnidentifiedImageError, OSError):
        raise _refuse(
            f"This file is not an image we can read: upload a {ACCEPTED_NAMES} file.", "not_an_image"
        ) from None
    if image.format not in ACCEPTED_FORMATS:
        raise _refuse(
            f"{image.format} images are not accepted: upload a {ACCEPTED_NAMES} file.", "format", format=image.format
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ACCEPTED_FORMATS[image.format]:
        named = f"is named “.{extension}”" if extension else "has no extension"
        raise _refuse(
            f"The file {named} but holds a {image.format} image: give it a matching extension "
            f"(.{ACCEPTED_FORMATS[image.format][0]}) or export it again.",
            "extension",
        )
    width, height = image.size
    if width * height > limit:
        raise _refuse(
            f"The image is {width:,} × {height:,} pixels ({width * height / 1e6:,.1f} megapixels); the limit is "
            f"{limit / 1e6:,.0f} megapixels. Export a smaller version.",
            "too_many_pixels",
        )
    end = _image_end(data, image.format)
    if (end is not None and data[end:].strip(b"\x00")) or _HIDDEN_CONTENT.search(data):
        raise _refuse(
            "The file holds something besides the image (data after its end, or markup or a script inside it). "
            "Open it in an image editor and export it again.",
            "polyglot",
        )
    try:
        image.verify()  # checksums and structure, without decoding
        image = PILImage.open(io.BytesIO(data))
        image.load()
    except PILImage.DecompressionBombError:
        raise _refuse("The image decodes to too many pixels (a decompression bomb).", "too_many_pixels") from None
    except (OSError, SyntaxError, ValueError):
        raise _refuse(
            "The file is damaged or incomplete (it may not have finished uploading): upload it again.", "truncated"
        ) from None
    return image


def _clean_pixels(image: PILImage.Image) -> PILImage.Image:
    """The pixels only, upright and in sRGB: a new image carries no EXIF, GPS, XMP or ICC profile."""
    image = ImageOps.exif_transpose(image)
    icc = image.info.get("icc_profile")
    if icc and image.mode in ("RGB", "RGBA"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if "srgb" not in (ImageCms.getProfileDescription(source) or "").lower():
                image = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=image.mode)
        except (ImageCms.PyCMSError, OSError):
            pass  # an unreadable profile: the pixels are shown as sRGB, as browsers would
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    mode = "RGBA" if has_alpha else ("L" if image.mode in ("1", "L", "I", "I;16", "F") else "RGB")
    image = image.convert(mode)
    clean = PILImage.new(mode, image.size)
    clean.paste(image)
    return clean


def _fallback_format(image: PILImage.Image) -> str:
    """PNG for transparency and flat drawings with few colours (sharper, smaller); JPEG for photographs."""
    if image.mode == "RGBA":
        return "png"
    sample = image.copy()
    sample.thumbnail((200, 200))
    return "png" if sample.getcolors(256) is not None else "jpeg"


def _encode(image: PILImage.Image, image_format: str) -> bytes:
    out = io.BytesIO()
    if image_format == "jpeg":
        image.save(out, "JPEG", quality=82, progressive=True, optimize=True)
    elif image_format == "png":
        image.save(out, "PNG", optimize=image.width * image.height <= 1_000_000)
    elif image_format == "webp":
        image.save(out, "WEBP", quality=78, method=4)
    elif image_format == "avif":
        image.save(out, "AVIF", quality=60, speed=settings.IMAGE_AVIF_SPEED)
    return out.getvalue()


def _random_name(extension: str) -> str:
    return f"{secrets.token_hex(16)}.{extension}"


def _crop(image: PILImage.Image, size: tuple[int, int], focal_x: float, focal_y: float) -> PILImage.Image:
    """`size` cut from the image around the focal point (as much of the image as that shape allows)."""
    target_w, target_h = size
    scale = max(target_w / image.width, target_h / image.height)
    if scale > 1:  # a small image is not enlarged: the crop keeps the shape at the image's own size
        crop_w, crop_h = (image.width, round(image.width * target_h / target_w))
        if crop_h > image.height:
            crop_w, crop_h = round(image.height * target_w / target_h), image.height
        target_w, target_h = crop_w, crop_h
    else:
        crop_w, crop_h = round(target_w / scale), round(target_h / scale)
    left = min(max(round(focal_x * image.width - crop_w / 2), 0), image.width - crop_w)
    top = min(max(round(focal_y * image.height - crop_h / 2), 0), image.height - crop_h)
    return _resize(image, (target_w, target_h), box=(left, top, left + crop_w, top + crop_h))


def _resize(image: PILImage.Image, size: tuple[int, int], box=None) -> PILImage.Image:
    # reducing_gap: a fast integer reduction first, then Lanczos on at least three times the target
    # size; indistinguishable from Lanczos all the way, and several times faster from 12 megapixels.
    return image.resize(size, PILImage.Resampling.LANCZOS, box=box, reducing_gap=3.0)


@dataclass
class _Made:
    spec: str
    format: str
    width: int
    height: int
    data: bytes


def _renditions_of(image: PILImage.Image, focal_x: float, focal_y: float) -> list[_Made]:
    fallback = _fallback_format(image)
    made = []
    for spec, width in WIDTHS.items():
        if width < image.width:
            resized = _resize(image, (width, round(image.height * width / image.width)))
        else:
            resized = image
        for image_format in ("avif", "webp", fallback):
            made.append(_Made(spec, image_format, *resized.size, _encode(resized, image_format)))
        if width >= image.width:
            break
    for spec, size in CROPS.items():
        cropped = _crop(image, size, focal_x, focal_y)
        # Link previews (og:image) are read by services that may not know AVIF or WebP.
        formats = (fallback,) if spec == "og" else ("avif", "webp", fallback)
        for image_format in formats:
            made.append(_Made(spec, image_format, *cropped.size, _encode(cropped, image_format)))
    return made


def _store_renditions(image: Image, made: list[_Made], written: list[str]) -> None:
    """Replaces the image's renditions; `written` collects the names stored, to remove them on failure."""
    old = Rendition.objects.filter(image=image)  # never a prefetched subset
    old_files = list(old.values_list("file", flat=True))
    old.delete()
    for one in made:
        rendition = Rendition(image=image, spec=one.spec, format=one.format, width=one.width, height=one.height)
        rendition.file.save(_random_name(EXTENSIONS[one.format]), ContentFile(one.data), save=False)
        written.append(rendition.file.name)
        rendition.save()
    storage = image.file.storage
    transaction.on_commit(lambda: _delete_files(old_files, storage))


def _delete_files(names: list[str], storage) -> None:
    for name in names:
        storage.delete(name)


@dataclass
class CheckedUpload:
    """An upload that passed every check: its pixels, upright, in sRGB, without metadata."""

    pixels: PILImage.Image


def check_upload(upload) -> CheckedUpload:
    """The upload decoded and cleaned, or a ValidationError whose message names the problem (for a form field)."""
    data, name = _read(upload)
    return CheckedUpload(_clean_pixels(_open(data, name)))


def create_image(*, upload, uploaded_by, **metadata) -> Image:
    """A library Image from an uploaded file (or a CheckedUpload), with all its renditions, or a
    ValidationError naming the problem with the file (field "file") or the metadata (the field's name)."""
    try:
        pixels = (upload if isinstance(upload, CheckedUpload) else check_upload(upload)).pixels
    except ValidationError as error:
        raise ValidationError({"file": error}) from None
    image_format = _fallback_format(pixels)
    image = Image(uploaded_by=uploaded_by, **metadata)
    image.width, image.height = pixels.size
    image.full_clean(exclude=["file"])
    # Encoded before the transaction, which then only writes (SQLite locks the database for its length).
    original = ContentFile(_encode(pixels, image_format))
    made = _renditions_of(pixels, image.focal_x, image.focal_y)
    written: list[str] = []
    try:
        with transaction.atomic():
            image.file.save(_random_name(EXTENSIONS[image_format]), original, save=False)
            written.append(image.file.name)
            image.save()
            _store_renditions(image, made, written)
    except BaseException:
        _delete_files(written, image.file.storage)  # nothing in the database names them
        raise
    return image


def make_renditions(image: Image) -> None:
    """Makes the image's renditions again from its stored file (after its focal point changed)."""
    with image.file.open("rb") as stored:
        pixels = PILImage.open(io.BytesIO(stored.read()))
        pixels.load()
    made = _renditions_of(pixels, image.focal_x, image.focal_y)
    written: list[str] = []
    try:
        with transaction.atomic():
            _store_renditions(image, made, written)
    except BaseException:
        _delete_files(written, image.file.storage)
        raise


def delete_image_files(image: Image) -> None:
    """Removes the image's files from storage once the database no longer lists them."""
    names = [image.file.name, *Rendition.objects.filter(image=image).values_list("file", flat=True)]
    storage = image.file.storage
    transaction.on_commit(lambda: _delete_files(names, storage))


def image_sources(image: Image, renditions: list[Rendition] | None = None) -> dict:
    """What a <picture> needs, from the stored renditions only (prefetch `renditions` for many images)."""
    if renditions is None:
        renditions = list(image.renditions.all())
    by_spec: dict[str, dict[str, Rendition]] = {}
    for rendition in renditions:
        by_spec.setdefault(rendition.spec, {})[rendition.format] = rendition
    widths = [spec for spec in WIDTHS if spec in by_spec]
    fallback_format = "png" if any("png" in by_spec[spec] for spec in widths) else "jpeg"
    sources = []
    for image_format in ("avif", "webp"):
        entries = [by_spec[spec][image_format] for spec in widths if image_format in by_spec[spec]]
        if entries:
            srcset = ", ".join(f"{entry.file.url} {entry.width}w" for entry in entries)
            sources.append({"type": MIME_TYPES[image_format], "srcset": srcset})
    fallbacks = [by_spec[spec][fallback_format] for spec in widths if fallback_format in by_spec[spec]]
    largest = fallbacks[-1] if fallbacks else None
    result = {
        "width": largest.width if largest else image.width,
        "height": largest.height if largest else image.height,
        "fallback_url": largest.file.url if largest else image.file.url,
        "fallback_srcset": ", ".join(f"{entry.file.url} {entry.width}w" for entry in fallbacks),
        "fallback_type": MIME_TYPES[fallback_format],
        "sources": sources,
    }
    for spec in CROPS:
        crops = by_spec.get(spec, {})
        chosen = crops.get(fallback_format) or next(iter(crops.values()), None)
        result[spec] = (
            {"url": chosen.file.url, "width": chosen.width, "height": chosen.height, "type": MIME_TYPES[chosen.format]}
            if chosen
            else None
        )
    if by_spec.get("thumb"):
        result["thumb"]["sources"] = [
            {"type": MIME_TYPES[f], "srcset": by_spec["thumb"][f].file.url}
            for f in ("avif", "webp")
            if f in by_spec["thumb"]
        ]
    return result
