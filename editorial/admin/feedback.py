import csv

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from encyclopedia.models import Article

from ..models import Feedback, articles_with_feedback_figures
from ..services import feedback_assign, feedback_set_status
from .changelist import SturdyChangeListMixin
from .widgets import TEXT_AREAS

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


# Per-article figures come from readers' feedback and votes: only roles that may read those see them
# (the Feedback triager and superusers; not Editors or Medical reviewers).
FEEDBACK_FIGURES_PERMISSIONS = ("editorial.view_feedback", "editorial.view_vote")
FEEDBACK_FIGURES_FIELDS = ("feedback_count", "useful_share")


def may_see_feedback_figures(user) -> bool:
    return user.is_active and user.has_perms(FEEDBACK_FIGURES_PERMISSIONS)


def useful_share_text(share: float | None) -> str:
    return "–" if share is None else f"{round(share * 100)}%"


def mark_as(status: Feedback.Status, description: str):
    """A bulk action that moves the selected feedback to `status`."""

    @admin.action(description=description, permissions=["change"])
    def action(model_admin, request, queryset):
        changed = feedback_set_status(feedback=queryset, status=status, by=request.user)
        model_admin.message_user(request, f"{changed} feedback item(s) marked “{status.label}”.", messages.SUCCESS)

    action.__name__ = f"mark_{status.value}"
    return action


@admin.action(description="Assign selected to me", permissions=["change"])
def assign_to_me(model_admin, request, queryset):
    assigned = feedback_assign(feedback=queryset, assignee=request.user)
    model_admin.message_user(request, f"{assigned} feedback item(s) assigned to you.", messages.SUCCESS)


class HasMessageAboutArticleFilter(admin.SimpleListFilter):
    title = "about"
    parameter_name = "about"

    def lookups(self, request, model_admin):
        return [("article", "An article"), ("site", "The site in general")]

    def queryset(self, request, queryset):
        if self.value() == "article":
            return queryset.filter(article__isnull=False)
        if self.value() == "site":
            return queryset.filter(article__isnull=True)
        return queryset


