"""Search: parsing what readers type (query), keeping the index current (index), and finding,
ranking and suggesting articles (engine, with the SQL of each database in postgres and sqlite,
and what a search returns in results). Views use the names below."""

from .engine import search_articles, search_miss_record, suggest  # noqa: F401
from .query import MAX_QUERY_LENGTH  # noqa: F401
from .results import MAX_RESULTS, SearchResults  # noqa: F401
