from django.utils.functional import SimpleLazyObject

from config.outage import DATABASE_UNAVAILABLE, database_unavailable, outage_noted

from .models import Kind, SitePage, SiteSettings


def site_settings(request):
    # Lazy: pages that never show site-wide texts (most of the admin) run no query for them.
    return {
        "site": SimpleLazyObject(lambda: _unless_unavailable(request, SiteSettings.load, SiteSettings)),
        "footer_pages": SimpleLazyObject(
            lambda: _unless_unavailable(request, lambda: list(SitePage.objects.in_footer().only("slug", "title")), list)
        ),
        "kinds": list(Kind),
    }


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
