"""Per-client rate limits kept in the database, so every worker process shares the count.

A fixed window per scope: the first hit in a window creates the counter, later hits raise it
in one atomic `INSERT ... ON CONFLICT DO UPDATE ... RETURNING` (PostgreSQL, and SQLite 3.35+),
so simultaneous requests can never both slip under the limit.
"""

import dataclasses
import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .models import RateLimitCounter

MESSAGES = "messages"
VOTES = "votes"


@dataclasses.dataclass(frozen=True)
class Verdict:
    allowed: bool
    hits: int
    limit: int
    retry_at: datetime.datetime  # when the current window ends

    @property
    def window_minutes(self) -> int:
        return max(1, settings.FEEDBACK_RATE_WINDOW_SECONDS // 60)

    @property
    def retry_after_seconds(self) -> int:
        return max(1, int((self.retry_at - timezone.now()).total_seconds() + 0.999))


def limit_for(scope: str) -> int:
    return settings.FEEDBACK_MESSAGES_PER_WINDOW if scope == MESSAGES else settings.FEEDBACK_VOTES_PER_WINDOW


def window_start(now: datetime.datetime) -> datetime.datetime:
    seconds = settings.FEEDBACK_RATE_WINDOW_SECONDS
    epoch = int(now.timestamp())
    return datetime.datetime.fromtimestamp(epoch - epoch % seconds, tz=datetime.UTC)


def rate_limit_hit(*, scope: str, client_hash: str) -> Verdict:
    """Count one hit for the client in `scope` and say whether it is within the limit."""
    start = window_start(timezone.now())
    table = connection.ops.quote_name(RateLimitCounter._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (scope, client_hash, window_start, hits) VALUES (%s, %s, %s, 1) "
            f"ON CONFLICT (scope, client_hash, window_start) DO UPDATE SET hits = {table}.hits + 1 "
            "RETURNING hits",
            [scope, client_hash, connection.ops.adapt_datetimefield_value(start)],
        )
        (hits,) = cursor.fetchone()
    limit = limit_for(scope)
    retry_at = start + datetime.timedelta(seconds=settings.FEEDBACK_RATE_WINDOW_SECONDS)
    return Verdict(allowed=hits <= limit, hits=hits, limit=limit, retry_at=retry_at)


def rate_limit_counters_purge() -> int:
    """Delete counters whose window has ended; they hold client hashes and serve no purpose."""
    cutoff = window_start(timezone.now())
    deleted, _ = RateLimitCounter.objects.filter(window_start__lt=cutoff).delete()
    return deleted
