"""The reading check an editor sees while writing: the reading figures (encyclopedia.readability) with the
site's plain-words list and target, and the author checks (encyclopedia.author_checks)."""

from collections.abc import Iterable

from reversion.models import Version

from encyclopedia.author_checks import author_checks
from encyclopedia.models import Article, SiteSettings, Status
from encyclopedia.readability import article_reading

from .models import PlainWord


def reading_check(*, title: str, kind: str, summary: str, body: str, faqs: Iterable[tuple[str, str]]) -> dict:
    """Everything the editor's reading panel shows, as JSON-ready data."""
    target, override_required = SiteSettings.reading_rules()
    faqs = list(faqs)
    reading = article_reading(
        title=title, summary=summary, body_markdown=body, faqs=faqs, plain_words=PlainWord.as_dict()
    )
    return {
        **reading.as_dict(),
        "target_reading_age": target,
        "over_target": over_target(reading.reading_age, target),
        "override_required": override_required,
        "checks": [finding.as_dict() for finding in author_checks(kind=kind, body_markdown=body, faqs=faqs)],
    }


def over_target(reading_age: float | None, target: int) -> bool:
    return reading_age is not None and reading_age > target


def previous_published_figures(article: Article) -> dict | None:
    """The stored figures of the version readers saw before this one: a working copy's live article, or this
    article's latest published revision. None if there was none, or it was stored before figures were kept."""
    if article.pk is None or article.status == Status.PUBLISHED:
        return None  # nothing yet, or this is the published version
    if article.is_working_copy:
        return article.live_article.reading_figures or None
    versions = Version.objects.get_for_object(article)[:50]
    for version in versions:
        fields = version.field_dict
        if fields.get("status") == Status.PUBLISHED and fields.get("reading_figures"):
            return fields["reading_figures"]
    return None
