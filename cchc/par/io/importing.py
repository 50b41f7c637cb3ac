"""What an import found: every problem with its place, and the set when clean.

Both importers (Excel in ``excel.py``, YAML here) end by asking the engine to parse the
set, then map each engine problem back to the row or line it came from. A clean result
is an engine ``CriteriaSet`` (with the evaluators it names); nothing is saved here: the
import page shows the report and a service saves the set.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml
from django.core.exceptions import ValidationError

from cchc.lib.uploads import check_bytes
from cchc.org.models import UnitType
from cchc.par import engine
from cchc.par.engine.loader import compose_yaml, read_yaml, yaml_error_message
from cchc.par.io.convert import evaluators_used

MAX_UPLOAD_BYTES = 5 * 1024 * 1024

# the engine's set-level problem places, in words
_SET_PLACES = {
    "total": "Tổng điểm",
    "self_assessed_total": "Điểm tự đánh giá, thẩm định",
    "survey_total": "Điểm điều tra xã hội học",
    "classification": "Ngưỡng xếp nhóm",
    "adjustments": "Điểm thưởng, điểm trừ",
}

# unit types as criteria files name them → ours
UNIT_TYPE_ALIASES = {
    "department": UnitType.DEPARTMENT,
    "so": UnitType.DEPARTMENT,
    "co_quan_tuong_duong_so": UnitType.DEPARTMENT,
    "commune": UnitType.COMMUNE,
    "xa": UnitType.COMMUNE,
    "phuong": UnitType.COMMUNE,
    "dac_khu": UnitType.COMMUNE,
    "district": UnitType.DISTRICT,
    "huyen": UnitType.DISTRICT,
    "thi_xa": UnitType.DISTRICT,
    "thanh_pho": UnitType.DISTRICT,
}


@dataclass(frozen=True)
class ImportProblem:
    message: str
    row: int | None = None  # Excel row or YAML line, 1-based
    code: str = ""
    sheet: str = ""

    @property
    def place(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"Trang “{self.sheet}”")
        if self.row is not None:
            parts.append(f"dòng {self.row}")
        if self.code:
            parts.append(f"mã {self.code}")
        text = ", ".join(parts) or "Toàn bộ tệp"
        return text[0].upper() + text[1:]

    def __str__(self) -> str:
        return f"{self.place}: {self.message}"


@dataclass
class ImportResult:
    problems: list[ImportProblem] = field(default_factory=list)
    criteria_set: engine.CriteriaSet | None = None
    evaluators: dict[str, dict[str, Any]] = field(default_factory=dict)  # the ones it names
    rows: int = 0  # criteria read

    @property
    def ok(self) -> bool:
        return not self.problems and self.criteria_set is not None

    def accept(self, criteria_set: engine.CriteriaSet, evaluators: Mapping | None) -> None:
        self.criteria_set = criteria_set
        self.evaluators = evaluators_used(criteria_set, evaluators)

    def add(self, message: str, **where: Any) -> None:
        self.problems.append(ImportProblem(message, **where))


def engine_problem(problem: engine.Problem, rows: Mapping[str, int], **extra: Any) -> ImportProblem:
    """An engine problem placed on the row (or line) of the code it names."""
    where = problem.where
    if where in rows:
        return ImportProblem(problem.message, row=rows[where], code=where, **extra)
    if where in _SET_PLACES:
        return ImportProblem(f"{_SET_PLACES[where]}: {problem.message}")
    return ImportProblem(problem.message)


# -- YAML ---------------------------------------------------------------------------------


def _code_lines(text: str) -> dict[str, int]:
    """Line of every ``code:`` in a YAML text, from the composed node tree."""
    lines: dict[str, int] = {}
    try:
        root = compose_yaml(text)
    except yaml.YAMLError:
        return lines
    stack = [root] if root is not None else []
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:  # an alias: its lines are those of its anchor
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == "code" and isinstance(value, yaml.ScalarNode):
                    lines.setdefault(value.value, value.start_mark.line + 1)
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return lines


def _choose(sets: list[Any], set_id: str, unit_type: str) -> tuple[int | None, str]:
    ids = [str(s.get("id") or "") if isinstance(s, Mapping) else "" for s in sets]
    if set_id:
        if set_id in ids:
            return ids.index(set_id), ""
        return (
            None,
            f"Tệp không có bộ tiêu chí mã “{set_id}”; các mã có trong tệp: {', '.join(ids)}",
        )
    if len(sets) == 1:
        return 0, ""
    matching = [
        i
        for i, s in enumerate(sets)
        if isinstance(s, Mapping)
        and unit_type in {UNIT_TYPE_ALIASES.get(str(t), str(t)) for t in s.get("unit_types") or ()}
    ]
    if len(matching) == 1:
        return matching[0], ""
    return None, (
        f"Tệp có {len(sets)} bộ tiêu chí ({', '.join(ids)}); hãy nhập mã bộ tiêu chí cần lấy"
    )


def parse_yaml(content: bytes | str, *, unit_type: str = "", set_id: str = "") -> ImportResult:
    """One set from a criteria document in the engine's YAML format."""
    result = ImportResult()
    if isinstance(content, bytes):
        try:
            check_bytes(content, name="tep.yaml", allowed=("yaml",), max_bytes=MAX_UPLOAD_BYTES)
        except ValidationError as exc:
            result.add(exc.messages[0])
            return result
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            result.add("Tệp không phải là văn bản YAML (UTF-8)")
            return result
    else:
        text = content
    try:
        doc = read_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        result.add(yaml_error_message(exc), row=mark.line + 1 if mark is not None else None)
        return result
    if not isinstance(doc, Mapping):
        result.add("Tệp YAML không phải là một bộ tiêu chí")
        return result
    if "sets" not in doc and "areas" in doc:  # a single set, as exported by older tools
        doc = {"sets": [doc]}
    sets = doc.get("sets")
    if not isinstance(sets, list) or not sets:
        result.add("Tệp bộ tiêu chí phải có danh sách bộ tiêu chí (sets)")
        return result
    index, message = _choose(sets, set_id, unit_type)
    if index is None:
        result.add(message)
        return result
    evaluators = doc.get("evaluators")
    evaluators = evaluators if isinstance(evaluators, Mapping) else None
    criteria_set, problems = engine.parse_criteria_set(
        sets[index],
        classification=doc.get("classification"),
        adjustments=doc.get("adjustments"),
        evaluators=evaluators,
        where=f"sets[{index}]",
    )
    lines = _code_lines(text)
    result.problems = [engine_problem(p, lines) for p in problems]
    if criteria_set is not None and not result.problems:
        result.accept(criteria_set, evaluators)
        result.rows = sum(1 for _ in criteria_set.nodes())
    return result


def dump_yaml(document: Mapping[str, Any]) -> str:
    return yaml.safe_dump(
        dict(document), allow_unicode=True, sort_keys=False, width=100, default_flow_style=False
    )
