"""The rejected rows of an import and their reasons, as an XLSX file (openpyxl, write-only:
constant memory whatever the number of rows). Cells that a spreadsheet would run as a
formula are neutralised like every export of the product."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from tremplin.web.exports import neutralise as _safe

HEADERS = ("Ligne", "Personne", "Colonne", "Message")


def rejected_rows_xlsx(rows: Iterable[tuple[int, str, list[dict]]]):
    """``rows``: (row number, person, [{"column", "message"}]); one line per message.
    Gives a spooled temporary file, positioned at its start."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Lignes rejetées")
    header = []
    for text in HEADERS:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for number, person, errors in rows:
        for error in errors:
            sheet.append([number, _safe(person), _safe(error["column"]), _safe(error["message"])])
    spool = tempfile.SpooledTemporaryFile(max_size=20 * 1024 * 1024)  # noqa: SIM115
    workbook.save(spool)
    spool.seek(0)
    return spool
