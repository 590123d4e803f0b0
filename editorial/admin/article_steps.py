"""The article admin's pages for workflow steps other than the form's buttons: working copies, old
revisions, deleting and recovering. Each page calls a function of editorial.workflow, the one gate;
none writes anything itself. These replace django-reversion's own revision and recover views, which
wrote old rows back directly, status and review data included."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from encyclopedia.models import Article

from .. import revisions, workflow
from ..workflow import can_publish


class ArticleStepsMixin:
    # Working copies, restoring, deleting and recovering: each a step of the workflow, never a write of its own.

    def _article_or_404(self, request, object_id, *, working_copy: bool | None = None) -> Article:
        """The article at this admin address (a working copy or not, when asked), or 404: an id that is no
        article, a word or 30 digits included, is not found rather than an error."""
        article = self.get_object(request, unquote(object_id))
        if article is None or (working_copy is not None and article.is_working_copy != working_copy):
            raise Http404("No such article.")
        return article

    def _step_or_message(self, request, step, fallback):
        """Run a workflow step; a refusal is shown as a message on `fallback`'s page instead."""
        try:
            return step()
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
        return fallback

    def step_view(self, request, object_id):
        """POST: a step that changes no content (unpublish, record a review), from a page that cannot be saved."""
        article = self._article_or_404(request, object_id)
        name = request.POST.get("transition", "")
        if (
            request.method != "POST"
            or name not in workflow.STEPS_WITHOUT_CONTENT
            or not self.has_view_permission(request, article)
        ):
            raise PermissionDenied
        done = self._step_or_message(
            request,
            lambda: workflow.TRANSITIONS[name](article=article, by=request.user, comment=request.POST.get("workflow_comment", "")),
            None,
        )  # fmt: skip
        if done is not None:
            self.message_user(request, f"“{article}”: {workflow.Action(name).label.lower()}.", messages.SUCCESS)
        return redirect("admin:encyclopedia_article_change", article.pk)

    def working_copy_view(self, request, object_id):
        """POST: start (or reopen) the working copy of a published article and go to it."""
        article = self._article_or_404(request, object_id, working_copy=False)
        if request.method != "POST" or not self.has_view_permission(request, article):
            raise PermissionDenied
        copy = self._step_or_message(
            request, lambda: workflow.article_start_working_copy(article=article, by=request.user), article
        )
        return redirect("admin:encyclopedia_article_change", copy.pk)

    def discard_view(self, request, object_id):
        """POST: throw away a working copy's changes and go back to the live article."""
        copy = self._article_or_404(request, object_id, working_copy=True)
        if request.method != "POST" or not self.has_view_permission(request, copy):
            raise PermissionDenied
        after = self._step_or_message(
            request,
            lambda: workflow.article_discard_working_copy(
                article=copy, by=request.user, comment=request.POST.get("comment", "")
            ),
            copy,
        )
        if after.pk != copy.pk:
            self.message_user(request, "The working copy was discarded; readers never saw it.", messages.SUCCESS)
        return redirect("admin:encyclopedia_article_change", after.pk)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """An old revision, read-only, beside the article as it is; POST restores it as a new draft."""
        article = self._article_or_404(request, object_id)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        try:
            version = workflow.article_version(article.pk, version_id)
        except ValidationError:
            raise Http404("No such revision of this article.") from None
        if request.method == "POST":
            target = self._step_or_message(
                request, lambda: workflow.article_restore_revision(article=article, version=version, by=request.user),
                None,
            )  # fmt: skip
            if target is None:
                return redirect("admin:encyclopedia_article_revision", article.pk, version.pk)
            self.message_user(
                request, "The old revision is now a draft: readers see it only once a reviewer approves it.",
                messages.SUCCESS,
            )  # fmt: skip
            return redirect("admin:encyclopedia_article_change", target.pk)
        return self._step_page(
            request, article, title=f"Revision of “{article}” from {version.revision.date_created:%d %B %Y %H:%M}",
            template="admin/encyclopedia/article/revision.html",
            context={
                "version": version,
                "fields": revisions.diff_content(revisions.content_of_version(version),
                                                 revisions.content_of_article(article)),
                "may_restore": request.user.has_perm(workflow.CHANGE_PERMISSION),
            },
        )  # fmt: skip

    def recoverlist_view(self, request, extra_context=None):
        if not can_publish(request.user):
            raise PermissionDenied
        return self._step_page(
            request, None, title="Recover deleted articles", template="admin/encyclopedia/article/recover_list.html",
            context={"deleted": workflow.deleted_article_versions()},
        )  # fmt: skip

    def recover_view(self, request, version_id, extra_context=None):
        """A deleted article comes back as a draft, by a reviewer, with the reason."""
        if not can_publish(request.user):
            raise PermissionDenied
        version = next((v for v in workflow.deleted_article_versions() if str(v.pk) == version_id), None)
        if version is None:
            raise Http404("No deleted article with this revision.")
        if request.method == "POST":
            article = self._step_or_message(
                request,
                lambda: workflow.article_recover(version=version, by=request.user, comment=request.POST.get("comment", "")),
                None,
            )  # fmt: skip
            if article is not None:
                self.message_user(request, f"“{article}” is back, as a draft.", messages.SUCCESS)
                return redirect("admin:encyclopedia_article_change", article.pk)
        return self._step_page(
            request, None, title=f"Recover “{version.object_repr}”", template="admin/encyclopedia/article/recover.html",
            context={"version": version, "comment": request.POST.get("comment", "")},
        )  # fmt: skip

    def delete_view(self, request, object_id, extra_context=None):
        """Deleting is a reviewer's step with the reason; the article's addresses then answer 410 Gone."""
        article = self._article_or_404(request, object_id, working_copy=False)
        if not self.has_delete_permission(request, article):
            raise PermissionDenied
        if request.method == "POST":
            done = self._step_or_message(
                request,
                lambda: workflow.article_delete(article=article, by=request.user, comment=request.POST.get("comment", "")) or True,
                False,
            )  # fmt: skip
            if done:
                self.message_user(
                    request, f"“{article}” was deleted; its address now answers “gone”.", messages.SUCCESS
                )
                return redirect("admin:encyclopedia_article_changelist")
        return self._step_page(
            request, article, title=f"Delete “{article}”", template="admin/encyclopedia/article/delete.html",
            context={"comment": request.POST.get("comment", "")},
        )  # fmt: skip

    def _step_page(self, request, article, *, title: str, template: str, context: dict):
        return TemplateResponse(request, template, {
            **self.admin_site.each_context(request), "opts": self.opts, "object": article,
            "title": title, **context,
        })  # fmt: skip
