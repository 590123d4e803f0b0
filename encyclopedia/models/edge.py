"""Purges owed to the shared HTTP caches in front of the site (encyclopedia/page_cache.py)."""

from django.db import models
from django.utils import timezone


class EdgePurge(models.Model):
    """A page-cache tag to purge at one edge cache, written in the transaction of the change that bumped
    it and deleted once the cache has accepted the purge. Rows left here (the cache was down) are sent
    again by `manage.py purge_edge_cache`, run every minute from cron."""

    cache_url = models.CharField(max_length=500, help_text="The purge endpoint: one of EDGE_CACHE_PURGE_URLS.")
    tag = models.CharField(max_length=300, help_text="The page-cache tag, as page_cache.py spells it.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = "pending edge-cache purge"

    def __str__(self) -> str:
        return f"{self.tag} at {self.cache_url}"
