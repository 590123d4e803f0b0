import string
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .models import Article, Kind
from .search import MAX_QUERY_LENGTH, search_articles, search_miss_record, suggest

INDEX_PAGE_SIZE = 60
SEARCH_PAGE_SIZE = 20
RECENTLY_UPDATED_COUNT = 8
LETTERS = [*string.ascii_uppercase, "#"]


def page_query(**params: str) -> str:
    """The query string that pagination links keep before their `page=N`."""
    kept = {name: value for name, value in params.items() if value}
    return urlencode(kept) + "&" if kept else ""


def home(request):
    published = Article.objects.published()
    counts = published.count_by_kind()
    return render(
        request,
        "encyclopedia/home.html",
        {
            "kind_counts": [(kind, counts[kind.value]) for kind in Kind],
            "recently_updated": published.recently_updated().only("kind", "slug", "title", "updated_at")[
                :RECENTLY_UPDATED_COUNT
            ],
        },
    )


def kind_index(request, kind: Kind):
    articles = Article.objects.published().of_kind(kind)
    letter = request.GET.get("letter", "").upper()
    if letter and letter not in LETTERS:
        raise Http404("No such letter.")
    letters_with_articles = articles.letters()
    if letter:
        articles = articles.filter(letter=letter)
    page = Paginator(articles.alphabetical().only("kind", "slug", "title", "summary"), INDEX_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "encyclopedia/kind_index.html",
        {
            "kind": kind,
            "letter": letter,
            "letters": [(each, each in letters_with_articles) for each in LETTERS],
            "page": page,
            "page_query": page_query(letter=letter),
        },
    )


def article_detail(request, kind: Kind, slug: str):
    article = get_object_or_404(Article.objects.published().of_kind(kind).for_page(), slug=slug)
    return render(request, "encyclopedia/article_detail.html", {"article": article})


def count_label(count: int, capped: bool = False) -> str:
    """A count of search results: "123", or "123+" when counting stopped early."""
    return f"{count:,}+" if capped else f"{count:,}"


def search(request):
    query = request.GET.get("q", "")
    kind = request.GET.get("kind", "")
    if kind not in Kind.values:
        kind = ""
    results = search_articles(query, kind=kind, page_number=request.GET.get("page"), page_size=SEARCH_PAGE_SIZE)
    if results.found_nothing and results.query.is_searchable and not request.GET.get("page"):
        search_miss_record(query=results.query)
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


@require_GET
def suggest_view(request):
    """Titles and alternative names as the reader types: JSON for the search box."""
    response = JsonResponse({"suggestions": suggest(request.GET.get("q", ""))})
    response["Cache-Control"] = "public, max-age=300"
    return response
