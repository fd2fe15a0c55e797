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
    header: str
    value: Callable[[object], object]


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


def _csv_rows(columns: list[Column], objects: Iterable):
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow([_csv_cell(column.header) for column in columns])
    for obj in objects:
        yield writer.writerow([_csv_cell(column.value(obj)) for column in columns])


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

    @classmethod
    def of_queryset(cls, queryset: QuerySet, chunk_size: int = 2000) -> ExportSource:
        """The queryset read in chunks (constant memory), never counted."""
        return cls(queryset.iterator(chunk_size=chunk_size), queryset.model._meta.label_lower)

    @classmethod
    def of_rows(cls, rows: list | tuple, model: type[Model]) -> ExportSource:
        """A table already computed (plain rows), about records of ``model``."""
        return cls(rows, model._meta.label_lower, len(rows))


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
        source = ExportSource(
            source.iterator(chunk_size=2000), source.model._meta.label_lower, count
        )
    if request is not None and source.count is not None and jobs.above_threshold(source.count):
        return jobs.start(request, kind=Job.Kind.EXPORT, title=f"Export {fmt.upper()} : {basename}")
    objects = _with_progress(iter(source.rows), source.count)
    described = f"Export {fmt.upper()} : {basename}"
    if source.count is not None:
        described += f" ({source.count} ligne{'s' if source.count > 1 else ''})"
    audit.record(AuditEntry.Action.EXPORT, object_type=source.model_label, object_repr=described)
    filename = f"{basename}-{datetime.date.today():%Y-%m-%d}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(
            _csv_rows(columns, objects), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    spool = tempfile.SpooledTemporaryFile(max_size=20 * 1024 * 1024)  # noqa: SIM115 (FileResponse closes it)
    xlsx.write(
        spool,
        basename[:31],
        [_xlsx_value(column.header) for column in columns],
        ([_xlsx_value(column.value(obj)) for column in columns] for obj in objects),
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
