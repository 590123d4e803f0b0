from django.contrib import admin

from encyclopedia.models import SitePage

from .changelist import SturdyChangeListMixin
from .widgets import TEXT_AREAS


@admin.register(SitePage)
class SitePageAdmin(SturdyChangeListMixin, admin.ModelAdmin):
    formfield_overrides = TEXT_AREAS
    list_display = ["title", "slug", "show_in_footer", "position", "updated_at"]
    list_editable = ["show_in_footer", "position"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title", "body"]
