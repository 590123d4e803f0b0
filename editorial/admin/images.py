"""The media library: upload once (encyclopedia.images.create_image decodes, checks and re-encodes the
file), describe for readers (alt text, credit, licence, consent), find by words or kind, reuse in any
article, and see where each image is used and which skin tones each condition's photographs show."""

import datetime

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from encyclopedia.images import check_upload, create_image, delete_image_files, image_sources, make_renditions
from encyclopedia.models import Article, Image, ImageKind, Kind, SkinTone
from encyclopedia.models.images import ALT_TEXT_REQUIRED

from .changelist import SturdyChangeListMixin
from .widgets import TEXT_AREAS

# Whether imguse's ArticleImage (related_name "uses") is in this build: the library reads it for "where used".
HAS_USES = any(relation.name == "uses" for relation in Image._meta.related_objects)

METADATA_FIELDS = [
    "title", "kind", "alt_text", "decorative", "long_description", "caption", "credit", "creator", "licence",
    "licence_url", "source_url", "licence_expires", "consent_given_by", "consent_recorded_at", "consent_reference",
    "skin_tone", "focal_x", "focal_y",
]  # fmt: skip


class ImageForm(forms.ModelForm):
    class Meta:
        model = Image
        fields = METADATA_FIELDS

    def clean(self):
        cleaned = super().clean()
        # Next to the field, where the database constraint alone would put it above the form.
        if not cleaned.get("decorative") and not cleaned.get("alt_text", "").strip() and "alt_text" not in self.errors:
            self.add_error("alt_text", ALT_TEXT_REQUIRED)
        return cleaned


class ImageUploadForm(ImageForm):
    upload = forms.FileField(
        label="image file",
        help_text=f"JPEG, PNG, WebP or AVIF, up to {settings.IMAGE_MAX_UPLOAD_BYTES // 1_000_000} MB and "
        f"{settings.IMAGE_MAX_PIXELS // 1_000_000} megapixels. Metadata (camera, place) is removed.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/avif"}),
    )

    def clean_upload(self):
        self.checked = check_upload(self.cleaned_data["upload"])  # ValidationError: shown on the field
        return self.cleaned_data["upload"]


class LicenceEndingFilter(admin.SimpleListFilter):
    title = "licence"
    parameter_name = "licence_ends"

    def lookups(self, request, model_admin):
        return [("soon", f"ends within {settings.IMAGE_LICENCE_WARNING_DAYS} days or has ended")]

    def queryset(self, request, queryset):
        if self.value() == "soon":
            return queryset.licence_expiring(timezone.localdate(), settings.IMAGE_LICENCE_WARNING_DAYS)
        return queryset


