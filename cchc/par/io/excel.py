"""A criteria set as an Excel workbook in the layout officials use, and back.

Sheet "Bộ tiêu chí": STT | Lĩnh vực / Tiêu chí / Tiêu chí thành phần | Điểm tối đa |
Cách chấm | Phương pháp | Cơ quan thẩm định | Tài liệu kiểm chứng | Được miễn áp dụng |
Ghi chú | Quy tắc (YAML). The last column holds the leaf's scoring rule in the engine's
format (one line of YAML); "Cách chấm" is the rule in words, regenerated on export.
Sheet "Thông tin": the set's configured totals, groups and caps. Sheet "Cơ quan thẩm
định": code and name of each evaluating department.

Reading reports every problem with its row, in Vietnamese, and never raises on a bad
file: a renamed text file, an executable or an old .xls get a message, not a 500.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from cchc.lib.uploads import check_bytes
from cchc.lib.workbooks import (
    BOLD,
    BORDER,
    GROUP_FILL,
    ITALIC,
    TEXT,
    WRAP,
    Column,
    append,
    header,
    heading,
    print_setup,
    put,
    to_bytes,
)
from cchc.par import engine
from cchc.par.describe import describe_rule
from cchc.par.engine.loader import SUM_KINDS, read_yaml
from cchc.par.engine.num import InputError, to_decimal
from cchc.par.io.importing import MAX_UPLOAD_BYTES, ImportResult, engine_problem
from cchc.par.models import CriteriaNode, CriteriaSet, Method

MAIN_SHEET = "Bộ tiêu chí"
INFO_SHEET = "Thông tin"
EVALUATOR_SHEET = "Cơ quan thẩm định"
GUIDE_SHEET = "Hướng dẫn"
MAX_ROWS = 5000

COLUMNS = [
    ("code", "STT", 9),
    ("title", "Lĩnh vực / Tiêu chí / Tiêu chí thành phần", 60),
    ("max", "Điểm tối đa", 11),
    ("guidance", "Cách chấm", 48),
    ("method", "Phương pháp", 22),
    ("evaluator", "Cơ quan thẩm định", 24),
    ("evidence", "Tài liệu kiểm chứng", 36),
    ("exemptible", "Được miễn áp dụng", 12),
    ("applicability", "Điều kiện áp dụng", 30),
    ("note", "Ghi chú", 30),
    ("rule", "Quy tắc (YAML)", 50),
    ("meta", "Thông tin khác (YAML)", 30),
]
# header text (normalised) → column key; officials' sheets word headers freely
_HEADER_PREFIXES = [
    ("stt", "code"),
    ("tt", "code"),
    ("mã", "code"),
    ("lĩnh vực", "title"),
    ("tiêu chí", "title"),
    ("nội dung", "title"),
    ("điểm tối đa", "max"),
    ("điểm chuẩn", "max"),
    ("điểm", "max"),
    ("cách chấm", "guidance"),
    ("hướng dẫn chấm", "guidance"),
    ("phương pháp", "method"),
    ("cơ quan thẩm định", "evaluator"),
    ("đơn vị thẩm định", "evaluator"),
    ("tài liệu kiểm chứng", "evidence"),
    ("được miễn", "exemptible"),
    ("miễn", "exemptible"),
    ("ghi chú", "note"),
    ("điều kiện áp dụng", "applicability"),
    ("quy tắc", "rule"),
    ("thông tin khác", "meta"),
]
METHOD_LABELS = {m.value: m.label for m in Method}
_METHOD_LOOKUP = {
    **{m.value: m.value for m in Method},
    **{m.label.lower(): m.value for m in Method},
    "tự đánh giá": Method.SELF_ASSESSED.value,
    "thẩm định": Method.SELF_ASSESSED.value,
    "điều tra": Method.SURVEY.value,
    "sipas": Method.SURVEY.value,
    "khảo sát": Method.SURVEY.value,
    "hệ thống": Method.SYSTEM_DATA.value,
}
_YES = {"có", "co", "x", "yes", "true", "1", "đúng"}
_NO = {"", "không", "khong", "no", "false", "0", "sai"}
# keys the columns own; "Thông tin khác" may not override them
_RESERVED = {
    "code",
    "title",
    "max",
    "method",
    "rule",
    "evaluator",
    "criteria",
    "sub_criteria",
    "children",
    "guidance",
    "evidence",
    "exemptible",
    "applicability",
    "note",
}
_CODE = re.compile(r"^[0-9]+(\.[0-9]+)*$")
_BAND = re.compile(r"^\s*([^\s:≥>=]+)\s*(?:(?:≥|>=|:\s*từ)\s*([0-9]+(?:[.,][0-9]+)?))?\s*$")

INFO_LABELS = {
    "code": "Mã bộ tiêu chí",
    "title": "Tên bộ tiêu chí",
    "year": "Năm đánh giá",
    "unit_type": "Loại đơn vị",
    "version": "Phiên bản",
    "status": "Trạng thái",
    "total": "Tổng điểm",
    "self_assessed_total": "Điểm tự đánh giá, thẩm định",
    "survey_total": "Điểm điều tra xã hội học (SIPAS)",
    "classification": "Ngưỡng xếp nhóm",
    "adjustments_enabled": "Áp dụng điểm thưởng, điểm trừ",
    "bonus_cap": "Điểm thưởng tối đa",
    "penalty_cap": "Điểm trừ tối đa",
    "meta": "Thông tin khác (YAML)",
}
_INFO_KEYS = {label.lower(): key for key, label in INFO_LABELS.items()}

# -- export -------------------------------------------------------------------------------


def _cell_number(value: Decimal) -> int | float:
    value = Decimal(value).normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def _rule_text(rule: Any) -> str:
    if rule is None:
        return ""
    return yaml.safe_dump(
        rule, allow_unicode=True, default_flow_style=True, width=10_000, sort_keys=False
    ).strip()


def classification_text(bands: list[Mapping[str, Any]]) -> str:
    parts = []
    for band in bands:
        if band.get("min") is None:
            parts.append(f"{band['group']}: còn lại")
        else:
            parts.append(f"{band['group']} ≥ {band['min']}")
    return "; ".join(parts)


def export_xlsx(criteria_set: CriteriaSet, nodes: list[CriteriaNode]) -> bytes:
    cs = criteria_set
    book = Workbook()
    sheet = book.active
    sheet.title = MAIN_SHEET
    last = len(COLUMNS)
    heading(sheet, 1, cs.title, span=last)
    heading(
        sheet,
        2,
        f"Năm {cs.year} – {cs.get_unit_type_display()} – phiên bản {cs.version} "
        f"({cs.get_status_display().lower()})",
        span=last,
        font=ITALIC,
    )
    header_row = 4
    header(sheet, header_row, [Column(label, width) for _, label, width in COLUMNS])
    sheet.freeze_panes = sheet.cell(header_row + 1, 3)
    print_setup(sheet, header_row=header_row)

    by_pk = {n.pk: n for n in nodes}
    has_children = {n.parent_id for n in nodes}
    row = header_row
    for node in nodes:
        row += 1
        parent = by_pk.get(node.parent_id)
        leaf = node.pk not in has_children
        values = {
            "code": node.code,
            "title": node.title,
            "max": _cell_number(node.max_points),
            "guidance": node.guidance
            or (describe_rule(node.rule, node.max_points) if leaf else ""),
            "method": METHOD_LABELS.get(node.method, node.method),
            # inherited from the parent unless it differs, as officials' sheets write it
            "evaluator": cs.evaluator_name(node.evaluator_code)
            if node.evaluator_code
            and (parent is None or parent.evaluator_code != node.evaluator_code)
            else "",
            "evidence": node.evidence,
            "exemptible": "Có" if node.exemptible else "",
            "applicability": node.applicability,
            "note": node.note,
            "rule": _rule_text(node.rule) if leaf else "",
            "meta": _rule_text(node.meta) if node.meta else "",
        }
        for col, (key, _, _) in enumerate(COLUMNS, start=1):
            cell = put(sheet, row, col, values[key] if values[key] != "" else None)
            cell.alignment = WRAP
            cell.border = BORDER
            if key == "code":
                cell.number_format = TEXT
            if node.depth == 1:
                cell.font = BOLD
                cell.fill = GROUP_FILL
            elif node.depth == 2 and not leaf:
                cell.font = BOLD
        sheet.cell(row, 2).alignment = Alignment(
            wrap_text=True, vertical="top", indent=max(node.depth - 1, 0) * 2
        )
    row += 1
    put(sheet, row, 2, "Tổng cộng").font = BOLD
    put(sheet, row, 3, _cell_number(cs.total)).font = BOLD
    methods = DataValidation(
        type="list", formula1='"' + ",".join(METHOD_LABELS.values()) + '"', allow_blank=True
    )
    methods.error = "Chọn một phương pháp trong danh sách."
    sheet.add_data_validation(methods)
    methods.add(f"E{header_row + 1}:E{max(row, header_row + 200)}")

    info_values = {
        "code": cs.code,
        "title": cs.title,
        "year": cs.year,
        "unit_type": cs.get_unit_type_display(),
        "version": cs.version,
        "status": cs.get_status_display(),
        "total": _cell_number(cs.total),
        "self_assessed_total": None
        if cs.self_assessed_total is None
        else _cell_number(cs.self_assessed_total),
        "survey_total": None if cs.survey_total is None else _cell_number(cs.survey_total),
        "classification": classification_text(cs.classification),
        "adjustments_enabled": "Có" if cs.adjustments_enabled else "Không",
        "bonus_cap": _cell_number(cs.bonus_cap),
        "penalty_cap": _cell_number(cs.penalty_cap),
        "meta": _rule_text(cs.meta) if cs.meta else None,
    }
    info = book.create_sheet(INFO_SHEET)
    header(info, 1, [Column("Thông tin", 36), Column("Giá trị", 70)])
    for key, label in INFO_LABELS.items():
        append(info, [label, info_values[key]])

    evaluators = book.create_sheet(EVALUATOR_SHEET)
    header(
        evaluators,
        1,
        [Column("Mã", 13), Column("Tên cơ quan", 40), Column("Thông tin khác (YAML)", 60)],
    )
    for code in sorted({n.evaluator_code for n in nodes if n.evaluator_code}):
        entry = cs.evaluators.get(code)
        extra = {k: v for k, v in entry.items() if k != "name"} if isinstance(entry, dict) else {}
        append(evaluators, [code, cs.evaluator_name(code), _rule_text(extra) if extra else None])

    guide = book.create_sheet(GUIDE_SHEET)
    guide.column_dimensions["A"].width = 110
    for line in GUIDE:
        append(guide, [line])
    return to_bytes(book)


GUIDE = [
    "Hướng dẫn nhập bộ tiêu chí",
    "• Cột STT: mã phân cấp — lĩnh vực “1”, tiêu chí “1.4”, tiêu chí thành phần “1.4.2”.",
    "• Điểm tối đa của mỗi lĩnh vực, tiêu chí bằng tổng điểm tối đa của các tiêu chí con.",
    "• Tổng điểm của bộ và phần tự đánh giá/điều tra xã hội học ghi ở trang “Thông tin”.",
    "• Phương pháp: Tự đánh giá, thẩm định; Điều tra xã hội học (đơn vị không tự chấm); "
    "Dữ liệu hệ thống (thẩm định viên nhập). Để trống thì lấy theo tiêu chí cha.",
    "• Cơ quan thẩm định: ghi tên hoặc mã cơ quan; để trống thì lấy theo tiêu chí cha.",
    "• Quy tắc (YAML): bắt buộc với tiêu chí không có tiêu chí con. Ví dụ: {type: binary}; "
    "{type: ratio, threshold: 50}; {type: score}.",
    "• Cách chấm được diễn giải lại từ quy tắc khi xuất tệp; muốn ghi cách chấm riêng thì sửa "
    "trực tiếp ô Cách chấm.",
    "• Dòng “Tổng cộng” ở cuối được bỏ qua khi nhập.",
]


# -- import -------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _code_text(value: Any) -> str:
    # a code typed as 1.1 may arrive as the number 1.1; "1.10" is then lost, so the
    # export writes codes as text
    return _text(value)


def _header_key(text: str) -> str | None:
    norm = " ".join(text.lower().split())
    for prefix, key in _HEADER_PREFIXES:
        if (
            norm == prefix
            or norm.startswith(prefix + " ")
            or norm.startswith(prefix + "/")
            or (len(prefix) > 3 and norm.startswith(prefix))
        ):
            return key
    return None


def _find_header(rows: list[tuple]) -> tuple[int, dict[str, int]] | None:
    for index, values in enumerate(rows[:30]):
        first = _text(values[0] if values else None).lower()
        if first not in {"stt", "tt", "mã", "số tt"}:
            continue
        columns: dict[str, int] = {}
        for col, value in enumerate(values):
            key = _header_key(_text(value))
            if key and key not in columns:
                columns[key] = col
        columns["code"] = 0
        return index, columns
    return None


def _evaluator_lookup(known: Mapping[str, str]) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for code, name in known.items():
        lookup[code.lower()] = code
        if name:
            lookup[str(name).lower()] = code
    return lookup


def _read_info(book, result: ImportResult) -> tuple[dict[str, Any], dict[str, int]]:
    info: dict[str, Any] = {}
    rows: dict[str, int] = {}
    if INFO_SHEET not in book.sheetnames:
        return info, rows
    for number, values in enumerate(book[INFO_SHEET].iter_rows(values_only=True), start=1):
        if number > 200 or not values:
            break
        key = _INFO_KEYS.get(_text(values[0]).lower())
        if key:
            info[key] = values[1] if len(values) > 1 else None
            rows[key] = number
    return info, rows


def _read_evaluators(book, result: ImportResult) -> dict[str, dict[str, Any]]:
    """code → {"name": …, other keys from the YAML column}."""
    found: dict[str, dict[str, Any]] = {}
    if EVALUATOR_SHEET not in book.sheetnames:
        return found
    for number, values in enumerate(book[EVALUATOR_SHEET].iter_rows(values_only=True), start=1):
        if number == 1 or not values or number > 500:
            continue
        code = _text(values[0])
        if not code:
            continue
        entry: dict[str, Any] = {"name": _text(values[1]) if len(values) > 1 else code}
        extra = _text(values[2]) if len(values) > 2 else ""
        if extra:
            try:
                more = read_yaml(extra)
            except yaml.YAMLError:
                more = None
            if isinstance(more, Mapping):
                entry.update({k: v for k, v in more.items() if k != "name"})
            else:
                result.add(
                    "Thông tin khác (YAML) không đọc được", row=number, sheet=EVALUATOR_SHEET
                )
        found[code] = entry
    return found


def _number(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise InputError("boolean")
    return to_decimal(value)


def _set_fields(
    info: Mapping[str, Any], info_rows: Mapping[str, int], fallback_title: str, result: ImportResult
) -> dict[str, Any]:
    def problem(key: str, message: str) -> None:
        result.add(message, row=info_rows.get(key), sheet=INFO_SHEET)

    title = _text(info.get("title")) or fallback_title or "Bộ tiêu chí"
    out: dict[str, Any] = {"id": _text(info.get("code")) or "bo-tieu-chi", "title": title}
    for key, default in (("total", 100), ("self_assessed_total", 68), ("survey_total", 32)):
        raw = info.get(key, default) if key in info else default
        if raw is None or _text(raw) == "":
            if key == "total":
                problem(key, "Thiếu tổng điểm")
            continue
        try:
            out[key] = str(_number(raw))
        except InputError:
            problem(key, f"{INFO_LABELS[key]} không phải là số: {_text(raw)!r}")
    if _text(info.get("classification")):
        bands = []
        for part in _text(info["classification"]).split(";"):
            part = part.replace("còn lại", "").strip().rstrip(":").strip()
            match = _BAND.match(part)
            if not match:
                problem("classification", f"Không hiểu ngưỡng xếp nhóm: {part!r} (ví dụ: A ≥ 90)")
                continue
            group, low = match.groups()
            band: dict[str, Any] = {"group": group}
            if low:
                band["min"] = str(to_decimal(low))
            bands.append(band)
        out["classification"] = bands
    enabled = _text(info.get("adjustments_enabled")).lower()
    if enabled not in _YES | _NO:
        problem("adjustments_enabled", f"Cần ghi “Có” hoặc “Không”: {enabled!r}")
    adjustments: dict[str, Any] = {"enabled": enabled in _YES}
    for key, name in (("bonus_cap", "bonus_cap"), ("penalty_cap", "penalty_cap")):
        raw = info.get(key)
        if raw is None or _text(raw) == "":
            continue
        try:
            adjustments[name] = str(_number(raw))
        except InputError:
            problem(key, f"{INFO_LABELS[key]} không phải là số: {_text(raw)!r}")
    out["adjustments"] = adjustments
    meta_text = _text(info.get("meta"))
    if meta_text:
        try:
            meta = read_yaml(meta_text)
        except yaml.YAMLError:
            meta = None
        if isinstance(meta, Mapping):
            out.update({k: v for k, v in meta.items() if k not in out and k != "areas"})
        else:
            problem("meta", "Thông tin khác (YAML) không đọc được")
    return out


def parse_xlsx(
    content: bytes, *, known_evaluators: Mapping[str, str] | None = None
) -> ImportResult:
    """Read a workbook; the result carries every problem, and the set only when clean."""
    result = ImportResult()
    try:
        check_bytes(content, name="tep.xlsx", allowed=("xlsx",), max_bytes=MAX_UPLOAD_BYTES)
    except ValidationError as exc:
        result.add(exc.messages[0])
        return result
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        cached = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        result.add("Tệp không phải là tệp Excel (.xlsx) hợp lệ hoặc đã bị hỏng")
        return result
    except Exception:  # noqa: BLE001 - any parser failure on an upload is the file's fault
        result.add("Không đọc được tệp Excel; hãy mở bằng Excel và lưu lại dưới dạng .xlsx")
        return result
    try:
        return _parse_book(book, cached, known_evaluators or {}, result)
    finally:
        book.close()
        cached.close()


@dataclass
class _Grid:
    """The main sheet's rows, its header row and where each column is."""

    name: str
    rows: list[tuple]
    cached_rows: list[tuple]  # the same rows with formulas replaced by Excel's last results
    header: int
    columns: dict[str, int]

    def cell(self, values: tuple, key: str) -> Any:
        col = self.columns.get(key)
        return values[col] if col is not None and col < len(values) else None


