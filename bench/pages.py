"""Time the public pages at a realistic size and print the figures (never a pass/fail test).

    .venv/bin/python bench/pages.py [--articles 20000] [--repeat 30]

Uses DATABASE_URL (default: a fresh SQLite file in a temporary folder), migrates it,
generates articles with FAQs, alternative names and relations if the database has fewer
than asked, then requests each page through Django's test client and prints the median
and 90th percentile time and the number of queries.
"""

import argparse
import datetime
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
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from encyclopedia.markdown import render  # noqa: E402
from encyclopedia.models import FAQ, AlternativeName, Article, Kind, Status, index_letter, sort_key  # noqa: E402

WORDS = ("pain swelling fever cough fatigue nausea rash cramp stiffness numbness dizziness bleeding "
         "infection pressure tremor weakness itching headache wheezing thirst").split()  # fmt: skip
BODY = "\n\n".join(
    f"## {title}\n\n" + " ".join(WORDS[(i * 7 + j) % len(WORDS)] for j in range(120))
    for i, title in enumerate(["Causes", "Symptoms", "Diagnosis", "Treatment", "When to seek medical attention"])
)


def generate(count: int) -> None:
    existing = Article.objects.count()
    if existing >= count:
        return
    rendered = render(BODY)  # the same for every generated article: render once
    now = timezone.now()
    kinds = list(Kind)
    started = time.perf_counter()
    with transaction.atomic():
        for first in range(existing, count, 2000):
            batch = []
            for number in range(first, min(first + 2000, count)):
                title = f"{WORDS[number % len(WORDS)].title()} {WORDS[(number // 20) % len(WORDS)]} {number}"
                batch.append(Article(
                    kind=kinds[number % 3], title=title, slug=f"generated-{number}", summary=f"About {title}.",
                    body=BODY, body_html=rendered.html, sections=rendered.sections, sort_title=sort_key(title),
                    letter=index_letter(title), status=Status.PUBLISHED, published_at=now,
                    updated_at=now - datetime.timedelta(minutes=number),
                ))  # fmt: skip
            articles = Article.objects.bulk_create(batch)
            FAQ.objects.bulk_create(
                FAQ(article=article, position=position, question=f"Question {position}?", answer="An answer.",
                    answer_html="<p>An answer.</p>")
                for article in articles for position in range(5)
            )  # fmt: skip
            AlternativeName.objects.bulk_create(
                AlternativeName(article=article, name=f"Other name {article.pk}") for article in articles
            )
            Relation = Article.related.through
            Relation.objects.bulk_create(
                relation
                for index, article in enumerate(articles[1:], start=1)
                for relation in (Relation(from_article=article, to_article=articles[index - 1]),
                                 Relation(from_article=articles[index - 1], to_article=article))
            )  # fmt: skip
    print(f"generated {count - existing} articles in {time.perf_counter() - started:.1f} s")


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
