"""The year's appendices as one Excel workbook, in the layout of seed 003's Phụ lục.

For each unit type of the year (``year_report``'s sections, in their order):

- "Phụ lục 1", "Phụ lục 2", …: the ranking of the section's units, with points by area
  (each area's maximum in its header), Chỉ số CCHC, group and rank, last year's index
  and the change when the platform knows it; a bold row heads each group;
- "Phụ lục 3" (3.1, 3.2 … when there are several sections): points by criterion
  (level 2), one row per unit, one column per criterion with its maximum;
- "Lĩnh vực – …": the component indices by area, as in the report's area tables (points
  achieved on average, index, last year's index, change), then the number of units, the
  average index and the units per group.

Every number comes from ``year_report`` (a fixed number of queries whatever the number
of units) and is written as a number with two decimals; every string goes through
``cchc.lib.workbooks``, so a unit named like a formula stays text. Each sheet has its
title, a header frozen with the names, borders, and A4 landscape printing one page wide
with the header repeated on each page.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from cchc.lib.formats import number_vi
from cchc.lib.workbooks import (
    BOLD,
    BORDER,
    GROUP_FILL,
    HEADER_FILL,
    ITALIC,
    TITLE,
    print_setup,
    put,
    to_bytes,
)
from cchc.org.models import UnitType
from cchc.par.models import EvaluationYear
from cchc.par.selectors.report import (
    RECONSTRUCTED_MARK,
    NotFinalised,
    Section,
    UnitRow,
    YearReport,
    code_key,
    year_report,
)

POINTS = "0.00"  # points and indices: numbers, shown with two decimals
HEADER_ROW = 3  # the title, the "kèm theo" line, then two header rows
FIRST_ROW = HEADER_ROW + 2
# The groups' words in the officials' scale (seed 003, part one: "Nhóm A (rất tốt)").
GROUP_WORDS = {"A": "rất tốt", "B": "tốt", "C": "khá"}
# unit type → (sheet name's part, the title's "của …")
WHO = {
    UnitType.DEPARTMENT: ("Sở, ban, ngành", "CÁC SỞ, BAN, NGÀNH"),
    UnitType.COMMUNE: ("Xã, phường, đặc khu", "CÁC XÃ, PHƯỜNG, ĐẶC KHU"),
    UnitType.DISTRICT: ("Huyện, thị xã, TP", "UBND CÁC HUYỆN, THỊ XÃ, THÀNH PHỐ"),
}
RECONSTRUCTED_NOTE = (
    f"Ghi chú: đơn vị có “{RECONSTRUCTED_MARK}” trong tên mang điểm dựng lại để tái hiện "
    "các số đã công bố, không phải điểm thật của đơn vị nào."
)

_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_MIDDLE = Alignment(vertical="center")
_RIGHT = Alignment(horizontal="right", vertical="center")
_NAME = Alignment(vertical="center", wrap_text=True)

Progress = Callable[[int, str], None]


def _quiet(percent: int, text: str) -> None:
    pass


@dataclass(frozen=True)
class Col:
    label: str
    width: float
    top: str | None = None  # the label over a run of columns; None: the label spans both rows


def build(year: EvaluationYear, *, progress: Progress = _quiet) -> bytes:
    """The appendices of a finalised or published year, as an .xlsx file."""
    progress(0, "Đang đọc kết quả")
    try:
        report = year_report(year)
    except NotFinalised as exc:  # the job shows a ValidationError's message as its reason
        raise ValidationError(str(exc)) from exc
    sections = report.sections
    plan: list[tuple[str, Callable, Section]] = []
    for n, section in enumerate(sections, start=1):
        plan.append((f"Phụ lục {n}", _ranking, section))
    criteria = len(sections) + 1
    for n, section in enumerate(sections, start=1):
        name = f"Phụ lục {criteria}" if len(sections) == 1 else f"Phụ lục {criteria}.{n}"
        plan.append((name, _criteria, section))
    for section in sections:
        plan.append((f"Lĩnh vực – {_who(section)[0]}", _areas, section))

    book = Workbook()
    if not plan:
        sheet = book.active
        sheet.title = "Phụ lục"
        put(sheet, 1, 1, f"Năm {report.year.year} chưa có kết quả của đơn vị nào.")
    for step, (name, write, section) in enumerate(plan):
        progress(5 + 85 * step // len(plan), f"Đang ghi {name}")
        sheet = book.active if step == 0 else book.create_sheet()
        sheet.title = name
        write(sheet, name, section, report)
    progress(90, "Đang tạo tệp Excel")  # storing it (and 100) is the job's
    return to_bytes(book)


# -- the sheets ------------------------------------------------------------------------


def _ranking(sheet: Worksheet, name: str, section: Section, report: YearReport) -> None:
    number = report.year.year
    before = report.previous.year if report.previous else None
    compared = before is not None and any(u.previous_total is not None for u in section.units)
    cols = [Col("TT", 6), Col("Tên đơn vị", 40)]
    cols += [
        Col(f"{a.code}. {a.title} ({number_vi(a.max)} điểm)", 13, "Điểm theo lĩnh vực")
        for a in section.areas
    ]
    cols += [Col("Chỉ số CCHC", 11), Col("Nhóm", 8), Col("Xếp hạng", 9)]
    if compared:
        top = f"So với năm {before}"
        cols += [Col(f"Chỉ số CCHC năm {before}", 12, top), Col("Tăng (+)/ Giảm (-)", 11, top)]
    _top(sheet, name, f"KẾT QUẢ CHỈ SỐ CCHC NĂM {number} CỦA {_who(section)[1]}", cols, number)
    codes = section.codes
    row = FIRST_ROW - 1
    for position, unit in _grouped(sheet, section, len(cols)):
        row = position
        values: list[Any] = [unit.rank_position, unit.row.unit.name]
        values += [_area_points(unit.row, code) for code in codes]
        values += [unit.row.total, unit.row.group, unit.row.rank]
        if compared:
            values += [unit.row.previous_total, unit.row.change]
        _data_row(sheet, row, values, numbers=range(3, 4 + len(codes)), extra=compared)
    row += 1
    averages = {a.code: a.points for a in section.areas}
    values = [None, "Bình quân", *[averages.get(c) for c in codes], section.average, None, None]
    if compared:
        values += [section.previous_average, section.average_change]
    _data_row(sheet, row, values, numbers=range(3, 4 + len(codes)), extra=compared, bold=True)
    row = _notes(sheet, row + 1, section)
    _finish(sheet, cols, row)


def _criteria(sheet: Worksheet, name: str, section: Section, report: YearReport) -> None:
    number = report.year.year
    # A criterion's maximum: the most that applied to a unit (the set's maximum unless
    # every unit was exempt from part of it); year_report gives criteria no other.
    maxima: dict[str, Decimal] = {}
    for unit in section.units:
        for code, (_, applicable) in unit.nodes.items():
            if code.count(".") == 1:
                maxima[code] = max(maxima.get(code, Decimal(0)), applicable)
    codes = sorted(maxima, key=code_key)
    areas = {a.code: a for a in section.areas}
    cols = [Col("TT", 6), Col("Tên đơn vị", 40)]
    for code in codes:
        area = areas.get(code.split(".")[0])
        top = f"{area.code}. {area.title} ({number_vi(area.max)} điểm)" if area else "Tiêu chí"
        cols.append(Col(f"{code}\n({number_vi(maxima[code])} điểm)", 9, top))
    cols.append(Col("Chỉ số CCHC", 11))
    title = f"ĐIỂM THEO TIÊU CHÍ CHỈ SỐ CCHC NĂM {number} CỦA {_who(section)[1]}"
    _top(sheet, name, title, cols, number)
    row = FIRST_ROW - 1
    for position, unit in _grouped(sheet, section, len(cols)):
        row = position
        points = [unit.row.nodes[c][0] if c in unit.row.nodes else None for c in codes]
        values = [unit.rank_position, unit.row.unit.name, *points, unit.row.total]
        _data_row(sheet, row, values, numbers=range(3, len(values) + 1))
    row = _notes(sheet, row + 1, section)
    row += 1
    put(sheet, row, 2, "Các tiêu chí").font = BOLD
    for code in codes:
        row += 1
        title = section.titles.get(code, "")
        put(sheet, row, 2, f"{code}. {title} (tối đa {number_vi(maxima[code])} điểm)")
    _finish(sheet, cols, row)


def _areas(sheet: Worksheet, name: str, section: Section, report: YearReport) -> None:
    number = report.year.year
    before = section.previous_year
    cols = [
        Col("TT", 6),
        Col("Lĩnh vực theo dõi, đánh giá", 48),
        Col("Điểm chuẩn", 11),
        Col("Điểm đạt được (bình quân)", 12),
        Col(f"Đạt tỷ lệ năm {number} (%)", 12),
    ]
    if before is not None:
        cols += [Col(f"Tỷ lệ năm {before} (%)", 12), Col("Tăng (+)/ Giảm (-)", 12)]
    title = f"CHỈ SỐ THÀNH PHẦN CÁC LĨNH VỰC NĂM {number} CỦA {_who(section)[1]}"
    _top(sheet, name, title, cols, number, sub=False)
    row = HEADER_ROW
    for area in section.areas:
        row += 1
        values = [_tt(area.code), area.title, area.max, area.points, area.index]
        if before is not None:
            values += [area.previous, area.change]
        # the maximum as the report prints it (12, not 12,00)
        _data_row(sheet, row, values, numbers=range(4, len(values) + 1), wrap=True)
    # The section's totals: a small table under the area table.
    row += 2
    heads = ["Tổng hợp", f"Năm {number}"]
    if before is not None:
        heads += [f"Năm {before}", "Tăng (+)/ Giảm (-)"]
    for column, text in enumerate(heads, start=2):
        _head(put(sheet, row, column, text))
    sheet.row_dimensions[row].height = _height([(h, 12) for h in heads[1:]])
    row += 1
    _data_row(sheet, row, [None, "Số đơn vị", section.count], numbers=(), start=2)
    row += 1
    values = [None, "Bình quân Chỉ số CCHC (điểm)", section.average]
    if before is not None:
        values += [section.previous_average, section.average_change]
    _data_row(sheet, row, values, numbers=range(3, len(values) + 1), start=2)
    for group, count in section.groups:
        row += 1
        label = f"{_group_label(group)} (số đơn vị)"
        _data_row(sheet, row, [None, label, count], numbers=(), start=2)
    _finish(sheet, cols, row, header_rows=1)


# -- pieces ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Placed:
    rank_position: int  # TT: the row's order in the ranking
    row: UnitRow


def _grouped(sheet: Worksheet, section: Section, span: int) -> Iterable[tuple[int, _Placed]]:
    """The units by rank under a bold row per group; yields (sheet row, unit)."""
    order = [g for g, _ in section.groups]
    order += sorted({u.group for u in section.units} - set(order))
    counts = dict(section.groups)
    row = FIRST_ROW - 1
    position = 0
    for group in order:
        members = [u for u in section.units if u.group == group]
        if not members:
            continue
        row += 1
        label = f"{_group_label(group)}: {counts.get(group, len(members))} đơn vị"
        for column in range(1, span + 1):
            cell = sheet.cell(row=row, column=column)
            cell.fill = GROUP_FILL
            cell.border = BORDER
        put(sheet, row, 1, label).font = BOLD
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        for unit in members:
            row += 1
            position += 1
            yield row, _Placed(position, unit)


def _data_row(
    sheet: Worksheet,
    row: int,
    values: Sequence[Any],
    *,
    numbers: Iterable[int],
    extra: bool = False,
    bold: bool = False,
    wrap: bool = False,
    start: int = 1,
) -> None:
    numbered = set(numbers)
    if extra:  # the two columns after group and rank: last year's index and the change
        numbered |= {len(values) - 1, len(values)}
    for column, value in enumerate(values, start=1):
        if column < start:
            continue
        cell = put(sheet, row, column, value) if value is not None else sheet.cell(row, column)
        cell.border = BORDER
        if bold:
            cell.font = BOLD
        if column == 2:
            cell.alignment = _NAME if wrap else _MIDDLE
        elif isinstance(value, Decimal):
            cell.alignment = _RIGHT
        else:  # order, group, rank
            cell.alignment = _CENTER
        if column in numbered and isinstance(value, Decimal):
            cell.number_format = POINTS
    if wrap and isinstance(values[1], str):
        width = sheet.column_dimensions["B"].width
        sheet.row_dimensions[row].height = max(18, _height([(values[1], width)]))


def _top(
    sheet: Worksheet,
    name: str,
    title: str,
    cols: Sequence[Col],
    year: int,
    *,
    sub: bool = True,
) -> None:
    """Title, the "kèm theo" line and the header (two rows, or one for the area table)."""
    span = len(cols)
    heading = f"{name.upper()} – {title}" if name.startswith("Phụ lục") else title
    for row, text, font in (
        (1, heading, TITLE),
        (2, f"(Kèm theo Báo cáo kết quả Chỉ số cải cách hành chính năm {year})", ITALIC),
    ):
        cell = put(sheet, row, 1, text)
        cell.font = font
        cell.alignment = _CENTER
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)
    sheet.row_dimensions[1].height = 36
    if not sub:  # one header row
        for column, col in enumerate(cols, start=1):
            _head(put(sheet, HEADER_ROW, column, col.label))
            sheet.column_dimensions[get_column_letter(column)].width = col.width
        sheet.row_dimensions[HEADER_ROW].height = _height([(c.label, c.width) for c in cols])
        return
    below = HEADER_ROW + 1
    for column, col in enumerate(cols, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = col.width
        for row in (HEADER_ROW, below):
            _head(sheet.cell(row=row, column=column))
        if col.top is None:
            put(sheet, HEADER_ROW, column, col.label)
            sheet.merge_cells(
                start_row=HEADER_ROW, start_column=column, end_row=below, end_column=column
            )
        else:
            put(sheet, below, column, col.label)
    tops = []
    column = 1
    while column <= span:
        top = cols[column - 1].top
        end = column
        while top is not None and end < span and cols[end].top == top:
            end += 1
        if top is not None:
            put(sheet, HEADER_ROW, column, top)
            if end > column:
                sheet.merge_cells(
                    start_row=HEADER_ROW, start_column=column, end_row=HEADER_ROW, end_column=end
                )
            tops.append((top, sum(c.width for c in cols[column - 1 : end])))
        column = end + 1
    sheet.row_dimensions[HEADER_ROW].height = _height(tops)
    sheet.row_dimensions[below].height = _height(
        [(c.label, c.width) for c in cols if c.top is not None]
    )


def _head(cell) -> Any:
    cell.font = BOLD
    cell.fill = HEADER_FILL
    cell.border = BORDER
    cell.alignment = _CENTER
    return cell


def _height(texts: Iterable[tuple[str, float]]) -> float:
    """A header row tall enough for its wrapped labels (15 points a line)."""
    lines = 1
    for text, width in texts:
        per_line = max(1, int(width * 1.1) - 2)
        lines = max(lines, sum(math.ceil(len(part) / per_line) or 1 for part in text.split("\n")))
    return 15 * lines + 4


def _notes(sheet: Worksheet, row: int, section: Section) -> int:
    """A note under the table when the section holds reconstructed units; the last row."""
    if any(u.reconstructed for u in section.units):
        row += 1
        put(sheet, row, 2, RECONSTRUCTED_NOTE).font = ITALIC
    return row


def _finish(sheet: Worksheet, cols: Sequence[Col], last: int, *, header_rows: int = 2) -> None:
    """Freeze below the header and right of the names; print A4 landscape, one page wide."""
    end = HEADER_ROW + header_rows - 1
    sheet.freeze_panes = sheet.cell(row=end + 1, column=3)
    print_setup(sheet, header_row=end)
    sheet.print_title_rows = f"{HEADER_ROW}:{end}"
    sheet.print_area = f"A1:{get_column_letter(len(cols))}{last}"
    sheet.print_options.horizontalCentered = True


def _area_points(row: UnitRow, code: str) -> Decimal | None:
    value = row.areas.get(code)
    return value.points if value else None


def _group_label(group: str) -> str:
    word = GROUP_WORDS.get(group)
    return f"Nhóm {group} ({word})" if word else f"Nhóm {group}"


def _who(section: Section) -> tuple[str, str]:
    if section.unit_type in WHO:
        return WHO[section.unit_type]
    label = section.label.split(" (")[0]
    return label[:19], f"CÁC {label.upper()}"


def _tt(code: str) -> int | str:
    return int(code) if code.isdigit() else code
