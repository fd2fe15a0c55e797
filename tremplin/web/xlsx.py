"""A one-sheet XLSX file written as it is read: the exports' writer.

The sheet's XML is written row after row straight into the zip (constant memory whatever the
number of rows), each row one string: openpyxl's write-only mode builds an object per cell and
an XML element per tag, which made a 100,000-row export spend most of its time there. The
file holds what openpyxl wrote for the same rows: text as inline strings, numbers as numbers,
dates and date-times as serial numbers with openpyxl's number formats (``yyyy-mm-dd``,
``yyyy-mm-dd h:mm:ss``), the header in bold; an empty value is an empty cell.

Values come already prepared by the caller (``web.exports``): ``str``, ``int``, ``float``,
``Decimal``, naive ``date`` or ``datetime``, or ``None``.
"""

from __future__ import annotations

import datetime
import decimal
import math
import re
import zipfile
from collections.abc import Iterable
from xml.sax.saxutils import escape, quoteattr

from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

ROWS_PER_WRITE = 500  # rows joined into one write to the zip

# Characters XML 1.0 cannot carry (control characters other than tab and line ends): dropped.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_OFFICE = "application/vnd.openxmlformats-officedocument"

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_OFFICE}.spreadsheetml.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_OFFICE}.spreadsheetml.worksheet+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_OFFICE}.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<Relationships xmlns="{_RELS}">'
    f'<Relationship Id="rId1" Type="{_DOC_RELS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<Relationships xmlns="{_RELS}">'
    f'<Relationship Id="rId1" Type="{_DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_DOC_RELS}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
# Cell styles (``s``): 0 plain, 1 bold (the header), 2 a date, 3 a date and time.
HEADER, DATE, DATETIME = 1, 2, 3
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd h:mm:ss"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _workbook(sheet_name: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<workbook xmlns="{_MAIN}" xmlns:r="{_DOC_RELS}">'
        f'<sheets><sheet name={quoteattr(sheet_name)} sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>"
    )


def _text(text: str) -> str:
    text = escape(_ILLEGAL.sub("", text))
    if text[:1].isspace() or text[-1:].isspace():
        return f'<is><t xml:space="preserve">{text}</t></is>'
    return f"<is><t>{text}</t></is>"


def _cell(ref: str, value, style: int = 0) -> str:
    """The XML of the cell ``ref`` holding ``value`` ("" for an empty one)."""
    if value is None or value == "":
        return ""
    styled = f' s="{style}"' if style else ""
    if isinstance(value, str):
        return f'<c r="{ref}"{styled} t="inlineStr">{_text(value)}</c>'
    if isinstance(value, datetime.date):  # a datetime too: both are serial numbers
        style = DATETIME if isinstance(value, datetime.datetime) else DATE
        return f'<c r="{ref}" s="{style}"><v>{to_excel(value):.16g}</v></c>'
    if isinstance(value, float):  # 16 significant digits, as openpyxl wrote them
        if not math.isfinite(value):
            return ""
        return f'<c r="{ref}"{styled}><v>{value:.16g}</v></c>'
    if isinstance(value, int | decimal.Decimal):
        return f'<c r="{ref}"{styled}><v>{value}</v></c>'
    return f'<c r="{ref}"{styled} t="inlineStr">{_text(str(value))}</c>'


def write(target, sheet_name: str, header: list[str], rows: Iterable[list]) -> None:
    """Write to the binary file ``target`` an XLSX workbook of one sheet ``sheet_name``: the
    ``header`` in bold, then ``rows`` (lists of values, as many as the header's), read once."""
    letters = [get_column_letter(index) for index in range(1, len(header) + 1)]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", _CONTENT_TYPES)
        package.writestr("_rels/.rels", _PACKAGE_RELS)
        package.writestr("xl/workbook.xml", _workbook(sheet_name))
        package.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        package.writestr("xl/styles.xml", _STYLES)
        with package.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            cells = "".join(
                _cell(f"{letter}1", value, HEADER)
                for letter, value in zip(letters, header, strict=True)
            )
            sheet.write(
                (
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    f'<worksheet xmlns="{_MAIN}"><sheetData><row r="1">{cells}</row>'
                ).encode()
            )
            pending = []
            for number, row in enumerate(rows, start=2):
                cells = "".join(
                    _cell(f"{letter}{number}", value)
                    for letter, value in zip(letters, row, strict=True)
                )
                pending.append(f'<row r="{number}">{cells}</row>')
                if len(pending) >= ROWS_PER_WRITE:
                    sheet.write("".join(pending).encode())
                    pending.clear()
            pending.append("</sheetData></worksheet>")
            sheet.write("".join(pending).encode())