@dataclass
class _Tree:
    """Criteria read from the rows, linked under their parents (engine dict format)."""

    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    areas: list[dict[str, Any]] = field(default_factory=list)
    line_of: dict[str, int] = field(default_factory=dict)
    # (code, problem kind) already reported on the row; the engine need not repeat it
    quiet: set[tuple[str, str]] = field(default_factory=set)
    # codes whose sums cannot be judged: a row below them was unreadable or skipped
    unjudged: set[str] = field(default_factory=set)

    def skip(self, near: str) -> None:
        parts = near.split(".") if near else []
        self.unjudged.update(".".join(parts[:i]) for i in range(1, len(parts)))
        self.unjudged.update({"total", "self_assessed_total", "survey_total"})


def _parse_book(book, cached, known: Mapping[str, str], result: ImportResult) -> ImportResult:
    grid = _read_grid(book, cached, result)
    if grid is None:
        return result
    fallback_title = next((_text(r[0]) for r in grid.rows[: grid.header] if r and _text(r[0])), "")
    evaluators = {
        **{code: {"name": name} for code, name in known.items()},
        **_read_evaluators(book, result),
    }
    lookup = _evaluator_lookup({code: entry["name"] for code, entry in evaluators.items()})
    info, info_rows = _read_info(book, result)
    set_fields = _set_fields(info, info_rows, fallback_title, result)
    tree = _read_tree(grid, lookup, result)
    result.rows = len(tree.nodes)
    if not tree.nodes and not result.problems:
        result.add("Trang tính chưa có tiêu chí nào dưới dòng tiêu đề", sheet=grid.name)
    if not tree.nodes:
        return result
    _finish_tree(tree.areas)
    set_fields["areas"] = tree.areas
    criteria_set, problems = engine.parse_criteria_set(set_fields, evaluators=evaluators or None)
    _place_problems(problems, tree, info_rows, result)
    result.problems.sort(key=lambda p: (p.sheet != "" and p.sheet != grid.name, p.row or 0))
    if criteria_set is not None and not result.problems:
        result.accept(criteria_set, evaluators)
    return result


