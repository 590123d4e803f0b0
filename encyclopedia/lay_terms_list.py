"""The everyday-terms list the project ships (data/lay_terms.csv), loaded into `LayTerm` by
migration 0014 and again by `load_demo_content`, which points the terms to the demo articles
once they exist. Loading adds missing terms and fills a missing article; it never changes a
term an editor has edited."""

import csv
from pathlib import Path

from .models.articles import index_letter, sort_key

LIST_FILE = Path(__file__).parent / "data" / "lay_terms.csv"


def lay_terms_from_file(path: Path = LIST_FILE) -> list[dict]:
    """The rows of the list: term, medical_term, article ("kind/slug" or ""), a_to_z ("yes" or "")."""
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(line for line in file if not line.startswith("#")))


def lay_terms_load(*, lay_term_model, article_model) -> set[int]:
    """Add the list's terms that are missing and point unlinked ones to their article where it exists
    (models given, so that a migration can pass its historical ones). Returns the ids of the articles
    that gained terms: their search data needs refreshing."""
    from .search.query import lay_term_key

    rows = {}
    for row in lay_terms_from_file():
        rows.setdefault(lay_term_key(row["term"]), row)
    addresses = {tuple(row["article"].split("/", 1)) for row in rows.values() if row["article"]}
    articles = {
        (kind, slug): pk
        for kind, slug, pk in article_model.objects.filter(live_article__isnull=True).values_list("kind", "slug", "pk")
        if (kind, slug) in addresses
    }
    existing = {term.key: term for term in lay_term_model.objects.filter(key__in=rows)}
    new, linked, touched = [], [], set()
    for key, row in rows.items():
        article_id = articles.get(tuple(row["article"].split("/", 1))) if row["article"] else None
        if key not in existing:
            new.append(lay_term_model(
                term=row["term"], key=key, medical_term=row["medical_term"], article_id=article_id,
                in_a_to_z=bool(row["a_to_z"]) and article_id is not None,
                sort_title=sort_key(row["term"]), letter=index_letter(row["term"]),
            ))  # fmt: skip
        elif existing[key].article_id is None and article_id is not None:
            term = existing[key]
            term.article_id, term.in_a_to_z = article_id, bool(row["a_to_z"])
            linked.append(term)
        else:
            continue
        if article_id is not None:
            touched.add(article_id)
    lay_term_model.objects.bulk_create(new)
    lay_term_model.objects.bulk_update(linked, ["article", "in_a_to_z"])
    return touched
