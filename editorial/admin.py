from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminTextareaWidget
from django.db import models
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from encyclopedia.models import FAQ, AlternativeName, Article, PromotionLink, SiteSettings

from .forms import MarkdownField, TextAreaField
from .models import Feedback

# Browsers send text areas with CRLF line ends; stored text uses LF, so an untouched field
# must not look changed (that would move "Last updated" on every save).
TEXT_AREAS = {
    MarkdownxField: {"widget": AdminMarkdownxWidget, "form_class": MarkdownField},
    models.TextField: {"widget": AdminTextareaWidget, "form_class": TextAreaField},
}

admin.site.site_header = "Encyclopedia editors"
admin.site.site_title = "Encyclopedia editors"


class AlternativeNameInline(admin.TabularInline):
    model = AlternativeName
    extra = 1
    verbose_name = "alternative name"
    verbose_name_plural = "Also called"


class FAQInline(admin.StackedInline):
    model = FAQ
    extra = 1
    fields = ["position", "question", "answer"]
    formfield_overrides = TEXT_AREAS


class ArticleAdminForm(forms.ModelForm):
    minor_edit = forms.BooleanField(
        required=False,
        help_text="Tick for a typo or wording fix: “Last updated” stays as it is.",
    )

    class Meta:
        model = Article
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The admin widgets show whole seconds; without this, stored microseconds would make
        # every save look like a change of these dates.
        for name in ("published_at", "updated_at"):
            if self.initial.get(name):
                self.initial[name] = self.initial[name].replace(microsecond=0)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    formfield_overrides = TEXT_AREAS
    inlines = [AlternativeNameInline, FAQInline]
    list_display = ["title", "kind", "status", "updated_at", "published_at", "faq_count"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "alternative_names__name"]
    autocomplete_fields = ["related"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["uuid", "created_at"]
    date_hierarchy = "updated_at"
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["kind", "title", "slug", "summary", "body"]}),
        ("Related articles", {"fields": ["related"]}),
        (
            "Publication",
            {"fields": ["status", "published_at", "updated_at", "minor_edit", "last_reviewed_on", "show_promotion"]},
        ),
        ("Identity", {"fields": ["uuid", "created_at"], "classes": ["collapse"]}),
    ]

    class Media:
        js = ["js/admin-markdownx-inlines.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(faq_count=Count("faqs"))

    @admin.display(description="FAQs", ordering="faq_count")
    def faq_count(self, article: Article) -> int:
        return article.faq_count

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A substantive edit (of the article or any inline) moves "Last updated" to now,
        # unless the editor ticked "minor edit" or set the date by hand.
        edited = bool(set(form.changed_data) - {"updated_at", "minor_edit"}) or any(
            formset.has_changed() for formset in formsets
        )
        set_by_hand = "updated_at" in form.changed_data
        if change and edited and not form.cleaned_data["minor_edit"] and not set_by_hand:
            article = form.instance
            article.updated_at = timezone.now()
            article.save(update_fields=["updated_at"])


class PromotionLinkInline(admin.TabularInline):
    model = PromotionLink
    extra = 1


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    formfield_overrides = TEXT_AREAS
    inlines = [PromotionLinkInline]
    fieldsets = [
        (None, {"fields": ["site_name", "disclaimer", "feedback_invitation"]}),
        ("Promotional block", {"fields": ["promotion_enabled", "promotion_title", "promotion_text"]}),
    ]

    def has_add_permission(self, request):
        return not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        # There is only one row: go straight to it.
        settings = SiteSettings.objects.first()
        if settings is None:
            return HttpResponseRedirect(reverse("admin:encyclopedia_sitesettings_add"))
        return HttpResponseRedirect(reverse("admin:encyclopedia_sitesettings_change", args=[settings.pk]))


def mark_as(status: Feedback.Status):
    """A bulk action that moves the selected feedback to `status`."""

    @admin.action(description=f"Mark selected as {status.label.lower()}", permissions=["change"])
    def action(model_admin, request, queryset):
        updated = queryset.update(status=status)
        model_admin.message_user(request, f"{updated} feedback item(s) marked “{status.label}”.", messages.SUCCESS)

    action.__name__ = f"mark_{status.value}"
    return action


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    formfield_overrides = TEXT_AREAS
    list_display = ["created_at", "article", "helpful", "short_message", "status"]
    list_filter = ["status", "helpful", "created_at"]
    list_select_related = ["article"]
    search_fields = ["message", "name", "email", "article__title"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "article", "helpful", "message", "name", "email"]
    fields = ["created_at", "article", "helpful", "message", "name", "email", "status", "editor_note"]
    actions = [mark_as(status) for status in Feedback.Status]

    def has_add_permission(self, request):
        return False  # feedback comes from readers

    @admin.display(description="message")
    def short_message(self, feedback: Feedback) -> str:
        return feedback.message if len(feedback.message) <= 80 else feedback.message[:79] + "…"
