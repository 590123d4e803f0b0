from django.utils.functional import SimpleLazyObject

from .models import Kind, SitePage, SiteSettings


def site_settings(request):
    # Lazy: pages that never show site-wide texts (most of the admin) run no query for them.
    return {
        "site": SimpleLazyObject(SiteSettings.load),
        "footer_pages": SimpleLazyObject(lambda: list(SitePage.objects.in_footer().only("slug", "title"))),
        "kinds": list(Kind),
    }
