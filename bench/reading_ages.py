"""Print each demo article's SMOG grade and reading age, before the plain-language rewrite and now
(never a test: tests/test_demo_content.py holds every article to the target).

    .venv/bin/python bench/reading_ages.py [--before COMMIT]

"Before" is the demo content at COMMIT (by default the commit before the rewrite); "now" is the
files in the work tree. Scores are encyclopedia/readability.py's, over the summary, body and FAQs,
with the NHS preparation (headings and list items end sentences; title words are not long words).
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from encyclopedia.content_files.parse import parse_article_file  # noqa: E402
from encyclopedia.management.commands.load_demo_content import DEMO_CONTENT_DIR  # noqa: E402
from encyclopedia.models.site import SiteSettings, default_emergency_number  # noqa: E402
from encyclopedia.readability import Reading, article_reading  # noqa: E402

BEFORE_REWRITE = "db7c5f8"
TARGET_READING_AGE = SiteSettings._meta.get_field("target_reading_age").default  # a new site's target


def file_reading(path: Path, text: str) -> Reading:
    """The reading figures of an article file, as readers see it: with the site's emergency number
    (a new site's default) where the text says {emergency_number}."""
    file = parse_article_file(path, text.replace("{emergency_number}", default_emergency_number()))
    fields = file.article_fields
    return article_reading(
        title=fields["title"],
        summary=fields["summary"],
        body_markdown=fields["body"],
        faqs=[(faq["question"], faq["answer"]) for faq in file.faqs or []],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default=BEFORE_REWRITE)
    args = parser.parse_args()
    print(f"{'article':34} {'SMOG before':>11} {'age':>5} {'SMOG now':>9} {'age':>5}  longest sentence")
    over = 0
    for path in sorted(DEMO_CONTENT_DIR.rglob("*.md")):
        relative = path.relative_to(ROOT)
        old_text = subprocess.run(
            ["git", "show", f"{args.before}:{relative}"], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout
        before = file_reading(path, old_text).figures if old_text else None
        now = file_reading(path, path.read_text(encoding="utf-8"))
        longest = max((sentence.words for sentence in now.long_sentences), default=0)
        over += now.reading_age > TARGET_READING_AGE
        print(
            f"{path.parent.name + '/' + path.stem:34} "
            f"{before.smog_grade if before else float('nan'):11.1f} {before.reading_age if before else float('nan'):5.1f} "
            f"{now.figures.smog_grade:9.1f} {now.reading_age:5.1f}  {longest or '≤25'}"
        )
    print(f"target reading age {TARGET_READING_AGE}: {over} article(s) over it")


if __name__ == "__main__":
    main()
