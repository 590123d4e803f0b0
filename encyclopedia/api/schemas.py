"""The shapes of the read API's answers: the `components.schemas` part of its OpenAPI description
(openapi.py puts them together with the paths)."""

from ..codes import CodingSystem
from ..models import Kind, Licence

NO_NUL = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"  # some text, and no NUL character anywhere


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


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
