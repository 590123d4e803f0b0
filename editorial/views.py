import functools
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from core.clients import client_hash
from core.outage import DATABASE_UNAVAILABLE, outage_noted, unavailable
from encyclopedia import article_images
from encyclopedia.images import create_image
from encyclopedia.markdown import render_markdown
from encyclopedia.models import Article, Image
from encyclopedia.views import read_only

from . import ratelimit, spam
from .forms import FeedbackForm, FollowUpForm, VoteForm
from .origin import is_same_origin
from .services import feedback_submit, vote_record

# Who may preview Markdown: anyone who may write some, in an article (and its FAQs), a site page or the site
# settings. Staff status alone is not enough (a Feedback triager writes no Markdown).
MARKDOWN_WRITERS = [
    f"encyclopedia.{action}_{model}"
    for model in ("article", "sitepage", "sitesettings")
    for action in ("add", "change")
]


@require_POST
def markdown_preview(request):
    """The markdownx editor's live preview, for staff who may write Markdown (CSRF-protected like the rest of
    the admin)."""
    user = request.user
    if not (user.is_active and user.is_staff and any(user.has_perm(perm) for perm in MARKDOWN_WRITERS)):
        raise PermissionDenied
    html = render_markdown(request.POST.get("content", ""))
    images = article_images.find_images(article_images.references_in(html))
    return HttpResponse(article_images.resolve(html, images, for_editors=True))


@require_POST
def markdown_image_upload(request):
    """A file dropped on the Markdown editor (markdownx posts it here, CSRF-checked like the rest of the admin):
    it joins the media library through the one safe way in, and the editor inserts its reference. Its alternative
    text and credit are written in the library next; the article cannot go to review without them."""
    user = request.user
    if not (user.is_active and user.is_staff and user.has_perm("encyclopedia.add_image")):
        raise PermissionDenied
    upload = request.FILES.get("image")
    if upload is None:
        return JsonResponse({"error": "No file arrived: drop one image file (JPEG, PNG, WebP or AVIF)."}, status=400)
    try:
        image = create_image(
            upload=upload, uploaded_by=user, title=upload.name[:200], kind=Image.Kind.OTHER,
            alt_text=article_images.ALT_TEXT_TO_WRITE,
        )  # fmt: skip
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    return JsonResponse({"image_code": f"![](image:{image.uuid})", "edit_url": _library_page(image)})


def _library_page(image: Image) -> str | None:
    """Where the editor describes the dropped image: its page in the media library's admin."""
    try:
        return reverse("admin:encyclopedia_image_change", args=[image.pk])
    except NoReverseMatch:  # the library's admin is not installed
        return None


def wants_json(request) -> bool:
    """The vote script asks for JSON; a plain form post gets pages."""
    return "application/json" in request.headers.get("Accept", "")


def reader_post(view):
    """What every reader-facing POST goes through before its form is read: a body-size limit
    (413, before the body is parsed) and the same-origin check (403) that stands in for CSRF
    tokens, which cacheable reader pages cannot carry (see origin.py)."""

    @csrf_exempt
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST":
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            too_large = length > settings.FEEDBACK_MAX_REQUEST_BYTES
            if not too_large:
                try:
                    request.POST  # noqa: B018  (parse now, so that Django's own size limit is caught here)
                except RequestDataTooBig:
                    too_large = True
            if too_large:
                return render(request, "editorial/too_large.html", limits_context(), status=413)
            if not is_same_origin(request):
                status = 403
                if wants_json(request):
                    return JsonResponse({"error": "This answer can only be sent from our own pages."}, status=status)
                return render(request, "editorial/feedback_refused.html", status=status)
        return view(request, *args, **kwargs)

    return wrapped


def limits_context() -> dict:
    return {
        "message_max_length_text": f"{settings.FEEDBACK_MESSAGE_MAX_LENGTH:,}",
        "retention_days": settings.FEEDBACK_PERSONAL_DATA_DAYS,
    }


def rate_limited(response: HttpResponse, verdict: ratelimit.Verdict) -> HttpResponse:
    response["Retry-After"] = str(verdict.retry_after_seconds)
    return response


@reader_post
@require_http_methods(["GET", "POST"])
@never_cache  # carries the signed fill-time stamp: never served from a shared cache
def feedback(request):
    """Readers' messages: the general form, or "What could be better?" after a vote (`vote`)."""
    if request.method == "GET":
        return feedback_form_page(request)
    form_class = FollowUpForm if "vote" in request.POST else FeedbackForm
    form = form_class(request.POST)
    try:
        return feedback_received(request, form)
    except DATABASE_UNAVAILABLE as error:
        # Validation, the rate limit or the save could not reach the database. Nothing was stored
        # (feedback_submit is one transaction), so the reader gets their text back to send again.
        outage_noted(request, error)
        return unavailable(feedback_form_page(request, form=form, not_saved=True, status=503))


