"""Write every article (drafts included) as one Markdown file with YAML front matter: DIR/<kind>/<slug>.md."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from encyclopedia.content_files import article_file_path, article_to_text, articles_for_export
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
        stale = [
            path
            for kind in Kind
            for path in sorted((directory / kind).glob("*.md"))
            if path.relative_to(directory) not in files
        ]
        for path in stale:
            path.unlink()
        for relative, text in files.items():
            path = directory / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        self.stdout.write(
            f"{len(files)} article(s) exported to {directory}"
            + (f"; {len(stale)} stale file(s) removed." if stale else ".")
        )
