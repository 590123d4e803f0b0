from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils import timezone

from encyclopedia.models import FAQ, AlternativeName, Article

from .widgets import TEXT_AREAS


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
