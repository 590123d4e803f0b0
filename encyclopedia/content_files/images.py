"""Library images as files beside the articles: DIR/images/<uuid>.<png|jpg> (the stored file, re-encoded and
without metadata) and DIR/images/<uuid>.yaml (what the library says of it). Articles name them by uuid
(![alt](image:<uuid>)), so the pair is matched by that identifier wherever it lands.

    uuid: 5d2c6a1e-…
    title: Calf stretch against a wall
    kind: illustration
    alt_text: A person leaning forward …
    caption: …
    credit: "Illustration: …"
    licence: cc0
    licence_url: https://creativecommons.org/publicdomain/zero/1.0/

Keys left out take the default. An image the database already has keeps its file (a new file means a new
image: a reviewed article's image never changes under it); its metadata is brought up to date, through the
library's own checks (Image.clean refuses to change what readers see of an image a reviewed article shows).
"""

import uuid as uuid_lib
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction

from ..images import create_image
from ..models import Image
from .parse import ContentError, ContentFilesInvalid
from .sync import assign_changes

FOLDER = "images"
# The library's fields a file holds, in the order written; file, sizes and who uploaded it are not metadata.
KEYS = (
    "uuid", "title", "kind", "alt_text", "decorative", "long_description", "caption", "credit", "creator",
    "licence", "licence_url", "source_url", "licence_expires", "consent_given_by", "consent_recorded_at",
    "consent_reference", "skin_tone", "focal_x", "focal_y",
)  # fmt: skip


def image_to_text(image: Image) -> str:
    """The image's metadata file; fields at their default are left out."""
    record = {}
    for key in KEYS:
        value = str(image.uuid) if key == "uuid" else getattr(image, key)
        if key == "uuid" or value != Image._meta.get_field(key).get_default():
            record[key] = value
    return yaml.safe_dump(record, sort_keys=False, allow_unicode=True, width=100)


def image_file_paths(image: Image) -> tuple[Path, Path]:
    """(metadata, image file), relative to the export directory."""
    extension = Path(image.file.name).suffix
    return Path(FOLDER) / f"{image.uuid}.yaml", Path(FOLDER) / f"{image.uuid}{extension}"


def images_for_export(article_ids=None):
    """The images articles show (all of them when `article_ids` is None), in uuid order."""
    images = (
        Image.objects.filter(uses__isnull=False)
        if article_ids is None
        else Image.objects.filter(uses__article__in=article_ids)
    )
    return images.distinct().order_by("uuid")


@dataclass
class ImageFile:
    path: Path  # the metadata file
    file: Path | None  # the image beside it
    values: dict


def read_image_files(directory: Path) -> list[ImageFile]:
    """Every DIR/images/<uuid>.yaml with its image file, checked; ContentFilesInvalid names every problem."""
    files, errors = [], []
    for path in sorted((directory / FOLDER).glob("*.yaml")):
        try:
            values = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
            errors.append(ContentError(path, 1, f"cannot be read as YAML ({error})"))
            continue
        if not isinstance(values, dict):
            errors.append(ContentError(path, 1, "must be a mapping of keys to values"))
            continue
        if unknown := sorted(set(values) - set(KEYS)):
            errors.append(ContentError(path, 1, f"unknown key(s): {', '.join(map(str, unknown))}"))
        try:
            values["uuid"] = str(uuid_lib.UUID(str(values.get("uuid") or path.stem)))
        except ValueError:
            errors.append(ContentError(path, 1, "uuid: not a valid identifier"))
            continue
        if values["uuid"] != path.stem:
            errors.append(ContentError(path, 1, f"uuid: {values['uuid']} is not this file's name ({path.stem})"))
        candidates = [p for p in path.parent.glob(f"{path.stem}.*") if p.suffix.lower() != ".yaml"]
        file = candidates[0] if len(candidates) == 1 else None
        if file is None and not Image.objects.filter(uuid=values["uuid"]).exists():
            errors.append(ContentError(path, 1, f"no image file {path.stem}.<png|jpg|webp|avif> beside it"))
        files.append(ImageFile(path, file, values))
    if errors:
        raise ContentFilesInvalid(errors)
    return files


def import_image_files(files: list[ImageFile], *, by=None) -> tuple[int, int]:
    """Create or update the library images (before the articles that show them: an article's images are
    found by uuid when it is saved). Returns (created, updated)."""
    created = updated = 0
    errors = []
    with transaction.atomic():
        for entry in files:
            image = Image.objects.filter(uuid=entry.values["uuid"]).first()
            metadata = {
                key: entry.values.get(key, Image._meta.get_field(key).get_default()) for key in KEYS if key != "uuid"
            }
            try:
                if image is None:
                    if by is not None and not by.has_perm("encyclopedia.add_image"):
                        raise PermissionDenied(
                            f"{entry.path.name}: only staff who may add images to the media library may import new ones."
                        )
                    with entry.file.open("rb") as handle:
                        create_image(
                            upload=File(handle, name=entry.file.name), uploaded_by=by, uuid=entry.values["uuid"],
                            **metadata,
                        )  # fmt: skip
                    created += 1
                elif assign_changes(image, metadata):
                    image.full_clean(exclude=["file"])
                    image.save()
                    updated += 1
            except ValidationError as error:
                errors += [ContentError(entry.path, 1, message) for message in error.messages]
        if errors:
            raise ContentFilesInvalid(errors)
    return created, updated
