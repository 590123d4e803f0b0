import csv

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html

from encyclopedia.models import Article

from ..models import Feedback, FeedbackNote, FeedbackReply, articles_with_feedback_figures
from ..services import feedback_assign, feedback_note_add, feedback_reply, feedback_set_status
from .changelist import SturdyChangeListMixin
from .widgets import TEXT_AREAS

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


# Per-article figures come from readers' feedback and votes: only roles that may read those see them
# (every role that reads feedback: the Feedback triager, Editors, Medical reviewers and superusers).
FEEDBACK_FIGURES_PERMISSIONS = ("editorial.view_feedback", "editorial.view_vote")
FEEDBACK_FIGURES_FIELDS = ("feedback_count", "useful_share")
ARTICLE_ADMIN_PERMISSION = "encyclopedia.view_article"


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


class StatusFilter(admin.SimpleListFilter):
    """Status, with spam left out until asked for: the default view is the work to do."""

    title = "status"
    parameter_name = "status__exact"  # the field filter's own parameter, so links to ?status__exact=new keep working
    EVERYTHING = "all"

    def lookups(self, request, model_admin):
        return [(self.EVERYTHING, "All, spam included"), *Feedback.Status.choices]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset.not_spam()  # feedback_not_spam_idx
        if self.value() == self.EVERYTHING:
            return queryset
        return queryset.filter(status=self.value())  # feedback_triage_idx

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "All but spam",
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class AssignedFilter(admin.SimpleListFilter):
    title = "assigned"
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", "Assigned to me"), ("nobody", "Not assigned")]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assignee=request.user)  # feedback_assignee_idx
        if self.value() == "nobody":
            return queryset.filter(assignee__isnull=True)
        return queryset


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


def may_triage(user) -> bool:
    """Change status and assignee, write notes, answer readers: the Feedback triager's work."""
    return user.is_active and user.has_perm("editorial.change_feedback")


class FeedbackNoteInline(admin.StackedInline):
    """The internal notes as a thread: written notes are read-only, a new one goes below them."""

    model = FeedbackNote
    fields = ["written", "written_by", "body"]
    readonly_fields = ["written", "written_by"]
    formfield_overrides = TEXT_AREAS
    extra = 1
    verbose_name = "internal note"
    verbose_name_plural = "internal notes (never shown to the reader)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    @admin.display(description="written")
    def written(self, entry) -> str:
        return formats.localize(timezone.localtime(entry.created_at)) if entry.pk else "(when saved)"

    @admin.display(description="by")
    def written_by(self, entry) -> str:
        """The name only: a link to the user's admin page would be a 403 for most who read it."""
        if entry.pk is None:
            return "(you)"
        author = entry.author
        return (author.get_full_name() or author.get_username()) if author else "(unknown)"

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("editorial.view_feedback")

    def has_add_permission(self, request, obj=None):
        return may_triage(request.user)

    def has_change_permission(self, request, obj=None):
        return False  # a thread: what was written stays as written

    def has_delete_permission(self, request, obj=None):
        return False


class FeedbackReplyInline(FeedbackNoteInline):
    """Answers emailed to the reader; one more can be written while they left an address."""

    model = FeedbackReply
    verbose_name = "reply to the reader"
    verbose_name_plural = "replies to the reader (emailed to the address they gave, once saved)"

    def has_add_permission(self, request, obj=None):
        return may_triage(request.user) and obj is not None and bool(obj.email) and obj.status != Feedback.Status.SPAM