def feedback_received(request, form: FeedbackForm | FollowUpForm) -> HttpResponse:
    if not form.is_valid():
        return feedback_form_page(request, form=form, status=400)
    client = client_hash(request)
    verdict = ratelimit.rate_limit_hit(scope=ratelimit.MESSAGES, client_hash=client)
    if not verdict.allowed:
        return rate_limited(feedback_form_page(request, form=form, verdict=verdict, status=429), verdict)
    stored = feedback_submit(**form.feedback_fields(), client_hash=client, spam_reason=form.spam_reason())
    # Spam gets the same answer as anyone else: telling bots what gave them away only helps them.
    thanks_url = reverse("editorial:feedback_thanks")
    if stored.article:
        thanks_url += f"?article={stored.article.uuid}"
    return redirect(thanks_url)


def feedback_form_page(request, *, form=None, verdict=None, not_saved=False, status=200):
    """The form, new or as submitted. `not_saved`: the database could not be reached, so
    nothing more is read from it and the page says the message was not stored."""
    if form is None:
        token = request.GET.get("vote", "")
        if token and spam.read_vote_token(token):
            form = FollowUpForm(initial={"vote": token})
        else:
            article = published_article_named_in(request)
            form = FeedbackForm(initial={"article": article.uuid if article else None, "category": ""})
            form.about = article
    if isinstance(form, FollowUpForm):
        template = "editorial/follow_up.html"
        if not_saved:  # only a vote already read names the article
            about = form.vote_object.article if form.vote_object else None
        else:
            about = form.voted_article()
    else:
        template = "editorial/feedback.html"
        about = getattr(form, "about", None) or (form.cleaned_data.get("article") if form.is_bound else None)
    context = {"form": form, "article": about, "verdict": verdict, "not_saved": not_saved, **limits_context()}
    return render(request, template, context, status=status)


@reader_post
@require_POST
def vote(request):
    """The one-click answer. A plain form post is redirected to "What could be better?"; the
    vote script (Accept: application/json) gets the token for the form already on the page."""
    try:
        return vote_received(request)
    except DATABASE_UNAVAILABLE as error:
        if not wants_json(request):
            raise  # a plain form post gets the site's 503 page (core/outage.py)
        # The script shows this text beside the buttons and lets the reader answer again.
        outage_noted(request, error)
        message = "Sorry, your answer could not be saved just now. Please try again in a few minutes."
        return unavailable(JsonResponse({"error": message}, status=503))


def vote_received(request) -> HttpResponse:
    form = VoteForm(request.POST)
    if not form.is_valid():
        if wants_json(request):
            return JsonResponse({"error": " ".join(e for errors in form.errors.values() for e in errors)}, status=400)
        return render(request, "editorial/vote_refused.html", {"form": form}, status=400)
    client = client_hash(request)
    verdict = ratelimit.rate_limit_hit(scope=ratelimit.VOTES, client_hash=client)
    article = form.cleaned_data["article"]
    if not verdict.allowed:
        if wants_json(request):
            response = JsonResponse(
                {"error": "You have answered many times in a short while.", "retry_at": verdict.retry_at.isoformat()},
                status=429,
            )
        else:
            response = render(
                request, "editorial/vote_refused.html", {"article": article, "verdict": verdict}, status=429
            )
        return rate_limited(response, verdict)
    recorded = vote_record(article=article, helpful=form.cleaned_data["helpful"], client_hash=client)
    token = spam.vote_token(recorded.pk)
    if wants_json(request):
        return JsonResponse({"token": token, "helpful": recorded.helpful})
    response = HttpResponseRedirect(f"{reverse('editorial:feedback')}?vote={token}")
    response.status_code = 303  # See Other: the answer is stored, now show the next step
    return response


def published_article_named_in(request) -> Article | None:
    """The published article whose stable identifier is in `?article=`, if any (a bad value is ignored)."""
    try:
        article_uuid = uuid.UUID(request.GET.get("article", ""))
    except ValueError:
        return None
    return Article.objects.published().filter(uuid=article_uuid).only("kind", "slug", "title").first()


@read_only
def feedback_thanks(request):
    return render(request, "editorial/feedback_thanks.html", {"article": published_article_named_in(request)})