def _read_grid(book, cached, result: ImportResult) -> _Grid | None:
    """The main sheet's rows and header, or None with the sheet's problem reported."""
    name = MAIN_SHEET if MAIN_SHEET in book.sheetnames else book.sheetnames[0]
    rows = []
    for values in book[name].iter_rows(values_only=True):
        rows.append(values)
        if len(rows) > MAX_ROWS:
            result.add(f"Trang tính có quá nhiều dòng (tối đa {MAX_ROWS})", sheet=name)
            return None
    if not any(any(_text(v) for v in r) for r in rows):
        result.add("Trang tính trống: chưa có tiêu chí nào", sheet=name)
        return None
    found = _find_header(rows)
    if found is None:
        result.add(
            "Không tìm thấy dòng tiêu đề (ô đầu tiên là “STT”) với các cột STT, "
            "Lĩnh vực / Tiêu chí, Điểm tối đa",
            sheet=name,
        )
        return None
    header, columns = found
    for key, label in (("title", "Lĩnh vực / Tiêu chí"), ("max", "Điểm tối đa")):
        if key not in columns:
            result.add(f"Thiếu cột “{label}”", row=header + 1, sheet=name)
    if result.problems:
        return None
    cached_rows = list(cached[name].iter_rows(values_only=True))
    return _Grid(name, rows, cached_rows, header, columns)


