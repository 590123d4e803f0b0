"""The article's admin form: the workflow's instructions beside the content, and edit conflicts."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import cached_property

from encyclopedia import article_images
from encyclopedia.codes import normalize
from encyclopedia.markdown import render
from encyclopedia.models import Article, SiteSettings
from encyclopedia.readability import article_reading

from .. import revisions
from ..revisions import FieldMerge, Outcome
from ..workflow import available_transitions

TRANSITION_LABELS = {
    "submit": "Save and submit for review",
    "approve": "Save, approve and publish",
    "request_changes": "Request changes",
    "unpublish": "Unpublish",
    "review": "Save and record a medical review today",
}

SCHEDULE_FORMAT = "%d %b %Y %H:%M"  # as in the article list's "Scheduled for …"


def transition_label(name: str, *, published_at: datetime.datetime | None = None) -> str:
    """The button's words: approving with a "published at" in the future schedules rather than publishes."""
    if name == "approve" and published_at is not None and published_at > timezone.now():
        return f"Save, approve and schedule for {timezone.localtime(published_at):{SCHEDULE_FORMAT}}"
    return TRANSITION_LABELS[name]


class ArticleAdminForm(forms.ModelForm):
    minor_edit = forms.BooleanField(
        required=False,
        help_text="Tick for a typo or wording fix: “Last updated” stays as it is.",
    )
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # The article's latest revision when the form was rendered: the base of a three-way merge.
    base_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # After a refused save: the parts changed on both sides, and the revision both started from.
    conflict_fields = forms.CharField(widget=forms.HiddenInput, required=False)
    conflict_base_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    workflow_comment = forms.CharField(
        label="Comment for the review history",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Saved with “submit for review”, “request changes”, “approve” or “unpublish”; the author sees it here.",
    )
    reading_override = forms.BooleanField(
        label="Approve although the reading age is over the target",
        required=False,
        help_text="Needed to approve an article harder to read than the site's target, when the site settings ask "
        "for it.",
    )
    reading_override_reason = forms.CharField(
        label="Why this article may be harder to read",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept in the review history with the approval.",
    )
    # Set by the button the editor pressed (name="transition"); never rendered as a field.
    transition = forms.ChoiceField(choices=[("", ""), *TRANSITION_LABELS.items()], required=False)

    WORKFLOW_FIELDS = {
        *("minor_edit", "base_version", "base_revision", "conflict_fields", "conflict_base_revision"),
        *("workflow_comment", "transition", "reading_override", "reading_override_reason"),
    }
    user = None  # the editor, set by ArticleAdmin.get_form
    is_preview = False  # a preview never fails on a conflict or a transition

    class Meta:
        model = Article
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The admin widgets show whole seconds; without this, stored microseconds would make
        # every save look like a change of these dates.
        for name in ("published_at", "updated_at"):
            if self.initial.get(name):
                self.initial[name] = self.initial[name].replace(microsecond=0)
        self.fields["base_version"].initial = self.instance.version
        if not self.is_bound and self.instance.pk:
            self.fields["base_revision"].initial = self._revision_shown()
        self.conflict = None
        self.inlines_shown_as_stored: set[str] = set()  # re-rendered from the current rows
        self.inlines_kept_as_stored: set[str] = set()  # "keep theirs": not saved from the form

    def _revision_shown(self) -> int | None:
        """The latest revision, if it holds what this form shows; otherwise (say, changed since by an import)
        no base is known and a conflict asks for a choice on every difference."""
        latest = revisions.latest_revision(self.instance)
        if latest is None:
            return None
        fields = {name: getattr(self.instance, name) for name in revisions.OWN_FIELDS if name != "related"}
        related = self.initial["related"] if "related" in self.initial else self.instance.related.all()
        shown = revisions.own_snapshot({**fields, "related": related})
        try:
            stored = revisions.own_snapshot(latest.field_dict)
        except Exception:  # a revision this code can no longer read is no base
            return None
        return latest.pk if stored == shown else None

    @property
    def published_at(self) -> datetime.datetime | None:
        """The "published at" the buttons act on: as just entered in the form if it is valid, else as saved."""
        cleaned = getattr(self, "cleaned_data", {})
        return cleaned["published_at"] if "published_at" in cleaned else self.instance.published_at

    @cached_property
    def changed_data(self) -> list[str]:
        # What changed in the article itself: the workflow fields are instructions, not content.
        return [name for name in super().changed_data if name not in self.WORKFLOW_FIELDS]

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if problems := article_images.reference_problems([body]):
            raise ValidationError([ValidationError(problem, code="image_reference") for problem in problems])
        return body

    def images_in_body(self) -> list:
        body = getattr(self, "cleaned_data", {}).get("body", self.instance.body)
        images = article_images.find_images(article_images.references_in(render(body).html))
        return list(images.values())

    def clean(self):
        cleaned = super().clean()
        if not self.is_preview:
            self._check_for_conflict(cleaned)
            self._check_transition(cleaned)
        return cleaned

    def _check_for_conflict(self, cleaned) -> None:
        if self.instance._state.adding:
            return
        # Locked until the admin's transaction ends: a concurrent save waits, then sees our version.
        current = Article.objects.select_for_update().get(pk=self.instance.pk)
        mine = self._snapshot_of_mine(cleaned)
        theirs = revisions.snapshot_of_article(current)
        pending = [name for name in (cleaned.get("conflict_fields") or "").split(",") if name in mine]
        choices = {name: self.data.get(f"merge-{name}") for name in pending}
        choices = {name: choice for name, choice in choices.items() if choice in {"theirs", "mine"}}

        if cleaned.get("base_version") == current.version:
            # Saved again after an edit conflict, and nobody else has saved since: the parts changed on both
            # sides need the editor's choice; everything else in the form is an edit of the current version.
            unresolved = [name for name in pending if name not in choices and mine[name] != theirs[name]]
            if not unresolved:
                self._apply_choices(cleaned, current, choices)
                return
            base_version = revisions.revision_of(current, cleaned.get("conflict_base_revision"))
            base = revisions.snapshot_of_version(base_version) if base_version else None
            merge = {
                name: part for name, part in revisions.merge_three_way(base, theirs, mine).items() if name in pending
            }
            self._refuse(
                ValidationError(
                    "Choose which version to keep for: %(parts)s. Both you and another editor changed "
                    "%(them)s; nothing has been saved yet.",
                    code="merge_choice_required",
                    params={"parts": ", ".join(revisions.MERGE_LABELS[name] for name in unresolved),
                            "them": "it" if len(unresolved) == 1 else "them"},
                ),
                current, merge, choices, base_version,
            )  # fmt: skip
            for name in unresolved:
                if name in self.fields:
                    self.add_error(name, "Both versions differ: choose “Keep theirs” or “Keep mine” above.")
            return

        # The article changed since this form was opened (or since its last refusal).
        base_version = revisions.revision_of(current, cleaned.get("base_revision"))
        base = revisions.snapshot_of_version(base_version) if base_version else self._dates_shown()
        if base is not None:
            for name in pending:  # still to be chosen from an earlier refusal: what was chosen counts as mine
                if choices.get(name) == "theirs" and name in base:
                    mine[name] = base[name]
                elif name not in choices:
                    base.pop(name, None)  # nobody chose: any difference needs a choice
        merge = revisions.merge_three_way(base, theirs, mine)
        last = revisions.latest_revision(current)
        who = last.revision.user if last and last.revision.user else "another editor"
        when = timezone.localtime(last.revision.date_created) if last else timezone.localtime(current.updated_at)
        both = [part.label for part in merge.values() if part.needs_choice]
        self._refuse(
            ValidationError(
                "This article was changed by %(who)s at %(when)s, after you opened it. Your changes have not been "
                "saved, and nothing was overwritten. %(next)s",
                code="edit_conflict",
                params={
                    "who": who,
                    "when": when.strftime("%d %B %Y %H:%M"),
                    "next": f"Both of you changed: {', '.join(both)}. Choose which version to keep for each, "
                    "then save again; the parts changed on one side only are already merged into the form below."
                    if both
                    else "Their changes and yours are merged into the form below: check it, then save again.",
                },
            ),
            current, merge, {name: choice for name, choice in choices.items() if name in merge},
            base_version, who=who,
        )  # fmt: skip

    def _dates_shown(self) -> revisions.Snapshot:
        """Without a revision, the one part whose starting point the form itself posts: "Last updated", which
        every save moves (the admin's hidden initial value, also how a change by hand is told)."""
        field = self.fields.get("updated_at")
        if field is None or not field.show_hidden_initial:
            return {}
        try:
            shown = field.clean(field.hidden_widget().value_from_datadict(
                self.data, self.files, "initial-" + self.add_prefix("updated_at")))  # fmt: skip
        except ValidationError:
            return {}
        return revisions.own_snapshot({"updated_at": shown}) if shown else {}

    def _snapshot_of_mine(self, cleaned) -> revisions.Snapshot:
        """What this form would save: its own fields and the inline lists as posted."""
        own = {name: cleaned[name] for name in revisions.MERGE_LABELS if name in self.fields and name in cleaned}
        snapshot = revisions.own_snapshot(own)
        rows = {prefix: posted_inline_rows(self.data, prefix) for prefix in revisions.INLINES}
        inlines = revisions.inline_snapshot(
            names=rows["alternative_names"] or (), faqs=rows["faqs"] or (),
            sources=rows["sources"] or (), codes=rows["codes"] or (),
        )  # fmt: skip
        snapshot.update({prefix: inlines[prefix] for prefix, posted in rows.items() if posted is not None})
        return snapshot

    def _apply_choices(self, cleaned, current: Article, choices: dict[str, str]) -> None:
        for name, choice in choices.items():
            if choice != "theirs":
                continue  # mine is what the form holds, as the editor may have edited it
            if name in revisions.INLINES:
                self.inlines_kept_as_stored.add(name)  # the stored rows are theirs: the admin leaves them
            elif name == "related":
                cleaned[name] = current.related.all()
            else:
                cleaned[name] = getattr(current, name)

    def _refuse(self, error, current, merge, choices, base_version, who=None) -> None:
        """Refuse this save and re-render the form holding the merge: theirs where only they changed a part
        (or it was chosen), mine elsewhere; saving again from it is a save of the current version."""
        self.add_error(None, error)
        self.data = self.data.copy()
        self.data[self.add_prefix("base_version")] = str(current.version)
        latest = revisions.latest_revision(current)
        theirs = revisions.snapshot_of_article(current)
        matches = latest is not None and revisions.snapshot_of_version(latest) == theirs
        self.data[self.add_prefix("base_revision")] = str(latest.pk) if matches else ""
        self.data[self.add_prefix("conflict_fields")] = ",".join(
            name for name, part in merge.items() if part.needs_choice
        )
        self.data[self.add_prefix("conflict_base_revision")] = str(base_version.pk) if base_version else ""
        for name, part in merge.items():
            # A choice made before someone saved yet again stands: "keep theirs" then shows theirs now.
            if part.outcome == Outcome.THEIRS or choices.get(name) == "theirs":
                self._show_theirs(name, current)
        if "updated_at" in self.fields and self.fields["updated_at"].show_hidden_initial:
            # "Set by hand" is judged against the current version from now on.
            self._write(self.fields["updated_at"], "initial-" + self.add_prefix("updated_at"), current.updated_at)
        self.conflict = MergeView(merge, choices, current, who)

    def _show_theirs(self, name: str, current: Article) -> None:
        if name in revisions.INLINES:
            self.inlines_shown_as_stored.add(name)
        elif name in self.fields:
            value = list(current.related.values_list("pk", flat=True)) if name == "related" else getattr(current, name)
            self._write(self.fields[name], self.add_prefix(name), value)

    def _write(self, field, key: str, value) -> None:
        widget = getattr(field.widget, "widget", field.widget)  # the admin wraps related widgets
        if isinstance(widget, forms.MultiWidget):  # date and time
            for suffix, part_widget, part in zip(
                widget.widgets_names, widget.widgets, widget.decompress(value), strict=True
            ):
                self.data[key + suffix] = part_widget.format_value(part) or ""
        elif isinstance(widget, forms.CheckboxInput):
            if value:
                self.data[key] = "on"
            else:
                self.data.pop(key, None)
        elif isinstance(value, list):
            self.data.setlist(key, [str(item) for item in value])
        else:
            self.data[key] = "" if value is None else str(value)

    def show_merged_inlines(self, inline_admin_formsets) -> None:
        """In a refused save, an inline list taken from the current version is shown as stored."""
        for inline in inline_admin_formsets:
            formset = inline.formset
            if formset.prefix in self.inlines_shown_as_stored:
                inline.formset = type(formset)(instance=formset.instance, prefix=formset.prefix,
                                               queryset=formset.queryset)  # fmt: skip

    def _check_transition(self, cleaned) -> None:
        name = cleaned.get("transition")
        if not name:
            return
        if name not in available_transitions(self.instance, self.user):
            self.add_error(None, ValidationError(
                "You cannot “%(action)s” this article.", code="transition_not_allowed",
                params={"action": TRANSITION_LABELS[name]},
            ))  # fmt: skip
        elif name == "request_changes" and not cleaned.get("workflow_comment", "").strip():
            self.add_error("workflow_comment", "Say what should change: the author sees this comment.")
        elif name in ("submit", "approve") and "body" in cleaned:
            images = self.images_in_body()
            problems = article_images.images_needing_details(images)
            if name == "approve":
                problems += [problem for image in images for problem in image.is_publishable()]
            for problem in problems:
                self.add_error("body", ValidationError(problem, code="image_not_ready"))
        if name == "approve":
            self._check_reading_override(cleaned)

    def _check_reading_override(self, cleaned) -> None:
        """The form's side of the workflow's reading-age gate: the error beside the fields, before anything is
        saved (the gate itself checks the stored figures again)."""
        target, override_required = SiteSettings.reading_rules()
        if not override_required:
            return
        faqs = [(row["question"], row["answer"]) for row in posted_inline_rows(self.data, "faqs") or []]
        reading = article_reading(
            title=cleaned.get("title", ""), summary=cleaned.get("summary", ""), body_markdown=cleaned.get("body", ""),
            faqs=faqs,
        )  # fmt: skip
        if reading.reading_age is None or reading.reading_age <= target:
            return
        if not cleaned.get("reading_override"):
            self.add_error("reading_override", ValidationError(
                "The reading age is %(age)s, over the target of %(target)s: simplify the text, or tick this and say why.",
                code="reading_override_required", params={"age": reading.reading_age, "target": target},
            ))  # fmt: skip
        elif not cleaned.get("reading_override_reason", "").strip():
            self.add_error("reading_override_reason", "Say why this article may be harder to read than the target.")


