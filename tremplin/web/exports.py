"""CSV and XLSX exports of lists, streamed, with the list's filters applied.

CSV uses the semicolon and a UTF-8 byte-order mark so that a French spreadsheet opens it
with accents and columns right; XLSX is written by openpyxl in write-only mode (constant
memory whatever the number of rows).
"""

import csv
import datetime
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
    return str(value)


def _csv_rows(columns: list[Column], objects: Iterable):
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow([column.header for column in columns])
    for obj in objects:
        yield writer.writerow([_csv_cell(column.value(obj)) for column in columns])


def _xlsx_value(value):
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None)
    return value


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
        cell = WriteOnlyCell(sheet, value=column.header)
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