def _read_tree(grid: _Grid, lookup: Mapping[str, str], result: ImportResult) -> _Tree:
    """Every criterion row, placed under its parent by code; rows that cannot be placed
    are reported and make the sums above them unjudged."""
    tree = _Tree()
    previous = ""
    for index in range(grid.header + 1, len(grid.rows)):
        values = grid.rows[index]
        number = index + 1
        if not values or not any(_text(v) for v in values):
            continue
        code = _code_text(grid.cell(values, "code"))
        title = _text(grid.cell(values, "title"))
        if not code and title.lower().startswith("tổng"):
            continue  # the "Tổng cộng" line officials add at the bottom
        if not code:
            result.add("Thiếu mã tiêu chí (cột STT)", row=number)
            tree.skip(previous)  # most likely a sibling of the row above
            continue
        if not _CODE.match(code):
            result.add(
                f"Mã tiêu chí không hợp lệ: “{code}” (ví dụ đúng: 1, 1.4, 1.4.2)", row=number
            )
            tree.skip(previous)
            continue
        if code.count(".") >= engine.MAX_LEVELS:
            result.add(
                f"Tiêu chí lồng quá nhiều cấp (tối đa {engine.MAX_LEVELS} cấp)",
                row=number,
                code=code,
            )
            tree.skip(code)
            continue
        if code in tree.line_of:
            result.add(
                f"Mã tiêu chí bị trùng: {code} (đã có ở dòng {tree.line_of[code]})",
                row=number,
                code=code,
            )
            tree.skip(code)
            continue
        head = code.rpartition(".")[0]
        parent = tree.nodes.get(head) if head else None
        if head and parent is None:
            result.add(
                f"Không có tiêu chí cha “{head}” ở phía trên cho mã “{code}”",
                row=number,
                code=code,
            )
            tree.skip(code)
            continue
        tree.line_of[code] = number
        previous = code
        cached_row = grid.cached_rows[index] if index < len(grid.cached_rows) else ()
        node = _read_node(grid, values, cached_row, code, title, lookup, tree, result, number)
        tree.nodes[code] = node
        if parent is None:
            tree.areas.append(node)
        else:
            parent.setdefault("children", []).append(node)
    # sums above an unreadable points cell cannot be judged; saying they fail adds nothing
    for code, node in tree.nodes.items():
        if node.get("_bad_max"):
            tree.skip(code)
    return tree


