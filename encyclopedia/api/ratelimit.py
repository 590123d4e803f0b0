"""A per-client request limit for the API: a fixed window counted in one of Django's caches.

The counter lives in the cache named by API_RATE_LIMIT_CACHE, by default the one the pages use:
in production shared by the workers of a machine (files), or by every machine (Redis); local
memory (development) counts per process. The file cache's increments are not atomic, so two
requests at the same instant may count once: a limit, not an exact tally.
"""

import math
import time
from dataclasses import dataclass

from django.conf import settings

from core.ratelimit import window_hits


@dataclass(frozen=True)
class Allowance:
    allowed: bool
    limit: int
    remaining: int
    reset_after: int  # seconds until the window starts again


def take(client: str) -> Allowance:
    """Count one request of `client`; whether it is within API_RATE_LIMIT_REQUESTS per API_RATE_LIMIT_WINDOW seconds."""
    limit, window = settings.API_RATE_LIMIT_REQUESTS, settings.API_RATE_LIMIT_WINDOW
    count, window_start = window_hits(
        cache_alias=settings.API_RATE_LIMIT_CACHE, scope="api-rate", client=client, window=window
    )
    now = time.time()
    reset_after = max(1, math.ceil(window_start + window - now))
    return Allowance(allowed=count <= limit, limit=limit, remaining=max(0, limit - count), reset_after=reset_after)
