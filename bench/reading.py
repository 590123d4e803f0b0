"""Print the reading figures of the demo articles (or of the Markdown files in a folder): SMOG reading age,
grades, long sentences and long words, one article a line, hardest first. Never a pass/fail test.

    .venv/bin/python bench/reading.py [folder] [--target 11]

Reading age is the SMOG grade + 5 (the UK convention; see encyclopedia/readability.py).
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from encyclopedia.content_files.parse import parse_article_file  # noqa: E402
from encyclopedia.readability import article_reading  # noqa: E402

DEMO = Path(__file__).resolve().parent.parent / "encyclopedia" / "demo_content"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEMO)
    parser.add_argument("--target", type=float, default=11)
    arguments = parser.parse_args()
    rows = []
    for path in sorted(arguments.folder.rglob("*.md")):
        file = parse_article_file(path, path.read_text(encoding="utf-8"))
        fields = file.article_fields
        reading = article_reading(
            title=fields["title"], summary=fields.get("summary", ""), body_markdown=fields.get("body", ""),
            faqs=[(faq["question"], faq["answer"]) for faq in file.faqs or []],
        )  # fmt: skip
        rows.append((f"{file.kind}/{file.slug}", reading))
    rows.sort(key=lambda row: -(row[1].reading_age or 0))
    print(f"{'article':45} {'age':>5} {'SMOG':>5} {'FK':>5} {'sent.':>5} {'long s.':>7} {'long w.':>7}")
    for address, reading in rows:
        f = reading.figures
        flag = " over" if (reading.reading_age or 0) > arguments.target else ""
        print(f"{address:45} {reading.reading_age:5.1f} {f.smog_grade:5.1f} {f.fk_grade:5.1f} {f.sentences:5} "
              f"{len(reading.long_sentences):7} {f.long_words:7}{flag}")  # fmt: skip
    over = sum(1 for _, reading in rows if (reading.reading_age or 0) > arguments.target)
    print(f"{len(rows)} articles, {over} over the target reading age of {arguments.target:g}.")


if __name__ == "__main__":
    main()