def _read_node(
    grid: _Grid,
    values: tuple,
    cached_row: tuple,
    code: str,
    title: str,
    lookup: Mapping[str, str],
    tree: _Tree,
    result: ImportResult,
    number: int,
) -> dict[str, Any]:
    """One criterion row's cells in the engine's dict format; cell problems reported."""

    def problem(message: str) -> None:
        result.add(message, row=number, code=code)

    node: dict[str, Any] = {"code": code, "title": title}
    raw_max = grid.cell(values, "max")
    if isinstance(raw_max, str) and raw_max.startswith("="):
        col = grid.columns["max"]
        raw_max = cached_row[col] if col < len(cached_row) else None
        if raw_max is None:
            node["_sum_children"] = True  # an uncomputed =SUM(...) of the rows below
    if raw_max is None or _text(raw_max) == "":
        if not node.get("_sum_children"):
            problem("Thiếu điểm tối đa")
            tree.quiet.add((code, "missing_max"))
    else:
        try:
            node["max"] = str(_number(raw_max))
        except InputError:
            problem(f"Điểm tối đa không phải là số: “{_text(raw_max)}”")
            tree.quiet.add((code, "missing_max"))
            node["_bad_max"] = True
    method_text = _text(grid.cell(values, "method"))
    if method_text:
        method = _METHOD_LOOKUP.get(method_text.lower())
        if method is None:
            problem(
                f"Phương pháp không hợp lệ: “{method_text}” (chọn: "
                + ", ".join(METHOD_LABELS.values())
                + ")"
            )
        else:
            node["method"] = method
    evaluator_text = _text(grid.cell(values, "evaluator"))
    if evaluator_text:
        evaluator = lookup.get(evaluator_text.lower())
        if evaluator is None:
            match = re.search(r"\(([^()]+)\)\s*$", evaluator_text)
            evaluator = lookup.get(match.group(1).lower()) if match else None
        if evaluator is None:
            problem(f"Cơ quan thẩm định không xác định: “{evaluator_text}”")
        else:
            node["evaluator"] = evaluator
    rule_text = _text(grid.cell(values, "rule"))
    if rule_text:
        rule = _yaml_mapping(rule_text)
        if rule is not None:
            node["rule"] = dict(rule)
        else:
            problem("Cột Quy tắc (YAML) không đọc được; ví dụ đúng: {type: binary}")
            tree.quiet.add((code, "missing_rule"))
    guidance = _text(grid.cell(values, "guidance"))
    if guidance and guidance != _generated(node):
        node["guidance"] = guidance  # the official's own words, kept as written
    evidence = [line.strip() for line in _text(grid.cell(values, "evidence")).splitlines()]
    if any(evidence):
        node["evidence"] = [line for line in evidence if line]
    exempt = _text(grid.cell(values, "exemptible")).lower()
    if exempt in _YES:
        node["exemptible"] = True
    elif exempt not in _NO:
        problem(f"Cột Được miễn áp dụng chỉ nhận “Có” hoặc để trống: “{exempt}”")
    note = _text(grid.cell(values, "note"))
    if note:
        node["note"] = note
    applicability = _text(grid.cell(values, "applicability"))
    if applicability:
        node["applicability"] = applicability
    meta_text = _text(grid.cell(values, "meta"))
    if meta_text:
        meta = _yaml_mapping(meta_text)
        if meta is not None:
            node.update({k: v for k, v in meta.items() if k not in _RESERVED})
        else:
            problem("Cột Thông tin khác (YAML) không đọc được")
    return node


