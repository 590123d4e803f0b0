"""The media library: images editors upload once and use in any article (encyclopedia/images.py
makes them; the article's use of them belongs to its version and its medical review)."""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core import text


class ImageKind(models.TextChoices):
    ILLUSTRATION = "illustration", "Illustration"
    DIAGRAM = "diagram", "Diagram"
    CLINICAL_PHOTOGRAPH = "clinical_photograph", "Clinical photograph"
    OTHER = "other", "Other"


class Licence(models.TextChoices):
    CC_BY = "cc-by", "CC BY 4.0"
    CC_BY_SA = "cc-by-sa", "CC BY-SA 4.0"
    CC0 = "cc0", "CC0 1.0"
    PUBLIC_DOMAIN = "public-domain", "Public domain"
    PERMISSION = "permission", "All rights reserved, used with permission"


class SkinTone(models.TextChoices):
    """The Monk Skin Tone Scale (Google and Dr Ellis Monk, CC BY 4.0): ten tones, named by number
    only, so that the tag describes the picture and never the person. Blank: not recorded."""

    MST_1 = "mst-01", "Monk 1 (lightest)"
    MST_2 = "mst-02", "Monk 2"
    MST_3 = "mst-03", "Monk 3"
    MST_4 = "mst-04", "Monk 4"
    MST_5 = "mst-05", "Monk 5"
    MST_6 = "mst-06", "Monk 6"
    MST_7 = "mst-07", "Monk 7"
    MST_8 = "mst-08", "Monk 8"
    MST_9 = "mst-09", "Monk 9"
    MST_10 = "mst-10", "Monk 10 (darkest)"


# The licence's deed, offered when the editor gives no address of their own.
LICENCE_URLS = {
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
}


ALT_TEXT_REQUIRED = "Say what the image shows, or tick “decorative” if it adds nothing to the text around it."


def not_in_future(day: datetime.date) -> None:
    if day > timezone.localdate():
        raise ValidationError("Consent cannot have been given in the future.", code="future")


class ImageQuerySet(models.QuerySet):
    def search(self, words: str) -> "ImageQuerySet":
        query = Q()
        for word in words.split():
            query &= (
                Q(title__icontains=word) | Q(alt_text__icontains=word) | Q(caption__icontains=word)
                | Q(credit__icontains=word) | Q(creator__icontains=word)
            )  # fmt: skip
        return self.filter(query)

    def licence_expiring(self, today: datetime.date, days: int) -> "ImageQuerySet":
        """Licences that end within `days` days, or have ended."""
        return self.filter(licence_expires__lte=today + datetime.timedelta(days=days))


