"""The reading check in the article admin: the live panel beside the body (its figures come from
`reading_view`, called by static/js/reading-check.js as the editor types), the figures stored with this
version and the previous published one for the reviewer, and the list's reading-age column."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Case, Value, When
from django.http import HttpResponseNotAllowed, JsonResponse
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache

from encyclopedia.models import Article, SiteSettings, Status

from .. import workflow
from ..reading import over_target, previous_published_figures, reading_check
from .article_form import posted_inline_rows


class ArticleReadingMixin:
    def reading_urls(self):
        return [
            path("reading/", self.admin_site.admin_view(self.reading_view), name="encyclopedia_article_reading"),
        ]

    @method_decorator(never_cache)
    def reading_view(self, request):
        """POST the change form as it is now: its reading figures, highlights and author checks, as JSON."""
        if not request.user.has_perm(workflow.CHANGE_PERMISSION):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        faqs = [(row["question"], row["answer"]) for row in posted_inline_rows(request.POST, "faqs") or []]
        return JsonResponse(
            reading_check(
                title=request.POST.get("title", ""),
                kind=request.POST.get("kind", ""),
                summary=request.POST.get("summary", ""),
                body=request.POST.get("body", ""),
                faqs=faqs,
            )  # fmt: skip
        )

    @admin.display(description="reading check")
    def reading_panel(self, article: Article) -> str:
        target, override_required = SiteSettings.reading_rules()
        saved = article.reading_figures if article.pk else None
        return render_to_string(
            "admin/encyclopedia/article/includes/reading.html",
            {
                "url": reverse("admin:encyclopedia_article_reading"),
                "target": target,
                "override_required": override_required,
                "saved": saved or None,
                "saved_over_target": bool(saved) and over_target(article.reading_age, target),
                "previous": previous_published_figures(article),
                "published": article.status == Status.PUBLISHED,
            },
        )

    # The list.

    def with_reading_target(self, queryset):
        target = SiteSettings.reading_rules()[0]
        over = Case(When(reading_age__gt=target, then=Value(True)), default=Value(False), output_field=BooleanField())
        return queryset.annotate(reading_over_target=over, reading_target=Value(target))

    @admin.display(description="reading age", ordering="reading_age")
    def reading_age_column(self, article: Article) -> str:
        if article.reading_age is None:
            return self.get_empty_value_display()
        if article.reading_over_target:
            return f"{article.reading_age:.1f} · over the target ({article.reading_target})"
        return f"{article.reading_age:.1f}"
