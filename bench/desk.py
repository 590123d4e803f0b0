"""Time the editors' desk (the admin's home page, as each role) and "How the encyclopedia is doing" at
100,000 articles and 1,000,000 feedback items, and print the figures (never a pass/fail test).

    DATABASE_URL=postgres://… .venv/bin/python bench/desk.py [--articles 100000] [--feedback 1000000] [--repeat 9]

PostgreSQL only (the figures that matter; the bulk steps use generate_series). Tops the database up:
`generate_articles` writes --seed-articles real articles, which SQL then copies up to --articles (the desk
reads states, dates and workflow events, not text, so copies measure the same); states, review dates,
workflow events, links, searches that found nothing are spread over them; `generate_feedback` adds the
feedback and votes. Then each page is requested through Django's test client, signed in as each role.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench.pages import measure  # noqa: E402
from editorial.management.commands.generate_feedback import generate_postgresql  # noqa: E402
from editorial.models import Feedback, WorkflowEvent  # noqa: E402
from encyclopedia.management.commands.generate_articles import generate as generate_articles  # noqa: E402
from encyclopedia.models import Article, InternalLink, SearchMiss  # noqa: E402

PEOPLE = {"editor": "Editor", "reviewer": "Medical reviewer", "triager": "Feedback triager", "superuser": None}


def sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def people() -> dict:
    User = get_user_model()
    users = {}
    for name, role in PEOPLE.items():
        user, created = User.objects.get_or_create(
            username=f"bench-{name}", defaults={"is_staff": True, "is_superuser": role is None, "first_name": name}
        )
        if created and role:
            user.groups.add(Group.objects.get(name=role))
        users[name] = user
    return users


def articles(count: int, seed_count: int, users: dict) -> None:
    started = time.perf_counter()
    if Article.objects.count() < count:
        copy_articles(count, seed_count)
    if not WorkflowEvent.objects.filter(by=users["editor"]).exists():
        spread_work(users)
    if WorkflowEvent.objects.count() < count * 4:
        # A trail as years of work leave it: four saves per article by others, and the editor's own
        # hand in one published article in ten (their "mine" lists then filter many rows).
        sql(
            "INSERT INTO editorial_workflowevent (article_id, article_uuid, article_title, on_working_copy, action, "
            "from_status, to_status, by_id, at, comment) SELECT id, uuid, title, false, 'save', status, status, "
            "CASE WHEN g = 1 AND id %% 10 = 1 THEN %s ELSE %s END, now() - (id %% 900 + g) * interval '1 day', '' "
            "FROM encyclopedia_article CROSS JOIN generate_series(1, 4) g",
            [users["editor"].pk, users["superuser"].pk],
        )
    if InternalLink.objects.count() < count // 20:
        # One article in ten links to another; one in 500 to an address nobody has.
        sql(
            "INSERT INTO encyclopedia_internallink (article_id, kind, slug, broken) "
            "SELECT id, kind, CASE WHEN id %% 500 = 0 THEN 'nowhere-' || id ELSE slug END, id %% 500 = 0 "
            "FROM encyclopedia_article WHERE id %% 10 = 0 ON CONFLICT DO NOTHING"
        )
        print(f"articles, events, links and search misses: {time.perf_counter() - started:.1f} s")


def copy_articles(count: int, seed_count: int) -> None:
    if Article.objects.count() < seed_count:
        generate_articles(seed_count - Article.objects.count())
    columns = [
        f.column for f in Article._meta.concrete_fields if f.column not in {"id", "uuid", "slug", "search_vector"}
    ]
    listed = ", ".join(columns)
    missing = count - Article.objects.count()
    # Copies of the seed articles, each with its own identifier and address.
    sql(
        f"INSERT INTO encyclopedia_article (uuid, slug, {listed}) "
        f"SELECT gen_random_uuid(), a.slug || '-copy-' || g, {', '.join('a.' + c for c in columns)} "
        "FROM (SELECT * FROM encyclopedia_article WHERE live_article_id IS NULL ORDER BY id LIMIT %s) a "
        "CROSS JOIN generate_series(1, %s) g LIMIT %s",
        [seed_count, missing // seed_count + 1, missing],
    )


def spread_work(users: dict) -> None:
    # States and review dates as a working encyclopedia has them: most published and reviewed, review dates
    # over the next three years and some overdue, a few in review, sent back, drafts and scheduled.
    sql(
        "UPDATE encyclopedia_article SET "
        "next_review_due = CURRENT_DATE + ((id * 7919) %% 1300 - 100)::integer, "
        "status = CASE WHEN id %% 50 = 0 THEN 'in_review' WHEN id %% 97 = 0 THEN 'changes_requested' "
        "  WHEN id %% 20 = 0 THEN 'draft' ELSE 'published' END, "
        "published_at = CASE WHEN id %% 1000 = 1 THEN now() + (id %% 60) * interval '1 day' "
        "  ELSE now() - (id %% 2000) * interval '1 day' END"
    )
    editor, reviewer = users["editor"].pk, users["reviewer"].pk
    events = (
        "INSERT INTO editorial_workflowevent (article_id, article_uuid, article_title, on_working_copy, action, "
        "from_status, to_status, by_id, at, comment) SELECT id, uuid, title, false, %s, %s, status, %s, "
        "now() - (id %% 90) * interval '1 day', %s FROM encyclopedia_article WHERE {}"
    )
    sql(events.format("status IN ('draft', 'changes_requested', 'in_review') AND id %% 3 = 0"),
        ["save", "", editor, ""])  # fmt: skip
    sql(events.format("status IN ('in_review', 'changes_requested')"), ["submit", "draft", editor, ""])
    sql(events.format("status = 'changes_requested'"), ["request_changes", "in_review", reviewer, "Cite a source."])
    sql(
        "INSERT INTO encyclopedia_searchmiss (query, count, first_searched_at, last_searched_at) "
        "SELECT 'missing query ' || g, 1 + (g * 7) %% 200, now() - (g %% 365) * interval '1 day', "
        "now() - (g %% 60) * interval '1 day' FROM generate_series(1, 20000) g ON CONFLICT DO NOTHING"
    )


def feedback(count: int, users: dict) -> None:
    missing = count - Feedback.objects.count()
    if missing <= 0:
        return
    started = time.perf_counter()
    ids = list(Article.objects.articles().values_list("pk", flat=True))
    generate_postgresql(feedback=missing, votes=missing, days=730, article_ids=ids, assignee_ids=[users["triager"].pk])
    print(f"{missing} feedback items and as many votes: {time.perf_counter() - started:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seed-articles", type=int, default=2_000)
    parser.add_argument("--feedback", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=9)
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/desk.py measures PostgreSQL: set DATABASE_URL to a PostgreSQL database.")

    call_command("migrate", verbosity=0)
    users = people()
    articles(options.articles, options.seed_articles, users)
    feedback(options.feedback, users)
    sql("VACUUM ANALYZE")  # the visibility map too: counts read from indexes alone
    print(
        f"{connection.vendor}, {Article.objects.count()} articles, {Feedback.objects.count()} feedback items, "
        f"{WorkflowEvent.objects.count()} workflow events, {SearchMiss.objects.count()} search misses; "
        f"{options.repeat} requests each"
    )
    print(f"{'page':<34} {'median ms':>10} {'p90 ms':>8} {'queries':>8}")
    for name, user in users.items():
        client = Client()
        client.force_login(user)
        for label, path in [("desk", "/admin/"), ("how we are doing", "/admin/doing/")]:
            median, p90, queries = measure(client, path, options.repeat)
            print(f"{label + ' as ' + name:<34} {median:>10.1f} {p90:>8.1f} {queries:>8}")


if __name__ == "__main__":
    main()
