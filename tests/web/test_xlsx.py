"""The exports' XLSX writer (``web.xlsx``): what openpyxl reads back from its files."""

import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl

from tremplin.web import xlsx


def _written(header, rows, name="essai"):
    target = io.BytesIO()
    xlsx.write(target, name, header, rows)
    target.seek(0)
    return target


def test_cells_keep_their_types_and_the_formats_openpyxl_gave_them():
    rows = [
        ["Hérault & fils <SARL>", 42, 812.4, Decimal("0.10"), None, ""],
        [datetime.date(2025, 3, 31), datetime.datetime(2025, 3, 31, 14, 30), -3, "", "x", None],
    ]
    header = ["Texte", "Entier", "Réel", "Décimal", "Vide", "Chaîne vide"]
    sheet = openpyxl.load_workbook(_written(header, iter(rows))).active
    assert sheet.title == "essai"
    assert [cell.value for cell in sheet[1]] == header
    assert all(cell.font.b for cell in sheet[1])
    assert [cell.value for cell in sheet[2]] == [
        "Hérault & fils <SARL>",
        42,
        812.4,
        0.1,
        None,
        None,
    ]
    day, moment = sheet["A3"], sheet["B3"]
    # 31/03/2025 is day 45,747 after 30/12/1899; 14:30 is 0.604166… of a day.
    assert (day.value, day.number_format) == (datetime.datetime(2025, 3, 31), "yyyy-mm-dd")
    assert moment.value == datetime.datetime(2025, 3, 31, 14, 30)
    assert moment.number_format == "yyyy-mm-dd h:mm:ss"
    assert sheet["C3"].value == -3
    assert not sheet["A2"].font.b
    assert sheet.max_row == 3


def test_text_keeps_its_spaces_and_loses_what_xml_cannot_carry():
    rows = [["  indenté ", "a\x00b\x1fc", "ligne 1\nligne 2\ttab", float("nan")]]
    sheet = openpyxl.load_workbook(_written(["a", "b", "c", "d"], rows)).active
    assert [cell.value for cell in sheet[2]] == ["  indenté ", "abc", "ligne 1\nligne 2\ttab", None]


def test_the_sheet_name_is_escaped_and_the_sheet_streamed_into_the_zip():
    target = _written(["N°"], ([number] for number in range(1, 1201)), name="R&D <2025>")
    workbook = openpyxl.load_workbook(target)
    assert workbook.sheetnames == ["R&D <2025>"]
    assert [row[0] for row in workbook.active.iter_rows(min_row=2, values_only=True)][-1] == 1200
    with zipfile.ZipFile(target) as package:
        assert package.testzip() is None
        assert "xl/worksheets/sheet1.xml" in package.namelist()
