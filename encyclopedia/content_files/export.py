"""Writing articles as files, in the format parse.py reads back to the same content."""

from pathlib import Path

import yaml
from django.db import models

from ..models import Article


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)  # list items indented under their key, as people write them


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    # Several lines read best as a literal block, exactly as written.
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|" if "\n" in text else None)


_Dumper.add_representer(str, _represent_text)


def articles_for_export() -> models.QuerySet:
    """Every article, drafts included (working copies are not articles of their own), with everything its
    file holds, in a fixed number of queries."""
    return (
        Article.objects.articles()
        .select_related("reviewed_by")
        .prefetch_related(
            "alternative_names", "faqs", "sources", "codes",
            models.Prefetch("related", queryset=Article.objects.articles().order_by("kind", "slug").only("kind", "slug")),
        )
        .order_by("kind", "slug")
    )  # fmt: skip


def _without_default_position(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in row.items() if k != "position" or v != index} for index, row in enumerate(rows, 1)]


def article_to_text(article: Article) -> str:
    """The article as a file that `parse_article_file` reads back to the same content (needs `articles_for_export()`)."""
    front = {
        "uuid": str(article.uuid),
        "kind": article.kind,
        "slug": article.slug,
        "title": article.title,
        "summary": article.summary,
        "status": article.status,
        "published_at": article.published_at,
        "last_updated": article.updated_at,
        "last_reviewed": article.last_reviewed_on,
        "reviewed_by": article.reviewed_by.get_username() if article.reviewed_by else None,
        "next_review_due": article.next_review_due,
        "show_promotion": article.show_promotion,
        "alternative_names": [name.name for name in article.alternative_names.all()],
        "related": [f"{other.kind}/{other.slug}" for other in article.related.all()],
        "faqs": _without_default_position(
            [{"question": f.question, "answer": f.answer, "position": f.position} for f in article.faqs.all()]
        ),
        "sources": _without_default_position(
            [
                {
                    key: value
                    for key, value in {
                        "title": s.title,
                        "publisher": s.publisher,
                        "url": s.url,
                        "accessed_on": s.accessed_on,
                        "position": s.position,
                    }.items()
                    if value not in ("", None)
                }  # fmt: skip
                for s in article.sources.all()
            ]
        ),
        "codes": [
            {"system": c.system, "code": c.code, **({"description": c.description} if c.description else {})}
            for c in article.codes.all()
        ],
    }
    dumped = yaml.dump(front, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return f"---\n{dumped}---\n\n{article.body}\n"


def article_file_path(article: Article) -> Path:
    return Path(article.kind) / f"{article.slug}.md"
