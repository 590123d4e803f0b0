from django.contrib import admin
from django.urls import include, path

from editorial.views import markdown_preview, privacy_notice

urlpatterns = [
    # Our staff-only preview; markdownx.urls is never mounted (its views accept anonymous visitors).
    path("admin/markdown-preview/", markdown_preview, name="markdown_preview"),
    path("admin/", admin.site.urls),
    path("feedback/", include("editorial.urls")),
    # Feedback's privacy notice; a later issue makes site pages like this one editable.
    path("privacy/", privacy_notice, name="privacy"),
    path("", include("encyclopedia.urls")),
]
