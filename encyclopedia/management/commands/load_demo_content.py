"""Load the demo articles in encyclopedia/demo_content/ (Markdown files with YAML front matter).

Idempotent: articles are matched by kind and slug, and a second run writes nothing.
"""

import datetime
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from encyclopedia.models import (
    FAQ,
    AlternativeName,
    Article,
    Kind,
    PromotionLink,
    SiteSettings,
    Status,
    next_review_due,
)

DEMO_CONTENT_DIR = Path(__file__).resolve().parents[2] / "demo_content"

PROMOTION = {
    "promotion_title": "Take the encyclopedia with you",
    "promotion_text": "Our free app keeps every article available offline, lets you save pages to "
    "show at your next appointment, and tells you when an article you follow is reviewed.",
}
PROMOTION_LINKS = [("Get it for iPhone and iPad", "https://example.org/app/ios"),
                   ("Get it for Android", "https://example.org/app/android")]  # fmt: skip


@dataclass
class DemoArticle:
    path: Path
    kind: Kind
    slug: str
    title: str
    summary: str
    body: str
    alternative_names: list[str]
    related: list[tuple[Kind, str]]
    faqs: list[tuple[str, str]]
    updated_at: datetime.datetime
    last_reviewed_on: datetime.date


def read_demo_article(path: Path) -> DemoArticle:
    text = path.read_text(encoding="utf-8")
    try:
        _, front_matter, body = text.split("---\n", 2)
        meta = yaml.safe_load(front_matter)
        updated_at = datetime.datetime.combine(
            meta["last_updated"], datetime.time(9, 0), tzinfo=timezone.get_default_timezone()
        )
        return DemoArticle(
            path=path,
            kind=Kind(meta["kind"]),
            slug=meta["slug"],
            title=meta["title"],
            summary=" ".join(meta["summary"].split()),
            body=body.strip(),
            alternative_names=meta["alternative_names"],
            related=[(Kind(kind), slug) for kind, slug in (item.split("/") for item in meta["related"])],
            faqs=[(faq["question"], faq["answer"].strip()) for faq in meta["faqs"]],
            updated_at=updated_at,
            last_reviewed_on=meta["last_reviewed"],
        )
    except (ValueError, KeyError, TypeError, yaml.YAMLError) as error:
        raise CommandError(f"{path}: not a valid demo article ({error})") from error


def assign_changes(instance, values: dict) -> bool:
    """Set the fields that differ; True when anything did."""
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    return bool(changed) or instance._state.adding


def sync_article(demo: DemoArticle) -> tuple[Article, bool]:
    article = Article.objects.filter(kind=demo.kind, slug=demo.slug).first() or Article(kind=demo.kind, slug=demo.slug)
    values = {
        "title": demo.title,
        "summary": demo.summary,
        "body": demo.body,
        "status": Status.PUBLISHED,
        "published_at": article.published_at or demo.updated_at,
        "updated_at": demo.updated_at,
        "last_reviewed_on": demo.last_reviewed_on,
        "next_review_due": next_review_due(demo.last_reviewed_on),
    }
    changed = assign_changes(article, values)
    if changed:
        article.save()

    existing_names = {name.name: name for name in article.alternative_names.all()}
    for name in set(existing_names) - set(demo.alternative_names):
        existing_names[name].delete()
        changed = True
    for name in set(demo.alternative_names) - set(existing_names):
        AlternativeName.objects.create(article=article, name=name)
        changed = True

    existing_faqs = list(article.faqs.all())
    for position, (question, answer) in enumerate(demo.faqs, start=1):
        faq = existing_faqs[position - 1] if position <= len(existing_faqs) else FAQ(article=article)
        if assign_changes(faq, {"position": position, "question": question, "answer": answer}):
            faq.save()
            changed = True
    for faq in existing_faqs[len(demo.faqs) :]:
        faq.delete()
        changed = True
    return article, changed


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
        demos = [read_demo_article(path) for path in sorted(DEMO_CONTENT_DIR.glob("*/*.md"))]
        if not demos:
            raise CommandError(f"No demo articles found in {DEMO_CONTENT_DIR}.")
        known = {(demo.kind, demo.slug) for demo in demos}
        for demo in demos:
            missing = [f"{kind}/{slug}" for kind, slug in demo.related if (kind, slug) not in known]
            if missing:
                raise CommandError(f"{demo.path}: related articles not found: {', '.join(missing)}")

        with transaction.atomic():
            articles, changed = {}, set()
            for demo in demos:
                article, article_changed = sync_article(demo)
                articles[demo.kind, demo.slug] = article
                if article_changed:
                    changed.add(article.pk)
            for demo in demos:
                article = articles[demo.kind, demo.slug]
                missing = {articles[key].pk for key in demo.related} - set(article.related.values_list("pk", flat=True))
                if missing:
                    article.related.add(*missing)  # symmetric: the other side gains the link too
                    changed.add(article.pk)
            promotion_changed = sync_promotion()

        self.stdout.write(
            f"{len(demos)} demo articles: {len(changed)} created or updated, {len(demos) - len(changed)} unchanged"
            + ("; promotional block set up." if promotion_changed else ".")
        )
