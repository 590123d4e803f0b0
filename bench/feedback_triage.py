"""Time the feedback triage list at a realistic size and print the figures (never a pass/fail test).

    DATABASE_URL=postgres://… .venv/bin/python bench/feedback_triage.py [--feedback 100000] [--repeat 20]

Uses DATABASE_URL (default: a fresh SQLite file in a temporary folder), migrates it, tops the feedback up to
the number asked (one in ten spam, one in five assigned, over a year, on 500 articles), then requests the
triage list as a Feedback triager in its common views and prints the median and 90th percentile time, the
number of queries, and on PostgreSQL the plan of the page's main query.
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

from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from editorial.models import Feedback  # noqa: E402
from encyclopedia.management.commands.generate_articles import generate as generate_articles  # noqa: E402
from encyclopedia.models import Article  # noqa: E402

VIEWS = {
    "default (no spam)": "",
    "new": "?status__exact=new",
    "assigned to me": "?assigned=me",
    "category": "?category__exact=correction",
    "spam": "?status__exact=spam",
    "search": "?q=magnesium",
}


def generate(count: int, triager: User) -> None:
    if Article.objects.count() < 500:
        generate_articles(500 - Article.objects.count())
    missing = count - Feedback.objects.count()
    if missing <= 0:
        return
    started = time.perf_counter()
    articles = list(Article.objects.values_list("pk", flat=True)[:500])
    categories = [c for c, _ in Feedback.Category.choices]
    now = timezone.now()
    batch = []
    for n in range(missing):
        batch.append(
            Feedback(
                article_id=articles[n % len(articles)] if n % 7 else None,
                category=categories[n % len(categories)],
                message=f"Message {n}: the dose of magnesium looks wrong" if n % 50 == 0 else f"Message {n}",
                status="spam" if n % 10 == 0 else ("resolved" if n % 3 == 0 else "new"),
                assignee=triager if n % 5 == 0 else None,
            )
        )
        if len(batch) == 5000:
            Feedback.objects.bulk_create(batch)
            batch = []
    Feedback.objects.bulk_create(batch)
    # Spread over a year, newest last (bulk_create's auto_now_add stamps them all now).
    for offset in range(0, 365):
        Feedback.objects.filter(pk__gt=offset * missing // 365, pk__lte=(offset + 1) * missing // 365).update(
            created_at=now - datetime.timedelta(days=365 - offset)
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE editorial_feedback")
    print(f"generated {missing} feedback items in {time.perf_counter() - started:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--feedback", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    options = parser.parse_args()
    call_command("migrate", verbosity=0)
    triager, _ = User.objects.get_or_create(username="bench-triager", defaults={"is_staff": True})
    triager.groups.add(Group.objects.get(name="Feedback triager"))
    generate(options.feedback, triager)
    client = Client()
    client.force_login(triager)
    print(f"{Feedback.objects.count()} feedback items, {connection.vendor}")
    for name, query in VIEWS.items():
        path = "/admin/editorial/feedback/" + query
        assert client.get(path).status_code == 200
        timings = []
        for _ in range(options.repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                client.get(path)
                timings.append((time.perf_counter() - started) * 1000)
        p90 = statistics.quantiles(timings, n=10)[-1]
        print(f"{name:20} median {statistics.median(timings):6.1f} ms  p90 {p90:6.1f} ms  {len(queries)} queries")
        if connection.vendor == "postgresql" and name in {"default (no spam)", "assigned to me"}:
            page = [q["sql"] for q in queries.captured_queries if 'FROM "editorial_feedback"' in q["sql"]]
            with connection.cursor() as cursor:
                for sql in page:
                    cursor.execute("EXPLAIN ANALYZE " + sql)
                    plan = [row[0] for row in cursor.fetchall()]
                    print("    " + "\n    ".join(line for line in plan if "Scan" in line or "Execution" in line))


if __name__ == "__main__":
    main()