def _place_problems(
    problems: list[engine.Problem],
    tree: _Tree,
    info_rows: Mapping[str, int],
    result: ImportResult,
) -> None:
    """The engine's problems on the rows they concern, less those the rows already said."""
    for problem in problems:
        if (problem.where, problem.kind) in tree.quiet:
            continue
        if problem.where in tree.unjudged and problem.kind in SUM_KINDS:
            continue
        if problem.where in info_rows:
            found = engine_problem(problem, {})
            result.add(found.message, row=info_rows[problem.where], sheet=INFO_SHEET)
        else:
            result.problems.append(engine_problem(problem, tree.line_of))


def _generated(node: Mapping[str, Any]) -> str:
    try:
        top = Decimal(node["max"]) if "max" in node else None
    except ArithmeticError:
        top = None
    return describe_rule(node.get("rule"), top)


def _finish_tree(areas: list[dict[str, Any]]) -> None:
    """Resolve uncomputed =SUM cells and name children keys as the engine expects."""

    def walk(node: dict[str, Any], depth: int) -> Decimal:
        kids = node.pop("children", [])
        total = sum((walk(child, depth + 1) for child in kids), Decimal(0))
        if kids:
            node[("criteria", "sub_criteria", "children")[min(depth - 1, 2)]] = kids
        if node.pop("_sum_children", False):
            node["max"] = str(total)
        node.pop("_bad_max", None)
        try:
            return Decimal(node["max"]) if "max" in node else Decimal(0)
        except (ArithmeticError, ValueError):
            return Decimal(0)

    for area in areas:
        walk(area, 1)


def _yaml_mapping(text: str) -> Mapping | None:
    """A cell's YAML if it reads as a mapping, else None (reported by the caller)."""
    try:
        value = read_yaml(text)
    except yaml.YAMLError:
        return None
    return value if isinstance(value, Mapping) else None
