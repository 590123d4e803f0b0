"""Library images in articles, written ![per-use alt text](image:<uuid>) on a line of their own (see markdown.py).

Stored HTML keeps a placeholder, <figure data-image="<uuid>" data-alt="…"></figure>; it is resolved when the
page is served into a <figure> with a <picture> built from the image's stored renditions only (no Pillow on
a reader's request, and no address an editor typed), so a page always shows the image as the library has it.
What readers see of an image cannot change under a reviewed article: its reader-visible fields are frozen
while an article in review, published or scheduled shows it (`Image.clean` asks `images_frozen_by`).
An image that is not in the library becomes nothing for readers; editors get the reference named instead.
"""

import html as html_lib
import re
import uuid as uuid_lib
from collections.abc import Iterable

from django.db.models import F, Prefetch
from django.template.loader import render_to_string

from .images import MIME_TYPES, image_sources
from .markdown import IMAGE_REFERENCE, render
from .models import FAQ, Article, ArticleImage, Image, Rendition, Status

PLACEHOLDER = re.compile(r"<figure ([^>]*)></figure>")
_ATTRIBUTE = re.compile(r'(data-image|data-alt)="([^"]*)"')
# Every ![alt](address) in Markdown, to name the ones that did not become a library image.
_MARKDOWN_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]*)>?[^)]*\)")

# What a file dropped on the editor gets until an editor describes it (the library requires some alternative text
# or "decorative"): an article showing an image with it cannot go to review (`images_needing_details`).
ALT_TEXT_TO_WRITE = "Alternative text to write: describe what this image shows."

# Statuses under which an article's text has been, or is being, medically reviewed.
REVIEWED_STATUSES = (Status.IN_REVIEW, Status.PUBLISHED, Status.SCHEDULED_CHANGE)


def _placeholder(match: re.Match) -> tuple[str, str] | None:
    attributes = {name: html_lib.unescape(value) for name, value in _ATTRIBUTE.findall(match[1])}
    uuid = attributes.get("data-image", "")
    if not IMAGE_REFERENCE.fullmatch(f"image:{uuid}"):
        return None
    return uuid, attributes.get("data-alt", "")


def references_in(*html_parts: str) -> list[str]:
    """The image uuids the HTML shows, in order of first appearance."""
    found = {}
    for html in html_parts:
        for match in PLACEHOLDER.finditer(html):
            if (reference := _placeholder(match)) is not None:
                found.setdefault(reference[0], None)
    return list(found)


def images_queryset():
    return Image.objects.prefetch_related(Prefetch("renditions", queryset=Rendition.objects.order_by("pk")))


def find_images(uuids: Iterable[str]) -> dict[str, Image]:
    """The library images with these uuids, with their renditions: two queries, none without uuids."""
    uuids = list(uuids)
    if not uuids:
        return {}
    return {str(image.uuid): image for image in images_queryset().filter(uuid__in=uuids)}


def image_sources_of(image: Image) -> dict:
    """`images.image_sources` from the image's prefetched renditions, worked out once per image object."""
    if not hasattr(image, "_sources"):
        image._sources = image_sources(image, list(image.renditions.all()))
    return image._sources


def figure_context(image: Image, *, alt: str = "") -> dict:
    """What the figure template needs of an image."""
    return {
        "image": image,
        "alt": alt or ("" if image.decorative else image.alt_text),
        "sources": image_sources_of(image),
        "licence_label": image.get_licence_display(),
        "licence_url": image.licence_deed_url(),
    }


def resolve(html: str, images: dict[str, Image], *, eager: str | None = None, for_editors: bool = False) -> str:
    """Each placeholder replaced by its figure; `eager`: the uuid of the image near the top of the page, loaded
    at once (the first time it appears) rather than lazily. A missing image is left out, or named for editors."""
    eager_left = [eager]

    def figure(match: re.Match) -> str:
        reference = _placeholder(match)
        image = images.get(reference[0]) if reference else None
        if image is None:
            if not for_editors:
                return ""
            return render_to_string("encyclopedia/includes/figure_missing.html", {"uuid": reference and reference[0]})
        lazy = reference[0] not in eager_left
        if not lazy:
            eager_left.clear()
        return render_to_string(
            "encyclopedia/includes/figure.html", {**figure_context(image, alt=reference[1]), "lazy": lazy}
        )

    return PLACEHOLDER.sub(figure, html)


def eager_image(body_html: str, outline: list[dict]) -> str | None:
    """The image to load at once: the body's first, when it comes before its second section (near the top)."""
    match = next((m for m in PLACEHOLDER.finditer(body_html) if _placeholder(m)), None)
    if match is None:
        return None
    top_ends = outline[1]["html_start"] if len(outline) > 1 else len(body_html)
    return _placeholder(match)[0] if match.start() < top_ends else None