@admin.register(Feedback)
class FeedbackAdmin(SturdyChangeListMixin, admin.ModelAdmin):
    formfield_overrides = TEXT_AREAS
    change_list_template = "editorial/admin/feedback_change_list.html"
    list_display = ["created_at", "status", "category", "article", "helpful", "short_message", "assignee"]
    list_filter = [
        "status",
        "category",
        ("article", admin.RelatedOnlyFieldListFilter),
        HasMessageAboutArticleFilter,
        "helpful",
        "created_at",
        ("assignee", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["article", "assignee"]
    search_fields = ["message", "name", "email", "article__title"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "created_at", "article_links", "category", "helpful", "message", "name", "email", "spam_reason",
        "resolved_at", "notified_at", "notification_error",
    ]  # fmt: skip
    fieldsets = [
        ("What the reader sent", {"fields": ["created_at", "article_links", "category", "helpful", "message"]}),
        ("Contact", {"fields": ["name", "email"]}),
        ("Triage", {"fields": ["status", "assignee", "editor_note", "spam_reason", "resolved_at"]}),
        ("Notification", {"fields": ["notified_at", "notification_error"], "classes": ["collapse"]}),
    ]
    actions = [
        mark_as(Feedback.Status.SPAM, "Mark selected as spam"),
        mark_as(Feedback.Status.RESOLVED, "Resolve selected"),
        mark_as(Feedback.Status.IN_PROGRESS, "Mark selected as in progress"),
        mark_as(Feedback.Status.NEW, "Mark selected as new (not spam)"),
        assign_to_me,
    ]

    def has_add_permission(self, request):
        return False  # feedback comes from readers

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assignee":
            kwargs["queryset"] = db_field.remote_field.model.objects.filter(is_staff=True, is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change and "status" in form.changed_data:
            # The same transition as the bulk actions, so that "resolved at" is kept right.
            feedback_set_status(feedback=Feedback.objects.filter(pk=obj.pk), status=obj.status, by=request.user)
            obj.resolved_at = Feedback.objects.values_list("resolved_at", flat=True).get(pk=obj.pk)
        super().save_model(request, obj, form, change)

    @admin.display(description="message")
    def short_message(self, feedback: Feedback) -> str:
        return feedback.message if len(feedback.message) <= 80 else feedback.message[:79] + "…"

    @admin.display(description="article")
    def article_links(self, feedback: Feedback) -> str:
        article = feedback.article
        if article is None:
            return "The site in general"
        return format_html(
            '{} – <a href="{}">edit in admin</a> · <a href="{}">public page</a>',
            article.title,
            reverse("admin:encyclopedia_article_change", args=[article.pk]),
            article.get_absolute_url(),
        )

    # CSV export and the least useful articles --------------------------------------------

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("export.csv", self.admin_site.admin_view(self.export_csv), name=f"{prefix}_export"),
            path("least-useful/", self.admin_site.admin_view(self.least_useful), name=f"{prefix}_least_useful"),
            *super().get_urls(),
        ]

    def export_csv(self, request):
        """The changelist as it is filtered, searched and sorted, as CSV."""
        if not self.has_view_permission(request):
            return HttpResponse(status=403)
        # The changelist reads only its own parameters from the query string.
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:  # the list answers these with its "invalid lookup" page
            return HttpResponseRedirect(f"{reverse('admin:editorial_feedback_changelist')}?{ERROR_FLAG}=1")
        rows = changelist.get_queryset(request).select_related("article", "assignee")
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="feedback-{timezone.localdate():%Y-%m-%d}.csv"'
        response.write("\ufeff")  # lets spreadsheet programs detect UTF-8
        writer = csv.writer(response)
        writer.writerow(
            ["id", "received", "status", "category", "article", "article URL", "useful", "message", "name",
             "email", "assignee", "internal notes"]
        )  # fmt: skip
        for feedback in rows:
            article = feedback.article
            writer.writerow(
                spreadsheet_safe(cell)
                for cell in [
                    feedback.pk, feedback.created_at.isoformat(), feedback.get_status_display(),
                    feedback.get_category_display(), article.title if article else "",
                    article.get_absolute_url() if article else "", feedback.get_helpful_display(),
                    feedback.message, feedback.name, feedback.email,
                    feedback.assignee.get_username() if feedback.assignee else "", feedback.editor_note,
                ]
            )  # fmt: skip
        return response

    def least_useful(self, request):
        if not may_see_feedback_figures(request.user):
            raise PermissionDenied
        try:
            minimum = max(1, int(request.GET.get("min", settings.FEEDBACK_LEAST_USEFUL_MIN_VOTES)))
        except ValueError:
            minimum = settings.FEEDBACK_LEAST_USEFUL_MIN_VOTES
        articles = least_useful_articles(minimum_votes=minimum)[:100]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Least useful articles",
            "minimum": minimum,
            "articles": [(article, useful_share_text(article.useful_share)) for article in articles],
        }
        return TemplateResponse(request, "editorial/admin/least_useful.html", context)


def least_useful_articles(*, minimum_votes: int) -> QuerySet:
    """Articles with at least `minimum_votes` answers, the smallest share of "yes" first."""
    return (
        articles_with_feedback_figures(Article.objects.all())
        .filter(vote_count__gte=minimum_votes)
        .order_by("useful_share", "-vote_count", "title")
        .only("kind", "slug", "title", "status")
    )


class ArticleFeedbackFiguresMixin:
    """For the article admin: the count of feedback and the share of "useful" answers, as
    sortable columns and read-only fields, from one annotated query.

        class ArticleAdmin(ArticleFeedbackFiguresMixin, admin.ModelAdmin):
            list_display = [..., "feedback_count", "useful_share"]
            readonly_fields = [..., "feedback_count", "useful_share"]
    """

    def get_queryset(self, request):
        return articles_with_feedback_figures(super().get_queryset(request))

    # Without the permissions, the columns and the "Reader feedback" fields are left out.

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        if may_see_feedback_figures(request.user):
            return shown
        return [name for name in shown if name not in FEEDBACK_FIGURES_FIELDS]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if may_see_feedback_figures(request.user):
            return fieldsets
        kept = []
        for name, options in fieldsets:
            fields = [field for field in options.get("fields", ()) if field not in FEEDBACK_FIGURES_FIELDS]
            if fields:
                kept.append((name, {**options, "fields": fields}))
        return kept

    @admin.display(description="feedback", ordering="feedback_count")
    def feedback_count(self, article: Article) -> str:
        count = getattr(article, "feedback_count", None)
        if count is None:  # an unsaved article
            return "–"
        url = reverse("admin:editorial_feedback_changelist") + f"?article__id__exact={article.pk}"
        return format_html('<a href="{}">{}</a>', url, count)

    @admin.display(description="useful", ordering="useful_share")
    def useful_share(self, article: Article) -> str:
        share = getattr(article, "useful_share", None)
        votes = getattr(article, "vote_count", 0) or 0
        return f"{useful_share_text(share)} of {votes}" if votes else "no answers yet"
