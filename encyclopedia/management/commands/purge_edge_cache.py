"""Send the purges the caches in front are still owed (one was down when a change happened). Run it
every minute from cron; it does nothing when none are pending."""

from django.core.management.base import BaseCommand

from ...page_cache import purge_edge_caches


class Command(BaseCommand):
    help = "Send the pending purges to the edge caches (EDGE_CACHE_PURGE_URLS); run every minute from cron."

    def handle(self, *args, **options):
        delivered, pending = purge_edge_caches()
        self.stdout.write(f"Edge-cache purges delivered: {delivered}; still pending: {pending}.")
