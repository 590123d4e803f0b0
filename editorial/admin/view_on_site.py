"""The admin's "View on site" redirect (`admin:view_on_site`), asking for a permission.

Django's own view asks only for staff status, so any staff member could look up where any object lives, a
draft article's address for a Feedback triager for instance. This one first asks for the permission to view (or
change) the object's model; config/urls.py mounts it at the same address, before the admin's own."""

from django.contrib.auth import get_permission_codename
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import PermissionDenied
from django.http import Http404


def view_on_site(request, content_type_id, object_id):
    try:
        model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
    except (ValueError, ContentType.DoesNotExist) as error:
        raise Http404("No such content type.") from error
    if model is None:
        raise Http404("No such content type.")
    opts = model._meta
    if not any(request.user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")
               for action in ("view", "change")):  # fmt: skip
        raise PermissionDenied
    return shortcut(request, content_type_id, object_id)
