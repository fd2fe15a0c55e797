"""A list of people read as a table, row by row, in constant memory.

CSV: UTF-8 with or without a byte-order mark; the delimiter (``;`` or ``,``) is sniffed
from the header line. XLSX: the first sheet, read by openpyxl in read-only mode (rows are
parsed as they are read, never the whole sheet at once). Cells come back as text, dates
(XLSX) or numbers (XLSX); a row is numbered from 1 after the header, as a person counts the
lines under the header in a spreadsheet.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from tremplin.web.archives import ExpansionLimits, expansion_problem

MAX_COLUMNS = 200

# An XLSX is a ZIP archive: its sizes are checked before openpyxl reads it (a 251 KB file
# whose shared strings expand to 104 MB took 90 s and 640 MB). A list of 100,000 people
# written by openpyxl is one 73 MB sheet compressed 7.6 times; Excel's shared strings for
# such a list weigh some 30 MB. openpyxl holds the shared strings whole in memory, hence
# their own, lower limit.
XLSX_LIMITS = ExpansionLimits(
    total_bytes=200_000_000,
    member_bytes=200_000_000,
    ratio=100,
    members=(("xl/sharedStrings.xml", 64_000_000),),
)


class FileError(ValueError):
    """The file cannot be read as a table: ``str(error)`` is the French message."""


@dataclass
class Row:
    number: int  # from 1, the line after the header
    cells: dict[str, object]  # header → value (str, date, datetime, number or None)

    @property
    def is_empty(self) -> bool:
        return all(value in (None, "") or str(value).strip() == "" for value in self.cells.values())


class Table:
    """Headers and a one-pass iterator over the rows; ``estimated_rows`` for progress."""

    def __init__(self, headers: list[str], rows: Iterator[Row], estimated_rows: int | None):
        self.headers = headers
        self.rows = rows
        self.estimated_rows = estimated_rows

    def __iter__(self):
        return self.rows


def _clean_headers(raw: list[object]) -> list[str]:
    headers = []
    for index, value in enumerate(raw):
        text = str(value).strip() if value is not None else ""
        headers.append(text or f"Colonne {index + 1}")
    seen: dict[str, int] = {}
    unique = []
    for header in headers:
        seen[header] = seen.get(header, 0) + 1
        unique.append(header if seen[header] == 1 else f"{header} ({seen[header]})")
    while unique and unique[-1].startswith("Colonne ") and raw[len(unique) - 1] in (None, ""):
        unique.pop()  # trailing empty columns of a spreadsheet
    if not unique:
        raise FileError("La première ligne du fichier est vide : elle doit porter les en-têtes.")
    if len(unique) > MAX_COLUMNS:
        raise FileError(
            f"Le fichier compte plus de {MAX_COLUMNS} colonnes : est-ce bien une liste ?"
        )
    return unique


def is_xlsx(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04")


def open_table(stream: BinaryIO, filename: str = "") -> Table:
    """The table of a CSV or XLSX file (told apart by their content, not their name)."""
    head = stream.read(8)
    stream.seek(0)
    if not head:
        raise FileError("Le fichier est vide.")
    if is_xlsx(head):
        return _xlsx_table(stream)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileError(
            "Ce fichier est au format Excel 97-2003 (.xls) : enregistrez-le au format .xlsx ou "
            "en CSV UTF-8, puis déposez-le à nouveau."
        )
    return _csv_table(stream)


def _count_lines(stream: BinaryIO) -> int:
    stream.seek(0)
    count = 0
    while chunk := stream.read(1 << 20):
        count += chunk.count(b"\n")
    stream.seek(0)
    return count


def _csv_table(stream: BinaryIO) -> Table:
    estimated = max(_count_lines(stream) - 1, 0)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="", errors="strict")
    try:
        first_line = text.readline()
    except UnicodeDecodeError:
        raise FileError(_NOT_UTF8) from None
    if "\x00" in first_line:
        raise FileError(
            "Ce fichier n'est ni un CSV ni un classeur XLSX : enregistrez la liste en CSV "
            "UTF-8 ou en XLSX."
        )
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    header_row = next(csv.reader([first_line], delimiter=delimiter), [])
    headers = _clean_headers(header_row)

    def rows() -> Iterator[Row]:
        reader = csv.reader(text, delimiter=delimiter)
        number = 0
        try:
            for values in reader:
                number += 1
                cells = {
                    header: (values[i] if i < len(values) else None)
                    for i, header in enumerate(headers)
                }
                yield Row(number, cells)
        except UnicodeDecodeError:
            raise FileError(f"La ligne {number + 1} n'est pas en UTF-8. " + _NOT_UTF8) from None
        except csv.Error as error:
            raise FileError(
                f"La ligne {number + 1} ne peut pas être lue ({error}) : vérifiez les guillemets."
            ) from None

    return Table(headers, rows(), estimated)


_NOT_UTF8 = (
    "Le fichier n'est pas encodé en UTF-8 : dans votre tableur, choisissez « Enregistrer sous » "
    "puis « CSV UTF-8 (délimité par des points-virgules) », ou déposez le classeur .xlsx."
)


def _xlsx_table(stream: BinaryIO) -> Table:
    from openpyxl import load_workbook

    problem = expansion_problem(stream, XLSX_LIMITS)
    if problem:
        raise FileError(
            f"Ce classeur XLSX est refusé : {problem}. Ce n'est pas le cas d'une liste "
            "enregistrée par un tableur : enregistrez-la de nouveau en .xlsx ou en CSV UTF-8 "
            "(ou découpez-la en plusieurs fichiers), puis déposez-la à nouveau."
        )
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on a damaged file
        raise FileError(
            "Le classeur XLSX ne peut pas être ouvert : il est peut-être endommagé ou protégé "
            "par un mot de passe. Enregistrez-le de nouveau, ou en CSV UTF-8."
        ) from None
    sheet = workbook.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    first = next(values, None)
    if first is None:
        workbook.close()
        raise FileError("La première feuille du classeur est vide.")
    headers = _clean_headers(list(first))
    estimated = (sheet.max_row - 1) if sheet.max_row else None

    def rows() -> Iterator[Row]:
        try:
            for number, row in enumerate(values, start=1):
                cells = {
                    header: (row[i] if i < len(row) else None) for i, header in enumerate(headers)
                }
                yield Row(number, cells)
        finally:
            workbook.close()

    return Table(headers, rows(), estimated)


def cell_text(value: object) -> str:
    """A cell as the text a person reads in it (numbers without a useless ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
