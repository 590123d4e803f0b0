from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from core.outage import outage_page
from editorial.admin.view_on_site import view_on_site
from editorial.views import markdown_image_upload, markdown_preview
from encyclopedia.views import health

urlpatterns = [
    # For load balancers and monitoring; not a page (no trailing slash, never cached).
    path("healthz", health, name="healthz"),
    # The 503 page, kept by the Varnish in front for when this server does not answer.
    path("unavailable", outage_page, name="unavailable"),
    # Our staff-only preview; markdownx.urls is never mounted (its views accept anonymous visitors).
    path(f"{settings.ADMIN_PATH}markdown-preview/", markdown_preview, name="markdown_preview"),
    # Files dropped on the editor go into the media library (staff with the right to add images only).
    path(f"{settings.ADMIN_PATH}markdown-upload/", markdown_image_upload, name="markdown_image_upload"),
    # The admin's "view on site" redirect, asking for a permission where Django's asks only for staff status.
    path(
        f"{settings.ADMIN_PATH}r/<path:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
        name="view_on_site",
    ),
    path(settings.ADMIN_PATH, admin.site.urls),
    path("feedback/", include("editorial.urls")),
    path("api/v1/", include("encyclopedia.api.urls")),
    path("", include("encyclopedia.urls")),
]
# Uploaded images under DEBUG (`make run`); production's nginx serves them (deploy/nginx/encyclopedia.conf),
# or object storage does with MEDIA_STORAGE_URL. static() adds nothing when DEBUG is off.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