def related_thumbnails(article: Article) -> dict[int, dict]:
    """The thumbnail of each article related to this one that shows an image (its first), by article id:
    {"image_id", "url", "width", "height", "sources": [{"type", "srcset"}]}. One query, whatever the number."""
    renditions = (
        Rendition.objects.filter(spec="thumb", image__uses__position=0, image__uses__article__related=article)
        .annotate(shown_on=F("image__uses__article_id"))
        .order_by("format")  # so that avif comes before webp among the sources
    )
    thumbnails = {}
    for rendition in renditions:
        thumbnail = thumbnails.setdefault(rendition.shown_on, {"image_id": rendition.image_id, "sources": []})
        if rendition.format in ("avif", "webp"):
            thumbnail["sources"].append({"type": MIME_TYPES[rendition.format], "srcset": rendition.file.url})
        else:
            thumbnail.update(url=rendition.file.url, width=rendition.width, height=rendition.height)
    return {pk: thumbnail for pk, thumbnail in thumbnails.items() if "url" in thumbnail}


# Keeping ArticleImage in step with the text.


def refresh_uses(article_id: int, *, only_remove: bool = False) -> None:
    """Make the article's ArticleImage rows the library images its body and FAQ answers show now. `only_remove`
    after a FAQ is deleted: nothing can be added then, and the article itself may be on its way out (a cascade
    deletes its rows first), so no row is made for it."""
    body = Article.objects.filter(pk=article_id).values_list("body_html", flat=True).first()
    if body is None:
        return
    answers = FAQ.objects.filter(article_id=article_id).values_list("answer_html", flat=True)
    uuids = references_in(body, *answers)
    by_uuid = dict(Image.objects.filter(uuid__in=uuids).values_list("uuid", "pk"))
    wanted = [by_uuid[uuid] for uuid in map(uuid_lib.UUID, uuids) if uuid in by_uuid]
    uses = ArticleImage.objects.filter(article_id=article_id)
    if only_remove:
        uses.exclude(image_id__in=wanted).delete()
        return
    if list(uses.order_by("position").values_list("image_id", flat=True)) != wanted:
        uses.delete()
        ArticleImage.objects.bulk_create(
            [ArticleImage(article_id=article_id, image_id=pk, position=position) for position, pk in enumerate(wanted)]
        )


# What editors are told.


def reference_problems(markdown_texts: Iterable[str]) -> list[str]:
    """Images written in Markdown that readers would not see, each named: not from the library, not on a line
    of its own, or an id the library does not have."""
    problems, uuids = [], {}
    for text in markdown_texts:
        shown = set(references_in(render(text).html))
        for match in _MARKDOWN_IMAGE.finditer(text or ""):
            written, reference = match[0], IMAGE_REFERENCE.fullmatch(match[2])
            if reference is None:
                problems.append(f"{written}: only images from the media library can be shown (image:<id>).")
            elif reference[1] not in shown:
                problems.append(f"{written}: put the image on a line of its own.")
            else:
                uuids.setdefault(reference[1], written)
    found = set(Image.objects.filter(uuid__in=list(uuids)).values_list("uuid", flat=True))
    found = {str(uuid) for uuid in found}
    problems += [
        f"{written}: the media library has no image with this id."
        for uuid, written in uuids.items()
        if uuid not in found
    ]
    return problems


def images_needing_details(images: Iterable[Image]) -> list[str]:
    """Library images an article may not go to review with yet: no alternative text (unless decorative), no credit."""
    problems = []
    for image in images:
        missing = []
        if not image.decorative and image.alt_text.strip() in ("", ALT_TEXT_TO_WRITE):
            missing.append("alternative text")
        if not image.credit.strip():
            missing.append("a credit")
        if missing:
            problems.append(f"“{image.title}” needs {' and '.join(missing)} in the media library.")
    return problems


def images_of(article: Article) -> list[Image]:
    """The library images the article's saved text shows (its ArticleImage rows), in order."""
    return [use.image for use in ArticleImage.objects.filter(article=article).select_related("image")]


def publication_problems(article: Article) -> list[str]:
    """What stops the article's images being shown to readers: details missing, consent, an ended licence."""
    images = images_of(article)
    return images_needing_details(images) + [problem for image in images for problem in image.is_publishable()]


def images_frozen_by(image: Image) -> list[Article]:
    """The articles in review, published or scheduled that show this image: while there are any, what readers
    see of it may change only through a new image and a reviewed change of the article."""
    if image.pk is None:
        return []
    return list(Article.objects.filter(images__image=image, status__in=REVIEWED_STATUSES).order_by("title"))
