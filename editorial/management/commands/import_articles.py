"""Create or update articles from Markdown files with YAML front matter (the export_articles format)."""

from pathlib import Path

import reversion
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from encyclopedia.content_files import (
    ContentFilesInvalid,
    import_article_files,
    import_image_files,
    read_article_files,
    read_image_files,
)
from encyclopedia.models import Status

from ... import workflow


class Command(BaseCommand):
    help = (
        "Import every *.md file under DIR: articles are matched by their uuid, or by kind and slug for files "
        "without one. Every file is checked first; if any is invalid, nothing changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check and count the changes, then write nothing.")
        parser.add_argument(
            "--by", required=True, metavar="USERNAME",
            help="The staff member importing: the import is recorded in their name and limited to what they may do "
            "(only a medical reviewer may change published articles, statuses or review data).",
        )  # fmt: skip

    def handle(self, *args, directory: Path, dry_run: bool, by: str, **options):
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a directory.")
        user = get_user_model().objects.filter(username=by, is_active=True, is_staff=True).first()
        if user is None:
            raise CommandError(f"No active staff member is called “{by}”.")
        try:
            with transaction.atomic():
                images = read_image_files(directory)
                files = read_article_files(directory)
                before = workflow.reviewed_state()
                # First: the articles find the images they show when they are saved.
                images_created, images_updated = import_image_files(images, by=user)
                with reversion.create_revision():
                    # New articles without a status are drafts: nothing is published by accident.
                    result = import_article_files(files, default_status=Status.DRAFT)
                    workflow.article_import_record(
                        by=user, before=before, written_ids=result.written_ids, source=f"from {directory.name}"
                    )
                    reversion.set_user(user)
                    reversion.set_comment(f"Imported from {directory.name}")
                if dry_run:
                    transaction.set_rollback(True)
        except PermissionDenied as refused:
            raise CommandError(f"Nothing was imported. {refused}") from None
        except ContentFilesInvalid as invalid:
            count = len({error.path for error in invalid.errors})
            raise CommandError(
                f"Nothing was imported: {len(invalid.errors)} problem(s) in {count} file(s).\n{invalid}"
            ) from None
        self.stdout.write(f"{len(files)} file(s): {result}" + (" (dry run: nothing was written)." if dry_run else "."))
        if images:
            self.stdout.write(f"{len(images)} image(s): {images_created} created, {images_updated} updated.")
