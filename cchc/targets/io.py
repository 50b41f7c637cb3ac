"""The Excel sheet of a period's values for every unit: the template and its parsing.

One sheet, one row per unit and indicator that applies to it:
Mã đơn vị | Tên đơn vị | Mã chỉ tiêu | Tên chỉ tiêu | Kỳ báo cáo | Tử số | Mẫu số | Ghi chú.
A row whose numerator and denominator are both empty is not reported and is skipped.

Reading keeps formulas as formulas (``data_only=False``): a cell holding one is
refused, so nothing a sheet computes reaches the database. Parsing never writes; it
returns the clean rows and every problem as "Dòng n: …"; the service stores only a
file without problems.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from openpyxl import Workbook

from cchc.lib import workbooks
from cchc.org.models import Unit
from cchc.targets import periods
from cchc.targets.models import Indicator, Plan

MAX_UPLOAD_BYTES = 5 * 1024 * 1024

UNIT_CODE = "Mã đơn vị"
UNIT_NAME = "Tên đơn vị"
CODE = "Mã chỉ tiêu"
NAME = "Tên chỉ tiêu"
PERIOD = "Kỳ báo cáo"
NUMERATOR = "Tử số"
DENOMINATOR = "Mẫu số"
NOTE = "Ghi chú, nguồn số liệu"
COLUMNS = (UNIT_CODE, UNIT_NAME, CODE, NAME, PERIOD, NUMERATOR, DENOMINATOR, NOTE)
REQUIRED = (UNIT_CODE, CODE, PERIOD, NUMERATOR, DENOMINATOR)


@dataclass(frozen=True)
class ParsedRow:
    line: int
    unit_id: int
    indicator_id: int
    period: periods.Period
    numerator: Decimal
    denominator: Decimal | None
    note: str


@dataclass
class Parsed:
    rows: list[ParsedRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def template(
    *, plan: Plan, rows: Sequence[tuple[Unit, Indicator]], period: periods.Period
) -> bytes:
    book = Workbook()
    columns = [
        workbooks.Column(UNIT_CODE, 14),
        workbooks.Column(UNIT_NAME, 36),
        workbooks.Column(CODE, 30),
        workbooks.Column(NAME, 60),
        workbooks.Column(PERIOD, 12, workbooks.TEXT),
        workbooks.Column(NUMERATOR, 12),
        workbooks.Column(DENOMINATOR, 12),
        workbooks.Column(NOTE, 40),
    ]
    workbooks.table(
        book,
        "Số liệu",
        columns,
        ([u.code, u.name, i.code, i.name, period.key, None, None, None] for u, i in rows),
        first=True,
        above=(
            f"Số liệu chỉ tiêu CCHC năm {plan.year}, {period.label.lower()}: ghi tử số và "
            "mẫu số (số, không dùng công thức); kỳ báo cáo dạng 03/{0} (tháng) hoặc "
            "Q1/{0} (quý); để trống dòng chưa có số liệu".format(plan.year)
        ),
        freeze_columns=4,
    )
    return workbooks.to_bytes(book)


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _cells(content: bytes, name: str) -> list[list]:
    """The first sheet's cells (value, is a formula), or ValidationError for a bad file."""
    return workbooks.read_first_sheet(content, name=name, max_bytes=MAX_UPLOAD_BYTES)


def _number(raw) -> Decimal | None:
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, int | Decimal):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(str(raw))
    text = str(raw).strip().replace(" ", "")
    if "," in text:  # 1.234,5 as Vietnamese write it
        text = text.replace(".", "").replace(",", ".")
    try:
        number = Decimal(text)
    except ArithmeticError:
        return None
    return number if number.is_finite() else None


