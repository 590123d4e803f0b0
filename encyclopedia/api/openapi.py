"""The OpenAPI 3.1 description of /api/v1/, served at /api/v1/openapi.json.

tests/test_api_schema.py runs schemathesis against the live server from this document: any
response that breaks it, or a server error, fails the suite.
"""

import functools

from ..codes import CodingSystem
from ..models import Kind
from .schemas import DATE, DATE_TIME, NO_NUL, SCHEMAS, _ref


def _json(schema: dict, description: str, headers: dict | None = None) -> dict:
    response = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        response["headers"] = headers
    return response


HEADERS = {
    "ETag": {"description": "Send it back in If-None-Match to get a 304 when nothing changed.",
             "schema": {"type": "string"}},
    "RateLimit-Limit": {"description": "Requests allowed per window.", "schema": {"type": "string"}},
    "RateLimit-Remaining": {"description": "Requests left in this window.", "schema": {"type": "string"}},
    "RateLimit-Reset": {"description": "Seconds until the window starts again.", "schema": {"type": "string"}},
}  # fmt: skip
LIST_HEADERS = {**HEADERS, "Link": {"description": "first, prev, next and last pages (RFC 8288).",
                                    "schema": {"type": "string"}}}  # fmt: skip

ERRORS = {
    "304": {"description": "Not modified: the ETag sent in If-None-Match is still current."},
    "429": _json(
        _ref("Error"),
        "Too many requests from this client; retry after the number of seconds in Retry-After.",
        {"Retry-After": {"required": True, "schema": {"type": "string", "pattern": "^[0-9]+$"}}},
    ),
    "503": _json(
        _ref("Error"),
        "Briefly unavailable (the database cannot be reached); retry after the number of seconds in Retry-After.",
        {"Retry-After": {"required": True, "schema": {"type": "string", "pattern": "^[0-9]+$"}}},
    ),
}
BAD_REQUEST = {"400": _json(_ref("Error"), "A parameter is missing or invalid; `error.parameter` names it.")}
IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "The ETag of a response you have; a 304 answers when it is still current.",
    "schema": {"type": "string"},
}
PAGE_PARAMETERS = [
    {"name": "page", "in": "query", "required": False, "description": "Page number, from 1.",
     "schema": {"type": "integer", "minimum": 1, "default": 1}},
    {"name": "page_size", "in": "query", "required": False, "description": "Results per page.",
     "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
]  # fmt: skip
KIND_PARAMETER = {
    "name": "kind",
    "in": "query",
    "required": False,
    "description": "Only articles of this kind.",
    "schema": {"type": "string", "enum": Kind.values},
}


def _get(summary: str, description: str, parameters: list, responses: dict, operation_id: str) -> dict:
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "description": description,
            "parameters": [*parameters, IF_NONE_MATCH],
            "responses": {**responses, **ERRORS},
        }
    }


@functools.cache
def openapi_document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Health encyclopedia read API",
            "version": "1",
            "description": (
                "Published articles (conditions, symptoms, procedures) as JSON, without authentication. "
                "Responses carry an ETag (send it back in If-None-Match for a 304) and CORS headers for any "
                "origin; each client may make a limited number of requests per minute (429 with Retry-After "
                'beyond it). Errors are JSON: {"error": {"code", "message"}}.'
            ),
        },
        "paths": {
            "/api/v1/": _get(
                "Where things are",
                "The addresses of the endpoints.",
                [],
                {
                    "200": _json(
                        {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["articles", "search", "lookup", "openapi"],
                            "properties": {
                                name: {"type": "string", "format": "uri"}
                                for name in ("articles", "search", "lookup", "openapi")
                            },
                        },
                        "Links to the endpoints.",
                        HEADERS,
                    )  # fmt: skip
                },
                "root",
            ),
            "/api/v1/articles/": _get(
                "List published articles",
                "In title order, paginated by page number; the Link header and `links` give the other pages.",
                [
                    KIND_PARAMETER,
                    {
                        "name": "updated_since",
                        "in": "query",
                        "required": False,
                        "description": "Only articles updated at or after this moment (a date means its start).",
                        "schema": {"anyOf": [DATE_TIME, DATE]},
                    },
                    {
                        "name": "reviewed_before",
                        "in": "query",
                        "required": False,
                        "description": "Only articles last medically reviewed before this date.",
                        "schema": DATE,
                    },
                    *PAGE_PARAMETERS,
                ],  # fmt: skip
                {
                    "200": _json(_ref("Page"), "A page of articles.", LIST_HEADERS),
                    **BAD_REQUEST,
                    "404": _json(_ref("Error"), "There is no such page."),
                },
                "listArticles",
            ),
            "/api/v1/articles/{kinds}/{slug}/": _get(
                "Get a published article",
                "Everything the article's page shows: fields, sections as sanitized HTML and as Markdown, FAQs, "
                "related articles, sources, medical codes, dates and the canonical URL. An old address answers "
                "301 to the current one; a deleted article answers 410.",
                [
                    {
                        "name": "kinds",
                        "in": "path",
                        "required": True,
                        "description": "The kind, plural, as in the site's paths.",
                        "schema": {"type": "string", "enum": [kind.plural for kind in Kind]},
                    },
                    {
                        "name": "slug",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"},
                    },
                ],  # fmt: skip
                {
                    "200": _json(_ref("Article"), "The article.", HEADERS),
                    "301": {
                        "description": "The article has moved: Location is its API address now.",
                        "headers": {"Location": {"required": True, "schema": {"type": "string"}}},
                    },
                    "404": _json(_ref("Error"), "No published article at this address."),
                    "410": _json(_ref("Error"), "The article was deleted."),
                },  # fmt: skip
                "getArticle",
            ),
            "/api/v1/search/": _get(
                "Search published articles",
                "The same search as the site's, in its order, paginated like the list.",
                [
                    {
                        "name": "q",
                        "in": "query",
                        "required": True,
                        "description": "What to look for.",
                        "schema": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": NO_NUL},
                    },
                    KIND_PARAMETER,
                    *PAGE_PARAMETERS,
                ],  # fmt: skip
                {
                    "200": _json(_ref("Page"), "A page of results.", LIST_HEADERS),
                    **BAD_REQUEST,
                    "404": _json(_ref("Error"), "There is no such page."),
                },
                "search",
            ),
            "/api/v1/lookup/": _get(
                "Find articles by medical code",
                "The published articles carrying the code; when none does, those of its nearest ancestor in "
                "the official ICD-10-CM hierarchy (R25.2, then R25, then the block R25-R29). `matched` says "
                "which code the results carry. An invalid code answers 400 with the reason.",
                [
                    {
                        "name": "system",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string", "enum": CodingSystem.values},
                    },
                    {
                        "name": "code",
                        "in": "query",
                        "required": True,
                        "description": "ICD-10-CM (R25.2, with or without its dot) or a SNOMED CT concept id.",
                        "schema": {"type": "string", "minLength": 1, "maxLength": 40, "pattern": NO_NUL},
                    },
                ],  # fmt: skip
                {
                    "200": _json(_ref("Lookup"), "The articles for the code or its nearest coded ancestor.", HEADERS),
                    **BAD_REQUEST,
                },
                "lookup",
            ),
            "/api/v1/openapi.json": _get(
                "This description",
                "OpenAPI 3.1.",
                [],
                {"200": _json({"type": "object"}, "The OpenAPI document.", HEADERS)},
                "openapi",
            ),
        },
        "components": {"schemas": SCHEMAS},
    }
