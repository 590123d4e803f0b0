from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse

from encyclopedia.models import PromotionLink, SiteSettings

from .widgets import TEXT_AREAS


class PromotionLinkInline(admin.TabularInline):
    model = PromotionLink
    extra = 1


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    formfield_overrides = TEXT_AREAS
    inlines = [PromotionLinkInline]
    fieldsets = [
        (None, {"fields": ["site_name", "disclaimer", "feedback_invitation"]}),
        ("Getting help", {"fields": ["emergency_number", "urgent_service_name", "urgent_service_number"]}),
        ("Promotional block", {"fields": ["promotion_enabled", "promotion_title", "promotion_text"]}),
        ("Reading age", {"fields": ["target_reading_age", "reading_age_override_required"]}),
    ]

    def has_add_permission(self, request):
        return not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        # There is only one row: go straight to it (for those who may see it; the redirect is a page too).
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        settings = SiteSettings.objects.first()
        if settings is None:
            return HttpResponseRedirect(reverse("admin:encyclopedia_sitesettings_add"))
        return HttpResponseRedirect(reverse("admin:encyclopedia_sitesettings_change", args=[settings.pk]))
