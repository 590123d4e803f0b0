"""Revisions of articles (django-reversion) and readable differences between two states.

Every save through the admin, and every workflow transition, stores a revision of the
article together with its FAQs, alternative names, sources and medical codes; related articles are part of the
article's own data (a list of ids). The models are registered with django-reversion in apps.py.
"""

import datetime
import difflib
from dataclasses import dataclass
from enum import StrEnum

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from reversion.models import Version

from encyclopedia.models import FAQ, AlternativeName, Article, MedicalCode, Source, Status

Content = dict[str, list[str]]  # a label ("Body") and its lines


@dataclass(frozen=True)
class FieldDiff:
    label: str
    lines: list[tuple[str, str]]  # (" " | "-" | "+", text)

    @property
    def changed(self) -> bool:
        return any(sign != " " for sign, _ in self.lines)


def _content(
    *, title, kind, slug, summary, body, related_titles, status=None, faqs=None, names=None, codes=None, sources=None
) -> Content:
    content = {
        "Title": [title],
        "Kind and address": [f"{kind}/{slug}"],
        "Summary": [summary],
        "Body": body.splitlines(),
        "Related articles": sorted(related_titles),
    }
    if status is not None:
        content["Status"] = [dict(Status.choices).get(status, status)]  # "In review", not "in_review"
    if faqs is not None:
        content["FAQs"] = [
            line for question, answer in faqs for line in (f"Q: {question}", *f"A: {answer}".splitlines())
        ]
    if names is not None:
        content["Also called"] = sorted(names)
    if sources is not None:
        content["Sources"] = [_source_line(*source) for source in sources]
    if codes is not None:
        content["Medical codes"] = sorted(f"{MedicalCode(system=system, code=code)}" for system, code in codes)
    return content


def _source_line(title, publisher, url, accessed_on) -> str:
    accessed = f"accessed {accessed_on:%d %B %Y}" if accessed_on else ""
    return " · ".join(part for part in (title, publisher, url, accessed) if part)


def content_of_version(version: Version) -> Content:
    fields = version.field_dict
    in_revision = version.revision.version_set.all()
    faqs = sorted(
        (v.field_dict for v in in_revision if v.content_type_id == ContentType.objects.get_for_model(FAQ).pk),
        key=lambda faq: (faq["position"], faq["id"]),
    )
    source_type = ContentType.objects.get_for_model(Source).pk
    sources = sorted(
        (v.field_dict for v in in_revision if v.content_type_id == source_type),
        key=lambda source: (source["position"], source["id"]),
    )
    name_type = ContentType.objects.get_for_model(AlternativeName).pk
    code_type = ContentType.objects.get_for_model(MedicalCode).pk
    titles = dict(Article.objects.filter(pk__in=fields["related"]).values_list("pk", "title"))
    return _content(
        title=fields["title"], kind=fields["kind"], slug=fields["slug"], summary=fields["summary"],
        body=fields["body"], status=fields["status"],
        related_titles=[titles.get(pk, f"(deleted article #{pk})") for pk in fields["related"]],
        faqs=[(faq["question"], faq["answer"]) for faq in faqs],
        names=[v.field_dict["name"] for v in in_revision if v.content_type_id == name_type],
        codes=[(v.field_dict["system"], v.field_dict["code"]) for v in in_revision if v.content_type_id == code_type],
        sources=[(source["title"], source["publisher"], source["url"], source["accessed_on"]) for source in sources],
    )  # fmt: skip


def content_of_article(article: Article) -> Content:
    return _content(
        title=article.title, kind=article.kind, slug=article.slug, summary=article.summary, body=article.body,
        status=article.status, related_titles=article.related.values_list("title", flat=True),
        faqs=article.faqs.values_list("question", "answer"),
        names=article.alternative_names.values_list("name", flat=True),
        codes=article.codes.values_list("system", "code"),
        sources=article.sources.values_list("title", "publisher", "url", "accessed_on"),
    )  # fmt: skip


def content_of_form(cleaned: dict) -> Content:
    """What an editor submitted in the article form itself (FAQs and names are in inline forms)."""
    return _content(
        title=cleaned.get("title", ""), kind=cleaned.get("kind", ""), slug=cleaned.get("slug", ""),
        summary=cleaned.get("summary", ""), body=cleaned.get("body", ""),
        related_titles=[article.title for article in cleaned.get("related", [])],
    )  # fmt: skip


