"""The editors' workshop in Django admin, one module per concept."""

from django.contrib import admin

# Each module registers its models.
from . import accounts, articles, feedback, notifications, search, site_pages, site_settings  # noqa: F401

admin.site.site_header = "Encyclopedia editors"
admin.site.site_title = "Encyclopedia editors"
