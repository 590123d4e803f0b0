"""The editors' workshop in Django admin, one module per concept."""

from django.contrib import admin

from . import accounts, articles, feedback, images, search, site_pages, site_settings  # noqa: F401  (each registers its models)

admin.site.site_header = "Encyclopedia editors"
admin.site.site_title = "Encyclopedia editors"
