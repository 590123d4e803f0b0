"""The editors' admin site: its home page is each person's desk (editorial/desk.py), with the list of
everything they may open below it, and "How the encyclopedia is doing" beside it.

Outside the admin package on purpose: Django builds this site when a ModelAdmin first registers with
`admin.site`, and importing editorial.admin from here would register them on a half-built site."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from . import charts
from .desk import desk, is_reviewer, is_writer, may_see_feedback, may_see_search_misses


class EditorsAdminSite(admin.AdminSite):
    site_header = "Encyclopedia editors"
    site_title = "Encyclopedia editors"
    index_title = "Your desk"
    index_template = "admin/desk.html"

    def get_urls(self):
        return [path("doing/", self.admin_view(self.doing_view), name="doing"), *super().get_urls()]

    def index(self, request, extra_context=None):
        user = request.user
        today = timezone.localdate()
        context = {
            "desk": desk(user),
            "feedback_chart": charts.feedback_per_week(today) if may_see_feedback(user) else None,
            "reviews_chart": charts.reviews_due_per_month(today) if is_reviewer(user) else None,
            **(extra_context or {}),
        }
        return super().index(request, context)

    def doing_view(self, request):
        """ "How the encyclopedia is doing": each picture for those who may read its figures."""
        user = request.user
        sees_articles = user.has_perm("encyclopedia.view_article")
        if not (sees_articles or may_see_feedback(user) or may_see_search_misses(user)):
            raise PermissionDenied
        today = timezone.localdate()
        context = {
            **self.each_context(request),
            "title": "How the encyclopedia is doing",
            "today": today,
            "feedback_chart": charts.feedback_per_week(today) if may_see_feedback(user) else None,
            "reviews_chart": charts.reviews_due_per_month(today) if sees_articles else None,
            "kinds_chart": charts.articles_by_kind_and_state() if sees_articles else None,
            "misses_chart": charts.search_misses_per_week(today) if may_see_search_misses(user) else None,
            "writer": is_writer(user),
        }
        return TemplateResponse(request, "admin/doing.html", context)
