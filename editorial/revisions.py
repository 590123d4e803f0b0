"""Revisions of articles (django-reversion) and readable differences between two states.

Every save through the admin, and every workflow transition, stores a revision of the
article together with its FAQs, alternative names, sources and medical codes; related articles are part of the
article's own data (a list of ids). The models are registered with django-reversion in apps.py.
"""

import difflib
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
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
