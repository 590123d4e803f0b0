from django.contrib import admin

from ..models import PlainWord


@admin.register(PlainWord)
class PlainWordAdmin(admin.ModelAdmin):
    list_display = ["word", "plain"]
    search_fields = ["word", "plain"]
