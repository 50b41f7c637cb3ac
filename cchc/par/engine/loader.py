"""Criteria sets from and to plain dicts (the schema of criteria-2026-draft.yaml).

This dict is the one interchange format of a criteria set: ``parse_criteria_set`` is its
one reader and ``criteria_set_to_dict`` its one writer; YAML files, the import
confirmation and the stored rows (``cchc.par.io.convert``) all go through them.

Importing reports every problem at once, each with the code (or position) it concerns
and a Vietnamese message, so an administrator can fix a whole sheet in one pass.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from .model import METHODS, Adjustments, Classification, CriteriaSet, GroupBand, Node
from .num import ZERO, InputError, fmt, number_out, to_decimal
from .rules import validate_rule

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DRAFT_CRITERIA_PATH = DATA_DIR / "criteria-2026-draft.yaml"

# children of an area are "criteria", of a criterion "sub_criteria", deeper "children"
_CHILD_KEYS = ("criteria", "sub_criteria", "children")
_NODE_KEYS = {"code", "title", "max", "method", "rule", "evaluator", *_CHILD_KEYS}
_SET_KEYS = {
    "id",
    "title",
    "unit_types",
    "total",
    "self_assessed_total",
    "survey_total",
    "areas",
    "classification",
    "adjustments",
}
# area, criterion, sub-criterion and a little room; the reader and every walk of the tree
# recurse once per level, so the bound also keeps a hostile file off the recursion limit
MAX_LEVELS = 6
_AREA_CODE = re.compile(r"^[1-9][0-9]*$")
_CHILD_SUFFIX = re.compile(r"^[1-9][0-9]*$")


# Problem kinds: short stable codes, so a report can treat a kind of problem (a sum that
# cannot be judged, a cell already reported) without matching the Vietnamese wording.
SUM_KINDS = frozenset({"children_sum", "areas_sum", "survey_sum", "assessed_sum", "parts_sum"})


@dataclass(frozen=True)
class Problem:
    where: str  # a criterion code, or a position such as "sets[1].areas[3]"
    message: str
    set_id: str = ""
    # not_mapping, no_code, too_deep, no_title, missing_max, not_a_number, max_not_positive,
    # bad_method, unknown_evaluator, bad_children, rule_and_children, missing_rule, rule,
    # duplicate_code, bad_area_code, code_not_under_parent, bad_classification,
    # bad_adjustments, no_id, no_areas, no_sets, duplicate_set, yaml, or one of SUM_KINDS
    kind: str = ""

    def __str__(self) -> str:
        prefix = f"[{self.set_id}] " if self.set_id else ""
        return f"{prefix}{self.where}: {self.message}"


class CriteriaError(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


# -- reading ----------------------------------------------------------------------------


class _Reader:
    def __init__(self, set_id: str, evaluators: Mapping[str, Any] | None):
        self.set_id = set_id
        self.evaluators = evaluators
        self.problems: list[Problem] = []
        self.codes: set[str] = set()

    def problem(self, where: str, kind: str, message: str) -> None:
        self.problems.append(Problem(where, message, self.set_id, kind))

    def number(self, raw: Any, where: str, what: str) -> Decimal | None:
        try:
            return to_decimal(raw, name=what)
        except InputError:
            self.problem(where, "not_a_number", f"{what} không phải là số: {raw!r}")
            return None

    def node(
        self, raw: Any, where: str, parent: Node | None, parent_code: str | None, depth: int
    ) -> Node | None:
        if not isinstance(raw, Mapping):
            self.problem(where, "not_mapping", "Mỗi tiêu chí phải là một bảng khóa → giá trị")
            return None
        code = str(raw.get("code") or "").strip()
        if not code:
            self.problem(where, "no_code", "Thiếu mã tiêu chí (code)")
            code = where
        else:
            where = code
            self._check_code(code, parent_code)
        if depth > MAX_LEVELS:
            self.problem(
                where, "too_deep", f"Tiêu chí lồng quá nhiều cấp (tối đa {MAX_LEVELS} cấp)"
            )
            return None
        title = str(raw.get("title") or "").strip()
        if not title:
            self.problem(where, "no_title", "Thiếu tên tiêu chí (title)")
        max_points = self.number(raw.get("max"), where, "Điểm tối đa") if "max" in raw else None
        if "max" not in raw:
            self.problem(where, "missing_max", "Thiếu điểm tối đa (max)")
        elif max_points is not None and max_points <= 0:
            self.problem(
                where, "max_not_positive", f"Điểm tối đa phải lớn hơn 0: {fmt(max_points)}"
            )
        method = raw.get("method") or (parent.method if parent else "self_assessed")
        if method not in METHODS:
            self.problem(where, "bad_method", f"Phương pháp đánh giá không hợp lệ: {method}")
        evaluator = raw.get("evaluator") or (parent.evaluator if parent else None)
        if evaluator and self.evaluators is not None and evaluator not in self.evaluators:
            self.problem(
                where, "unknown_evaluator", f"Đơn vị thẩm định không xác định: {evaluator}"
            )

        child_key = next((k for k in _CHILD_KEYS if k in raw), None)
        raw_children = raw.get(child_key) if child_key else None
        rule = raw.get("rule")
        shell = Node(code, title, max_points or ZERO, method, None, evaluator)
        children: list[Node] = []
        if raw_children is not None:
            if not isinstance(raw_children, list) or not raw_children:
                self.problem(
                    where,
                    "bad_children",
                    "Danh sách tiêu chí con phải là một danh sách không trống",
                )
            else:
                for i, item in enumerate(raw_children):
                    child = self.node(item, f"{where}.{child_key}[{i}]", shell, code, depth + 1)
                    if child is not None:
                        children.append(child)
        if children and rule is not None:
            self.problem(
                where, "rule_and_children", "Tiêu chí vừa có quy tắc chấm điểm vừa có tiêu chí con"
            )
        if raw_children is None:
            if rule is None:
                self.problem(where, "missing_rule", "Tiêu chí lá chưa có quy tắc chấm điểm (rule)")
            else:
                for message in validate_rule(rule, max_points):
                    self.problem(where, "rule", message)
        if children and max_points is not None:
            child_sum = sum((c.max for c in children), ZERO)
            if child_sum != max_points:
                self.problem(
                    where,
                    "children_sum",
                    f"Tổng điểm tối đa của các tiêu chí con ({fmt(child_sum)}) "
                    f"khác điểm tối đa ({fmt(max_points)})",
                )
        meta = {k: v for k, v in raw.items() if k not in _NODE_KEYS}
        return Node(
            code=code,
            title=title,
            max=max_points or ZERO,
            method=method,
            rule=dict(rule) if isinstance(rule, Mapping) and not children else None,
            evaluator=evaluator,
            children=tuple(children),
            meta=meta,
        )

    def _check_code(self, code: str, parent_code: str | None) -> None:
        if code in self.codes:
            self.problem(code, "duplicate_code", f"Mã tiêu chí bị trùng: {code}")
        self.codes.add(code)
        if parent_code is None:
            if not _AREA_CODE.match(code):
                self.problem(code, "bad_area_code", f"Mã lĩnh vực phải là số nguyên dương: {code}")
        else:
            head, _, tail = code.rpartition(".")
            if head != parent_code or not _CHILD_SUFFIX.match(tail):
                message = f"Mã “{code}” không nằm dưới mã cha “{parent_code}”"
                self.problem(code, "code_not_under_parent", message)


def _classification(raw: Any, reader: _Reader) -> Classification:
    if raw is None:
        return Classification()
    if not isinstance(raw, list) or not raw:
        message = "Bảng xếp nhóm phải là một danh sách không trống"
        reader.problem("classification", "bad_classification", message)
        return Classification()
    bands = []
    for i, item in enumerate(raw):
        where = f"classification[{i}]"
        if not isinstance(item, Mapping) or not item.get("group"):
            reader.problem(where, "bad_classification", "Mỗi nhóm xếp loại cần tên nhóm (group)")
            continue
        low = reader.number(item["min"], where, "Cận dưới") if "min" in item else None
        bands.append(GroupBand(str(item["group"]), low))
    # highest band first, so classify() can stop at the first band the value reaches
    bands.sort(key=lambda b: (b.min is None, -(b.min or ZERO)))
    if sum(1 for b in bands if b.min is None) != 1:
        message = "Cần đúng một nhóm không có cận dưới (nhóm thấp nhất)"
        reader.problem("classification", "bad_classification", message)
    return Classification(tuple(bands)) if bands else Classification()


def _adjustments(raw: Any, reader: _Reader) -> Adjustments:
    if raw is None:
        return Adjustments()
    if not isinstance(raw, Mapping):
        reader.problem(
            "adjustments", "bad_adjustments", "Cấu hình điểm thưởng/điểm trừ không hợp lệ"
        )
        return Adjustments()
    bonus = reader.number(raw.get("bonus_cap", 0), "adjustments", "Mức thưởng tối đa")
    penalty = reader.number(raw.get("penalty_cap", 0), "adjustments", "Mức trừ tối đa")
    # the draft writes the penalty cap as −5; either sign means "at most 5 deducted"
    return Adjustments(bool(raw.get("enabled", False)), abs(bonus or ZERO), abs(penalty or ZERO))


def parse_criteria_set(
    data: Mapping[str, Any],
    *,
    classification: Any = None,
    adjustments: Any = None,
    evaluators: Mapping[str, Any] | None = None,
    where: str = "",
) -> tuple[CriteriaSet | None, list[Problem]]:
    """One set; document-level classification/adjustments apply unless the set has its own."""
    set_id = str(data.get("id") or "") if isinstance(data, Mapping) else ""
    reader = _Reader(set_id, evaluators)
    if not isinstance(data, Mapping):
        reader.problem(where or "set", "not_mapping", "Bộ tiêu chí phải là một bảng khóa → giá trị")
        return None, reader.problems
    if not set_id:
        reader.problem(where or "set", "no_id", "Thiếu mã bộ tiêu chí (id)")
    total = reader.number(data.get("total", 100), "total", "Tổng điểm")
    assessed = data.get("self_assessed_total")
    survey = data.get("survey_total")
    assessed = (
        reader.number(assessed, "self_assessed_total", "Điểm tự đánh giá")
        if (assessed is not None)
        else None
    )
    survey = reader.number(survey, "survey_total", "Điểm điều tra") if survey is not None else None
    raw_areas = data.get("areas")
    areas: list[Node] = []
    if not isinstance(raw_areas, list) or not raw_areas:
        reader.problem(where or set_id, "no_areas", "Bộ tiêu chí chưa có lĩnh vực nào (areas)")
    else:
        for i, raw in enumerate(raw_areas):
            area = reader.node(raw, f"areas[{i}]", None, None, 1)
            if area is not None:
                areas.append(area)
    cls = _classification(data.get("classification", classification), reader)
    adj = _adjustments(data.get("adjustments", adjustments), reader)
    _check_totals(reader, areas, total, assessed, survey)
    if reader.problems:
        return None, reader.problems
    unit_types = data.get("unit_types") or ()
    return (
        CriteriaSet(
            id=set_id,
            title=str(data.get("title") or ""),
            areas=tuple(areas),
            unit_types=tuple(str(t) for t in unit_types),
            total=total or ZERO,
            self_assessed_total=assessed,
            survey_total=survey,
            classification=cls,
            adjustments=adj,
            meta={k: v for k, v in data.items() if k not in _SET_KEYS},
        ),
        [],
    )


def _check_totals(
    reader: _Reader,
    areas: list[Node],
    total: Decimal | None,
    assessed: Decimal | None,
    survey: Decimal | None,
) -> None:
    area_sum = sum((a.max for a in areas), ZERO)
    if total is not None and areas and area_sum != total:
        reader.problem(
            "total",
            "areas_sum",
            f"Tổng điểm tối đa các lĩnh vực ({fmt(area_sum)}) khác tổng điểm bộ tiêu chí "
            f"({fmt(total)})",
        )
    leaves = [n for a in areas for n in a.walk() if n.is_leaf]
    survey_sum = sum((n.max for n in leaves if n.method == "survey"), ZERO)
    assessed_sum = sum((n.max for n in leaves if n.method != "survey"), ZERO)
    if survey is not None and survey_sum != survey:
        reader.problem(
            "survey_total",
            "survey_sum",
            f"Phần điều tra xã hội học (SIPAS) có tổng {fmt(survey_sum)} điểm, "
            f"cấu hình là {fmt(survey)}",
        )
    if assessed is not None and assessed_sum != assessed:
        reader.problem(
            "self_assessed_total",
            "assessed_sum",
            f"Phần tự đánh giá, thẩm định có tổng {fmt(assessed_sum)} điểm, "
            f"cấu hình là {fmt(assessed)}",
        )
    if None not in (total, assessed, survey) and assessed + survey != total:
        reader.problem(
            "total",
            "parts_sum",
            f"Điểm tự đánh giá ({fmt(assessed)}) cộng điểm điều tra ({fmt(survey)}) "
            f"khác tổng điểm ({fmt(total)})",
        )


def load_criteria(data: Mapping[str, Any]) -> tuple[list[CriteriaSet], list[Problem]]:
    """Every set of a criteria document such as criteria-2026-draft.yaml."""
    if not isinstance(data, Mapping) or not isinstance(data.get("sets"), list):
        message = "Tệp bộ tiêu chí phải có danh sách bộ tiêu chí (sets)"
        return [], [Problem("sets", message, kind="no_sets")]
    evaluators = data.get("evaluators")
    sets: list[CriteriaSet] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, raw in enumerate(data["sets"]):
        criteria_set, found = parse_criteria_set(
            raw,
            classification=data.get("classification"),
            adjustments=data.get("adjustments"),
            evaluators=evaluators if isinstance(evaluators, Mapping) else None,
            where=f"sets[{i}]",
        )
        problems += found
        if criteria_set is not None:
            if criteria_set.id in seen:
                message = f"Mã bộ tiêu chí bị trùng: {criteria_set.id}"
                problems.append(Problem(f"sets[{i}]", message, kind="duplicate_set"))
            seen.add(criteria_set.id)
            sets.append(criteria_set)
    return sets, problems


def load_criteria_yaml(text: str) -> tuple[list[CriteriaSet], list[Problem]]:
    import yaml  # only importers need PyYAML; the arithmetic does not

    try:
        data = read_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"dòng {mark.line + 1}" if mark is not None else "tệp"
        return [], [Problem(where, yaml_error_message(exc), kind="yaml")]
    return load_criteria(data)


# -- reading YAML safely ----------------------------------------------------------------

# Criteria documents nest about ten levels (sets → areas → criteria → rule); the limits
# sit far above that and far below Python's recursion limit, which PyYAML's composer,
# the reader above and every tree walk would otherwise reach on a hostile upload.
MAX_YAML_DEPTH = 64
# Aliases share one node, so a few lines can stand for billions ("billion laughs");
# this bounds the document as the reader would walk it, aliases expanded.
MAX_YAML_NODES = 200_000


def _yaml_limits():
    """The bounded loader and its error, built on first use (PyYAML is imported lazily)."""
    global _LIMITS
    if _LIMITS is not None:
        return _LIMITS
    import yaml

    class YamlLimitError(yaml.MarkedYAMLError):
        """A document PyYAML could read but the importer refuses; ``message`` is Vietnamese."""

        def __init__(self, message: str, mark: Any = None):
            super().__init__(problem=message, problem_mark=mark)
            self.message = message

    class BoundedLoader(yaml.SafeLoader):
        def __init__(self, stream: str):
            super().__init__(stream)
            self.depth = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            self.depth += 1
            try:
                if self.depth > MAX_YAML_DEPTH:
                    raise YamlLimitError(_TOO_DEEP, self.peek_event().start_mark)
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

    _LIMITS = (BoundedLoader, YamlLimitError)
    return _LIMITS


_LIMITS: tuple[type, type] | None = None
_TOO_DEEP = f"Tệp YAML lồng nhau quá sâu (tối đa {MAX_YAML_DEPTH} cấp)"
_TOO_BIG = f"Tệp YAML quá lớn khi mở rộng các tham chiếu (tối đa {MAX_YAML_NODES} phần tử)"
_CYCLE = "Tệp YAML có tham chiếu vòng (một phần tử tham chiếu đến chính nó)"


def _check_expanded(root: Any, error: type) -> None:
    """Depth and size of the node graph with aliases expanded, without recursion."""
    import yaml

    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    open_: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = node.value
        else:
            size[key], depth[key] = 1, 1
            continue
        if done:
            open_.discard(key)
            size[key] = 1 + sum(size[id(c)] for c in children)
            depth[key] = 1 + max((depth[id(c)] for c in children), default=0)
            if size[key] > MAX_YAML_NODES:
                raise error(_TOO_BIG, node.start_mark)
            if depth[key] > MAX_YAML_DEPTH:
                raise error(_TOO_DEEP, node.start_mark)
            continue
        if key in size:
            continue
        if key in open_:
            raise error(_CYCLE, node.start_mark)
        open_.add(key)
        stack.append((node, True))
        for child in children:
            if id(child) in open_:
                raise error(_CYCLE, child.start_mark)
            if id(child) not in size:
                stack.append((child, False))


def compose_yaml(text: str) -> Any:
    """The node tree of a YAML text (for line numbers), within the limits above."""
    loader_class, error = _yaml_limits()
    loader = loader_class(text)
    try:
        root = loader.get_single_node()
    finally:
        loader.dispose()
    if root is not None:
        _check_expanded(root, error)
    return root


def read_yaml(text: str) -> Any:
    """``yaml.safe_load`` for uploads: nesting, alias expansion and cycles are bounded.

    Raises ``yaml.YAMLError``; ``yaml_error_message`` words it for the import report.
    """
    loader_class, error = _yaml_limits()
    loader = loader_class(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        _check_expanded(root, error)
        return loader.construct_document(root)
    finally:
        loader.dispose()


def yaml_error_message(exc: Exception) -> str:
    """The Vietnamese report line for a YAML error from ``read_yaml``."""
    _, error = _yaml_limits()
    return exc.message if isinstance(exc, error) else "Tệp YAML không đọc được"


def criteria_set_from_dict(data: Mapping[str, Any]) -> CriteriaSet:
    criteria_set, problems = parse_criteria_set(data)
    if problems or criteria_set is None:
        raise CriteriaError(problems)
    return criteria_set


# -- writing ----------------------------------------------------------------------------


def _node_to_dict(node: Node, depth: int) -> dict[str, Any]:
    out: dict[str, Any] = {"code": node.code, "title": node.title, "max": number_out(node.max)}
    out["method"] = node.method
    if node.evaluator:
        out["evaluator"] = node.evaluator
    if node.rule is not None:
        out["rule"] = plain(node.rule)
    if node.children:
        key = _CHILD_KEYS[min(depth - 1, 2)]
        out[key] = [_node_to_dict(child, depth + 1) for child in node.children]
    out.update(plain(node.meta))
    return out


def plain(value: Any) -> Any:
    """Decimals to YAML- and JSON-safe numbers, mappings and tuples to dicts and lists."""
    if isinstance(value, Decimal):
        return number_out(value)
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def criteria_set_to_dict(criteria_set: CriteriaSet) -> dict[str, Any]:
    """A self-contained dict that criteria_set_from_dict reads back to an equal set."""
    cs = criteria_set
    out: dict[str, Any] = {
        "id": cs.id,
        "title": cs.title,
        "unit_types": list(cs.unit_types),
        "total": number_out(cs.total),
    }
    if cs.self_assessed_total is not None:
        out["self_assessed_total"] = number_out(cs.self_assessed_total)
    if cs.survey_total is not None:
        out["survey_total"] = number_out(cs.survey_total)
    out["classification"] = [
        {"group": b.group, **({"min": number_out(b.min)} if b.min is not None else {})}
        for b in cs.classification.bands
    ]
    out["adjustments"] = {
        "enabled": cs.adjustments.enabled,
        "bonus_cap": number_out(cs.adjustments.bonus_cap),
        "penalty_cap": number_out(-cs.adjustments.penalty_cap),
    }
    out["areas"] = [_node_to_dict(area, 1) for area in cs.areas]
    out.update(plain(cs.meta))
    return out
