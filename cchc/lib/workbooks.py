"""Workbooks and CSV files in the officials' style, with text that never becomes a formula.

Every export writes through here: the statistics dashboard and criterion 1.4 evidence
(``cchc/stats/exports.py``) and the criteria sets (``cchc/par/io/excel.py``). Titles,
names and notes come from users, and a title such as ``=HYPERLINK("http://x","y")``
written as an ordinary value would be a live formula in the office's Excel (CSV and
formula injection, OWASP). So:

- in a workbook every string is a text cell (``data_type "s"``) and one that a
  spreadsheet would read as a formula (``= + - @``, tab, carriage return) also gets
  Excel's quote prefix, so it is shown and kept exactly as typed, even after editing;
- in a CSV such a string is prefixed with an apostrophe, as OWASP advises: a CSV has
  no cell types, and the apostrophe is how spreadsheets show "text as typed".

Characters a workbook cannot hold (control characters) are dropped rather than
failing the download.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from cchc.lib.uploads import check_bytes

DATE = "DD/MM/YYYY"
NUMBER = "#,##0"  # shown with the reader's separators: 1.234 in a Vietnamese Excel
TEXT = "@"

BOLD = Font(bold=True)
ITALIC = Font(italic=True)
TITLE = Font(bold=True, size=13)
_THIN = Side(style="thin", color="999999")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")  # a row that heads a group (an area)
WRAP = Alignment(wrap_text=True, vertical="top")
_HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")

# what makes a spreadsheet read a cell as a formula (OWASP, CSV injection)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    label: str
    width: float = 14
    number_format: str | None = None  # else dates get DATE and integers NUMBER


def formula_like(text: str) -> bool:
    return text.startswith(FORMULA_START)


def clean_text(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def put(
    sheet: Worksheet, row: int, column: int, value: Any, *, number_format: str | None = None
) -> Cell:
    """Write one cell; a string is always text, shown as typed."""
    cell = sheet.cell(row=row, column=column)
    _set(cell, value)
    if number_format:
        cell.number_format = number_format
    return cell


def _set(cell: Cell, value: Any) -> None:
    if isinstance(value, str):
        text = clean_text(value)
        cell.value = text
        cell.data_type = "s"  # openpyxl reads a leading "=" as a formula
        if formula_like(text):
            cell.quotePrefix = True
    elif isinstance(value, Decimal):
        cell.value = int(value) if value == value.to_integral_value() else float(value)
    else:
        cell.value = value


def append(sheet: Worksheet, values: Sequence[Any]) -> int:
    """Write a row below the last one; returns its number."""
    row = sheet.max_row + 1 if _has_cells(sheet) else 1
    for column, value in enumerate(values, start=1):
        if value is not None:
            put(sheet, row, column, value)
    return row


def _has_cells(sheet: Worksheet) -> bool:
    return bool(sheet._cells)  # openpyxl keeps no public "is empty"


def header(sheet: Worksheet, row: int, columns: Sequence[Column]) -> None:
    """The officials' header row: bold on blue, bordered, wrapped; sets column widths."""
    for number, column in enumerate(columns, start=1):
        cell = put(sheet, row, number, column.label)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = _HEADER_ALIGN
        cell.border = BORDER
        sheet.column_dimensions[get_column_letter(number)].width = column.width


def heading(sheet: Worksheet, row: int, text: str, *, span: int = 1, font: Font = TITLE) -> Cell:
    """A title line above a table, merged over ``span`` columns."""
    cell = put(sheet, row, 1, text)
    cell.font = font
    if span > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)
    return cell


def print_setup(sheet: Worksheet, *, header_row: int, landscape: bool = True) -> None:
    """A4, one page wide, the header repeated on every printed page."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"


def table(
    book: Workbook,
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    first: bool = False,
    above: str = "",
    freeze_columns: int = 0,
) -> Worksheet:
    """A sheet holding one table: an optional title line, the header, then the rows.

    The header stays in view (frozen) and on every printed page; dates are dd/mm/yyyy
    and integers grouped unless a column says otherwise.
    """
    sheet = book.active if first else book.create_sheet()
    sheet.title = title
    header_row = 1
    if above:
        heading(sheet, 1, above, font=BOLD)
        header_row = 2
    header(sheet, header_row, columns)
    row = header_row
    for values in rows:
        row += 1
        for number, (column, value) in enumerate(zip(columns, values, strict=False), start=1):
            if value is None:
                continue
            cell = put(sheet, row, number, value)
            if column.number_format:
                cell.number_format = column.number_format
            elif isinstance(value, datetime.date):
                cell.number_format = DATE
            elif isinstance(value, int) and not isinstance(value, bool):
                cell.number_format = NUMBER
    sheet.freeze_panes = sheet.cell(header_row + 1, freeze_columns + 1)
    print_setup(sheet, header_row=header_row)
    return sheet


def to_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# -- CSV ----------------------------------------------------------------------------------


def csv_cell(value: Any) -> Any:
    """A CSV value a spreadsheet shows as typed; numbers stay numbers."""
    if isinstance(value, str) and formula_like(value):
        return "'" + value
    return value


def csv_bytes(rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with a BOM, so Excel reads the accents; formula-like text made inert."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def read_first_sheet(content: bytes, *, name: str, max_bytes: int) -> list[list[tuple[Any, bool]]]:
    """An uploaded workbook's first sheet: each cell as (value, is a formula).

    The upload is checked first (an .xlsx, not renamed, not oversized); a file that is
    not a readable workbook is a ValidationError in Vietnamese, never a server error.
    Formulas come as their text (``data_only=False``), so an import can refuse them.
    """
    check_bytes(content, name=name or "tep.xlsx", allowed=("xlsx",), max_bytes=max_bytes)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise ValidationError(
            "Tệp không phải là tệp Excel (.xlsx) hợp lệ hoặc đã bị hỏng."
        ) from None
    except Exception:  # noqa: BLE001 - any parser failure on an upload is the file's fault
        raise ValidationError(
            "Không đọc được tệp Excel; hãy mở bằng Excel và lưu lại dưới dạng .xlsx."
        ) from None
    try:
        return [
            [(c.value, getattr(c, "data_type", None) == "f") for c in row]
            for row in book.worksheets[0].iter_rows()
        ]
    finally:
        book.close()
