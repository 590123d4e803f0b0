"""The article list's filters."""

from django.contrib import admin
from django.utils import timezone

from encyclopedia.models import SiteSettings, Status

from ..desk import ARTICLE_LISTS, article_list


class StatusFilter(admin.SimpleListFilter):
    """The list's states: an article's own, and whether changes to it wait in a working copy."""

    title = "status"
    parameter_name = "status"
    STATES = {
        "draft": ("Draft", {"status": Status.DRAFT}),
        "in_review": ("In review", {"status": Status.IN_REVIEW}),
        "changes_requested": ("Changes requested", {"status": Status.CHANGES_REQUESTED}),
        "published": ("Published", {"status": Status.PUBLISHED}),
        "changes": ("Published, with changes in a working copy", {"working_copy__isnull": False}),
        "changes_in_review": ("Published, with changes in review", {"working_copy__status": Status.IN_REVIEW}),
        "changes_sent_back": (
            "Published, with changes sent back",
            {"working_copy__status": Status.CHANGES_REQUESTED},
        ),
    }

    def lookups(self, request, model_admin):
        return [(value, label) for value, (label, _) in self.STATES.items()]

    def queryset(self, request, queryset):
        if self.value() in self.STATES:
            return queryset.filter(**self.STATES[self.value()][1])
        return queryset


class ReviewDueFilter(admin.SimpleListFilter):
    title = "medical review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", "Review overdue"), ("due_soon", "Due within 30 days"), ("never", "Never reviewed")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.review_overdue(today)
        if self.value() == "due_soon":
            return queryset.review_due_within(30, today)
        if self.value() == "never":
            return queryset.filter(last_reviewed_on__isnull=True)
        return queryset


class ReadingAgeFilter(admin.SimpleListFilter):
    title = "reading age"
    parameter_name = "reading"

    def lookups(self, request, model_admin):
        return [("over", "Over the target"), ("within", "Within the target"), ("unmeasured", "No text to measure")]

    def queryset(self, request, queryset):
        if self.value() == "unmeasured":
            return queryset.filter(reading_age__isnull=True)
        if self.value() not in {"over", "within"}:
            return queryset
        target = SiteSettings.reading_rules()[0]
        if self.value() == "over":
            return queryset.over_reading_target(target)
        return queryset.filter(reading_age__lte=target)


class DeskFilter(admin.SimpleListFilter):
    """The lists the desk counts (editorial/desk.py), so each count on it links to exactly its items."""

    title = "on the desk"
    parameter_name = "desk"

    def lookups(self, request, model_admin):
        return [(value, desk_list.label) for value, desk_list in ARTICLE_LISTS.items()]

    def queryset(self, request, queryset):
        if self.value() in ARTICLE_LISTS:
            return article_list(queryset, self.value(), request.user)
        return queryset