@admin.register(Feedback)
class FeedbackAdmin(SturdyChangeListMixin, admin.ModelAdmin):
    formfield_overrides = TEXT_AREAS
    change_list_template = "editorial/admin/feedback_change_list.html"
    list_display = ["created_at", "status", "category", "article_link", "useful", "short_message", "assignee"]
    # No filter lists the articles or dates found in the feedback: at 100,000 rows each would read them all
    # on every page. ?article__id__exact=N (the article admin's link) and the search find an article's.
    list_filter = [
        StatusFilter,
        AssignedFilter,
        "category",
        HasMessageAboutArticleFilter,
        "helpful",
        "created_at",
        ("assignee", admin.RelatedFieldListFilter),
    ]
    list_select_related = ["article", "assignee"]
    list_per_page = 50
    show_full_result_count = False  # one count of the filtered list is enough
    search_fields = ["message", "name", "email", "article__title"]
    readonly_fields = [
        "created_at", "article_links", "article_links_for_editors", "category", "helpful", "message", "name",
        "email", "spam_reason", "resolved_at", "notified_at", "notification_error",
    ]  # fmt: skip
    fieldsets = [
        ("What the reader sent", {"fields": ["created_at", "article_links", "category", "helpful", "message"]}),
        ("Contact", {"fields": ["name", "email"]}),
        ("Triage", {"fields": ["status", "assignee", "spam_reason", "resolved_at"]}),
        ("Notification", {"fields": ["notified_at", "notification_error"], "classes": ["collapse"]}),
    ]
    inlines = [FeedbackNoteInline, FeedbackReplyInline]
    actions = [
        mark_as(Feedback.Status.SPAM, "Mark selected as spam"),
        mark_as(Feedback.Status.RESOLVED, "Resolve selected"),
        mark_as(Feedback.Status.IN_PROGRESS, "Mark selected as in progress"),
        mark_as(Feedback.Status.NEW, "Mark selected as new (not spam)"),
        assign_to_me,
    ]

    class Media:
        css = {"all": ["css/admin.css"]}

    def has_add_permission(self, request):
        return False  # feedback comes from readers

    def get_queryset(self, request):
        feedback = super().get_queryset(request)
        # Editors and reviewers read what readers say about articles; the rest is the triagers'.
        return feedback if may_triage(request.user) else feedback.filter(article__isnull=False)

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        # Nor can the reader's name and address be found by searching for them.
        return fields if may_triage(request.user) else [field for field in fields if field not in {"name", "email"}]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.has_perm(ARTICLE_ADMIN_PERMISSION):
            fieldsets = [
                (name, {**options, "fields": [
                    "article_links_for_editors" if field == "article_links" else field for field in options["fields"]
                ]})
                for name, options in fieldsets
            ]  # fmt: skip
        if not may_triage(request.user):
            # The reader's name and address are for whoever answers them.
            fieldsets = [(name, options) for name, options in fieldsets if name not in {"Contact", "Notification"}]
        return fieldsets

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

    def save_formset(self, request, form, formset, change):
        """New notes and replies go through their service: the author is who is signed in, and a
        reply is emailed once the whole page is saved (the admin's transaction commits)."""
        write = {FeedbackNote: feedback_note_add, FeedbackReply: feedback_reply}[formset.model]
        for written in formset.save(commit=False):
            write(feedback=form.instance, by=request.user, body=written.body)

    @admin.display(description="useful?", ordering="helpful")
    def useful(self, feedback: Feedback) -> str:
        return feedback.get_helpful_display() or "–"

    @admin.display(description="message")
    def short_message(self, feedback: Feedback) -> str:
        return feedback.message if len(feedback.message) <= 300 else feedback.message[:299] + "…"

    @admin.display(description="article")
    def article_link(self, feedback: Feedback) -> str:
        """The public page: everyone who reads feedback can open it (a triager cannot open the article admin)."""
        article = feedback.article
        if article is None:
            return "–"
        return format_html('<a href="{}">{}</a>', article.get_absolute_url(), article.title)

    @admin.display(description="article")
    def article_links(self, feedback: Feedback) -> str:
        article = feedback.article
        if article is None:
            return "The site in general"
        return format_html('{} – <a href="{}">public page</a>', article.title, article.get_absolute_url())

    @admin.display(description="article")
    def article_links_for_editors(self, feedback: Feedback) -> str:
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
        rows = (
            changelist.get_queryset(request)
            .select_related("article", "assignee")
            .prefetch_related(Prefetch("notes", FeedbackNote.objects.select_related("author")))
        )
        contact = may_triage(request.user)  # the reader's name and address are for whoever answers them
        site = settings.FEEDBACK_SITE_URL.rstrip("/")
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="feedback-{timezone.localdate():%Y-%m-%d}.csv"'
        response.write("\ufeff")  # lets spreadsheet programs detect UTF-8
        writer = csv.writer(response)
        writer.writerow(
            ["id", "received", "status", "category", "article", "article URL", "useful", "message",
             *(["name", "email"] if contact else []), "assignee", "internal notes"]
        )  # fmt: skip
        for feedback in rows.iterator(chunk_size=2000):
            article = feedback.article
            notes = "\n".join(
                f"{note.created_at:%Y-%m-%d %H:%M} {note.author.get_username() if note.author else '(unknown)'}: "
                f"{note.body}"
                for note in feedback.notes.all()
            )
            writer.writerow(
                spreadsheet_safe(cell)
                for cell in [
                    feedback.pk, feedback.created_at.isoformat(), feedback.get_status_display(),
                    feedback.get_category_display(), article.title if article else "",
                    site + article.get_absolute_url() if article else "", feedback.get_helpful_display(),
                    feedback.message, *([feedback.name, feedback.email] if contact else []),
                    feedback.assignee.get_username() if feedback.assignee else "", notes,
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
