import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Prefetch

from encyclopedia.links import addresses_in, find_targets
from encyclopedia.models import FAQ, Article, Source

CHUNK = 500


class Command(BaseCommand):
    help = (
        "List internal links ([[kind/slug]]) that readers see as plain text because the target is missing or "
        "unpublished; with --external, also check the sources' web addresses. Exits with status 1 if any is broken."
    )

    def add_arguments(self, parser):
        parser.add_argument("--external", action="store_true", help="Also request every source URL.")
        parser.add_argument("--timeout", type=float, default=10.0, help="Seconds to wait for each URL (default 10).")
        parser.add_argument("--workers", type=int, default=8, help="URLs checked at the same time (default 8).")

    def handle(self, *args, external: bool, timeout: float, workers: int, **options):
        broken = self.check_internal_links()
        if external:
            broken += self.check_sources(timeout, workers)
        if broken:
            raise CommandError(f"{broken} broken link(s).")
        self.stdout.write("No broken links.")

    def check_internal_links(self) -> int:
        broken = checked = 0
        articles = (
            Article.objects.published()
            .order_by("pk")
            .prefetch_related(Prefetch("faqs", queryset=FAQ.objects.only("article_id", "answer_html")))
        )
        for start in range(0, articles.count(), CHUNK):
            chunk = list(articles[start : start + CHUNK].only("kind", "slug", "title", "body_html"))
            found = {
                article.pk: addresses_in(article.body_html, *(f.answer_html for f in article.faqs.all()))
                for article in chunk
            }
            targets = find_targets(set().union(*found.values()))
            for article in chunk:
                for kind, slug in sorted(found[article.pk]):
                    checked += 1
                    if (kind, slug) not in targets:
                        broken += 1
                        self.stdout.write(
                            f"{article.get_absolute_url()} ({article.title}): [[{kind}s/{slug}]] leads nowhere readers can go"
                        )
        self.stdout.write(f"Internal links: {checked} checked, {broken} broken.")
        return broken

    def check_sources(self, timeout: float, workers: int) -> int:
        sources = list(Source.objects.exclude(url="").select_related("article").order_by("article_id", "position"))
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            results = list(pool.map(lambda source: url_problem(source.url, timeout), sources))
        broken = 0
        for source, problem in zip(sources, results, strict=True):
            if problem:
                broken += 1
                self.stdout.write(
                    f"{source.article.get_absolute_url()} source “{source.title}”: {source.url} – {problem}"
                )
        self.stdout.write(f"Source addresses: {len(sources)} checked, {broken} broken.")
        return broken


def url_problem(url: str, timeout: float) -> str | None:
    """None if the URL answers successfully (after redirects), else what went wrong."""
    request = urllib.request.Request(url, method="HEAD", headers={"User-Agent": "encyclopedia-link-checker"})
    try:
        with urllib.request.urlopen(request, timeout=timeout):
            return None
    except urllib.error.HTTPError as error:
        if error.code == 405:  # some servers refuse HEAD: ask with GET
            try:
                with urllib.request.urlopen(url, timeout=timeout):
                    return None
            except (urllib.error.URLError, TimeoutError, ValueError) as retry_error:
                return str(retry_error)
        return f"HTTP {error.code}"
    except (urllib.error.URLError, TimeoutError, ValueError) as error:
        return str(getattr(error, "reason", error))