# The inline lists as posted (a refused save re-renders them; a merge compares them).

INLINE_FIELDS = {
    "alternative_names": ("name",),
    "faqs": ("position", "question", "answer"),
    "sources": ("position", "title", "publisher", "url", "accessed_on"),
    "codes": ("system", "code", "description"),
}
INLINE_CONTENT = {  # a new row with none of these filled in is the blank "extra" row, not content
    "alternative_names": ("name",),
    "faqs": ("question", "answer"),
    "sources": ("title", "publisher", "url", "accessed_on"),
    "codes": ("code", "description"),
}


def posted_inline_rows(data, prefix: str) -> list[dict] | None:
    """The rows an inline formset would keep, from the raw POST; None if the form did not post it."""
    try:
        total = min(int(data[f"{prefix}-TOTAL_FORMS"]), 1000)
    except (KeyError, ValueError):
        return None
    rows = []
    for index in range(total):
        key = f"{prefix}-{index}-"
        row = {name: data.get(key + name, "") for name in INLINE_FIELDS[prefix]}
        if data.get(key + "DELETE") or not (data.get(key + "id") or any(row[name] for name in INLINE_CONTENT[prefix])):
            continue
        if "position" in row:
            row["position"] = int(row["position"]) if str(row["position"]).strip().isdigit() else 0
        if prefix == "codes" and row["system"]:
            row["code"] = normalize(row["system"], row["code"])
        rows.append(row)
    return rows