@admin.register(Image)
class ImageAdmin(SturdyChangeListMixin, admin.ModelAdmin):
    formfield_overrides = TEXT_AREAS
    list_display = ["thumbnail", "title", "kind", "licence_status", "consent_status", "skin_tone", "created_at"]
    list_display_links = ["thumbnail", "title"]
    list_filter = ["kind", "licence", LicenceEndingFilter, "skin_tone", "decorative"]
    search_fields = ["title", "alt_text", "caption", "credit", "creator"]
    date_hierarchy = "created_at"
    list_per_page = 50
    view_on_site = False
    change_list_template = "editorial/admin/image_change_list.html"

    class Media:
        css = {"all": ["css/admin.css"]}

    fieldsets_for_reuse = ("Use in an article", {"fields": ["preview", "markdown_reference", "where_used"]})
    fieldsets = [
        (None, {"fields": ["title", "kind"]}),
        ("For readers", {"fields": ["alt_text", "decorative", "long_description", "caption"]}),
        (
            "Credit and licence",
            {"fields": ["credit", "creator", "licence", "licence_url", "source_url", "licence_expires"]},
        ),
        (
            "Consent (clinical photographs)",
            {
                "fields": ["consent_given_by", "consent_recorded_at", "consent_reference"],
                "description": "Required before an article showing a clinical photograph can be published.",
            },
        ),
        ("Skin tone and crops", {"fields": ["skin_tone", "focal_x", "focal_y"]}),
    ]

    # Lists and forms ----------------------------------------------------------------------

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("renditions")
        if HAS_USES:
            queryset = queryset.annotate(use_count=Count("uses", distinct=True))
        return queryset

    def get_list_display(self, request):
        return [*self.list_display, "used_in"] if HAS_USES else self.list_display

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = ImageForm if obj else ImageUploadForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["upload"]}), *self.fieldsets]
        return [self.fieldsets_for_reuse, *self.fieldsets]

    def get_readonly_fields(self, request, obj=None):
        return ["preview", "markdown_reference", "where_used"] if obj else []

    def save_model(self, request, obj, form, change):
        if not change:
            metadata = {name: form.cleaned_data[name] for name in METADATA_FIELDS}
            created = create_image(upload=form.checked, uploaded_by=request.user, **metadata)
            # The admin goes on with `obj` (the history entry, the "added" message, the next page).
            obj.pk, obj.uuid, obj.file = created.pk, created.uuid, created.file
            obj.width, obj.height = created.width, created.height
        else:
            super().save_model(request, obj, form, change)
            if {"focal_x", "focal_y"} & set(form.changed_data):
                make_renditions(obj)
        for problem in obj.is_publishable():
            messages.warning(request, f"{problem} No article showing it can be published until then.")

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    def delete_model(self, request, obj):
        delete_image_files(obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for image in queryset:
            delete_image_files(image)
        super().delete_queryset(request, queryset)

    def changelist_view(self, request, extra_context=None):
        ending = list(
            Image.objects.licence_expiring(timezone.localdate(), settings.IMAGE_LICENCE_WARNING_DAYS)
            .order_by("licence_expires")
            .values_list("title", "licence_expires")[:10]
        )
        if ending and request.method == "GET":
            messages.warning(request, licence_warning(ending, timezone.localdate()))
        return super().changelist_view(request, extra_context)

    # Columns and read-only fields ---------------------------------------------------------

    @admin.display(description="image")
    def thumbnail(self, image: Image) -> str:
        thumb = next((r for r in image.renditions.all() if r.spec == "thumb" and r.format in ("jpeg", "png")), None)
        if thumb is None:
            return "–"
        # The title beside it says what it is: the thumbnail itself is decorative here.
        return format_html(
            '<img src="{}" width="{}" height="{}" alt="" class="image-thumbnail">',
            thumb.file.url,
            thumb.width // 4,
            thumb.height // 4,
        )

    @admin.display(description="licence", ordering="licence_expires")
    def licence_status(self, image: Image) -> str:
        days_left = image.licence_days_left()
        if days_left is None:
            return image.get_licence_display()
        if days_left < 0:
            return format_html("{} – <strong>ended on {}</strong>", image.get_licence_display(), image.licence_expires)
        if days_left <= settings.IMAGE_LICENCE_WARNING_DAYS:
            return format_html(
                "{} – <strong>ends in {} day{}</strong>",
                image.get_licence_display(),
                days_left,
                "" if days_left == 1 else "s",
            )
        return format_html("{} until {}", image.get_licence_display(), image.licence_expires)

    @admin.display(description="consent")
    def consent_status(self, image: Image) -> str:
        if image.kind != ImageKind.CLINICAL_PHOTOGRAPH:
            return "–"
        return "Recorded" if image.has_consent else format_html("<strong>{}</strong>", "Missing")

    @admin.display(description="used in", ordering="use_count")
    def used_in(self, image: Image) -> str:
        count = image.use_count
        return "Not used" if count == 0 else f"{count} article{'' if count == 1 else 's'}"

    @admin.display(description="image")
    def preview(self, image: Image) -> str:
        sources = image_sources(image, list(image.renditions.all()))
        return format_html(
            '<picture>{}<img src="{}" width="{}" height="{}" alt="{}" class="image-preview"></picture>'
            "<p>{} × {} pixels as uploaded.</p>",
            format_html_join(
                "", '<source type="{}" srcset="{}">', ((s["type"], s["srcset"]) for s in sources["sources"])
            ),
            sources["fallback_url"],
            sources["width"],
            sources["height"],
            image.alt_text,
            image.width,
            image.height,
        )

    @admin.display(description="insert in an article")
    def markdown_reference(self, image: Image) -> str:
        return format_html("<code>{}</code><p>Paste this into an article's body.</p>", image.markdown_reference)

    @admin.display(description="where used")
    def where_used(self, image: Image) -> str:
        if not HAS_USES:
            return "–"
        articles = Article.objects.filter(pk__in=image.uses.values("article")).order_by("sort_title")
        if not articles:
            return "Not used in any article."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> ({}{})</li>',
                (
                    (
                        reverse("admin:encyclopedia_article_change", args=[article.pk]),
                        article.title,
                        article.get_status_display(),
                        ", working copy" if article.live_article_id else "",
                    )
                    for article in articles
                ),
            ),
        )

    # Skin-tone coverage per condition -------------------------------------------------------

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("coverage/", self.admin_site.admin_view(self.coverage), name=f"{prefix}_coverage"),
            *super().get_urls(),
        ]

    def coverage(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Skin tones in clinical photographs, per condition",
            "tones": SkinTone.choices,
            "rows": skin_tone_coverage() if HAS_USES else [],
            "has_uses": HAS_USES,
        }
        return TemplateResponse(request, "editorial/admin/image_coverage.html", context)


def licence_warning(ending: list[tuple[str, datetime.date]], today: datetime.date) -> str:
    names = ", ".join(
        f"“{title}” ({'ended' if expires < today else 'ends'} {expires:%d %b %Y})" for title, expires in ending
    )
    return f"Licences ending within {settings.IMAGE_LICENCE_WARNING_DAYS} days or ended: {names}. Replace these images or renew their licences."


def skin_tone_coverage() -> list[dict]:
    """Each condition (live articles, not working copies) with its clinical photographs counted per skin tone."""
    rows: dict[int, dict] = {}
    uses = (
        Image.objects.filter(
            kind=ImageKind.CLINICAL_PHOTOGRAPH, uses__article__kind=Kind.CONDITION, uses__article__live_article=None
        )
        .values_list("uses__article_id", "uses__article__title", "pk", "skin_tone")
        .distinct()
        .order_by("uses__article__title")
    )
    for article_id, title, _image, tone in uses:
        row = rows.setdefault(
            article_id,
            {
                "title": title,
                "url": reverse("admin:encyclopedia_article_change", args=[article_id]),
                "counts": dict.fromkeys(SkinTone.values, 0),
                "unrecorded": 0,
                "total": 0,
            },
        )
        row["total"] += 1
        if tone:
            row["counts"][tone] += 1
        else:
            row["unrecorded"] += 1
    for row in rows.values():
        row["cells"] = [row["counts"][tone] for tone in SkinTone.values]
        row["tones_shown"] = sum(1 for count in row["cells"] if count)
    return list(rows.values())
