"""The OpenAPI 3.1 description of /api/v1/, served at /api/v1/openapi.json.

tests/test_api_schema.py runs schemathesis against the live server from this document: any
response that breaks it, or a server error, fails the suite.
"""

import functools

from ..codes import CodingSystem
from ..models import Kind, Licence

NO_NUL = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"  # some text, and no NUL character anywhere


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


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
DATE_TIME = {"type": "string", "format": "date-time"}
DATE = {"type": "string", "format": "date"}

SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "additionalProperties": False,
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "additionalProperties": False,
                "properties": {
                    "code": {
                        "type": "string",
                        "description": "Stable, for programs: invalid_parameter, "
                        "invalid_code, not_found, gone, page_not_found, method_not_allowed, rate_limited, unavailable.",
                    },
                    "message": {"type": "string", "description": "For people."},
                    "parameter": {"type": "string", "description": "The query parameter at fault."},
                },
            }  # fmt: skip
        },
    },
    "ArticleSummary": {
        "type": "object",
        "additionalProperties": False,
        "required": [
            "uuid",
            "kind",
            "slug",
            "title",
            "summary",
            "published_at",
            "updated_at",
            "last_reviewed_on",
            "next_review_due",
            "url",
            "page_url",
        ],
        "properties": {
            "uuid": {"type": "string", "format": "uuid", "description": "Stable identifier: never changes."},
            "kind": {"type": "string", "enum": Kind.values},
            "slug": {"type": "string"},
            "title": {"type": "string"},
            "summary": {"type": "string"},
            "published_at": DATE_TIME,
            "updated_at": {**DATE_TIME, "description": "Shown to readers as “Last updated”."},
            "last_reviewed_on": _nullable(DATE),
            "next_review_due": _nullable(DATE),
            "url": {"type": "string", "format": "uri", "description": "This article in the API."},
            "page_url": {"type": "string", "format": "uri", "description": "The article's page: its canonical URL."},
        },
    },  # fmt: skip
    "Page": {
        "type": "object",
        "additionalProperties": False,
        "required": ["count", "page", "pages", "page_size", "links", "results"],
        "properties": {
            "count": {"type": "integer", "minimum": 0},
            "page": {"type": "integer", "minimum": 1},
            "pages": {"type": "integer", "minimum": 1},
            "page_size": {"type": "integer", "minimum": 1, "maximum": 100},
            "links": {
                "type": "object",
                "additionalProperties": False,
                "required": ["self", "first", "last", "previous", "next"],
                "properties": {
                    "self": {"type": "string", "format": "uri"},
                    "first": {"type": "string", "format": "uri"},
                    "last": {"type": "string", "format": "uri"},
                    "previous": _nullable({"type": "string", "format": "uri"}),
                    "next": _nullable({"type": "string", "format": "uri"}),
                },
            },
            "results": {"type": "array", "items": _ref("ArticleSummary")},
        },
    },
    "Code": {
        "type": "object",
        "additionalProperties": False,
        "required": ["system", "system_name", "code", "description"],
        "properties": {
            "system": {"type": "string", "enum": CodingSystem.values},
            "system_name": {"type": "string", "enum": CodingSystem.labels},
            "code": {"type": "string"},
            "description": {"type": "string", "description": "Official for ICD-10-CM; may be empty for SNOMED CT."},
        },
    },
    "Article": {
        "type": "object",
        "additionalProperties": False,
        "required": [
            *["uuid", "kind", "slug", "title", "summary", "published_at", "updated_at", "last_reviewed_on"],
            *["next_review_due", "url", "page_url", "alternative_names", "reviewed_by", "body_markdown", "body_html"],
            *["sections", "care_callouts", "faqs", "related", "sources", "codes", "images"],
        ],
        "properties": {
            "uuid": {"type": "string", "format": "uuid"},
            "kind": {"type": "string", "enum": Kind.values},
            "slug": {"type": "string"},
            "title": {"type": "string"},
            "summary": {"type": "string"},
            "published_at": DATE_TIME,
            "updated_at": DATE_TIME,
            "last_reviewed_on": _nullable(DATE),
            "next_review_due": _nullable(DATE),
            "url": {"type": "string", "format": "uri"},
            "page_url": {"type": "string", "format": "uri"},
            "alternative_names": {"type": "array", "items": {"type": "string"}},
            "reviewed_by": _nullable(
                {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["name"],
                    "properties": {"name": {"type": "string"}},
                }  # fmt: skip
            ),
            "body_markdown": {
                "type": "string",
                "description": "As the editors wrote it, except that a [[link]] to an article that is not "
                "published is its label (as in the HTML).",
            },
            "body_html": {"type": "string", "description": "Rendered and sanitized, as on the page."},
            "sections": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["id", "title", "html", "markdown"],
                    "properties": {
                        "id": _nullable({"type": "string"}),
                        "title": _nullable({"type": "string"}),
                        "html": {"type": "string"},
                        "markdown": _nullable({"type": "string"}),
                    },
                },
            },
            "care_callouts": {
                "type": "array",
                "description": "When to see a doctor, get help today or call emergency services.",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["level", "title", "text"],
                    "properties": {
                        "level": {"type": "string", "enum": ["routine", "urgent", "emergency"]},
                        "title": {"type": "string"},
                        "text": {"type": "string"},
                    },
                },
            },
            "faqs": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["question", "answer_markdown", "answer_html"],
                    "properties": {
                        "question": {"type": "string"},
                        "answer_markdown": {"type": "string"},
                        "answer_html": {"type": "string"},
                    },
                },
            },
            "related": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["kind", "slug", "title", "summary", "url", "page_url"],
                    "properties": {
                        "kind": {"type": "string", "enum": Kind.values},
                        "slug": {"type": "string"},
                        "title": {"type": "string"},
                        "summary": {"type": "string"},
                        "url": {"type": "string", "format": "uri"},
                        "page_url": {"type": "string", "format": "uri"},
                    },
                },
            },
            "sources": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["title", "publisher", "url", "accessed_on"],
                    "properties": {
                        "title": {"type": "string"},
                        "publisher": _nullable({"type": "string"}),
                        "url": _nullable({"type": "string", "format": "uri"}),
                        "accessed_on": _nullable(DATE),
                    },
                },
            },
            "codes": {"type": "array", "items": _ref("Code")},
            "images": {
                "type": "array",
                "description": "The media library images the article shows, in order; the HTML holds them as "
                "<figure> elements with these renditions.",
                "items": _ref("Image"),
            },
        },
    },
    "Image": {
        "type": "object",
        "additionalProperties": False,
        "required": [
            *["uuid", "alt_text", "decorative", "caption", "long_description", "credit", "creator", "licence"],
            *["source_url", "width", "height", "renditions"],
        ],
        "properties": {
            "uuid": {"type": "string", "format": "uuid", "description": "Written image:<uuid> in the Markdown."},
            "alt_text": {"type": "string", "description": "Empty for a decorative image."},
            "decorative": {"type": "boolean"},
            "caption": {"type": "string"},
            "long_description": {"type": "string", "description": "For a diagram: what it shows, in words."},
            "credit": {"type": "string", "description": "To show beside the image."},
            "creator": {"type": "string"},
            "licence": {
                "type": "object",
                "additionalProperties": False,
                "required": ["code", "name", "url"],
                "properties": {
                    "code": {"type": "string", "enum": Licence.values},
                    "name": {"type": "string"},
                    "url": _nullable({"type": "string", "format": "uri"}),
                },
            },
            "source_url": _nullable({"type": "string", "format": "uri"}),
            "width": {"type": "integer"},
            "height": {"type": "integer"},
            "renditions": {
                "type": "array",
                "description": "Widths w480, w960, w1600 (up to the image's own), og (1200×630) and thumb (400×300), "
                "each in AVIF, WebP and JPEG or PNG (og in JPEG or PNG only).",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["spec", "format", "width", "height", "url"],
                    "properties": {
                        "spec": {"type": "string"},
                        "format": {"type": "string", "enum": ["avif", "webp", "jpeg", "png"]},
                        "width": {"type": "integer"},
                        "height": {"type": "integer"},
                        "url": {"type": "string", "format": "uri"},
                    },
                },
            },
        },
    },
    "Lookup": {
        "type": "object",
        "additionalProperties": False,
        "required": ["query", "tried", "matched", "exact", "results"],
        "properties": {
            "query": {**_ref("Code"), "description": "The code asked for, in canonical form, with its description."},
            "tried": {
                "type": "array",
                "items": {"type": "string"},
                "description": "The code, then its ancestors nearest first: the order in which they were tried.",
            },
            "matched": {**_nullable(_ref("Code")), "description": "The code the results carry; null if none did."},
            "exact": {"type": "boolean", "description": "Whether the results carry the code itself."},
            "results": {"type": "array", "items": _ref("ArticleSummary")},
        },
    },  # fmt: skip
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
