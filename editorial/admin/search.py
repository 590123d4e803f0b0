"""What readers searched for and did not find, most frequent first, so editors can add
alternative names or articles. Public search writes the rows; editors read and clear them."""

from urllib.parse import urlencode

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from encyclopedia.models import SearchMiss

from .changelist import SturdyChangeListMixin


@admin.register(SearchMiss)
class SearchMissAdmin(SturdyChangeListMixin, admin.ModelAdmin):
    list_display = ["query", "count", "last_searched_at", "first_searched_at", "try_it"]
    search_fields = ["query"]
    date_hierarchy = "last_searched_at"
    readonly_fields = ["query", "count", "first_searched_at", "last_searched_at"]
    ordering = ["-count", "-last_searched_at"]  # search_miss_frequent_idx

    def has_add_permission(self, request):
        return False  # only readers' searches make these

    def has_change_permission(self, request, obj=None):
        return False  # nothing to edit; delete a row once it is dealt with

    @admin.display(description="search now")
    def try_it(self, miss: SearchMiss) -> str:
        url = f"{reverse('encyclopedia:search')}?{urlencode({'q': miss.query})}"
        return format_html('<a href="{}" target="_blank" rel="noopener">Search “{}”</a>', url, miss.query)
