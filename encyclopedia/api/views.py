"""The read API's views: thin, every queryset from `Article.objects.published()`, a fixed number of queries each."""

import datetime
from urllib.parse import urlencode

from django.core.paginator import EmptyPage, Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from ..article_page import article_page
from ..codes import CodingSystem, InvalidCode, check_code
from ..models import Article, ArticleRedirect, Kind, MedicalCode
from ..search import MAX_QUERY_LENGTH, MAX_RESULTS, search_articles
from . import serializers
from .http import ApiError, api_view, bad_parameter, json_response
from .openapi import openapi_document

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def search_results(query: str, kind: str | None) -> list[Article]:
    """Published articles matching `query`, best first, as the site's search ranks them (at most
    MAX_RESULTS): the one place the API meets the search engine."""
    found = search_articles(query, kind=kind or "", page_size=MAX_RESULTS)
    hits = list(found.page) if found.page else []
    rank = {(hit.kind, hit.slug): position for position, hit in enumerate(hits)}
    articles = Article.objects.published().filter(slug__in={hit.slug for hit in hits}).only(*serializers.SUMMARY_FIELDS)
    return sorted((a for a in articles if (a.kind, a.slug) in rank), key=lambda a: rank[a.kind, a.slug])


# Query parameters.


# More significant digits than this is a number beyond every page there will ever be. It is never
# handed to int(), which refuses strings of more than 4,300 digits with a ValueError (a 500).
MAX_DIGITS = 18


def _integer(request, name: str, default: int, maximum: int | None = None) -> int:
    raw = request.GET.get(name)
    if raw is None:
        return default
    number = 0  # refused below unless raw is ASCII digits
    if raw.isascii() and raw.isdigit():
        digits = raw.lstrip("0")
        number = int(digits or "0") if len(digits) <= MAX_DIGITS else 10**MAX_DIGITS
    if number < 1 or (maximum is not None and number > maximum):
        limit = f" and at most {maximum}" if maximum else ""
        raise bad_parameter(name, f"{name} must be a whole number from 1{limit}, not “{raw[:50]}”.")
    return number


def _kind(request) -> str | None:
    kind = request.GET.get("kind")
    if kind is not None and kind not in Kind.values:
        raise bad_parameter("kind", f"kind must be one of {', '.join(Kind.values)}, not “{kind}”.")
    return kind


def _date(request, name: str) -> datetime.date | None:
    raw = request.GET.get(name)
    if raw is None:
        return None
    try:
        if len(raw) != 10:
            raise ValueError(raw)
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise bad_parameter(name, f"{name} must be a date (YYYY-MM-DD), not “{raw}”.") from None


def _moment(request, name: str) -> datetime.datetime | None:
    """A date-time with its offset (RFC 3339), or a date: its start in the site's time zone."""
    raw = request.GET.get(name)
    if raw is None:
        return None
    try:
        if len(raw) == 10:
            moment = datetime.datetime.combine(datetime.date.fromisoformat(raw), datetime.time())
        else:
            moment = datetime.datetime.fromisoformat(raw.replace("z", "Z"))
    except ValueError:
        moment = None
    if moment is None or (len(raw) > 10 and moment.tzinfo is None):
        raise bad_parameter(name, f"{name} must be a date (2025-06-25) or a date-time with offset "
                                  f"(2025-06-25T09:00:00Z), not “{raw}”.")  # fmt: skip
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _text(request, name: str) -> str:
    value = request.GET.get(name, "").strip()
    if not value:
        raise bad_parameter(name, f"{name} is required.")
    if "\x00" in value:
        raise bad_parameter(name, f"{name} must not contain NUL characters.")
    return value


