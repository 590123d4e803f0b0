"""Each staff member's own email settings: one page, theirs only (Django's permissions are per model,
not per row, so this admin asks for staff status and ownership instead)."""

from django.contrib import admin
from django.http import HttpResponseRedirect

from ..models import NotificationPreference


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    fields = ["submitted", "changes_requested", "approved", "scheduled", "published", "digest"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request) and (obj is None or obj.user_id == request.user.pk)

    def has_add_permission(self, request):
        return False  # made on first visit, below

    def has_delete_permission(self, request, obj=None):
        # Only with the account itself: a superuser removing a user removes their settings too.
        return request.user.is_active and request.user.is_superuser

    def changelist_view(self, request, extra_context=None):
        """There is no list: straight to the signed-in person's own page."""
        if not self.has_module_permission(request):
            return super().changelist_view(request, extra_context)  # Django's refusal
        preference, _ = NotificationPreference.objects.get_or_create(user=request.user)
        return HttpResponseRedirect(preference.get_absolute_url())

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    def response_change(self, request, obj):
        self.message_user(request, "Your email notifications are saved.")
        return HttpResponseRedirect(obj.get_absolute_url())
