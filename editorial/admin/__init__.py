"""The editors' workshop in Django admin, one module per concept."""

from . import accounts, articles, feedback, search, site_pages, site_settings  # noqa: F401  (each registers its models)