def diff_content(before: Content, after: Content) -> list[FieldDiff]:
    return [
        FieldDiff(label, [(line[0], line[2:]) for line in difflib.ndiff(before[label], after[label]) if line[0] != "?"])
        for label in before
        if label in after
    ]


def diff(old: Version, new: Version) -> list[FieldDiff]:
    return diff_content(content_of_version(old), content_of_version(new))


# Three-way merge of an edit conflict. A snapshot holds each part an editor can change in the
# article form, as a comparable value: text with its line endings and outer spaces normalized,
# related articles as sorted ids, each inline as one ordered tuple of rows.

Snapshot = dict[str, object]

MERGE_LABELS = {
    "kind": "Kind",
    "title": "Title",
    "slug": "Slug",
    "summary": "Summary",
    "body": "Body",
    "related": "Related articles",
    "show_promotion": "Show the promotional block",
    "published_at": "Published at",
    "updated_at": "Last updated",
    "alternative_names": "Also called",
    "faqs": "FAQs",
    "sources": "Sources",
    "codes": "Medical codes",
}
INLINES = ("alternative_names", "faqs", "sources", "codes")
INLINE_MODELS = (AlternativeName, FAQ, Source, MedicalCode)
OWN_FIELDS = tuple(name for name in MERGE_LABELS if name not in INLINES)


class Outcome(StrEnum):
    UNCHANGED = "unchanged"  # nobody changed it (or, without a base, both sides hold the same)
    SAME = "same"  # both made the same change
    THEIRS = "theirs"  # only the colleague changed it: theirs is taken
    MINE = "mine"  # only this editor changed it: mine is taken
    CONFLICT = "conflict"  # both changed it differently (or the base is unknown): the editor chooses


@dataclass(frozen=True)
class FieldMerge:
    name: str
    base: object  # None when the base is unknown (base_known is False)
    theirs: object
    mine: object
    outcome: Outcome
    base_known: bool = True

    @property
    def label(self) -> str:
        return MERGE_LABELS[self.name]

    @property
    def needs_choice(self) -> bool:
        return self.outcome == Outcome.CONFLICT

    @property
    def value(self) -> object:
        """The merged value; None while the editor has still to choose."""
        if self.outcome == Outcome.MINE:
            return self.mine
        return None if self.needs_choice else self.theirs


def merge_three_way(base: Snapshot | None, theirs: Snapshot, mine: Snapshot) -> dict[str, FieldMerge]:
    """Each part both sides have, merged: a change made on one side only is taken; a part changed on both
    sides differently needs a choice. Without a base for a part (no revision), any difference needs a choice:
    mine never wins over theirs by default."""
    merged = {}
    for name in (name for name in MERGE_LABELS if name in theirs and name in mine):
        known = base is not None and name in base
        old, new_theirs, new_mine = (base[name] if known else None), theirs[name], mine[name]
        if new_theirs == new_mine:
            outcome = Outcome.SAME if known and old != new_theirs else Outcome.UNCHANGED
        elif known and old == new_mine:
            outcome = Outcome.THEIRS
        elif known and old == new_theirs:
            outcome = Outcome.MINE
        else:
            outcome = Outcome.CONFLICT
        merged[name] = FieldMerge(name, old, new_theirs, new_mine, outcome, known)
    return merged


def normalized_text(text: str | None) -> str:
    # Browsers send \r\n and the form strips outer spaces: neither is a change.
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _moment(value: datetime.datetime | None) -> datetime.datetime | None:
    # The admin's widgets show whole seconds.
    return value.replace(microsecond=0) if value else None


def _day(value: datetime.date | str | None) -> str:
    return value.isoformat() if isinstance(value, datetime.date) else (value or "")


