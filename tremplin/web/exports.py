"""CSV and XLSX exports of lists, streamed, with the list's filters applied.

CSV uses the semicolon and a UTF-8 byte-order mark so that a French spreadsheet opens it
with accents and columns right; XLSX is written row after row by ``web.xlsx`` (constant
memory whatever the number of rows).

Every text cell that a spreadsheet would read as a formula (OWASP "CSV injection": a first
character among ``= + - @``, tab or carriage return) is written with a leading apostrophe,
in both formats and whatever the export; numbers stay numbers, so a negative amount is still
a number a spreadsheet can add up.

What is exported is an ``ExportSource``: rows read once, in order (a queryset's
``iterator()``, or a table already computed), the model they come from for the audit log,
and their number when it is known without counting.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Model, QuerySet
from django.http import FileResponse, StreamingHttpResponse

from tremplin.accounts import audit
from tremplin.accounts.models import AuditEntry
from tremplin.web import jobs, xlsx
from tremplin.web.dates import french_date
from tremplin.web.models import Job

FORMATS = ("csv", "xlsx")
PROGRESS_EVERY = 1000  # rows between two moves of a job's progress bar
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    """A column of an export: its ``header`` and its ``value``.

    Without ``fields``, ``value`` is given the row (a model instance, or a row computed
    outside the database). With ``fields`` (paths as ``values_list`` takes them, each ending
    on a value, not a relation: ``"last_name"``, ``"referent__last_name"``), ``value`` is
    given those fields' values, in that order. An export of a queryset whose columns all
    name their fields reads the rows with ``values_list``: no model instance is built,
    which is most of the time of a long export."""

    header: str
    value: Callable[..., object]
    fields: tuple[str, ...] = ()

    @classmethod
    def of_field(cls, header: str, path: str) -> Column:
        """The column of one field's value as it is (``path`` as in ``fields``)."""
        return cls(header, _as_it_is, (path,))


def _as_it_is(value):
    return value


