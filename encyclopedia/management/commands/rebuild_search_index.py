"""Rebuild the search data of every article, for content written behind Django's back
(a restored dump, a raw SQL import). Normal saves keep it current by themselves."""

from django.core.management.base import BaseCommand
from django.db import transaction

from encyclopedia.models import Article
from encyclopedia.search.index import search_index_refresh

CHUNK_SIZE = 1000


class Command(BaseCommand):
    help = "Recompute the search data of every article from its current content."

    def handle(self, *args, **options):
        ids = list(Article.objects.articles().order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), CHUNK_SIZE):
            with transaction.atomic():
                search_index_refresh(ids[start : start + CHUNK_SIZE])
            if options["verbosity"]:
                self.stdout.write(f"{min(start + CHUNK_SIZE, len(ids)):,} / {len(ids):,} articles")
        self.stdout.write(self.style.SUCCESS(f"Search data rebuilt for {len(ids):,} articles."))
