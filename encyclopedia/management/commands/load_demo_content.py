"""Load the demo articles in encyclopedia/demo_content/ (Markdown files with YAML front matter) and the
images they show (images/, drawn by scripts/draw_demo_images.py).

The files are in the import format (encyclopedia/content_files/parse.py) without identifiers, so
articles are matched by kind and slug. Idempotent: a second run writes nothing.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from encyclopedia import page_cache
from encyclopedia.content_files import (
    ContentFilesInvalid,
    assign_changes,
    import_article_files,
    import_image_files,
    read_article_files,
    read_image_files,
)
from encyclopedia.lay_terms_list import lay_terms_load
from encyclopedia.models import Article, Kind, LayTerm, PromotionLink, SiteSettings, Status
from encyclopedia.search.index import search_index_refresh

DEMO_CONTENT_DIR = Path(__file__).resolve().parents[2] / "demo_content"

PROMOTION = {
    "promotion_title": "Take the encyclopedia with you",
    "promotion_text": "Our free app keeps every article available offline, lets you save pages to "
    "show at your next appointment, and tells you when an article you follow is reviewed.",
}
PROMOTION_LINKS = [("Get it for iPhone and iPad", "https://example.org/app/ios"),
                   ("Get it for Android", "https://example.org/app/android")]  # fmt: skip


# The demo articles' medical reviewers: invented people (the surnames say so), named on each page as a
# real reviewer would be. Their accounts cannot sign in: no password, not active.
DEMO_REVIEWERS = [
    ("ada.example", "Dr Ada", "Example"),
    ("sam.sample", "Dr Sam", "Sample"),
    ("noor.placeholder", "Dr Noor", "Placeholder"),
    ("lee.specimen", "Dr Lee", "Specimen"),
]


def ensure_demo_reviewers() -> None:
    User = get_user_model()
    for username, first_name, last_name in DEMO_REVIEWERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first_name, "last_name": last_name, "is_active": False}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])


def sync_promotion() -> bool:
    settings = SiteSettings.load()
    if settings.promotion_title:
        return False  # editors have written their own
    assign_changes(settings, PROMOTION)
    settings.save()
    for position, (label, url) in enumerate(PROMOTION_LINKS, start=1):
        PromotionLink.objects.create(site_settings=settings, position=position, label=label, url=url)
    return True


class Command(BaseCommand):
    help = "Load (or bring up to date) the demo articles; running it again changes nothing."

    def handle(self, *args, **options):
        ensure_demo_reviewers()  # before reading: the files name them
        try:
            images = read_image_files(DEMO_CONTENT_DIR)
            files = read_article_files(DEMO_CONTENT_DIR)
        except ContentFilesInvalid as invalid:
            raise CommandError(f"The demo content is not valid:\n{invalid}") from None
        with transaction.atomic():
            images_created, _ = import_image_files(images)  # first: the articles show them
            result = import_article_files(files, default_status=Status.PUBLISHED)
            promotion_changed = sync_promotion()
            # The shipped everyday terms, pointed to the demo articles (bulk writes: refreshed here).
            if articles_with_new_terms := lay_terms_load(lay_term_model=LayTerm, article_model=Article):
                search_index_refresh(articles_with_new_terms)
                page_cache.bump(*(page_cache.kind_tag(kind) for kind in Kind.values))
        self.stdout.write(
            f"{len(images)} demo images ({images_created} added); "
            f"{len(files)} demo articles: {result.created + result.updated} created or updated, "
            f"{result.unchanged} unchanged" + ("; promotional block set up." if promotion_changed else ".")
        )