def choice_label(field) -> Callable[[object], object]:
    """For a column with ``fields``: a choice field's stored value → its label, as the model's
    ``get_FOO_display()`` gives it (the value itself when it is not among the choices)."""
    labels = {value: str(label) for value, label in field.flatchoices}
    return lambda value: labels.get(value, value)


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """``text`` as a spreadsheet will show it, never run it: a formula's first character is
    preceded by an apostrophe (OWASP, CSV injection)."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


class _Echo:
    def write(self, value):
        return value


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime.date):
        return french_date(value)
    if isinstance(value, int | float | decimal.Decimal):
        return str(value)
    return neutralise(str(value))


def _csv_rows(columns: list[Column], cells: Callable[[object], list], objects: Iterable):
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow([_csv_cell(column.header) for column in columns])
    for obj in objects:
        yield writer.writerow([_csv_cell(value) for value in cells(obj)])


def csv_text(columns: list[Column], rows: Iterable) -> str:
    """The CSV of ``rows`` (objects given to each column's ``value``) as the exports write it:
    ``;``, a BOM for the spreadsheets, French dates, formulas neutralised."""
    return "".join(_csv_rows(columns, _object_cells(columns), rows))


def _xlsx_value(value):
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None)
    if value is None or isinstance(value, int | float | decimal.Decimal | datetime.date):
        return value
    return neutralise(str(value))


@dataclass(frozen=True)
class ExportSource:
    """What an export reads: ``rows`` (iterated once, in order), ``model_label`` (what the
    audit log records as exported, e.g. ``"conventions.convention"``) and ``count`` (the
    number of rows when known without a query, for the audit log)."""

    rows: Iterable
    model_label: str
    count: int | None = None
    queryset: QuerySet | None = None  # what ``rows`` reads, when it is a queryset
    chunk_size: int = 2000

    @classmethod
    def of_queryset(
        cls, queryset: QuerySet, chunk_size: int = 2000, count: int | None = None
    ) -> ExportSource:
        """The queryset read in chunks (constant memory), never counted (``count`` if known):
        as model instances, or as ``values_list`` when every column names its fields."""
        return cls(
            queryset.iterator(chunk_size=chunk_size),
            queryset.model._meta.label_lower,
            count,
            queryset,
            chunk_size,
        )

    @classmethod
    def of_rows(cls, rows: list | tuple, model: type[Model]) -> ExportSource:
        """A table already computed (plain rows), about records of ``model``."""
        return cls(rows, model._meta.label_lower, len(rows))


def _path_value(obj, path: str):
    """The value at ``path`` (``"referent__last_name"``) from ``obj``; None past a None."""
    for name in path.split("__"):
        if obj is None:
            return None
        obj = getattr(obj, name)
    return obj


def _object_cells(columns: list[Column]) -> Callable[[object], list]:
    """A row (a model instance or a computed row) → its columns' values."""

    def cells(obj) -> list:
        return [
            column.value(*[_path_value(obj, path) for path in column.fields])
            if column.fields
            else column.value(obj)
            for column in columns
        ]

    return cells


def _values_cells(columns: list[Column], paths: list[str]) -> Callable[[tuple], list]:
    """A tuple of ``values_list(*paths)`` → its columns' values."""
    where = [(column.value, [paths.index(path) for path in column.fields]) for column in columns]

    def cells(values: tuple) -> list:
        return [value(*[values[index] for index in indexes]) for value, indexes in where]

    return cells


def _read(source: ExportSource, columns: list[Column]) -> tuple[Iterable, Callable]:
    """The rows of ``source`` and the function giving a row's columns' values: a queryset
    whose columns all name their fields is read as plain values."""
    if source.queryset is not None and columns and all(column.fields for column in columns):
        paths = list(dict.fromkeys(path for column in columns for path in column.fields))
        rows = source.queryset.values_list(*paths).iterator(chunk_size=source.chunk_size)
        return rows, _values_cells(columns, paths)
    return source.rows, _object_cells(columns)


def _with_progress(objects, total: int | None):
    """The rows, moving the job's progress bar every ``PROGRESS_EVERY`` rows (in a job)."""
    if not jobs.in_job() or not total:
        yield from objects
        return
    for done, obj in enumerate(objects):
        if done % PROGRESS_EVERY == 0:
            jobs.report_progress(done, total)
        yield obj


def export_response(fmt: str, basename: str, columns: list[Column], source, *, request=None):
    """The export of ``source`` (an ``ExportSource`` or a queryset) as ``basename.csv`` or
    ``basename.xlsx``; audited. Given the ``request``, an export of more than
    ``TREMPLIN_JOB_ROWS`` rows runs as a job (``web.jobs``): the answer sends the user to
    the job's page, the worker makes the file."""
    if isinstance(source, QuerySet):
        count = source.count() if request is not None or jobs.in_job() else None
        source = ExportSource.of_queryset(source, count=count)
    if request is not None and source.count is not None and jobs.above_threshold(source.count):
        return jobs.start(request, kind=Job.Kind.EXPORT, title=f"Export {fmt.upper()} : {basename}")
    rows, cells = _read(source, columns)
    objects = _with_progress(iter(rows), source.count)
    described = f"Export {fmt.upper()} : {basename}"
    if source.count is not None:
        described += f" ({source.count} ligne{'s' if source.count > 1 else ''})"
    audit.record(AuditEntry.Action.EXPORT, object_type=source.model_label, object_repr=described)
    filename = f"{basename}-{datetime.date.today():%Y-%m-%d}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(
            _csv_rows(columns, cells, objects), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    spool = tempfile.SpooledTemporaryFile(max_size=20 * 1024 * 1024)  # noqa: SIM115 (FileResponse closes it)
    xlsx.write(
        spool,
        basename[:31],
        [_xlsx_value(column.header) for column in columns],
        ([_xlsx_value(value) for value in cells(obj)] for obj in objects),
    )
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


class ExportMixin:
    """For list views: ``?format=csv`` or ``?format=xlsx`` exports the filtered list."""

    export_basename = "export"
    export_columns: list[Column] = []

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("format")
        if fmt in FORMATS:
            return export_response(
                fmt,
                self.export_basename,
                self.export_columns,
                self.get_queryset(),
                request=request,
            )
        return super().get(request, *args, **kwargs)
