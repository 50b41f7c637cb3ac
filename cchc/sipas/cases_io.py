"""The list of completed cases, as an Excel (.xlsx) or CSV file: the template and its reader.

The reader only turns a file into rows and reports what is wrong with the file itself
(columns, formulas, dates that are not dates, duplicate case ids within the file);
``cchc.sipas.services.sampling.cases_import`` checks the rows against the survey
(units, period, case ids already stored) and stores all of them or none.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from openpyxl import Workbook

from cchc.lib import uploads, workbooks

MAX_BYTES = 10 * 1024 * 1024

# (key, header in the file, required)
COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("case_id", "Mã hồ sơ", True),
    ("unit_code", "Mã đơn vị", True),
    ("procedure", "Thủ tục hành chính", True),
    ("field", "Lĩnh vực", False),
    ("completed_on", "Ngày trả kết quả", True),
    ("contact_name", "Người nộp hồ sơ", False),
    ("contact_address", "Địa chỉ nhận phiếu", False),
    ("contact_phone", "Số điện thoại", False),
    ("contact_email", "Thư điện tử", False),
)
HEADERS = tuple(label for _, label, _ in COLUMNS)
LIMITS = {
    "case_id": 100,
    "procedure": 500,
    "field": 200,
    "contact_name": 200,
    "contact_address": 500,
    "contact_phone": 30,
    "contact_email": 200,
}


@dataclass
class CaseRow:
    line: int  # the row's number in the file, as the office's spreadsheet shows it
    case_id: str
    unit_code: str
    procedure: str
    field: str
    completed_on: datetime.date
    contact_name: str = ""
    contact_address: str = ""
    contact_phone: str = ""
    contact_email: str = ""


def _normal(text: Any) -> str:
    return " ".join(str(text or "").split()).casefold()


def template_bytes(example_unit_code: str = "SNV", year: int = 2026) -> bytes:
    """The template: the header row and one example row (to overwrite)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Hồ sơ đã giải quyết"
    workbooks.header(sheet, 1, [workbooks.Column(label, width=22) for label in HEADERS])
    example = [
        f"000.00.{year % 100:02d}.H01-{year}0315-0001",
        example_unit_code,
        "Cấp phiếu lý lịch tư pháp",
        "Lý lịch tư pháp",
        f"15/03/{year}",
        "Nguyễn Văn An",
        "Số 12, đường Trần Hưng Đạo, phường Long Xuyên",
        "0912345678",
        "nguyenvanan@example.vn",
    ]
    for column, value in enumerate(example, start=1):
        workbooks.put(sheet, 2, column, value)
    return workbooks.to_bytes(book)


def read(content: bytes, *, name: str) -> tuple[list[CaseRow], dict[int, list[str]]]:
    """The good rows of an uploaded .xlsx or .csv file, and the problems of the others by
    row number; ValidationError when the file itself is wrong (kind, size, columns)."""
    ext = uploads.check_name(name or "", allowed=("xlsx", "csv"))
    if ext == "csv":
        uploads.check_bytes(content, name=name, allowed=("csv",), max_bytes=MAX_BYTES)
        cells = _csv_cells(content)
    else:
        cells = workbooks.read_first_sheet(content, name=name, max_bytes=MAX_BYTES)
    return _rows(cells)


def _csv_cells(content: bytes) -> list[list[tuple[Any, bool]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            "Tệp CSV phải được lưu với bảng mã UTF-8 (trong Excel: CSV UTF-8)."
        ) from None
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    # a CSV has no formula cells: a value a spreadsheet would compute is refused as one
    return [[(v, v.startswith("=")) for v in row] for row in reader]


def _rows(cells: list[list[tuple[Any, bool]]]) -> tuple[list[CaseRow], dict[int, list[str]]]:
    if not cells:
        raise ValidationError("Tệp không có dữ liệu.")
    header = [_normal(v) for v, _ in cells[0]]
    positions: dict[str, int] = {}
    missing = []
    for key, label, required in COLUMNS:
        if _normal(label) in header:
            positions[key] = header.index(_normal(label))
        elif required:
            missing.append(label)
    if missing:
        raise ValidationError(
            f"Tệp thiếu cột: {', '.join(missing)}. Hãy dùng tệp mẫu tải về (dòng đầu là tên cột)."
        )
    problems: dict[int, list[str]] = {}
    rows: list[CaseRow] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(cells[1:], start=2):
        values: dict[str, Any] = {}
        row_problems: list[str] = []
        for key, column in positions.items():
            value, formula = row[column] if column < len(row) else (None, False)
            if formula:
                label = HEADERS[[k for k, _, _ in COLUMNS].index(key)]
                row_problems.append(f"cột {label} là công thức, hãy nhập giá trị")
            values[key] = value
        if all(v in (None, "") for v in values.values()):
            continue  # a blank line
        parsed = _parse(values, row_problems)
        if parsed is not None and not row_problems:
            if parsed["case_id"] in seen:
                row_problems.append(
                    f"mã hồ sơ {parsed['case_id']} trùng với dòng {seen[parsed['case_id']]}"
                )
            else:
                seen[parsed["case_id"]] = line
        if row_problems:
            problems[line] = row_problems
        elif parsed is not None:
            rows.append(CaseRow(line=line, **parsed))
    if not rows and not problems:
        raise ValidationError("Tệp không có hồ sơ nào (chỉ có dòng tên cột).")
    return rows, problems


def messages(problems: dict[int, list[str]]) -> list[str]:
    """One Vietnamese line per row with problems, in the file's order."""
    return [f"Dòng {line}: {'; '.join(found)}." for line, found in sorted(problems.items())]


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value if value is not None else "").split())


def _parse(values: dict[str, Any], problems: list[str]) -> dict[str, Any] | None:
    out: dict[str, Any] = {key: _text(values.get(key)) for key, _, _ in COLUMNS}
    for key, label, required in COLUMNS:
        if required and key != "completed_on" and not out[key]:
            problems.append(f"thiếu {label.lower()}")
        limit = LIMITS.get(key)
        if limit and len(out[key]) > limit:
            problems.append(f"{label.lower()} dài quá {limit} ký tự")
    out["completed_on"] = _date(values.get("completed_on"), problems)
    if out["contact_email"]:
        try:
            validate_email(out["contact_email"])
        except ValidationError:
            problems.append(f"thư điện tử {out['contact_email']} không hợp lệ")
    phone = values.get("contact_phone")
    if isinstance(phone, int | float) and not isinstance(phone, bool):
        # Excel drops a phone number's leading zero when the cell is a number
        out["contact_phone"] = "0" + _text(phone) if len(_text(phone)) == 9 else _text(phone)
    return None if problems else out


def _date(value: Any, problems: list[str]) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    if not text:
        problems.append("thiếu ngày trả kết quả")
        return None
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
    problems.append(f"ngày trả kết quả “{text}” không đúng dạng dd/mm/yyyy")
    return None
