import string
from urllib.parse import urlencode

from django.contrib.sitemaps import views as sitemap_views
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from core import outage
from core.clients import client_hash

from . import page_cache
from .a_to_z import a_to_z_page
from .article_page import article_page
from .feeds import UpdatedArticlesFeed
from .models import Article, ArticleRedirect, EdgePurge, Kind, SitePage
from .page_cache import cached_page
from .search import MAX_QUERY_LENGTH, search_articles, search_miss_record, suggest
from .sitemaps import SITEMAPS, ArticleSitemap

INDEX_PAGE_SIZE = 60
SEARCH_PAGE_SIZE = 20
RECENTLY_UPDATED_COUNT = 8
LETTERS = [*string.ascii_uppercase, "#"]


def letter_param(value: str) -> str:
    """`?letter=` as the A–Z pages read it: upper case (an unknown letter is their 404)."""
    return value.upper()


def page_param(value: str) -> str | None:
    """`?page=` as Django's paginator reads it: a whole number above 1, or the first page."""
    try:
        number = int(value)
    except ValueError:
        return None
    return str(number) if number > 1 else None


def read_only(view):
    """For views that only read: GET and HEAD, anything else 405 with an `Allow` header.

    Exempt from Django's CSRF check, which runs before the view and would otherwise answer a PUT
    or a POST with a 403 calling it a forged form; these views change nothing it could protect.
    """
    return csrf_exempt(require_safe(view))


def page_query(**params: str) -> str:
    """The query string that pagination links keep before their `page=N`."""
    kept = {name: value for name, value in params.items() if value}
    return urlencode(kept) + "&" if kept else ""


@read_only
@cached_page
def home(request):
    published = Article.objects.published()
    counts = published.count_by_kind()
    response = render(
        request,
        "encyclopedia/home.html",
        {
            "kind_counts": [(kind, counts[kind.value]) for kind in Kind],
            "recently_updated": published.recently_updated().only("kind", "slug", "title", "updated_at")[
                :RECENTLY_UPDATED_COUNT
            ],
        },
    )
    return page_cache.tag(response, [page_cache.articles_tag()])


@read_only
@cached_page(query={"letter": letter_param, "page": page_param})
def kind_index(request, kind: Kind):
    letter = request.GET.get("letter", "").upper()
    if letter and letter not in LETTERS:
        raise Http404("No such letter.")
    index = a_to_z_page(
        Article.objects.published().of_kind(kind), kind, letter, request.GET.get("page"), INDEX_PAGE_SIZE
    )
    page = index.page
    response = render(
        request,
        "encyclopedia/kind_index.html",
        {
            "kind": kind,
            "letter": letter,
            # Letters on this page are links within it; the others load the page that has them.
            "letters": [
                (each, each in index.letters, any(group.letter == each for group in index.groups)) for each in LETTERS
            ],
            "page": page,
            "groups": index.groups,
            "page_query": page_query(letter=letter),
        },
    )
    return page_cache.tag(response, [page_cache.kind_tag(kind)], query={"letter": letter, "page": page.number})


@read_only
@cached_page
def article_detail(request, kind: Kind, slug: str):
    page = article_page(kind, slug)
    if page is None:
        return redirect_from_old_address(request, kind, slug)
    response = render(request, "encyclopedia/article_detail.html", {"page": page, "article": page.article})
    return page_cache.tag(response, page.cache_tags)


def redirect_from_old_address(request, kind: Kind, slug: str) -> HttpResponse:
    """A renamed or moved article: one permanent hop to where it is now; a deleted one: 410."""
    state, article = ArticleRedirect.objects.destination(kind, slug)
    if state == "gone":
        return render(request, "410.html", status=410)
    if state == "missing":
        raise Http404("No published article at this address.")
    return HttpResponsePermanentRedirect(article.get_absolute_url())


def count_label(count: int, capped: bool = False) -> str:
    """A count of search results: "123", or "123+" when counting stopped early."""
    return f"{count:,}+" if capped else f"{count:,}"


@read_only
def search(request):
    query = request.GET.get("q", "")
    kind = request.GET.get("kind", "")
    if kind not in Kind.values:
        kind = ""
    results = search_articles(query, kind=kind, page_number=request.GET.get("page"), page_size=SEARCH_PAGE_SIZE)
    if results.found_nothing and results.query.is_searchable and not request.GET.get("page"):
        search_miss_record(query=results.query, client=client_hash(request))
    text = results.query.text
    return render(
        request,
        "encyclopedia/search.html",
        {
            "query": text,
            "kind": kind,
            "results": results,
            "page": results.page,
            "page_query": page_query(q=text, kind=kind),
            "kind_filters": [
                (
                    each,
                    results.counts.get(each.value, 0),
                    count_label(results.counts.get(each.value, 0), capped=results.counts_capped),
                    f"?{urlencode({'q': text, 'kind': each.value})}",
                )
                for each in Kind
            ],
            "all_label": count_label(results.total, capped=results.counts_capped),
            "all_kinds_url": f"?{urlencode({'q': text})}",
            "max_length": MAX_QUERY_LENGTH,
        },
    )


@read_only
@cached_page
def site_page(request, slug: str):
    page = get_object_or_404(SitePage, slug=slug)
    return page_cache.tag(render(request, "encyclopedia/site_page.html", {"page": page}), [])


@read_only
@cached_page
def feed(request):
    return page_cache.tag(UpdatedArticlesFeed()(request), [page_cache.articles_tag()])


@read_only
@cached_page
def sitemap(request):
    """One sitemap while it fits in a file (SITEMAP_LIMIT URLs), an index of sitemap files beyond."""
    if ArticleSitemap().paginator.num_pages > 1:
        response = sitemap_views.index(request, SITEMAPS, sitemap_url_name="encyclopedia:sitemap_section")
    else:
        response = sitemap_views.sitemap(request, SITEMAPS)
    return page_cache.tag(response.render(), [page_cache.articles_tag()])


@read_only
@cached_page(query={"p": page_param})
def sitemap_section(request, section: str):
    response = sitemap_views.sitemap(request, SITEMAPS, section=section).render()
    # Django's sitemap shows the page asked for, or 404s: the page shown is the one asked.
    return page_cache.tag(response, [page_cache.articles_tag()], query={"p": request.GET.get("p", "")})


@read_only
def robots_txt(request):
    return render(request, "robots.txt", content_type="text/plain; charset=utf-8")


@read_only
def suggest_view(request):
    """Titles and alternative names as the reader types: JSON for the search box."""
    response = JsonResponse({"suggestions": suggest(request.GET.get("q", ""))})
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
@never_cache
def health(request):
    """/healthz for load balancers and monitoring: 200 when the database answers, 503 when not, and how many
    purges the caches in front are still owed. Its one query is that count; no session, no cookie, never
    cached (by us or anyone on the way)."""
    try:
        pending = EdgePurge.objects.count()
    except outage.DATABASE_UNAVAILABLE as error:
        return outage.health_unavailable(request, error)
    return HttpResponse(f"ok\nedge purges pending: {pending}\n", content_type="text/plain")
