"""The editors' workshop in Django admin, one module per concept."""

# Each module registers its models.
from . import (  # noqa: F401
    accounts,
    articles,
    feedback,
    images,
    lay_terms,
    notifications,
    plain_words,
    search,
    site_pages,
    site_settings,
)
