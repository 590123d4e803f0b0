import uuid

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from encyclopedia.markdown import render_markdown
from encyclopedia.models import Article

from .forms import FeedbackForm
from .origin import is_same_origin


@require_POST
def markdown_preview(request):
    """The markdownx editor's live preview, for staff only (CSRF-protected like the rest of the admin)."""
    if not (request.user.is_active and request.user.is_staff):
        raise PermissionDenied
    return HttpResponse(render_markdown(request.POST.get("content", "")))


@csrf_exempt  # see editorial/origin.py: reader pages hold no CSRF token; the origin is checked instead
@require_http_methods(["GET", "POST"])
@never_cache
def feedback(request):
    if request.method == "POST":
        if not is_same_origin(request):
            return render(request, "editorial/feedback_refused.html", status=403)
        form = FeedbackForm(request.POST)
        if form.is_valid():
            feedback = form.save()
            thanks_url = reverse("editorial:feedback_thanks")
            if feedback.article:
                thanks_url += f"?article={feedback.article.uuid}"
            return redirect(thanks_url)
        return render(request, "editorial/feedback.html", {"form": form}, status=400)
    return render(request, "editorial/feedback.html", {"form": FeedbackForm()})


def feedback_thanks(request):
    article = None
    try:
        article_uuid = uuid.UUID(request.GET.get("article", ""))
    except ValueError:
        pass
    else:
        article = Article.objects.published().filter(uuid=article_uuid).only("kind", "slug", "title").first()
    return render(request, "editorial/feedback_thanks.html", {"article": article})
