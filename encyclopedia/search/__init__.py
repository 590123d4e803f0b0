"""Search: parsing what readers type (query), keeping the index current (index), and finding,
ranking and suggesting articles (engine). Views use the names below."""

from .postgres import MAX_RESULTS, SearchResults, search_articles, search_miss_record, suggest  # noqa: F401
from .query import MAX_QUERY_LENGTH  # noqa: F401