def own_snapshot(fields: dict) -> Snapshot:
    """The article's own parts from a dict of its field values (a version's field_dict, or the form's)."""
    snapshot = {}
    for name in ("kind", "title", "slug", "summary", "body"):
        if name in fields:
            snapshot[name] = normalized_text(fields[name])
    if "related" in fields:
        snapshot["related"] = tuple(sorted(getattr(item, "pk", item) for item in fields["related"]))
    if "show_promotion" in fields:
        snapshot["show_promotion"] = bool(fields["show_promotion"])
    for name in ("published_at", "updated_at"):
        if name in fields:
            snapshot[name] = _moment(fields[name])
    return snapshot


def inline_snapshot(*, names=(), faqs=(), sources=(), codes=()) -> Snapshot:
    """Each inline as one value; rows given as dicts of field values."""
    return {
        "alternative_names": tuple(sorted(normalized_text(row["name"]) for row in names)),
        "faqs": tuple(
            sorted((int(row["position"] or 0), normalized_text(row["question"]), normalized_text(row["answer"]))
                   for row in faqs)
        ),
        "sources": tuple(
            sorted((int(row["position"] or 0), normalized_text(row["title"]), normalized_text(row["publisher"]),
                    normalized_text(row["url"]), _day(row["accessed_on"])) for row in sources)
        ),
        "codes": tuple(
            sorted((row["system"], row["code"], normalized_text(row["description"])) for row in codes)
        ),
    }  # fmt: skip


def snapshot_of_article(article: Article) -> Snapshot:
    fields = {name: getattr(article, name) for name in MERGE_LABELS if name not in INLINES and name != "related"}
    return {
        **own_snapshot({**fields, "related": article.related.values_list("pk", flat=True)}),
        **inline_snapshot(
            names=article.alternative_names.values("name"),
            faqs=article.faqs.values("position", "question", "answer"),
            sources=article.sources.values("position", "title", "publisher", "url", "accessed_on"),
            codes=article.codes.values("system", "code", "description"),
        ),
    }


def snapshot_of_version(version: Version) -> Snapshot:
    """The article as stored in a revision, with the inlines stored beside it."""
    by_type: dict[int, list[dict]] = {}
    for other in version.revision.version_set.all():
        by_type.setdefault(other.content_type_id, []).append(other.field_dict)
    rows = {model: by_type.get(ContentType.objects.get_for_model(model).pk, []) for model in INLINE_MODELS}
    return {
        **own_snapshot(version.field_dict),
        **inline_snapshot(names=rows[AlternativeName], faqs=rows[FAQ], sources=rows[Source], codes=rows[MedicalCode]),
    }


def merge_lines(name: str, value: object, titles: dict[int, str] | None = None) -> list[str]:
    """A snapshot's value as lines an editor reads in the three-way view."""
    if value is None or value == ():
        return []
    if name == "related":
        return sorted((titles or {}).get(pk, f"Article #{pk}") for pk in value)
    if name == "show_promotion":
        return ["Yes" if value else "No"]
    if name in ("published_at", "updated_at"):
        return [timezone.localtime(value).strftime("%d %B %Y %H:%M:%S")]
    if name == "alternative_names":
        return list(value)
    if name == "faqs":
        return [line for _, question, answer in value for line in (f"Q: {question}", *f"A: {answer}".splitlines())]
    if name == "sources":
        return [
            " — ".join(part for part in (title, publisher, url, f"accessed {day}" if day else "") if part)
            for _, title, publisher, url, day in value
        ]
    if name == "codes":
        return [
            f"{MedicalCode(system=system, code=code)}" + (f" ({text})" if text else "") for system, code, text in value
        ]
    return str(value).splitlines()


def latest_revision(article: Article) -> Version | None:
    return Version.objects.get_for_object(article).select_related("revision").first()


def revision_of(article: Article, version_id: object) -> Version | None:
    """The article's own Version with this id; never another object's (a forged or stale id gives None)."""
    try:
        return Version.objects.get_for_object(article).select_related("revision").get(pk=int(version_id))
    except (Version.DoesNotExist, TypeError, ValueError):
        return None


def merge_diff(name: str, old: object, new: object, titles: dict[int, str] | None = None) -> FieldDiff:
    """Line by line from one side of a merge to another (the diff include shows it)."""
    return diff_content({MERGE_LABELS[name]: merge_lines(name, old, titles)},
                        {MERGE_LABELS[name]: merge_lines(name, new, titles)})[0]  # fmt: skip
