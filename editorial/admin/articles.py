from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.forms.formsets import all_valid
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.views.decorators.cache import never_cache
from reversion.admin import VersionAdmin
from reversion.models import Version

from encyclopedia import article_images
from encyclopedia.article_page import preview_page
from encyclopedia.links import link_problems
from encyclopedia.models import FAQ, Article, SiteSettings, Status
from encyclopedia.signals import parts_saved_together

from .. import revisions, workflow
from ..workflow import TRANSITIONS, available_transitions, can_publish
from .article_filters import DeskFilter, ReadingAgeFilter, ReviewDueFilter, StatusFilter
from .article_form import SCHEDULE_FORMAT, TRANSITION_LABELS, ArticleAdminForm, transition_label
from .article_inlines import AlternativeNameInline, FAQInline, MedicalCodeInline, SourceInline
from .article_reading import ArticleReadingMixin
from .article_steps import ArticleStepsMixin
from .changelist import SturdyChangeList, SturdyChangeListMixin
from .feedback import ArticleFeedbackFiguresMixin
from .widgets import TEXT_AREAS


class ArticleChangeList(SturdyChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        # One row per article: a working copy shows as its live article's state.
        return super().get_queryset(request, exclude_parameters).articles()


@admin.register(Article)
class ArticleAdmin(
    SturdyChangeListMixin, ArticleFeedbackFiguresMixin, ArticleStepsMixin, ArticleReadingMixin, VersionAdmin
):
    form = ArticleAdminForm
    formfield_overrides = TEXT_AREAS
    inlines = [AlternativeNameInline, FAQInline, SourceInline, MedicalCodeInline]
    list_display = [
        "title", "kind", "publication", "updated_at", "next_review_due", "reading_age_column", "faq_count",
        "feedback_count", "useful_share",
    ]  # fmt: skip
    list_filter = ["kind", StatusFilter, ReviewDueFilter, ReadingAgeFilter, DeskFilter]
    list_select_related = ["reviewed_by"]
    search_fields = ["title", "alternative_names__name"]
    autocomplete_fields = ["related"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "updated_at"
    save_on_top = True
    change_form_template = "admin/encyclopedia/article/change_form.html"
    object_history_template = "admin/encyclopedia/article/object_history.html"
    actions = ["submit_for_review", "approve_and_publish", "unpublish", "record_review"]
    fieldsets = [
        (None, {"fields": ["kind", "title", "slug", "summary", "body", "reading_panel"]}),
        ("Related articles", {"fields": ["related"]}),
        (
            "Publication",
            {
                "fields": ["status", "published_at", "updated_at", "minor_edit", "show_promotion"],
                "description": "“Published at” in the future schedules the article, or on a working copy the change: "
                "readers see it from that moment.",
            },
        ),
        (
            "Review",
            {
                "fields": [
                    "workflow_comment",
                    *("reading_override", "reading_override_reason"),
                    "last_reviewed_on",
                    "reviewer_name",
                    "next_review_due",
                    "internal_links",
                    "images_shown",
                    *("base_version", "base_revision", "conflict_fields", "conflict_base_revision"),
                ],
            },
        ),
        ("Reader feedback", {"fields": ["feedback_count", "useful_share"]}),
        ("Identity", {"fields": ["uuid", "created_at"], "classes": ["collapse"]}),
    ]

    class Media:
        css = {"all": ["css/admin.css", "css/reading-check.css"]}
        js = [
            "js/admin-markdownx-inlines.js",
            "js/article-form-keeper.js",
            "js/reading-check.js",
            "js/markdownx-upload.js",
        ]

    # Who may do what. Status only ever changes through the workflow functions.

    def get_fieldsets(self, request, obj=None):
        # The reading-age override is the approving reviewer's, when the site settings ask for one.
        fieldsets = super().get_fieldsets(request, obj)
        if can_publish(request.user) and SiteSettings.reading_rules()[1]:
            return fieldsets
        override = {"reading_override", "reading_override_reason"}
        return [(name, {**options, "fields": [f for f in options["fields"] if f not in override]})
                for name, options in fieldsets]  # fmt: skip

    def get_readonly_fields(self, request, obj=None):
        # Review data changes only through "record a medical review", which names the reviewer.
        readonly = [
            *("uuid", "created_at", "status", "last_reviewed_on", "reviewed_by", "next_review_due", "reviewer_name"),
            *("internal_links", "images_shown", "feedback_count", "useful_share", "reading_panel"),
        ]
        if not can_publish(request.user):
            readonly.append("published_at")  # scheduling is part of publishing
        return readonly

    def has_change_permission(self, request, obj=None):
        # Drafts, and in review with a reviewer; a published article changes through its working copy.
        return super().has_change_permission(request, obj) and workflow.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return workflow.can_delete(request.user)

    def has_publish_permission(self, request) -> bool:
        return can_publish(request.user)

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        # Deleting needs a reason for each article: one at a time, from its own page.
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)
        return actions

    def delete_model(self, request, obj):
        raise PermissionDenied("Articles are deleted by workflow.article_delete, with a reason.")

    def delete_queryset(self, request, queryset):
        raise PermissionDenied("Articles are deleted by workflow.article_delete, with a reason.")

    def get_view_on_site_url(self, obj=None):
        # Readers' page only for what readers can see; anything else (a draft, an article in
        # review or scheduled) would be a 404 there, so it opens the staff preview.
        if obj is not None and not Article.objects.published().filter(pk=obj.pk).exists():
            return reverse("admin:encyclopedia_article_preview", args=[obj.pk])
        return super().get_view_on_site_url(obj)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    # The list.

    def get_queryset(self, request):
        # A subquery, not Count("faqs"): searching joins alternative names, and a join would
        # multiply the count by them. Title, then pk: the related-articles autocomplete pages through this.
        faqs = FAQ.objects.filter(article=OuterRef("pk")).order_by().values("article").annotate(n=Count("pk"))
        faq_count = Coalesce(Subquery(faqs.values("n")[:1]), Value(0))
        articles = super().get_queryset(request).select_related("working_copy")
        return self.with_reading_target(articles.annotate(faq_count=faq_count)).order_by("sort_title", "pk")

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def get_search_results(self, request, queryset, search_term):
        # Working copies are reached from their live article, never listed or offered as related articles.
        queryset, may_have_duplicates = super().get_search_results(request, queryset.articles(), search_term)
        return queryset, may_have_duplicates

    @admin.display(description="FAQs", ordering="faq_count")
    def faq_count(self, article: Article) -> int:
        return article.faq_count

    @admin.display(description="reviewed by")
    def reviewer_name(self, article: Article) -> str:
        # Text, not the admin's link to the user's page: most reviewers may not open it.
        reviewer = article.reviewed_by
        return (reviewer.get_full_name() or reviewer.get_username()) if reviewer else self.get_empty_value_display()

    @admin.display(description="links to other articles")
    def internal_links(self, article: Article) -> str:
        if not article.pk:
            return "Checked after the first save."
        problems = link_problems(article)
        if not problems:
            return "All links work."
        return format_html(
            "These links show as plain text to readers:<ul>{}</ul>",
            format_html_join("", "<li>{}</li>", ((problem,) for problem in problems)),
        )

    @admin.display(description="images from the media library")
    def images_shown(self, article: Article) -> str:
        images = article_images.images_of(article) if article.pk else []
        if not images:
            return "None (checked after each save)."
        rows = []
        for image in images:
            problems = article_images.images_needing_details([image]) + image.is_publishable()
            rows.append((image.title, " ".join(problems) or "Described, credited and cleared."))
        return format_html("Saved text shows:<ul>{}</ul>", format_html_join("", "<li>“{}”: {}</li>", rows))

    @admin.display(description="status", ordering="status")
    def publication(self, article: Article) -> str:
        if article.is_scheduled:
            state = f"Scheduled for {timezone.localtime(article.published_at):%d %b %Y %H:%M}"
        else:
            state = article.get_status_display()
        copy = getattr(article, "working_copy", None)
        if copy is not None:
            changes = {
                Status.IN_REVIEW: "changes in review",
                Status.CHANGES_REQUESTED: "changes sent back",
                Status.SCHEDULED_CHANGE: f"changes scheduled for {timezone.localtime(copy.published_at):%d %b %Y %H:%M}",
            }.get(copy.status, "changes in draft")
            state = f"{state} · {changes}"
        return state

    # Saving.

    def save_formset(self, request, form, formset, change):
        if formset.prefix in form.inlines_kept_as_stored:  # "keep theirs" in an edit conflict: rows stay as stored
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            return
        super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        with parts_saved_together():
            super().save_related(request, form, formsets, change)
        article = form.instance
        # A substantive edit (of the article or any inline) moves "Last updated" to now,
        # unless the editor ticked "minor edit" or set the date by hand.
        edited = bool(set(form.changed_data) - {"updated_at"}) or any(formset.has_changed() for formset in formsets)
        set_by_hand = "updated_at" in form.changed_data
        if change and edited and not form.cleaned_data["minor_edit"] and not set_by_hand:
            article.updated_at = timezone.now()
            article.save(update_fields=["updated_at"])
        elif any(formset.has_changed() for formset in formsets):
            article.save(update_fields=list(Article.READING_FIELDS))  # the figures read the FAQs just saved
        if edited or not change:
            workflow.record_event(
                article=article, by=request.user, action=workflow.Action.SAVE, from_status=article.status,
                comment="" if form.cleaned_data.get("transition") else form.cleaned_data["workflow_comment"],
            )  # fmt: skip
        request.workflow_step = (form.cleaned_data.get("transition"), form.cleaned_data["workflow_comment"])
        request.reading_override_reason = (
            form.cleaned_data["reading_override_reason"] if form.cleaned_data.get("reading_override") else ""
        )

    def response_add(self, request, obj, post_url_continue=None):
        return self._after_step(request, obj) or super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        return self._after_step(request, obj) or super().response_change(request, obj)

    def _after_step(self, request, article: Article):
        """Apply the workflow button pressed with the save, once the save is complete. Approving a working
        copy leaves its live article: the editor is taken there."""
        name, comment = getattr(request, "workflow_step", (None, ""))
        if not name:
            return None
        try:
            extra = {"reading_override_reason": request.reading_override_reason} if name == "approve" else {}
            after = TRANSITIONS[name](article=article, by=request.user, comment=comment, **extra)
        except (ValidationError, PermissionDenied) as error:
            self.message_user(request, " ".join(getattr(error, "messages", [str(error)])), messages.ERROR)
            return None
        if name == "approve" and (after.is_scheduled or after.status == Status.SCHEDULED_CHANGE):
            when = f"{timezone.localtime(after.published_at):{SCHEDULE_FORMAT}}"
            messages.success(request, f"“{after}”: approved and scheduled for {when}.")
        else:
            messages.success(request, f"“{after}”: {TRANSITION_LABELS[name].lower()} done.")
        if after.pk != article.pk:
            return redirect("admin:encyclopedia_article_change", after.pk)
        return None

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        form.show_merged_inlines(context.get("inline_admin_formsets", []))
        names = (
            available_transitions(obj or Article(), request.user) if self.has_change_permission(request, obj) else []
        )
        context.update(
            transitions=[(name, transition_label(name, published_at=form.published_at)) for name in names],
            # The step this person is there for, styled like Save: a reviewer approves, an editor submits.
            main_transition=next((name for name in ("approve", "submit") if name in names), None),
            workflow_events=self._events_of(obj),
            conflict=form.conflict,
            working_copy=getattr(obj, "working_copy", None) if obj and not obj.is_working_copy else None,
            may_start_working_copy=bool(obj) and obj.status == Status.PUBLISHED and workflow.can_edit(request.user),
            may_discard=bool(obj) and obj.is_working_copy and self.has_change_permission(request, obj),
            # A page that cannot be saved still offers the steps that change no content (unpublish, review).
            read_only_steps=[
                (name, TRANSITION_LABELS[name])
                for name in available_transitions(obj, request.user)
                if name in workflow.STEPS_WITHOUT_CONTENT
            ]
            if obj and not self.has_change_permission(request, obj)
            else [],
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    @staticmethod
    def _events_of(article: Article | None):
        if article is None:
            return []
        live = article.live_article if article.is_working_copy else article
        return live.workflow_events.select_related("by")[:10]

    # Bulk actions: the same functions as the buttons.

    def _apply(self, request, queryset, name: str) -> None:
        done = 0
        for article in queryset:
            try:
                TRANSITIONS[name](article=article, by=request.user)
                done += 1
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, " ".join(getattr(error, "messages", [str(error)])), messages.ERROR)
        if done:
            self.message_user(request, f"{TRANSITION_LABELS[name]}: {done} article(s).", messages.SUCCESS)

    @admin.action(description="Submit selected articles for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._apply(request, queryset, "submit")

    @admin.action(description="Approve and publish selected articles", permissions=["publish"])
    def approve_and_publish(self, request, queryset):
        self._apply(request, queryset, "approve")

    @admin.action(description="Record a medical review today for the selected articles", permissions=["publish"])
    def record_review(self, request, queryset):
        self._apply(request, queryset, "review")

    @admin.action(description="Unpublish selected articles", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._apply(request, queryset, "unpublish")

    # Preview and revision comparison.

    def get_urls(self):
        return [
            path("preview/", self.admin_site.admin_view(self.preview_view), name="encyclopedia_article_preview"),
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="encyclopedia_article_preview",
            ),
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="encyclopedia_article_compare",
            ),
            path(
                "<path:object_id>/working-copy/",
                self.admin_site.admin_view(self.working_copy_view),
                name="encyclopedia_article_working_copy",
            ),
            path(
                "<path:object_id>/step/", self.admin_site.admin_view(self.step_view), name="encyclopedia_article_step"
            ),
            path(
                "<path:object_id>/discard/",
                self.admin_site.admin_view(self.discard_view),
                name="encyclopedia_article_discard",
            ),
            *self.reading_urls(),
            *super().get_urls(),
        ]

    @method_decorator(never_cache)
    def preview_view(self, request, object_id=None):
        """The article exactly as readers would see it: saved (GET) or the change form's unsaved state (POST)."""
        obj = self.get_object(request, object_id) if object_id else None
        if object_id and obj is None:
            raise PermissionDenied
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        if request.method != "POST":
            if obj is None:  # the add form's preview has nothing saved to show: it only previews a POSTed form
                return HttpResponseNotAllowed(["POST"])
            return self._render_preview(request, obj)
        # Unsaved changes exist only where the user may make them (not on a read-only page).
        if not (self.has_change_permission(request, obj) if obj else self.has_add_permission(request)):
            raise PermissionDenied
        # Save the form's state in a transaction that is always rolled back, so the page
        # is rendered by the very code readers get, from data that never persists.
        with transaction.atomic():
            form_class = self.get_form(request, obj, change=obj is not None)
            form_class.is_preview = True
            form = form_class(request.POST, instance=obj or Article())
            formsets, inlines = self._create_formsets(request, form.instance, change=obj is not None)
            valid = form.is_valid() and all_valid(formsets)
            if valid:
                article = form.save()
                for formset in formsets:
                    formset.instance = article
                    formset.save()
                response = self._render_preview(request, article)
            transaction.set_rollback(True)
        if not valid:
            # Outside the rolled-back transaction: the admin's page needs queries of its own.
            return self._preview_errors(request, object_id, form, formsets, inlines)
        return response

    def _preview_errors(self, request, object_id, form, formsets, inlines):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "The preview cannot be shown yet",
            # Validation wrote the unsaved values into the form's instance; name the article as saved.
            "object": self.get_object(request, object_id) if object_id else None,
            "form": form,
            "inline_errors": _inline_errors(formsets, inlines),
        }
        return TemplateResponse(request, "admin/encyclopedia/article/preview_errors.html", context, status=400)

    def _render_preview(self, request, article: Article):
        page = preview_page(article.pk)
        context = {"page": page, "article": page.article, "preview": True}
        response = render(request, "encyclopedia/article_detail.html", context)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def history_view(self, request, object_id, extra_context=None):
        # reversion's history, with each revision's id so that two can be picked for comparison.
        versions = Version.objects.get_for_object_reference(Article, unquote(object_id)).select_related(
            "revision__user"
        )
        action_list = [
            {
                "revision": version.revision,
                "version_id": version.pk,
                "url": reverse("admin:encyclopedia_article_revision", args=[object_id, version.pk]),
            }
            for version in versions
        ]
        return admin.ModelAdmin.history_view(
            self, request, object_id, {"action_list": action_list, **(extra_context or {})}
        )

    def compare_view(self, request, object_id):
        article = self._article_or_404(request, object_id)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        versions = Version.objects.get_for_object(article).select_related("revision__user")
        try:
            old = versions.get(pk=request.GET.get("from"))
            new = versions.get(pk=request.GET.get("to"))
        except (Version.DoesNotExist, ValueError):
            self.message_user(request, "Choose two revisions to compare.", messages.WARNING)
            return self.history_view(request, object_id)
        if old.revision.date_created > new.revision.date_created:
            old, new = new, old
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": article,
            "title": f"Compare revisions of “{article}”",
            "old": old,
            "new": new,
            "fields": revisions.diff(old, new),
        }
        return TemplateResponse(request, "admin/encyclopedia/article/compare.html", context)


def _inline_errors(formsets, inlines) -> list[dict]:
    """The inline forms' errors with the labels the editor sees: the inline's name, the row
    number and the field's label (None for errors about a whole row or the whole inline)."""
    errors = []
    for formset, inline in zip(formsets, inlines, strict=True):
        where = {"inline": capfirst(inline.verbose_name_plural)}
        errors += [{**where, "row": None, "field": None, "message": message} for message in formset.non_form_errors()]
        for number, form in enumerate(formset.forms, start=1):
            for name, messages_ in form.errors.items():
                label = form[name].label if name in form.fields else None
                errors += [{**where, "row": number, "field": label, "message": message} for message in messages_]
    return errors
