"""CSV and XLSX exports of lists, streamed, with the list's filters applied.

CSV uses the semicolon and a UTF-8 byte-order mark so that a French spreadsheet opens it
with accents and columns right; XLSX is written by openpyxl in write-only mode (constant
memory whatever the number of rows).

Every text cell that a spreadsheet would read as a formula (OWASP "CSV injection": a first
character among ``= + - @``, tab or carriage return) is written with a leading apostrophe,
in both formats and whatever the export; numbers stay numbers, so a negative amount is still
a number a spreadsheet can add up.
"""

import csv
import datetime
import decimal
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from tremplin.accounts import audit
from tremplin.accounts.models import AuditEntry

FORMATS = ("csv", "xlsx")
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
        return value.strftime("%d/%m/%Y")
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


def export_response(fmt: str, basename: str, columns: list[Column], queryset):
    """The export of ``queryset`` as ``basename.csv`` or ``basename.xlsx``; audited."""
    objects = queryset.iterator(chunk_size=2000)
    audit.record(
        AuditEntry.Action.EXPORT,
        object_type=queryset.model._meta.label_lower,
        object_repr=f"Export {fmt.upper()} : {basename}",
    )
    filename = f"{basename}-{datetime.date.today():%Y-%m-%d}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(
            _csv_rows(columns, objects), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(basename[:31])
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=_xlsx_value(column.header))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for obj in objects:
        sheet.append([_xlsx_value(column.value(obj)) for column in columns])
    spool = tempfile.SpooledTemporaryFile(max_size=20 * 1024 * 1024)  # noqa: SIM115 (FileResponse closes it)
    workbook.save(spool)
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
                fmt, self.export_basename, self.export_columns, self.get_queryset()
            )
        return super().get(request, *args, **kwargs)
