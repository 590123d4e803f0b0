"""Time search on PostgreSQL at 10,000 and 100,000 articles and print the figures (never a test).

    DATABASE_URL=postgres://... .venv/bin/python bench/search.py [--sizes 10000 100000] [--queries 300]

Migrates the database, tops it up to each size with `generate_articles` (plus the demo
content), runs ANALYZE, then sends a fixed mix of varied queries through the search view
(hits by title and alternative name, typos, multi-word descriptions, questions, phrases and
operators, misses, kind filters and later pages) and suggestions as you type. Prints median
and 95th percentile of the whole view and of its database work (every query timed through
`connection.execute_wrapper`), the number of queries, and the sizes of the search indexes.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from encyclopedia.management.commands.generate_articles import (  # noqa: E402
    CONDITIONS,
    MODIFIERS,
    PARTS,
    PROCEDURES,
    SYMPTOMS,
    generate,
)
from encyclopedia.models import AlternativeName, Article  # noqa: E402

INDEXES = [
    "article_search_vector_idx", "article_search_names_idx", "article_title_trgm_idx", "alternative_name_trgm_idx",
    "article_title_prefix_idx", "alternative_name_prefix_idx",
]  # fmt: skip


class DatabaseTimer:
    """Adds up the time of every query run while it is installed."""

    def __init__(self):
        self.seconds, self.count = 0.0, 0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    at = rng.randrange(1, len(word) - 2)
    kind = rng.choice(["swap", "drop", "double"])
    if kind == "swap":
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    if kind == "drop":
        return word[:at] + word[at + 1 :]
    return word[:at] + word[at] + word[at:]


def query_mix(total: int, seed: int) -> list[tuple[str, dict]]:
    """(category, GET parameters) in a fixed proportion, drawn from what the database holds."""
    rng = random.Random(seed)
    titles = list(Article.objects.published().order_by("?").values_list("title", flat=True)[:400])
    names = list(AlternativeName.objects.order_by("?").values_list("name", flat=True)[:400])
    parts = [part for part, _ in PARTS]
    makers = [
        ("title", 0.20, lambda: {"q": rng.choice(titles)}),
        ("alternative name", 0.12, lambda: {"q": rng.choice(names)}),
        ("typo", 0.15, lambda: {"q": " ".join(typo(word, rng) for word in rng.choice(titles).split())}),
        ("two or three words", 0.15, lambda: {"q": f"{rng.choice(parts)} {rng.choice(SYMPTOMS + CONDITIONS)}"
                                                     + rng.choice(["", f" {rng.choice(MODIFIERS)}"])}),
        ("common word", 0.05, lambda: {"q": rng.choice(["pain", "chronic", "infection", "swelling", "test"])}),
        ("question", 0.10, lambda: {"q": rng.choice([
            f"why does my {rng.choice(parts)} hurt at night",
            f"how is {rng.choice(CONDITIONS)} of the {rng.choice(parts)} treated",
            f"what is a {rng.choice(parts)} {rng.choice(PROCEDURES)}"])}),
        ("phrase or operators", 0.06, lambda: {"q": rng.choice([
            f'"{rng.choice(parts)} {rng.choice(SYMPTOMS)}" -{rng.choice(MODIFIERS)}',
            f"{rng.choice(CONDITIONS)} or {rng.choice(SYMPTOMS)} {rng.choice(parts)}"])}),
        ("miss", 0.10, lambda: {"q": f"{''.join(rng.choices('bcdfghjklmnpqrstvwxz', k=7))} "
                                       f"{''.join(rng.choices('aeiouy', k=3))}"}),
        ("kind filter, page 2", 0.07, lambda: {"q": rng.choice(parts), "kind": rng.choice(["condition", "symptom"]),
                                               "page": "2"}),
    ]  # fmt: skip
    mix = []
    for category, share, make in makers:
        mix += [(category, make()) for _ in range(round(total * share))]
    rng.shuffle(mix)
    return mix[:total]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def measure(client: Client, path: str, requests: list[tuple[str, dict]]) -> dict[str, list[tuple[float, float, int]]]:
    results: dict[str, list[tuple[float, float, int]]] = {}
    for category, params in requests:
        timer = DatabaseTimer()
        with connection.execute_wrapper(timer):
            started = time.perf_counter()
            response = client.get(f"{path}?{urlencode(params)}")
            elapsed = time.perf_counter() - started
        assert response.status_code == 200, (params, response.status_code)
        results.setdefault(category, []).append((elapsed * 1000, timer.seconds * 1000, timer.count))
    return results


def report(title: str, results: dict[str, list[tuple[float, float, int]]]) -> None:
    print(f"\n{title}")
    print(f"{'queries of this kind':<24} {'n':>4} {'view median':>12} {'view p95':>9} {'db median':>10} "
          f"{'db p95':>7} {'db queries':>11}")  # fmt: skip
    everything = [row for rows in results.values() for row in rows]
    for category, rows in [*results.items(), ("ALL", everything)]:
        views, dbs, counts = [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]
        print(f"{category:<24} {len(rows):>4} {statistics.median(views):>10.1f}ms {percentile(views, 0.95):>7.1f}ms "
              f"{statistics.median(dbs):>8.1f}ms {percentile(dbs, 0.95):>5.1f}ms {min(counts):>5}-{max(counts)}")  # fmt: skip


def index_sizes() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_size_pretty(pg_relation_size(c.oid)) FROM pg_class c WHERE c.relname = ANY(%s) "
            "ORDER BY c.relname",
            [INDEXES],
        )
        print("\nindex sizes: " + ", ".join(f"{name} {size}" for name, size in cursor.fetchall()))
        cursor.execute(
            "SELECT pg_size_pretty(pg_table_size('encyclopedia_article')), "
            "pg_size_pretty(pg_total_relation_size('encyclopedia_article'))"
        )
        table, total = cursor.fetchone()
        print(f"article table with TOAST {table}, with all its indexes {total}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=5)
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/search.py measures PostgreSQL: set DATABASE_URL=postgres://...")

    call_command("migrate", verbosity=0)
    call_command("load_demo_content", verbosity=0, stdout=open(os.devnull, "w"))
    client = Client()
    for size in options.sizes:
        missing = size - Article.objects.count()
        if missing > 0:
            started = time.perf_counter()
            generate(missing)
            print(f"\ngenerated {missing:,} articles in {time.perf_counter() - started:.0f} s")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        requests = query_mix(options.queries, options.seed)
        measure(client, "/search/", requests[:30])  # warm the caches and the connection
        print(f"\n=== {Article.objects.count():,} articles ({Article.objects.published().count():,} published), "
              f"PostgreSQL {connection.pg_version // 10000}, {len(requests)} searches ===")  # fmt: skip
        report("search view /search/", measure(client, "/search/", requests))
        rng = random.Random(options.seed)
        prefixes = [("prefix", {"q": title[: rng.randint(2, 8)]})
                    for title in Article.objects.published().order_by("?").values_list("title", flat=True)[:100]]  # fmt: skip
        report("suggestions /search/suggest/", measure(client, "/search/suggest/", prefixes))
        index_sizes()


if __name__ == "__main__":
    main()