class MergeView:
    """What the three-way view of a refused save shows: per part, the three versions and the choice."""

    def __init__(self, merge: dict[str, FieldMerge], choices: dict[str, str], current: Article, who) -> None:
        ids = {pk for part in merge.values() if part.name == "related" for value in (part.base, part.theirs, part.mine)
               for pk in value or ()}  # fmt: skip
        titles = dict(Article.objects.filter(pk__in=ids).values_list("pk", "title")) if ids else {}
        order = [Outcome.CONFLICT, Outcome.THEIRS, Outcome.MINE, Outcome.SAME, Outcome.UNCHANGED]
        self.who = who
        self.parts = [
            MergePart(part, choices.get(part.name), titles)
            for part in sorted(merge.values(), key=lambda part: order.index(part.outcome))
            if part.outcome != Outcome.UNCHANGED
        ]
        self.choices_needed = [part for part in self.parts if part.needs_choice]


class MergePart:
    def __init__(self, part: FieldMerge, choice: str | None, titles: dict[int, str]) -> None:
        self.name, self.label, self.outcome, self.choice = part.name, part.label, part.outcome, choice
        self.needs_choice = part.needs_choice
        self.base_known = part.base_known
        self.base = revisions.merge_lines(part.name, part.base, titles)
        self.theirs = revisions.merge_lines(part.name, part.theirs, titles)
        self.mine = revisions.merge_lines(part.name, part.mine, titles)
        # Long text is easier to judge as two diffs from where both started.
        self.diffs = (
            [
                revisions.merge_diff(part.name, part.base, part.theirs),
                revisions.merge_diff(part.name, part.base, part.mine),
            ]
            if part.name == "body" and part.base_known
            else []
        )
        self.anchor = f"{part.name}-group" if part.name in revisions.INLINES else f"id_{part.name}"
