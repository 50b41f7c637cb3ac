"""Excel templates and parsing for a year's SIPAS indices and unit results.

Two workbooks, both one sheet, one row per participating unit, units named by their
code (or, when the code cell is empty, their name):

- SIPAS (``survey_template`` / ``parse_survey``): Mã đơn vị | Tên đơn vị | Chỉ số SIPAS (%).
- Results (``results_template`` / ``parse_results``): Mã đơn vị | Tên đơn vị | one
  column per leaf of the year's sets, headed by the leaf's code. A cell holds the
  leaf's appraised points (a survey leaf: the unit's SIPAS index in %), or ``KAD``
  (không áp dụng) for a leaf that does not apply to the unit. A leaf that is not in
  the unit's set stays empty.

Reading is formula-safe: the workbook is read without Excel's cached results, so a
cell starting with "=" arrives as its text and is refused as "not a number"; nothing
a sheet computes reaches the database. Parsing never writes: it returns the values
and every problem with its row number; the services store only a clean parse.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl import Workbook

from cchc.lib import workbooks
from cchc.lib.formats import number_vi

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
EXEMPT_MARK = "KAD"  # không áp dụng

CODE_LABEL = "Mã đơn vị"
NAME_LABEL = "Tên đơn vị"
SIPAS_LABEL = "Chỉ số SIPAS (%)"
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class UnitRow:
    """A participating unit as the sheets know it."""

    pk: int
    code: str
    name: str


@dataclass(frozen=True)
class LeafColumn:
    code: str
    title: str
    max: Decimal
    survey: bool


@dataclass
class Parsed:
    """What a sheet says: unit pk → value(s); problems as "Dòng n: …" lines."""

    values: dict[int, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.values)


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def number(value: Any) -> Decimal | None:
    """A cell as a number, or None when it is not one (a formula's text is not one)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    text = str(value).strip()
    if not text or workbooks.formula_like(text) and not text.startswith("-"):
        return None
    try:
        result = Decimal(text.replace(" ", "").replace(",", "."))
    except InvalidOperation:
        return None
    return result if result.is_finite() else None


def _rows(content: bytes, name: str) -> list[tuple]:
    """The first sheet's rows, formulas as their text; ValidationError for a bad file."""
    cells = workbooks.read_first_sheet(content, name=name, max_bytes=MAX_UPLOAD_BYTES)
    return [tuple(value for value, _ in row) for row in cells]


def _header(rows: list[tuple]) -> tuple[int, list[str]] | None:
    for index, row in enumerate(rows[:10]):
        cells = [_text(v) for v in row]
        if CODE_LABEL.casefold() in [c.casefold() for c in cells]:
            return index, cells
    return None


class _Units:
    def __init__(self, units: Sequence[UnitRow]):
        self.by_code = {_norm(u.code): u for u in units}
        self.by_name: dict[str, list[UnitRow]] = {}
        for u in units:
            self.by_name.setdefault(_norm(u.name), []).append(u)

    def find(self, code: str, name: str) -> tuple[UnitRow | None, str]:
        if code:
            found = self.by_code.get(_norm(code))
            if found is None:
                return None, f"không có đơn vị mã «{code}» trong kỳ đánh giá"
            return found, ""
        if not name:
            return None, "thiếu mã đơn vị và tên đơn vị"
        found = self.by_name.get(_norm(name), [])
        if len(found) != 1:
            if found:
                return None, f"có nhiều đơn vị tên «{name}»; hãy ghi mã đơn vị"
            return None, f"không có đơn vị «{name}» trong kỳ đánh giá"
        return found[0], ""


def _unit_rows(rows, start, columns, parsed: Parsed, units: _Units):
    """(row number, unit, row) for each non-empty row after the header."""
    code_col = columns.index(CODE_LABEL.casefold())
    name_col = columns.index(NAME_LABEL.casefold()) if NAME_LABEL.casefold() in columns else None
    seen: dict[int, int] = {}
    for offset, row in enumerate(rows[start + 1 :], start=start + 2):
        if not any(_text(v) for v in row):
            continue
        code = _text(row[code_col]) if code_col < len(row) else ""
        name = _text(row[name_col]) if name_col is not None and name_col < len(row) else ""
        parsed.rows += 1
        unit, problem = units.find(code, name)
        if unit is None:
            parsed.problems.append(f"Dòng {offset}: {problem}.")
            continue
        if unit.pk in seen:
            parsed.problems.append(
                f"Dòng {offset}: {unit.name} đã có ở dòng {seen[unit.pk]}; mỗi đơn vị một dòng."
            )
            continue
        seen[unit.pk] = offset
        yield offset, unit, row


def _index_problem(value: Any) -> tuple[Decimal | None, str]:
    index = number(value)
    if index is None:
        shown = _text(value)
        return None, (
            f"chỉ số SIPAS «{shown}» không phải là số" if shown else "chưa nhập chỉ số SIPAS"
        )
    if not 0 <= index <= HUNDRED:
        return None, f"chỉ số SIPAS phải từ 0 đến 100 (%): {number_vi(index, 4)}"
    return index, ""


# -- SIPAS ----------------------------------------------------------------------------------


def survey_template(
    units: Sequence[UnitRow], *, year: int, current: Mapping[int, Decimal]
) -> bytes:
    book = Workbook()
    columns = [
        workbooks.Column(CODE_LABEL, 16),
        workbooks.Column(NAME_LABEL, 50),
        workbooks.Column(SIPAS_LABEL, 18, "0.00"),
    ]
    workbooks.table(
        book,
        "SIPAS",
        columns,
        ([u.code, u.name, current.get(u.pk)] for u in units),
        first=True,
        above=f"Chỉ số hài lòng (SIPAS) của các đơn vị năm {year}, từ 0 đến 100 (%)",
        freeze_columns=2,
    )
    return workbooks.to_bytes(book)


def parse_survey(content: bytes, *, name: str, units: Sequence[UnitRow]) -> Parsed:
    """unit pk → SIPAS index (%), all rows checked."""
    parsed = Parsed()
    rows = _rows(content, name)
    found = _header(rows)
    if found is None:
        parsed.problems.append(f"Không tìm thấy dòng tiêu đề có cột «{CODE_LABEL}».")
        return parsed
    start, cells = found
    columns = [c.casefold() for c in cells]
    if SIPAS_LABEL.casefold() not in columns:
        parsed.problems.append(f"Không tìm thấy cột «{SIPAS_LABEL}».")
        return parsed
    col = columns.index(SIPAS_LABEL.casefold())
    for offset, unit, row in _unit_rows(rows, start, columns, parsed, _Units(units)):
        index, problem = _index_problem(row[col] if col < len(row) else None)
        if problem:
            parsed.problems.append(f"Dòng {offset} ({unit.name}): {problem}.")
        else:
            parsed.values[unit.pk] = index
    if not parsed.values and not parsed.problems:
        parsed.problems.append("Tệp không có dòng dữ liệu nào.")
    return parsed


# -- results ----------------------------------------------------------------------------------


def results_template(
    units: Sequence[tuple[UnitRow, set[str]]],
    leaves: Sequence[LeafColumn],
    *,
    year: int,
    sets: Sequence[tuple[str, Sequence[LeafColumn]]] = (),
) -> bytes:
    """One row per unit, one column per leaf; a second sheet lists each set's leaves
    (``sets``: unit type label → its leaves) with their max points."""
    book = Workbook()
    columns = [workbooks.Column(CODE_LABEL, 16), workbooks.Column(NAME_LABEL, 44)]
    columns += [workbooks.Column(leaf.code, 10, "0.###") for leaf in leaves]
    workbooks.table(
        book,
        "Kết quả",
        columns,
        ([u.code, u.name, *[None for _ in leaves]] for u, _ in units),
        first=True,
        above=(
            f"Kết quả thẩm định Chỉ số CCHC năm {year}: điểm của từng tiêu chí "
            f"(lĩnh vực SIPAS: chỉ số %); {EXEMPT_MARK} = không áp dụng"
        ),
        freeze_columns=2,
    )
    workbooks.table(
        book,
        "Tiêu chí",
        [
            workbooks.Column("Mã tiêu chí", 14),
            workbooks.Column("Tên tiêu chí", 60),
            workbooks.Column("Điểm tối đa", 12, "0.###"),
            workbooks.Column("Loại đơn vị", 24),
            workbooks.Column("Ghi chú", 40),
        ],
        (
            [
                leaf.code,
                leaf.title,
                leaf.max,
                label,
                "Nhập chỉ số SIPAS (%), từ 0 đến 100" if leaf.survey else "",
            ]
            for label, set_leaves in (sets or [("", leaves)])
            for leaf in set_leaves
        ),
    )
    return workbooks.to_bytes(book)


def parse_results(
    content: bytes,
    *,
    name: str,
    units: Sequence[tuple[UnitRow, Mapping[str, LeafColumn]]],
) -> Parsed:
    """unit pk → {leaf code: Decimal points / index, or None for exempt}.

    Every leaf of the unit's set needs a value; bounds: 0 to the leaf's max
    (a survey leaf: 0–100 %). Rule-specific checks are the service's.
    """
    parsed = Parsed()
    rows = _rows(content, name)
    found = _header(rows)
    if found is None:
        parsed.problems.append(f"Không tìm thấy dòng tiêu đề có cột «{CODE_LABEL}».")
        return parsed
    start, cells = found
    columns = [c.casefold() for c in cells]
    leaves_of = {u.pk: leaves for u, leaves in units}
    known = {code for _, leaves in units for code in leaves}
    leaf_cols = {cell: i for i, cell in enumerate(cells) if cell in known}
    unknown = [
        c
        for c in cells
        if c
        and c not in known
        and c.casefold() not in (CODE_LABEL.casefold(), NAME_LABEL.casefold())
    ]
    if unknown:
        parsed.problems.append(
            "Dòng "
            + str(start + 1)
            + ": cột không phải là mã tiêu chí của kỳ đánh giá: "
            + ", ".join(unknown)
            + "."
        )
    for offset, unit, row in _unit_rows(
        rows, start, columns, parsed, _Units([u for u, _ in units])
    ):
        leaves = leaves_of[unit.pk]
        values: dict[str, Decimal | None] = {}
        problems = []
        for code, leaf in leaves.items():
            col = leaf_cols.get(code)
            raw = row[col] if col is not None and col < len(row) else None
            shown = _text(raw)
            if shown.upper() == EXEMPT_MARK:
                values[code] = None
                continue
            if not shown:
                problems.append(f"tiêu chí {code} chưa có điểm")
                continue
            value = number(raw)
            if value is None:
                problems.append(f"tiêu chí {code}: «{shown}» không phải là số")
                continue
            if leaf.survey:
                if not 0 <= value <= HUNDRED:
                    problems.append(
                        f"tiêu chí {code}: chỉ số SIPAS phải từ 0 đến 100 (%): "
                        f"{number_vi(value, 4)}"
                    )
                    continue
            elif not 0 <= value <= leaf.max:
                problems.append(
                    f"tiêu chí {code}: điểm phải từ 0 đến {number_vi(leaf.max)}: "
                    f"{number_vi(value, 4)}"
                )
                continue
            values[code] = value
        for code, col in leaf_cols.items():
            if code not in leaves and col < len(row) and _text(row[col]):
                problems.append(f"tiêu chí {code} không thuộc bộ tiêu chí của đơn vị, để trống")
        if problems:
            parsed.problems.append(f"Dòng {offset} ({unit.name}): " + "; ".join(problems) + ".")
        else:
            parsed.values[unit.pk] = values
    if not parsed.values and not parsed.problems:
        parsed.problems.append("Tệp không có dòng dữ liệu nào.")
    return parsed


def results_workbook(
    header_codes: Sequence[str], rows: Sequence[Sequence[Any]], *, title: str = "Kết quả"
) -> bytes:
    """A results sheet from values (the 2023 demo builds its import file with this)."""
    book = Workbook()
    columns = [workbooks.Column(CODE_LABEL, 16), workbooks.Column(NAME_LABEL, 44)]
    columns += [workbooks.Column(code, 10) for code in header_codes]
    workbooks.table(book, title, columns, rows, first=True)
    return workbooks.to_bytes(book)
