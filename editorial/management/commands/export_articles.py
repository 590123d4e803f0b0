"""Write every article (drafts included) as one Markdown file with YAML front matter: DIR/<kind>/<slug>.md,
and the library images they show beside them: DIR/images/<uuid>.<png|jpg> with DIR/images/<uuid>.yaml."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from encyclopedia.content_files import (
    article_file_path,
    article_to_text,
    articles_for_export,
    image_file_paths,
    image_to_text,
    images_for_export,
)
from encyclopedia.content_files.images import FOLDER as IMAGES_FOLDER
from encyclopedia.models import Kind


class Command(BaseCommand):
    help = "Export every article to DIR/<kind>/<slug>.md, in the format import_articles reads."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Export into a directory that is not empty, removing the *.md files of its kind folders "
            "that this export does not write (so that importing the directory again finds no stale article).",
        )

    def handle(self, *args, directory: Path, replace: bool, **options):
        if directory.exists() and not directory.is_dir():
            raise CommandError(f"{directory} is not a directory.")
        if directory.exists() and any(directory.iterdir()) and not replace:
            raise CommandError(f"{directory} is not empty: choose a new directory, or add --replace.")
        files = {article_file_path(article): article_to_text(article) for article in articles_for_export()}
        images = {}
        for image in images_for_export():
            metadata, picture = image_file_paths(image)
            files[metadata] = image_to_text(image)
            with image.file.open("rb") as stored:
                images[picture] = stored.read()
        stale = [
            path
            for folder, pattern in [*((kind, "*.md") for kind in Kind), (IMAGES_FOLDER, "*.*")]
            for path in sorted((directory / folder).glob(pattern))
            if path.relative_to(directory) not in files and path.relative_to(directory) not in images
        ]
        for path in stale:
            path.unlink()
        for relative, text in files.items():
            path = directory / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        for relative, data in images.items():
            (directory / relative).write_bytes(data)
        self.stdout.write(
            f"{len(files) - len(images)} article(s) and {len(images)} image(s) exported to {directory}"
            + (f"; {len(stale)} stale file(s) removed." if stale else ".")
        )
