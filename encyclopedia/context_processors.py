from django.utils.functional import SimpleLazyObject

from core.outage import DATABASE_UNAVAILABLE, database_unavailable, outage_noted

from . import page_cache
from .models import Kind, SitePage, SiteSettings


def site_texts() -> dict:
    """The site settings (with the promotion links) and the footer pages, which every reader page
    shows: read from the database once per change of the site tag (signals.py bumps it), not on
    every page rendered."""
    return page_cache.cached_until_changed(
        page_cache.site_tag(),
        "site-texts",
        lambda: {"site": SiteSettings.load(), "footer_pages": list(SitePage.objects.in_footer().only("slug", "title"))},
    )


def site_settings(request):
    # Lazy: pages that never show site-wide texts (most of the admin) read nothing for them.
    texts = SimpleLazyObject(lambda: _unless_unavailable(request, site_texts, default_texts))
    return {
        "site": SimpleLazyObject(lambda: texts["site"]),
        "footer_pages": SimpleLazyObject(lambda: texts["footer_pages"]),
        "kinds": list(Kind),
    }


def default_texts() -> dict:
    return {"site": SiteSettings(), "footer_pages": []}


def _unless_unavailable(request, load, default):
    """What `load` reads from the database; while the database is unreachable, `default()`: the
    default texts and no footer links, so that the 503 page (and a page that needs no other data,
    such as a 404) still shows in the site's design. Once a request has found the database down,
    nothing here tries it again."""
    if database_unavailable(request):
        return default()
    try:
        return load()
    except DATABASE_UNAVAILABLE as error:
        outage_noted(request, error)
        return default()
