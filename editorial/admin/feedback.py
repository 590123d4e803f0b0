from django.contrib import admin, messages

from ..models import Feedback
from .widgets import TEXT_AREAS


def mark_as(status: Feedback.Status):
    """A bulk action that moves the selected feedback to `status`."""

    @admin.action(description=f"Mark selected as {status.label.lower()}", permissions=["change"])
    def action(model_admin, request, queryset):
        updated = queryset.update(status=status)
        model_admin.message_user(request, f"{updated} feedback item(s) marked “{status.label}”.", messages.SUCCESS)

    action.__name__ = f"mark_{status.value}"
    return action


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    formfield_overrides = TEXT_AREAS
    list_display = ["created_at", "article", "helpful", "short_message", "status"]
    list_filter = ["status", "helpful", "created_at"]
    list_select_related = ["article"]
    search_fields = ["message", "name", "email", "article__title"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "article", "helpful", "message", "name", "email"]
    fields = ["created_at", "article", "helpful", "message", "name", "email", "status", "editor_note"]
    actions = [mark_as(status) for status in Feedback.Status]

    def has_add_permission(self, request):
        return False  # feedback comes from readers

    @admin.display(description="message")
    def short_message(self, feedback: Feedback) -> str:
        return feedback.message if len(feedback.message) <= 80 else feedback.message[:79] + "…"
