"""Reading articles as files: Markdown with a YAML front matter, the one format that export.py
writes and `import_articles` and `load_demo_content` read. A file:

    ---
    uuid: 6f1c…            # the stable identifier; without it, the article is matched by kind and slug
    kind: symptom
    slug: leg-cramps
    title: Leg cramps
    summary: One paragraph.
    status: published      # draft, in_review or published
    published_at: 2025-06-25 09:00:00+00:00
    last_updated: 2025-06-25 09:00:00+00:00   # or a date: 09:00 in the site's time zone
    last_reviewed: 2025-05-12
    reviewed_by: carol     # a username that exists here
    next_review_due: 2028-05-12   # left out: computed from last_reviewed
    show_promotion: true
    alternative_names: [Charley horse]
    related: [condition/dehydration]
    faqs: [{question: …, answer: …, position: 3}]         # position: when not the item's place in the list
    sources: [{title: …, publisher: …, url: …, accessed_on: 2025-01-31, position: 2}]
    codes: [{system: icd10cm, code: R25.2, description: Cramp and spasm}]
    ---
    Markdown body.

kind, slug, title and summary are required. A key that is left out leaves that part of an
existing article as it is (a new article gets the default); a key that is present, even as an
empty list, says the whole of it. Every string is stripped of surrounding white space, as the
admin's forms do.
"""

import datetime
import re
import uuid as uuid_lib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from core.text import clean_text

from ..models import FAQ, AlternativeName, Article, ArticleRedirect, Kind, MedicalCode, Source, next_review_due

KEYS = [
    "uuid", "kind", "slug", "title", "summary", "status", "published_at", "last_updated", "last_reviewed",
    "reviewed_by", "next_review_due", "show_promotion", "alternative_names", "related", "faqs", "sources", "codes",
]  # fmt: skip
REQUIRED = ["kind", "slug", "title", "summary"]
FAQ_KEYS = {"question", "answer", "position"}
SOURCE_KEYS = {"title", "publisher", "url", "accessed_on", "position"}
CODE_KEYS = {"system", "code", "description"}
# Article field → front matter key, for placing a model's validation error on its line.
FIELD_KEYS = {"updated_at": "last_updated", "last_reviewed_on": "last_reviewed"}
# A date alone in last_updated means this time of day in the site's time zone.
DATE_ONLY_TIME = datetime.time(9, 0)

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<front>.*?)^---[ \t]*(?:\n|\Z)", re.S | re.M)


@dataclass(frozen=True)
class ContentError:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ContentFilesInvalid(Exception):
    def __init__(self, errors: list[ContentError]):
        self.errors = sorted(errors, key=lambda error: (str(error.path), error.line))
        super().__init__("\n".join(str(error) for error in errors))


@dataclass
class ArticleFile:
    path: Path
    lines: dict[tuple, int]  # front matter key path → line in the file
    body_line: int
    uuid: uuid_lib.UUID | None
    kind: str
    slug: str
    article_fields: dict  # title, summary, body and the optional fields present in the file
    reviewed_by: str | None = None
    alternative_names: list[str] | None = None
    related: list[tuple[str, str]] | None = None
    faqs: list[dict] | None = None
    sources: list[dict] | None = None
    codes: list[dict] | None = None
    errors: list[ContentError] = field(default_factory=list)
    target_pk: int | None = None  # the existing article it describes, set by `check_files`
    related_targets: list = field(default_factory=list)  # files of this import or article pks, by `check_files`

    @property
    def address(self) -> tuple[str, str]:
        return self.kind, self.slug

    def line(self, *key) -> int:
        while key and key not in self.lines:
            key = key[:-1]
        return self.lines.get(key, 1)

    def error(self, key: tuple, message: str) -> None:
        self.errors.append(ContentError(self.path, self.line(*key), message))