def parse(
    content: bytes,
    *,
    name: str,
    units: Sequence[Unit],
    indicators: Sequence[Indicator],
    applicable: Collection[tuple[int, int]],
    check_period: Callable[[periods.Period], str],
    check_figures: Callable,
) -> Parsed:
    parsed = Parsed()
    rows = _cells(content, name)
    header_at, columns = None, {}
    for index, row in enumerate(rows[:10]):
        labels = [_norm(_text(v)) for v, _ in row]
        if _norm(UNIT_CODE) in labels:
            header_at = index
            columns = {
                label: labels.index(_norm(label)) for label in COLUMNS if _norm(label) in labels
            }
            break
    if header_at is None:
        parsed.problems.append(f"Không tìm thấy dòng tiêu đề có cột «{UNIT_CODE}».")
        return parsed
    missing = [label for label in REQUIRED if label not in columns]
    if missing:
        parsed.problems.append(
            f"Dòng {header_at + 1}: thiếu cột " + ", ".join(f"«{m}»" for m in missing) + "."
        )
        return parsed
    by_code = {_norm(u.code): u for u in units if u.code}
    by_name: dict[str, list[Unit]] = {}
    for u in units:
        by_name.setdefault(_norm(u.name), []).append(u)
    indicator_of = {_norm(i.code): i for i in indicators}
    seen: dict[tuple[int, int, object], int] = {}

    def cell(row, label):
        at = columns.get(label)
        return row[at] if at is not None and at < len(row) else (None, False)

    for line, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        if not any(_text(v) for v, _ in row):
            continue
        formulas = [label for label in COLUMNS if cell(row, label)[1]]
        if formulas:
            parsed.problems.append(
                f"Dòng {line}: ô "
                + ", ".join(f"«{f}»" for f in formulas)
                + " có công thức; hãy ghi số hoặc chữ, không dùng công thức."
            )
            continue
        num_raw, den_raw = cell(row, NUMERATOR)[0], cell(row, DENOMINATOR)[0]
        if not _text(num_raw) and not _text(den_raw):
            continue  # a template row the unit did not fill
        problems: list[str] = []
        unit = _unit(
            _text(cell(row, UNIT_CODE)[0]),
            _text(cell(row, UNIT_NAME)[0]),
            by_code,
            by_name,
            problems,
        )
        code = _text(cell(row, CODE)[0])
        indicator = indicator_of.get(_norm(code))
        if indicator is None:
            problems.append(
                f"không có chỉ tiêu mã «{code}» trong kế hoạch" if code else "thiếu mã chỉ tiêu"
            )
        elif unit is not None and (unit.pk, indicator.pk) not in applicable:
            problems.append(f"chỉ tiêu «{code}» không áp dụng cho {unit.name}")
        period_text = _text(cell(row, PERIOD)[0])
        period = periods.parse(period_text)
        if period is None:
            problems.append(
                f"kỳ báo cáo «{period_text}» không đúng dạng 03/2025 (tháng) hoặc Q1/2025 (quý)"
                if period_text
                else "thiếu kỳ báo cáo"
            )
        else:
            wrong = check_period(period)
            if wrong:
                problems.append(wrong)
        num, den = _number(num_raw), _number(den_raw)
        if num is None:
            problems.append(
                f"tử số «{_text(num_raw)}» không phải là số" if _text(num_raw) else "thiếu tử số"
            )
        if den is None and (_text(den_raw) or (indicator is not None and indicator.is_percent)):
            problems.append(
                f"mẫu số «{_text(den_raw)}» không phải là số" if _text(den_raw) else "thiếu mẫu số"
            )
        if indicator is not None and num is not None and (den is not None or not _text(den_raw)):
            try:
                num, den = check_figures(indicator, num, den)
            except ValidationError as exc:
                problems += [m[0].lower() + m[1:].rstrip(".") for m in exc.messages]
        if not problems and unit is not None and indicator is not None and period is not None:
            key = (unit.pk, indicator.pk, period.start)
            if key in seen:
                problems.append(f"trùng với dòng {seen[key]} (cùng đơn vị, chỉ tiêu và kỳ báo cáo)")
            else:
                seen[key] = line
        if problems:
            who = f" ({unit.name})" if unit is not None else ""
            parsed.problems.append(f"Dòng {line}{who}: " + "; ".join(problems) + ".")
            continue
        parsed.rows.append(
            ParsedRow(
                line, unit.pk, indicator.pk, period, num, den, _text(cell(row, NOTE)[0])[:500]
            )
        )
    return parsed


def _unit(code, name, by_code, by_name, problems) -> Unit | None:
    if code:
        found = by_code.get(_norm(code))
        if found is None:
            problems.append(f"không có đơn vị mã «{code}»")
        return found
    if not name:
        problems.append("thiếu mã đơn vị")
        return None
    found = by_name.get(_norm(name), [])
    if len(found) == 1:
        return found[0]
    problems.append(
        f"có nhiều đơn vị tên «{name}»; hãy ghi mã đơn vị" if found else f"không có đơn vị «{name}»"
    )
    return None