def paginated(request, queryset: QuerySet, serialize) -> dict:
    """One page of results with links to the others: a count query and a page query."""
    number = _integer(request, "page", 1)
    size = _integer(request, "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    paginator = Paginator(queryset, size)
    try:
        page = paginator.page(number)
    except EmptyPage:
        raise ApiError(
            404, "page_not_found", f"There is no page {number}; the last is {paginator.num_pages}."
        ) from None

    def link(to: int) -> str:
        params = {**request.GET.dict(), "page": to, "page_size": size}
        return request.build_absolute_uri(f"{request.path}?{urlencode(params)}")

    return {
        "count": paginator.count,
        "page": number,
        "pages": paginator.num_pages,
        "page_size": size,
        "links": {
            "self": link(number),
            "first": link(1),
            "last": link(paginator.num_pages),
            "previous": link(number - 1) if page.has_previous() else None,
            "next": link(number + 1) if page.has_next() else None,
        },
        "results": [serialize(request, article) for article in page.object_list],
    }


def _with_link_header(data: dict) -> HttpResponse:
    response = json_response(data)
    links = data["links"]
    response["Link"] = ", ".join(
        f'<{links[rel]}>; rel="{"prev" if rel == "previous" else rel}"'
        for rel in ("first", "previous", "next", "last")
        if links[rel]
    )
    return response


# Endpoints.


@api_view
def root(request):
    return {
        "articles": request.build_absolute_uri(reverse("api:articles")),
        "search": request.build_absolute_uri(reverse("api:search")),
        "lookup": request.build_absolute_uri(reverse("api:lookup")),
        "openapi": request.build_absolute_uri(reverse("api:openapi")),
    }


@api_view
def article_list(request):
    articles = Article.objects.published()
    if kind := _kind(request):
        articles = articles.of_kind(Kind(kind))
    if (since := _moment(request, "updated_since")) is not None:
        articles = articles.filter(updated_at__gte=since)
    if (before := _date(request, "reviewed_before")) is not None:
        articles = articles.filter(last_reviewed_on__lt=before)
    # Title order: an article edited while an app pages through the list keeps its place.
    articles = articles.alphabetical().only(*serializers.SUMMARY_FIELDS)
    return _with_link_header(paginated(request, articles, serializers.article_summary))


@api_view
def article_detail(request, kind: Kind, slug: str):
    page = article_page(kind, slug)
    if page is None:
        return _moved_or_missing(request, kind, slug)
    return serializers.article_detail(request, page)


def _moved_or_missing(request, kind: Kind, slug: str):
    """An old address of a published article: one permanent hop to its API address; a deleted one: 410."""
    state, article = ArticleRedirect.objects.destination(kind, slug)
    if state == "gone":
        raise ApiError(410, "gone", f"The article at {kind.plural}/{slug} has been deleted.")
    if state == "missing":
        raise ApiError(404, "not_found", f"No published article at {kind.plural}/{slug}.")
    return HttpResponsePermanentRedirect(serializers.api_url(request, article))


@api_view
def search(request):
    query = _text(request, "q")
    if len(query) > MAX_QUERY_LENGTH:
        raise bad_parameter("q", f"q is limited to {MAX_QUERY_LENGTH} characters.")
    return _with_link_header(paginated(request, search_results(query, _kind(request)), serializers.article_summary))


@api_view
def lookup(request):
    """The articles for a code; when none carries it, those of its nearest ancestor in the official hierarchy
    (R25.2 → R25 → R25-R29), as MedlinePlus Connect does."""
    system, code = _text(request, "system"), _text(request, "code")
    if system not in CodingSystem.values:
        raise bad_parameter("system", f"system must be one of {', '.join(CodingSystem.values)}, not “{system}”.")
    try:
        checked = check_code(system, code)
    except InvalidCode as error:
        raise ApiError(400, "invalid_code", str(error), parameter="code") from None
    tried = [checked.code, *checked.ancestors]
    rows = (
        MedicalCode.objects.filter(system=system, code__in=tried, article__in=Article.objects.published())
        .select_related("article")
        .only(
            "code", "description", *(f"article__{name}" for name in serializers.SUMMARY_FIELDS), "article__sort_title"
        )
    )
    by_code = {}
    for row in rows:
        by_code.setdefault(row.code, []).append(row)
    matched = next((candidate for candidate in tried if candidate in by_code), None)
    matches = sorted(by_code.get(matched, []), key=lambda row: (row.article.sort_title, row.article.pk))
    if matched is None:
        matched_entry = None
    else:
        description = check_code(system, matched).description or matches[0].description
        matched_entry = serializers.code_entry(system, matched, description)
    return {
        "query": serializers.code_entry(system, checked.code, checked.description),
        "tried": tried,
        "matched": matched_entry,
        "exact": matched == checked.code,
        "results": [serializers.article_summary(request, row.article) for row in matches],
    }


@api_view
def openapi(request):
    return openapi_document()


@api_view
def not_found(request, path: str = ""):
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.url_name != "not_found":
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(request.path + "/" + (f"?{query}" if query else ""))
    raise ApiError(404, "not_found", f"Nothing at {request.path}; the API is described at {reverse('api:openapi')}.")
