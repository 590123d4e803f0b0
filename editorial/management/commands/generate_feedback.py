"""Synthetic reader feedback and "Is this page useful?" answers in bulk, for benchmarks (bench/desk.py).

On PostgreSQL one INSERT … SELECT over generate_series per table (a million rows in seconds); elsewhere
bulk_create in batches. Columns this command does not choose get their model field's default, so a field
added later needs nothing here.
"""

import datetime
import random

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from encyclopedia.models import Article

from ...models import Feedback, Vote

CATEGORIES = ["correction", "suggestion", "question", "other", ""]
# One in 20 new, 1 in 20 in progress, 3 in 20 spam, the rest resolved: a triage team that keeps up.
STATUSES = ["new", "in_progress", "spam", "spam", "spam"] + ["resolved"] * 15


def _insert_select(model, values: dict[str, tuple[str, list]], count: int) -> None:
    """INSERT INTO model's table SELECT … FROM generate_series(1, count) AS g, where `values` gives an SQL
    expression of g and its parameters per column; every other column gets its field's default."""
    columns, expressions, params = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        expression, expression_params = values.get(
            field.column, ("%s", [field.get_db_prep_save(field.get_default(), connection)])
        )
        columns.append(connection.ops.quote_name(field.column))
        expressions.append(expression)
        params += expression_params
    sql = (
        f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({', '.join(columns)}) "
        f"SELECT {', '.join(expressions)} FROM generate_series(1::bigint, {int(count)}) AS g"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def generate_postgresql(*, feedback: int, votes: int, days: int, article_ids: list[int], assignee_ids: list[int]):
    spread = (f"now() - (((g * 7919) %% ({int(days)} * 1440)) * interval '1 minute')", [])
    article = ("(%s::bigint[])[(1 + (g * 104729) %% %s)::integer]", [article_ids, len(article_ids)])
    assignees = assignee_ids or [None]
    _insert_select(
        Feedback,
        {
            "article_id": (f"CASE WHEN g %% 4 = 0 THEN NULL ELSE {article[0]} END", article[1]),
            "category": ("(%s::text[])[(1 + g %% %s)::integer]", [CATEGORIES, len(CATEGORIES)]),
            "message": ("'Generated reader message number ' || g", []),
            "helpful": ("(ARRAY['', 'yes', 'no'])[(1 + g %% 3)::integer]", []),
            "created_at": spread,
            "status": ("(%s::text[])[(1 + (g * 31) %% %s)::integer]", [STATUSES, len(STATUSES)]),
            "assignee_id": (
                "CASE WHEN g %% 7 = 0 THEN (%s::integer[])[(1 + g %% %s)::integer] END",
                [assignees, len(assignees)],
            ),
            "notified_at": spread,
        },
        feedback,
    )
    _insert_select(
        Vote,
        {
            "article_id": article,
            "helpful": ("CASE WHEN (g * 13) %% 10 < 7 THEN 'yes' ELSE 'no' END", []),
            "created_at": spread,
        },
        votes,
    )


def generate_in_batches(*, feedback: int, votes: int, days: int, article_ids: list[int], assignee_ids: list[int]):
    rng = random.Random(17)
    now = timezone.now()

    def when() -> datetime.datetime:
        return now - datetime.timedelta(minutes=rng.randrange(days * 1440))

    for start in range(0, feedback, 5000):
        rows = Feedback.objects.bulk_create(
            Feedback(
                article_id=rng.choice(article_ids) if n % 4 else None, category=CATEGORIES[n % 5],
                message=f"Generated reader message number {n}", helpful=["", "yes", "no"][n % 3],
                status=STATUSES[n * 31 % 20], assignee_id=rng.choice(assignee_ids) if assignee_ids and n % 7 == 0 else None,
                notified_at=now,
            )
            for n in range(start, min(start + 5000, feedback))
        )  # fmt: skip
        for row in rows:
            row.created_at = when()
        Feedback.objects.bulk_update(rows, ["created_at"])
    for start in range(0, votes, 5000):
        rows = Vote.objects.bulk_create(
            Vote(article_id=rng.choice(article_ids), helpful="yes" if rng.random() < 0.7 else "no")
            for _ in range(start, min(start + 5000, votes))
        )
        for row in rows:
            row.created_at = when()
        Vote.objects.bulk_update(rows, ["created_at"])


class Command(BaseCommand):
    help = "Add N synthetic feedback items and votes (for benchmarks), spread over the last DAYS days."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, help="Feedback items to add.")
        parser.add_argument("--votes", type=int, default=None, help="Votes to add (default: as many as items).")
        parser.add_argument("--days", type=int, default=730, help="Spread over this many days (default 730).")
        parser.add_argument("--assignee", action="append", default=[], help="Username to assign 1 in 7 items to.")

    def handle(self, *args, count: int, votes: int | None, days: int, assignee: list[str], **options):
        from django.contrib.auth import get_user_model

        article_ids = list(Article.objects.articles().values_list("pk", flat=True))
        if not article_ids:
            raise CommandError("No articles: generate_articles first.")
        assignee_ids = list(get_user_model().objects.filter(username__in=assignee).values_list("pk", flat=True))
        votes = count if votes is None else votes
        generate = generate_postgresql if connection.vendor == "postgresql" else generate_in_batches
        with transaction.atomic():
            generate(feedback=count, votes=votes, days=days, article_ids=article_ids, assignee_ids=assignee_ids)
        self.stdout.write(f"Added {count} feedback items and {votes} votes over {days} days.")