def _key_lines(node: yaml.Node, path: tuple = (), offset: int = 0) -> dict[tuple, int]:
    lines = {path: node.start_mark.line + offset}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = path + (key_node.value,)
            lines |= _key_lines(value_node, key, offset)
            lines[key] = key_node.start_mark.line + offset
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines |= _key_lines(item, path + (index,), offset)
    return lines


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else value


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        raise ValueError("a date without a time is expected")
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def _as_datetime(value) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.date):
        moment = datetime.datetime.combine(value, DATE_ONLY_TIME)
    else:
        moment = datetime.datetime.fromisoformat(str(value))
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


def parse_article_file(path: Path, text: str) -> ArticleFile:
    """The file's content, checked on its own (not against other files or the database); problems are
    collected in `.errors`, each with its line. Control characters are removed first (YAML refuses
    them, and they would not be stored anyway: core.text)."""
    text = clean_text(text)
    match = FRONT_MATTER.match(text)
    empty = ArticleFile(path=path, lines={}, body_line=1, uuid=None, kind="", slug="", article_fields={})
    if not match:
        empty.error((), "the file must start with a front matter between two lines of three dashes (---)")
        return empty
    front = match.group("front")
    try:
        node = yaml.compose(front, Loader=yaml.SafeLoader)
        data = yaml.safe_load(front)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        problem = getattr(error, "problem", None) or str(error)
        empty.errors.append(ContentError(path, line, f"the front matter is not valid YAML: {problem}"))
        return empty
    if not isinstance(data, dict):
        empty.error((), "the front matter must be a mapping of keys (kind: …, slug: …)")
        return empty

    file = ArticleFile(
        path=path, lines=_key_lines(node, offset=2), body_line=front.count("\n") + 3,
        uuid=None, kind="", slug="", article_fields={},
    )  # fmt: skip
    for key in data:
        if key not in KEYS:
            file.error((key,), f"unknown key “{key}”; the keys are: {', '.join(KEYS)}")
    missing = [key for key in REQUIRED if not isinstance(data.get(key), str) or not data[key].strip()]
    for key in missing:
        file.error((key,), f"“{key}” is required and must be text")
    if missing:
        return file

    file.kind, file.slug = _text(data["kind"]), _text(data["slug"])
    if file.kind not in Kind.values:
        file.error(("kind",), f"kind must be one of {', '.join(Kind.values)}, not “{file.kind}”")
    fields = {"kind": file.kind, "slug": file.slug, "title": _text(data["title"]), "summary": _text(data["summary"])}
    fields["body"] = text[match.end() :].strip()

    def convert(key: str, to, name: str | None = None, nullable: bool = True):
        if key not in data:
            return
        value = data[key]
        if value is None and nullable:
            fields[name or key] = None
            return
        try:
            fields[name or key] = to(value)
        except (TypeError, ValueError) as error:
            file.error((key,), f"{key}: “{value}” is not valid ({error})")

    if "uuid" in data:
        try:
            file.uuid = uuid_lib.UUID(str(data["uuid"]))
        except ValueError:
            file.error(("uuid",), f"uuid: “{data['uuid']}” is not a UUID")
    convert("status", str, nullable=False)
    convert("published_at", _as_datetime)
    convert("last_updated", _as_datetime, "updated_at", nullable=False)
    convert("last_reviewed", _as_date, "last_reviewed_on")
    convert("next_review_due", _as_date)
    if "show_promotion" in data:
        if isinstance(data["show_promotion"], bool):
            fields["show_promotion"] = data["show_promotion"]
        else:
            file.error(("show_promotion",), "show_promotion must be true or false")
    if "reviewed_by" in data:
        reviewer = data["reviewed_by"]
        if reviewer is not None and not isinstance(reviewer, str):
            file.error(("reviewed_by",), "reviewed_by must be a username")
        file.reviewed_by = _text(reviewer) or None
        fields["reviewed_by"] = None  # resolved against the database by `check_files`
    if "last_reviewed" in data and "next_review_due" not in data:
        reviewed = fields.get("last_reviewed_on")
        fields["next_review_due"] = next_review_due(reviewed) if isinstance(reviewed, datetime.date) else None
    file.article_fields = fields

    def items(key: str, allowed: set[str] | None = None) -> list | None:
        if key not in data:
            return None
        value = data[key] if data[key] is not None else []
        if not isinstance(value, list):
            file.error((key,), f"{key} must be a list")
            return None
        for index, item in enumerate(value):
            if allowed is None:
                if not isinstance(item, str):
                    file.error((key, index), f"{key}: each entry must be text")
            elif not isinstance(item, dict):
                file.error((key, index), f"{key}: each entry must be a mapping with {', '.join(sorted(allowed))}")
            elif unknown := set(item) - allowed:
                file.error((key, index), f"{key}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
        return value

    names = items("alternative_names")
    if names is not None:
        file.alternative_names = [_text(name) for name in names if isinstance(name, str)]
        for name, count in Counter(file.alternative_names).items():
            if count > 1:
                file.error(("alternative_names",), f"alternative_names: “{name}” is listed {count} times")
    related = items("related")
    if related is not None:
        file.related = []
        for index, entry in enumerate(related):
            kind, _, slug = str(entry).strip().partition("/")
            if kind not in Kind.values or not slug:
                file.error(("related", index), f"related: “{entry}” is not kind/slug (for example condition/asthma)")
            else:
                file.related.append((kind, slug))
    file.faqs = _positioned(file, "faqs", items("faqs", FAQ_KEYS))
    file.sources = _positioned(file, "sources", items("sources", SOURCE_KEYS))
    codes = items("codes", CODE_KEYS)
    if codes is not None:
        file.codes = [{key: _text(value) for key, value in code.items()} for code in codes if isinstance(code, dict)]

    _check_models(file)
    return file


def _positioned(file: ArticleFile, key: str, entries: list | None) -> list[dict] | None:
    if entries is None:
        return None
    result = []
    for index, entry in enumerate(entries, start=1):
        if isinstance(entry, dict):
            result.append({"position": index, **{name: _text(value) for name, value in entry.items()}})
    return result


def _model_errors(file: ArticleFile, values: dict, model: type[models.Model], key: tuple) -> models.Model | None:
    """Validate `values` as an unsaved `model` row; on success, `values` takes the cleaned values (a date
    written as text becomes a date), so that comparing them with stored rows later is exact."""
    instance = model(**values)
    try:
        instance.full_clean(exclude=["article"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            where = (*key, name) if name != "__all__" else key
            for message in messages:
                label = ".".join(str(part) for part in where)
                file.errors.append(ContentError(file.path, file.line(*where), f"{label}: {message}"))
        return None
    values.update({name: getattr(instance, name) for name in values})
    return instance


def _check_models(file: ArticleFile) -> None:
    """The models' own validation (lengths, slug and URL forms, dates, medical codes), on unsaved instances."""
    fields = {name: value for name, value in file.article_fields.items() if name != "reviewed_by"}
    try:
        Article(**fields).full_clean(exclude=["uuid", "reviewed_by"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            line = file.body_line if name == "body" else file.line(FIELD_KEYS.get(name, name))
            for message in messages:
                file.errors.append(ContentError(file.path, line, f"{FIELD_KEYS.get(name, name)}: {message}"))
    for index, faq in enumerate(file.faqs or []):
        _model_errors(file, faq, FAQ, ("faqs", index))
    for index, source in enumerate(file.sources or []):
        _model_errors(file, source, Source, ("sources", index))
    for index, name in enumerate(file.alternative_names or []):
        _model_errors(file, {"name": name}, AlternativeName, ("alternative_names", index))
    seen = set()
    for index, values in enumerate(file.codes or []):
        values.setdefault("description", "")
        code = _model_errors(file, values, MedicalCode, ("codes", index))
        if code is not None:  # clean() has put the code in canonical form and filled in the official description
            if (code.system, code.code) in seen:
                file.error(("codes", index), f"codes: {code} is listed twice")
            seen.add((code.system, code.code))


def read_article_files(directory: Path) -> list[ArticleFile]:
    """Every `*.md` file under `directory`, parsed and checked against each other and the database;
    `ContentFilesInvalid` lists every problem of every file."""
    paths = sorted(directory.rglob("*.md"))
    files, errors = [], []
    for path in paths:
        try:
            # A byte order mark and Windows line endings, as some editors write them, are not content.
            text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        except (OSError, UnicodeDecodeError) as error:
            errors.append(ContentError(path, 1, f"cannot be read as UTF-8 text ({error})"))
            continue
        file = parse_article_file(path, text)
        files.append(file)
        errors.extend(file.errors)
    if not paths:
        errors.append(ContentError(directory, 1, "no article files (*.md) here"))
    errors += check_files([file for file in files if file.kind and file.slug])
    if errors:
        raise ContentFilesInvalid(errors)
    return files


def check_files(files: list[ArticleFile]) -> list[ContentError]:
    """What can only be checked across files and against the database: identifiers and addresses each
    used once, related articles and reviewers that exist. Sets each file's `target` (an article or None)."""
    errors = []
    # Working copies are drafts of published articles, reached through them: never a file's target.
    existing = {row[0]: row for row in Article.objects.articles().values_list("uuid", "pk", "kind", "slug")}
    by_address = {(kind, slug): (uuid, pk) for uuid, pk, kind, slug in existing.values()}
    first_with = {}
    for file in files:
        for key, value in (("uuid", file.uuid), ("kind", file.address)):
            if value is None:
                continue
            if value in first_with.setdefault(key, {}):
                other = first_with[key][value]
                shown = value if key == "uuid" else "/".join(value)
                errors.append(ContentError(file.path, file.line(key), f"{shown} is also in {other.path}"))
            first_with[key][value] = file
    targets = {}
    for file in files:
        held_by = by_address.get(file.address)
        if file.uuid is not None and file.uuid in existing:
            file.target_pk = existing[file.uuid][1]
        elif file.uuid is not None:
            file.target_pk = None
        else:
            file.target_pk = held_by[1] if held_by else None
        if held_by and held_by[1] != file.target_pk:
            errors.append(ContentError(file.path, file.line("slug"),
                f"{file.kind}/{file.slug} belongs to another article here (uuid {held_by[0]}); "
                "change the slug, or the uuid to that article's"))  # fmt: skip
        if file.target_pk is not None:
            if file.target_pk in targets:
                errors.append(ContentError(file.path, 1, f"describes the same article as {targets[file.target_pk]}"))
            targets[file.target_pk] = file.path
    # Where a related address leads: a file of this import, else the article there now (or the file that
    # describes it, under a new address perhaps), else the article an old address redirects to.
    file_of = {file.target_pk: file for file in files if file.target_pk is not None}
    owners: dict[tuple[str, str], ArticleFile | int] = {}
    related = {address for file in files for address in file.related or []}
    for old in ArticleRedirect.objects.filter(_addresses(related), article__isnull=False).values_list(
        "kind", "slug", "article"
    ):
        owners[old[:2]] = file_of.get(old[2], old[2])
    owners |= {address: file_of.get(pk, pk) for address, (_, pk) in by_address.items()}
    owners |= {file.address: file for file in files}
    usernames = {file.reviewed_by for file in files if file.reviewed_by}
    User = get_user_model()
    users = {user.get_username(): user for user in User.objects.filter(**{f"{User.USERNAME_FIELD}__in": usernames})}
    for file in files:
        file.related_targets = []
        for index, address in enumerate(file.related or []):
            owner = owners.get(address)
            if owner is None:
                errors.append(ContentError(file.path, file.line("related", index),
                                           f"related: no article {'/'.join(address)} here or in these files"))  # fmt: skip
            elif owner is file or owner == file.target_pk:
                errors.append(ContentError(file.path, file.line("related", index), "related: an article is not related to itself"))  # fmt: skip
            else:
                file.related_targets.append(owner)
        if file.reviewed_by:
            if file.reviewed_by in users:
                file.article_fields["reviewed_by"] = users[file.reviewed_by]
            else:
                errors.append(ContentError(file.path, file.line("reviewed_by"),
                    f"reviewed_by: no user “{file.reviewed_by}” here; create the account first or leave the key out"))  # fmt: skip
    return errors


def _addresses(addresses: set[tuple[str, str]]) -> models.Q:
    query = models.Q(pk__in=[])
    for kind, slug in addresses:
        query |= models.Q(kind=kind, slug=slug)
    return query
