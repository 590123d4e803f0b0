"""Fixed-window counters in one of Django's caches: how many times a client did something in the
current window. The local-memory cache counts per process; a shared cache (Redis, database) counts
once for the whole site."""

import time

from django.core.cache import caches


def window_hits(*, cache_alias: str, scope: str, client: str, window: int) -> tuple[int, float]:
    """Count one hit of `client` in `scope`; (hits in the current window, when the window started)."""
    now = time.time()
    window_start = int(now // window) * window
    key = f"{scope}:{client}:{window_start}"
    cache = caches[cache_alias]
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window + 1)
        count = 1
    return count, window_start