class Image(models.Model):
    Kind = ImageKind
    Licence = Licence
    SkinTone = SkinTone

    uuid = models.UUIDField(
        "stable identifier", default=uuid.uuid4, unique=True, editable=False,
        help_text="Used to insert the image in an article; never changes.",
    )  # fmt: skip
    title = text.CharField(max_length=200, help_text="The name in the media library; editors only.")
    kind = models.CharField(max_length=30, choices=ImageKind.choices, default=ImageKind.ILLUSTRATION)
    # The upload, decoded and re-encoded without metadata, under a random name (encyclopedia/images.py).
    file = models.ImageField(upload_to="images/", editable=False)
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)

    alt_text = text.TextField(
        "alternative text", blank=True, max_length=500,
        help_text="What the image shows, for people who cannot see it. Required unless the image is decorative.",
    )  # fmt: skip
    decorative = models.BooleanField(
        default=False, help_text="Adds nothing to the text around it: screen readers skip it (empty alternative text)."
    )
    long_description = text.TextField(
        blank=True, help_text="For a diagram: everything it shows, in words. Readers open it under the image."
    )
    caption = text.CharField(max_length=300, blank=True)
    credit = text.CharField(
        max_length=200, blank=True, help_text="Shown under the image, e.g. “Illustration: A. Author / CC BY 4.0”."
    )
    creator = text.CharField(max_length=200, blank=True)
    licence = models.CharField(max_length=20, choices=Licence.choices, default=Licence.CC0)
    licence_url = models.URLField("licence address", blank=True)
    source_url = models.URLField("source address", blank=True, help_text="Where the image was found.")
    licence_expires = models.DateField(
        null=True, blank=True, help_text="The last day we may show the image; the library warns before it."
    )

    # Required for a clinical photograph before any article showing it is published.
    consent_given_by = text.CharField(
        max_length=200, blank=True, help_text="Who gave consent: the patient, or who consented for them."
    )
    consent_recorded_at = models.DateField("consent given on", null=True, blank=True, validators=[not_in_future])
    consent_reference = text.CharField(
        max_length=100, blank=True, help_text="Where the signed consent form is kept (never the form itself)."
    )
    skin_tone = models.CharField(max_length=6, choices=SkinTone.choices, blank=True)

    # Where crops (Open Graph, thumbnails) centre, as fractions of the width and height.
    focal_x = models.FloatField(default=0.5, validators=[MinValueValidator(0), MaxValueValidator(1)])
    focal_y = models.FloatField(default=0.5, validators=[MinValueValidator(0), MaxValueValidator(1)])

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        get_latest_by = "created_at"
        constraints = [
            models.CheckConstraint(
                condition=~Q(alt_text="") | Q(decorative=True),
                name="image_alt_text_or_decorative",
                violation_error_message=ALT_TEXT_REQUIRED,
            ),
            models.CheckConstraint(
                condition=Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="image_focal_point_inside",
            ),
        ]
        indexes = [
            # The library's filter by kind, newest first.
            models.Index(fields=["kind", "-created_at"], name="image_kind_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def markdown_reference(self) -> str:
        """What an editor pastes into an article to show this image."""
        alt = " ".join(self.alt_text.split()).replace("[", "\\[").replace("]", "\\]")
        return f"![{alt}](image:{self.uuid})"

    @property
    def has_consent(self) -> bool:
        return bool(self.consent_given_by and self.consent_recorded_at and self.consent_reference)

    def licence_days_left(self, today: datetime.date | None = None) -> int | None:
        if self.licence_expires is None:
            return None
        return (self.licence_expires - (today or timezone.localdate())).days

    def is_publishable(self, today: datetime.date | None = None) -> list[str]:
        """What stops an article showing this image from being published (empty: nothing)."""
        problems = []
        if self.kind == ImageKind.CLINICAL_PHOTOGRAPH and not self.has_consent:
            problems.append(
                f"“{self.title}” is a clinical photograph without recorded consent (who, when and a reference)."
            )
        days_left = self.licence_days_left(today)
        if days_left is not None and days_left < 0:
            problems.append(f"The licence of “{self.title}” ended on {self.licence_expires:%d %B %Y}.")
        return problems

    def licence_deed_url(self) -> str:
        return self.licence_url or LICENCE_URLS.get(self.licence, "")

    # What readers see of the image: part of the version of every article showing it (article_images.py).
    READER_VISIBLE_FIELDS = (
        "file", "alt_text", "decorative", "caption", "credit", "creator", "licence", "licence_url",
        "long_description", "focal_x", "focal_y",
    )  # fmt: skip

    def clean(self) -> None:
        from ..article_images import images_frozen_by  # imported here: article_images imports the models package

        if self.pk is None or not (articles := images_frozen_by(self)):
            return
        stored = Image.objects.filter(pk=self.pk).values(*self.READER_VISIBLE_FIELDS).first() or {}
        changed = [name for name in self.READER_VISIBLE_FIELDS if name in stored and stored[name] != _value(self, name)]
        if changed:
            raise ValidationError(
                "Readers see this image in articles that are reviewed or in review (%(titles)s), so its %(fields)s "
                "cannot change under them. Upload or duplicate a new image instead, and change the reference in the "
                "article's working copy, which goes through medical review.",
                code="image_in_reviewed_article",
                params={
                    "titles": ", ".join(f"“{article.title}”" for article in articles),
                    "fields": ", ".join(str(self._meta.get_field(name).verbose_name) for name in changed),
                },
            )


def _value(image: "Image", name: str):
    value = getattr(image, name)
    return value.name if name == "file" else value


class Rendition(models.Model):
    """One size and format of an image, made once at upload (never on a reader's request)."""

    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="renditions")
    spec = models.CharField(max_length=10)  # "w480", "w960", "w1600", "og", "thumb"
    format = models.CharField(max_length=5)  # "avif", "webp", "jpeg", "png"
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    file = models.FileField(upload_to="images/r/", max_length=200)

    class Meta:
        ordering = ["image", "spec", "format"]
        constraints = [models.UniqueConstraint(fields=["image", "spec", "format"], name="rendition_unique")]

    def __str__(self) -> str:
        return f"{self.image} {self.spec} {self.format}"


class ArticleImage(models.Model):
    """A library image an article shows: derived from its body and FAQ answers (encyclopedia/article_images.py
    keeps the rows in step), never edited by hand. PROTECT: an image cannot be deleted while an article shows
    it; the media library's "where used" lists these."""

    article = models.ForeignKey("encyclopedia.Article", on_delete=models.CASCADE, related_name="images")
    image = models.ForeignKey("encyclopedia.Image", on_delete=models.PROTECT, related_name="uses")
    position = models.PositiveIntegerField(default=0)  # in the text: 0 is the first, the related-article card's

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            # Also the index of the article's images; the image's uses are read through `image_id`'s own index.
            models.UniqueConstraint(fields=["article", "image"], name="article_image_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.article} – {self.image}"
