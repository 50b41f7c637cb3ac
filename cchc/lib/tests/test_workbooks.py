"""Workbooks and CSV files: text from users stays text, in the officials' style."""

import csv
import datetime
import io

import pytest
from openpyxl import Workbook, load_workbook

from cchc.lib.workbooks import (
    DATE,
    NUMBER,
    Column,
    append,
    csv_bytes,
    put,
    table,
    to_bytes,
)

HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(1)", "=1+1", "\t=2", "\r=3"]


def _reopen(book):
    return load_workbook(io.BytesIO(to_bytes(book)))


@pytest.mark.parametrize("text", HOSTILE)
def test_a_formula_like_text_is_written_as_text_shown_as_typed(text):
    book = Workbook()
    put(book.active, 1, 1, text)
    append(book.active, [text, 5])
    sheet = _reopen(book).active
    for cell in (sheet["A1"], sheet["A2"]):
        assert cell.data_type == "s"
        assert cell.value == text
        assert cell.quotePrefix  # Excel keeps it text even when the cell is edited
    assert sheet["B2"].value == 5 and sheet["B2"].data_type == "n"


def test_ordinary_text_numbers_and_dates_keep_their_types():
    book = Workbook()
    append(book.active, ["Xã An Phú", 3, 2.5, datetime.date(2026, 3, 2), None, True])
    cells = _reopen(book).active[1]
    assert [c.data_type for c in cells] == ["s", "n", "n", "d", "n", "b"]
    assert not cells[0].quotePrefix


def test_characters_a_workbook_cannot_hold_are_dropped_not_fatal():
    book = Workbook()
    put(book.active, 1, 1, "Tin\x0b bài\x00")
    assert _reopen(book).active["A1"].value == "Tin bài"


def test_a_table_has_the_header_style_widths_formats_frozen_header_and_print_setup():
    book = Workbook()
    sheet = table(
        book,
        "Tin bài",
        [Column("Tiêu đề", 60), Column("Ngày", 14, DATE), Column("Lượt xem")],
        [("=HYPERLINK(1)", datetime.date(2026, 3, 2), 1234)],
        first=True,
        above="Thống kê",
    )
    assert sheet["A1"].value == "Thống kê" and sheet["A1"].font.b
    head = sheet[2]
    assert [c.value for c in head] == ["Tiêu đề", "Ngày", "Lượt xem"]
    assert all(c.font.b and c.fill.fgColor.rgb.endswith("DCE6F1") for c in head)
    assert sheet.column_dimensions["A"].width == 60
    assert sheet.freeze_panes == "A3"
    assert sheet.print_title_rows == "$2:$2"
    assert sheet.page_setup.orientation == "landscape"
    saved = _reopen(book)["Tin bài"]
    assert saved["A3"].data_type == "s" and saved["A3"].value == "=HYPERLINK(1)"
    assert saved["B3"].number_format == DATE
    assert saved["C3"].number_format == NUMBER


def test_a_csv_prefixes_formula_like_text_with_an_apostrophe_and_keeps_numbers():
    content = csv_bytes([[*HOSTILE, "Xã An Phú", -1, 3]])
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    row = next(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert row[: len(HOSTILE)] == ["'" + t for t in HOSTILE]
    assert row[len(HOSTILE) :] == ["Xã An Phú", "-1", "3"]
