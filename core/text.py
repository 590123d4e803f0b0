"""Text people type, cleaned once on the way into the database: the one place that says which
characters stored text may hold.

Control characters other than tab and line feed cannot be written in XML 1.0 (the feed and the
sitemap answer 500 with one of them), break the lines of emails and CSV files and mean nothing to
a reader; a carriage return becomes a line feed. They are removed by `clean_text`, which the model
fields below apply on every path into the database: assignment (forms, imports, `Model(...)`,
`bulk_create`, rows read back from the database, so a row stored before the fix is clean when
shown) and `QuerySet.update()` (through `get_prep_value`).
"""

import re

from django.db import models
from django.db.models.query_utils import DeferredAttribute

# C0 controls but tab and line feed, DEL, C1 controls, lone surrogates and the two non-characters
# XML forbids.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: str) -> str:
    """`value` without control characters; CR LF and CR become LF."""
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def clean_structure(value):
    """`clean_text` on every string inside JSON-like data (lists and dicts)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_structure(item) for item in value]
    if isinstance(value, dict):
        return {key: clean_structure(item) for key, item in value.items()}
    return value


class _CleanTextAttribute(DeferredAttribute):
    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = clean_text(value) if isinstance(value, str) else value


class CleanTextMixin:
    """For a text model field: its value never holds a control character (see the module)."""

    descriptor_class = _CleanTextAttribute

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return clean_text(value) if isinstance(value, str) else value


class CharField(CleanTextMixin, models.CharField):
    pass


class TextField(CleanTextMixin, models.TextField):
    pass
