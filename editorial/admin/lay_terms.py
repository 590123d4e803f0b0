"""The everyday-terms list: readers' words ("tummy bug", "bp") pointing to an article and/or the medical
term articles use. Search and the A–Z read it at once (encyclopedia.search.index, encyclopedia.signals)."""

from urllib.parse import urlencode

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from encyclopedia.models import LayTerm

from .changelist import SturdyChangeListMixin


@admin.register(LayTerm)
class LayTermAdmin(SturdyChangeListMixin, admin.ModelAdmin):
    list_display = ["term", "article", "medical_term", "in_a_to_z", "try_it"]
    list_filter = ["in_a_to_z", ("article", admin.EmptyFieldListFilter)]
    list_select_related = ["article"]
    search_fields = ["term", "medical_term", "article__title"]
    autocomplete_fields = ["article"]
    fields = ["term", "article", "medical_term", "in_a_to_z"]

    @admin.display(description="search now")
    def try_it(self, lay_term: LayTerm) -> str:
        url = f"{reverse('encyclopedia:search')}?{urlencode({'q': lay_term.term})}"
        return format_html('<a href="{}" target="_blank" rel="noopener">Search “{}”</a>', url, lay_term.term)
