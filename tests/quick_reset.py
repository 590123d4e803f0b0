"""Faster resets between transactional tests (the browser tests' live server, schemathesis), which empty the
database after each test and, with serialized_rollback, put back what migrations created. Django's own way
cost about 0.7 s a test on PostgreSQL, a third of a browser test's time:

- the flush is one TRUNCATE of every table, which makes PostgreSQL replace each table's and index's files
  (0.2 s); DELETE of the few rows a test wrote takes milliseconds. Foreign keys are deferred to the end of
  the flush's transaction, so the order of the tables does not matter.
- the restore saves the ~700 objects migrations created one by one (an UPDATE, then an INSERT, and the
  signals of each); inserting each model's rows in one statement gives the same rows.

Both are installed by tests/conftest.py for the whole run; what the database holds after a reset is the
same either way."""

import itertools
from io import StringIO

from django.core import serializers
from django.db import connections, transaction
from django.db.backends.base.creation import BaseDatabaseCreation
from django.db.backends.postgresql.operations import DatabaseOperations as PostgresOperations
from django.db.models.constants import OnConflict

_truncate = PostgresOperations.sql_flush


def _delete_rows(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    if reset_sequences or not tables:  # numbering from 1 again needs TRUNCATE ... RESTART IDENTITY
        return _truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
    return [f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};" for table in tables]


def _insert_or_update(model, rows: list, alias: str) -> None:
    """As save(raw=True) does with a primary key given: each field's value as serialized (no auto_now), and
    rows already there (the first test finds what migrations made) take the serialized values."""
    fields = model._meta.local_concrete_fields
    others = [field for field in fields if not field.primary_key]
    conflict = (
        {"on_conflict": OnConflict.UPDATE, "update_fields": others} if others else {"on_conflict": OnConflict.IGNORE}
    )
    queryset = model._base_manager.using(alias)
    size = connections[alias].ops.bulk_batch_size(fields, rows)
    for start in range(0, len(rows), size):
        queryset._insert(rows[start : start + size], fields, raw=True, unique_fields=[model._meta.pk], **conflict)


def _restore_in_bulk(self, data: str) -> None:
    """Django's deserialize_db_from_string, with each model's rows (serialized one model after another) and
    their many-to-many rows inserted in bulk."""
    alias = self.connection.alias
    table_names = set()
    with transaction.atomic(using=alias), self.connection.constraint_checks_disabled():
        objects = serializers.deserialize("json", StringIO(data), using=alias)
        for model, group in itertools.groupby(objects, key=lambda deserialized: type(deserialized.object)):
            group = list(group)
            _insert_or_update(model, [deserialized.object for deserialized in group], alias)
            table_names.add(model._meta.db_table)
            for name in {name for deserialized in group for name in deserialized.m2m_data or {}}:
                field = model._meta.get_field(name)
                through = field.remote_field.through
                source = through._meta.get_field(field.m2m_field_name()).attname
                target = through._meta.get_field(field.m2m_reverse_field_name()).attname
                rows = [
                    through(**{source: deserialized.object.pk, target: value})
                    for deserialized in group
                    for value in deserialized.m2m_data.get(name, ())
                ]
                # As save() sets them: the objects' relations become exactly the serialized ones.
                through._base_manager.using(alias).filter(
                    **{f"{source}__in": [row.object.pk for row in group]}
                ).delete()
                through._base_manager.using(alias).bulk_create(rows)
                table_names.add(through._meta.db_table)
        self.connection.check_constraints(table_names=table_names)


def install() -> None:
    PostgresOperations.sql_flush = _delete_rows
    BaseDatabaseCreation.deserialize_db_from_string = _restore_in_bulk
