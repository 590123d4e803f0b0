"""Time the public pages at a realistic size and print the figures (never a pass/fail test).

    .venv/bin/python bench/pages.py [--articles 20000] [--repeat 30]

Uses DATABASE_URL (default: a fresh SQLite file in a temporary folder), migrates it,
generates articles with FAQs, alternative names and relations if the database has fewer
than asked, then requests each page through Django's test client and prints the median
and 90th percentile time and the number of queries.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from encyclopedia.management.commands.generate_articles import generate as generate_articles  # noqa: E402
from encyclopedia.models import Article  # noqa: E402


def generate(count: int) -> None:
    """Top the database up to `count` articles with the same generator as `generate_articles`."""
    missing = count - Article.objects.count()
    if missing <= 0:
        return
    started = time.perf_counter()
    generate_articles(missing)
    print(f"generated {missing} articles in {time.perf_counter() - started:.1f} s")


def measure(client: Client, path: str, repeat: int) -> tuple[float, float, int]:
    client.get(path)  # warm up
    timings = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.9) - 1], len(queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=30)
    options = parser.parse_args()

    call_command("migrate", verbosity=0)
    generate(options.articles)
    call_command("load_demo_content", verbosity=0, stdout=open(os.devnull, "w"))
    middle = Article.objects.published().alphabetical()[options.articles // 2]
    client = Client()
    print(f"{connection.vendor}, {Article.objects.published().count()} published articles, "
          f"{options.repeat} requests each")  # fmt: skip
    print(f"{'page':<40} {'median ms':>10} {'p90 ms':>8} {'queries':>8}")
    for path in [
        "/",
        "/symptoms/",
        "/symptoms/?letter=C&page=3",
        "/symptoms/leg-cramps/",
        middle.get_absolute_url(),
        "/search/?q=charley+horse",
        "/feedback/",
    ]:
        median, p90, queries = measure(client, path, options.repeat)
        print(f"{path:<40} {median:>10.1f} {p90:>8.1f} {queries:>8}")


if __name__ == "__main__":
    main()
