"""Many rows written at once, faster than ``bulk_create`` where it matters.

Django's ``bulk_create`` splits a batch into statements of at most 999 parameters on SQLite
(about 20 people per statement) and compiles each statement anew; here one INSERT is
prepared once and run with ``executemany``. Values go through each field's ``pre_save``
and ``get_db_prep_save``, as ``bulk_create`` does; no signal is sent (callers write their
own audit entries). ``allocate_ids`` gives the objects their primary keys beforehand —
from the sequence on PostgreSQL, after the table's highest key on SQLite (a concurrent
insert then collides on the key and the transaction fails, never mixing rows up) — so that
the audit log can name each new row.
"""

from __future__ import annotations

from django.db import connections, models


def allocate_ids(model, objects: list, *, using: str = "default") -> None:
    if not objects:
        return
    connection = connections[using]
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, len(objects)],
            )
            ids = [row[0] for row in cursor.fetchall()]
        else:
            quote = connection.ops.quote_name
            cursor.execute(f"SELECT MAX({quote(pk)}) FROM {quote(table)}")  # noqa: S608
            highest = cursor.fetchone()[0] or 0
            if connection.vendor == "sqlite":
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                row = cursor.fetchone()
                highest = max(highest, row[0] if row else 0)
            ids = range(highest + 1, highest + 1 + len(objects))
    for obj, new_id in zip(objects, ids, strict=True):
        obj.pk = new_id


_MISSING = object()
_PLAIN_TEXT_FIELDS = (models.CharField, models.TextField, models.EmailField)


def _is_plain_text(field) -> bool:
    """A text column whose value, a ``str`` or None, goes to the database as it is:
    ``pre_save`` reads the attribute, and ``get_db_prep_save`` (``to_python``) returns a
    ``str`` or None unchanged. Any other value (a lazy string, an enum member…) still goes
    through the field. 60 columns per person made that call half of the insert's time."""
    return type(field) in _PLAIN_TEXT_FIELDS and type(field).pre_save is models.Field.pre_save


def _row(obj, fields: list, text_columns: list[bool], connection) -> list:
    """The values of ``obj``'s columns as ``bulk_create`` sends them: each field's
    ``get_db_prep_save(pre_save(obj))``, read directly for a plain text."""
    values = obj.__dict__
    row = []
    for field, text in zip(fields, text_columns, strict=True):
        if text:
            value = values.get(field.attname, _MISSING)
            if value is None or value.__class__ is str:
                row.append(value)
                continue
        row.append(field.get_db_prep_save(field.pre_save(obj, True), connection))
    return row


def insert_many(model, objects: list, *, using: str = "default", batch_size: int = 2000) -> int:
    """INSERT every object (with its primary key when it has one). Gives the number."""
    if not objects:
        return 0
    connection = connections[using]
    with_pk = objects[0].pk is not None
    fields = [f for f in model._meta.local_concrete_fields if with_pk or not f.primary_key]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {table} ({columns}) VALUES ({placeholders})".format(
        table=quote(model._meta.db_table),
        columns=", ".join(quote(field.column) for field in fields),
        placeholders=", ".join(["%s"] * len(fields)),
    )
    text_columns = [_is_plain_text(field) for field in fields]
    with connection.cursor() as cursor:
        for start in range(0, len(objects), batch_size):
            rows = [
                _row(obj, fields, text_columns, connection)
                for obj in objects[start : start + batch_size]
            ]
            cursor.executemany(sql, rows)
    for obj in objects:
        obj._state.adding = False
        obj._state.db = using
    return len(objects)


def insert_values(model, rows, *, using: str = "default", batch_size: int = 2000) -> int:
    """INSERT rows given as ``{attname: value}`` dicts (every column but the primary key),
    without building model objects: for logs written by the thousand. Gives the number."""
    connection = connections[using]
    fields = [f for f in model._meta.local_concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {table} ({columns}) VALUES ({placeholders})".format(
        table=quote(model._meta.db_table),
        columns=", ".join(quote(field.column) for field in fields),
        placeholders=", ".join(["%s"] * len(fields)),
    )
    count = 0
    batch: list[list] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(
                [field.get_db_prep_save(row.get(field.attname), connection) for field in fields]
            )
            if len(batch) >= batch_size:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count
