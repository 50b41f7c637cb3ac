"""Scoring rules as data.

A rule is a plain dict such as ``{"type": "percent_bands", "bands": [...]}`` stored with
the leaf of a criteria set. Each rule type is a small record of three functions:

- ``validate(config, max_points)`` → list of Vietnamese problems, for importers and
  editors (``max_points`` may be None when the leaf's maximum is not known yet);
- ``points(config, max_points, inputs)`` → Decimal points from the unit's raw inputs,
  raising ``InputError`` (Vietnamese message) for input the rule cannot score;
- ``bounds(config, max_points)`` → the lowest and highest points the rule can give, so
  storage can enforce them (a deduction floor or a level may be below zero).

Raw inputs are a mapping per leaf, named per type: ``passed`` (binary), ``level``
(levels), ``pct`` (percent_bands, ratio), ``count`` (count_capped), ``counts``
(deduction), the configured names (weighted_counts, formula), ``index`` (survey_index),
``points`` (score: points entered directly by the appraiser).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .formula import FormulaError, formula_problems, parse_formula
from .num import HUNDRED, ZERO, InputError, fmt, to_decimal

Config = Mapping[str, Any]
Inputs = Mapping[str, Any]

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class RuleType:
    name: str
    label: str
    validate: Callable[[Config, Decimal | None], list[str]]
    points: Callable[[Config, Decimal, Inputs], Decimal]
    bounds: Callable[[Config, Decimal], tuple[Decimal, Decimal]]


# -- input helpers ----------------------------------------------------------------------


def _number(inputs: Inputs, key: str) -> Decimal:
    if key not in inputs or inputs[key] is None:
        raise InputError(f"Thiếu dữ liệu đầu vào: {key}")
    return to_decimal(inputs[key], name=key)


def _pct(inputs: Inputs, key: str = "pct") -> Decimal:
    value = _number(inputs, key)
    if not ZERO <= value <= HUNDRED:
        raise InputError(f"Tỷ lệ phải nằm trong khoảng 0–100%: {key} = {fmt(value)}")
    return value


def _count(value: Any, key: str) -> int:
    number = to_decimal(value, name=key)
    if number < 0 or number != number.to_integral_value():
        raise InputError(f"Số lượng phải là số nguyên không âm: {key} = {fmt(number)}")
    return int(number)


def _config_number(config: Config, key: str, problems: list[str], default: Any = None) -> Any:
    """Read a number from a config, noting a Vietnamese problem instead of raising."""
    raw = config.get(key, default)
    if raw is None:
        return None
    try:
        return to_decimal(raw, name=key)
    except InputError as exc:
        problems.append(str(exc))
        return None


def _over_max(what: str, value: Decimal, max_points: Decimal | None) -> list[str]:
    if max_points is not None and value > max_points:
        return [f"{what} ({fmt(value)}) vượt quá điểm tối đa ({fmt(max_points)})"]
    return []


def _clamp(value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    return max(low, min(high, value))


# -- binary -----------------------------------------------------------------------------


def _binary_validate(config: Config, max_points: Decimal | None) -> list[str]:
    problems: list[str] = []
    passed = _config_number(config, "pass_points", problems)
    failed = _config_number(config, "fail_points", problems)
    if passed is not None:
        problems += _over_max("Điểm khi đạt", passed, max_points)
    if passed is not None and failed is not None and failed > passed:
        problems.append("Điểm khi không đạt lớn hơn điểm khi đạt")
    return problems


def _binary_points(config: Config, max_points: Decimal, inputs: Inputs) -> Decimal:
    passed = inputs.get("passed")
    if not isinstance(passed, bool):
        raise InputError("Tiêu chí đạt/không đạt cần giá trị đúng hoặc sai (passed)")
    if passed:
        return to_decimal(config.get("pass_points", max_points), name="pass_points")
    return to_decimal(config.get("fail_points", 0), name="fail_points")


def _binary_bounds(config: Config, max_points: Decimal) -> tuple[Decimal, Decimal]:
    passed = to_decimal(config.get("pass_points", max_points))
    failed = to_decimal(config.get("fail_points", 0))
    return min(passed, failed), max(passed, failed)


# -- levels -----------------------------------------------------------------------------


def _levels_validate(config: Config, max_points: Decimal | None) -> list[str]:
    levels = config.get("levels")
    if not isinstance(levels, list) or not levels:
        return ["Danh sách mức đánh giá trống"]
    problems: list[str] = []
    seen: set[str] = set()
    for i, level in enumerate(levels, start=1):
        if not isinstance(level, Mapping) or not str(level.get("label") or "").strip():
            problems.append(f"Mức đánh giá thứ {i} thiếu tên (label)")
            continue
        label = str(level["label"])
        if label in seen:
            problems.append(f"Mức đánh giá bị trùng tên: {label}")
        seen.add(label)
        points = _config_number(level, "points", problems)
        if points is None:
            problems.append(f"Mức “{label}” thiếu điểm (points)")
        else:
            problems += _over_max(f"Điểm của mức “{label}”", points, max_points)
    return problems


def _levels_points(config: Config, max_points: Decimal, inputs: Inputs) -> Decimal:
    chosen = inputs.get("level")
    for level in config["levels"]:
        if level["label"] == chosen:
            return to_decimal(level["points"], name="points")
    raise InputError(f"Mức đánh giá không có trong danh sách: {chosen!r}")


def _levels_bounds(config: Config, max_points: Decimal) -> tuple[Decimal, Decimal]:
    points = [to_decimal(level["points"]) for level in config["levels"]]
    return min(points), max(points)


# -- percent bands ----------------------------------------------------------------------

_BAND_VARIABLES = frozenset({"pct", "max"})


def _bands_validate(config: Config, max_points: Decimal | None) -> list[str]:
    bands = config.get("bands")
    if not isinstance(bands, list) or not bands:
        return ["Danh sách khung tỷ lệ trống"]
    problems: list[str] = []
    for i, band in enumerate(bands, start=1):
        if not isinstance(band, Mapping):
            problems.append(f"Khung tỷ lệ thứ {i} không hợp lệ")
            continue
        low = _config_number(band, "min", problems)
        high = _config_number(band, "max_exclusive", problems)
        if low is not None and high is not None and low >= high:
            problems.append(
                f"Khung tỷ lệ thứ {i}: cận dưới ({fmt(low)}) phải nhỏ hơn cận trên ({fmt(high)})"
            )
        if ("points" in band) == ("formula" in band):
            problems.append(f"Khung tỷ lệ thứ {i} phải có đúng một trong hai: points hoặc formula")
        elif "points" in band:
            points = _config_number(band, "points", problems)
            if points is not None:
                problems += _over_max(f"Điểm của khung tỷ lệ thứ {i}", points, max_points)
        else:
            problems += formula_problems(str(band["formula"]), _BAND_VARIABLES)
    return problems


def _band_matches(band: Config, pct: Decimal) -> bool:
    low, high = band.get("min"), band.get("max_exclusive")
    if low is not None and pct < to_decimal(low):
        return False
    return not (high is not None and pct >= to_decimal(high))


def _bands_points(config: Config, max_points: Decimal, inputs: Inputs) -> Decimal:
    pct = _pct(inputs)
    # top-down, as the criteria sheets read: the first band that contains pct wins
    for band in config["bands"]:
        if _band_matches(band, pct):
            if "points" in band:
                return to_decimal(band["points"])
            value = parse_formula(str(band["formula"])).evaluate({"pct": pct, "max": max_points})
            return _clamp(value, ZERO, max_points)
    return ZERO


def _bands_bounds(config: Config, max_points: Decimal) -> tuple[Decimal, Decimal]:
    fixed = [to_decimal(b["points"]) for b in config["bands"] if "points" in b]
    has_formula = any("formula" in b for b in config["bands"])
    low = min([ZERO, *fixed])
    high = max([*fixed, max_points] if has_formula else [ZERO, *fixed])
    return low, high


# -- ratio: proportional above a threshold ---------------------------------------------


def _ratio_validate(config: Config, max_points: Decimal | None) -> list[str]:
    problems: list[str] = []
    threshold = _config_number(config, "threshold", problems, default=0)
    if threshold is not None and not ZERO <= threshold <= HUNDRED:
        problems.append("Ngưỡng tỷ lệ (threshold) phải nằm trong khoảng 0–100")
    return problems


def _ratio_points(config: Config, max_points: Decimal, inputs: Inputs) -> Decimal:
    pct = _pct(inputs)
    if pct < to_decimal(config.get("threshold", 0)):
        return ZERO
    return max_points * pct / HUNDRED


def _zero_to_max(config: Config, max_points: Decimal) -> tuple[Decimal, Decimal]:
    return ZERO, max_points


# -- count with a cap -------------------------------------------------------------------


def _capped_validate(config: Config, max_points: Decimal | None) -> list[str]:
    problems: list[str] = []
    per_item = _config_number(config, "per_item", problems)
    if per_item is None:
        problems.append("Thiếu điểm cho mỗi đơn vị đếm (per_item)")
    elif per_item <= 0:
        problems.append("Điểm cho mỗi đơn vị đếm (per_item) phải lớn hơn 0")
    cap = _config_number(config, "cap", problems)
    if cap is not None:
        problems += _over_max("Mức trần (cap)", cap, max_points)
        if cap < 0:
            problems.append("Mức trần (cap) không được âm")
    return problems


def _capped_points(config: Config, max_points: Decimal, inputs: Inputs) -> Decimal:
    if "count" not in inputs:
        raise InputError("Thiếu dữ liệu đầu vào: count")
    count = _count(inputs["count"], "count")
    cap = to_decimal(config.get("cap", max_points))
    return min(count * to_decimal(config["per_item"]), cap)


def _capped_bounds(config: Config, max_points: Decimal) -> tuple[Decimal, Decimal]:
    return ZERO, to_decimal(config.get("cap", max_points))


# -- deductions per occurrence ----------------------------------------------------------


def _deduction_validate(config: Config, max_points: Decimal | None) -> list[str]:
    items = config.get("per_occurrence")
    if not isinstance(items, list) or not items:
        return ["Danh sách lỗi bị trừ điểm (per_occurrence) trống"]
    problems: list[str] = []
    for i, item in enumerate(items, start=1):
        if not isinstance(item, Mapping) or not str(item.get("event") or "").strip():
            problems.append(f"Lỗi bị trừ điểm thứ {i} thiếu mô tả (event)")
            continue
        points = _config_number(item, "points", problems)
        if points is None or points <= 0:
            problems.append(f"Điểm trừ của “{item['event']}” phải lớn hơn 0")
    start = _config_number(config, "start", problems, default=max_points)
    floor = _config_number(config, "floor", problems, default=0)
    if start is not None:
        problems += _over_max("Điểm khởi đầu (start)", start, max_points)
    if start is not None and floor is not None and floor > start:
        problems.append("Mức sàn (floor) phải nhỏ hơn hoặc bằng điểm khởi đầu (start)")
    return problems


def _deduction_points(config: Config, max_points: Decimal, inputs: Inputs) -> Decimal:
    items = config["per_occurrence"]
    counts = inputs.get("counts")
    if isinstance(counts, list):
        if len(counts) != len(items):
            raise InputError(f"Cần {len(items)} số lần vi phạm, nhận được {len(counts)}")
        pairs = zip(items, counts, strict=True)
    elif isinstance(counts, Mapping):
        events = {item["event"] for item in items}
        unknown = sorted(set(counts) - events)
        if unknown:
            raise InputError(f"Lỗi bị trừ điểm không có trong danh sách: {unknown[0]}")
        pairs = ((item, counts.get(item["event"], 0)) for item in items)
    else:
        raise InputError("Thiếu dữ liệu đầu vào: counts")
    deducted = sum(
        (to_decimal(item["points"]) * _count(n, item["event"]) for item, n in pairs), ZERO
    )
    start = to_decimal(config.get("start", max_points))
    return max(start - deducted, to_decimal(config.get("floor", 0)))


def _deduction_bounds(config: Config, max_points: Decimal) -> tuple[Decimal, Decimal]:
    return to_decimal(config.get("floor", 0)), to_decimal(config.get("start", max_points))


# -- weighted counts: (b/a)×1 + (c/a)×0.5 -----------------------------------------------


def _weighted_validate(config: Config, max_points: Decimal | None) -> list[str]:
    problems: list[str] = []
    total = config.get("total", "a")
    weights = config.get("weights")
    if not isinstance(weights, Mapping) or not weights:
        return ["Thiếu trọng số (weights) cho các số đếm"]
    for name in weights:
        if name == total:
            problems.append(f"Biến tổng ({total}) không được có trọng số")
        value = _config_number(weights, name, problems)
        if value is not None and not ZERO < value <= 1:
            problems.append(f"Trọng số của {name} phải lớn hơn 0 và không quá 1")
    scale = config.get("scale", "max")
    if scale != "max":
        value = _config_number(config, "scale", problems)
        if value is not None:
            problems += _over_max("Hệ số nhân (scale)", value, max_points)
    return problems


def _weighted_points(config: Config, max_points: Decimal, inputs: Inputs) -> Decimal:
    total_name = config.get("total", "a")
    if total_name not in inputs:
        raise InputError(f"Thiếu dữ liệu đầu vào: {total_name}")
    total = _count(inputs[total_name], total_name)
    parts = {}
    for name in config["weights"]:
        if name not in inputs:
            raise InputError(f"Thiếu dữ liệu đầu vào: {name}")
        parts[name] = _count(inputs[name], name)
    if sum(parts.values()) > total:
        raise InputError(f"Tổng các số đếm vượt quá tổng số ({total_name} = {total})")
    scale = max_points if config.get("scale", "max") == "max" else to_decimal(config["scale"])
    if total == 0:
        # nothing to handle counts as done, unless the set says otherwise
        when_zero = config.get("if_total_zero", "max")
        return scale if when_zero == "max" else to_decimal(when_zero)
    share = sum((to_decimal(config["weights"][n]) * c for n, c in parts.items()), ZERO) / total
    return _clamp(share * scale, ZERO, max_points)


# -- formula ----------------------------------------------------------------------------


def _formula_names(config: Config) -> list[str]:
    inputs = config.get("inputs") or {}
    return list(inputs) if isinstance(inputs, Mapping | list) else []


def _formula_validate(config: Config, max_points: Decimal | None) -> list[str]:
    expression = config.get("expression")
    if not isinstance(expression, str) or not expression.strip():
        return ["Thiếu công thức (expression)"]
    problems: list[str] = []
    names = _formula_names(config)
    for name in names:
        if not isinstance(name, str) or not _IDENTIFIER.match(name) or name == "max":
            problems.append(f"Tên biến đầu vào không hợp lệ: {name}")
    problems += formula_problems(expression, {*map(str, names), "max"})
    low = _config_number(config, "min", problems, default=0)
    high = _config_number(config, "max", problems)
    if high is not None:
        problems += _over_max("Giới hạn trên (max)", high, max_points)
    if low is not None and high is not None and low > high:
        problems.append("Giới hạn dưới (min) lớn hơn giới hạn trên (max)")
    return problems


def _formula_points(config: Config, max_points: Decimal, inputs: Inputs) -> Decimal:
    env = {"max": max_points}
    for name in _formula_names(config):
        env[name] = _number(inputs, name)
    value = parse_formula(config["expression"]).evaluate(env)
    low, high = _formula_bounds(config, max_points)
    return _clamp(value, low, high)


def _formula_bounds(config: Config, max_points: Decimal) -> tuple[Decimal, Decimal]:
    return to_decimal(config.get("min", 0)), to_decimal(config.get("max", max_points))


# -- survey index and direct score ------------------------------------------------------


def _no_problems(config: Config, max_points: Decimal | None) -> list[str]:
    return []


def _survey_points(config: Config, max_points: Decimal, inputs: Inputs) -> Decimal:
    return max_points * _pct(inputs, "index") / HUNDRED


def _score_validate(config: Config, max_points: Decimal | None) -> list[str]:
    problems: list[str] = []
    low = _config_number(config, "min", problems, default=0)
    if low is not None and max_points is not None and low > max_points:
        problems.append("Điểm tối thiểu (min) lớn hơn điểm tối đa")
    return problems


def _score_points(config: Config, max_points: Decimal, inputs: Inputs) -> Decimal:
    value = _number(inputs, "points")
    low = to_decimal(config.get("min", 0))
    if not low <= value <= max_points:
        raise InputError(f"Điểm phải nằm trong khoảng {fmt(low)}–{fmt(max_points)}: {fmt(value)}")
    return value


def _score_bounds(config: Config, max_points: Decimal) -> tuple[Decimal, Decimal]:
    return to_decimal(config.get("min", 0)), max_points


RULE_TYPES: Mapping[str, RuleType] = {
    rule.name: rule
    for rule in (
        RuleType("binary", "Đạt / không đạt", _binary_validate, _binary_points, _binary_bounds),
        RuleType("levels", "Chọn mức đánh giá", _levels_validate, _levels_points, _levels_bounds),
        RuleType(
            "percent_bands", "Khung tỷ lệ phần trăm", _bands_validate, _bands_points, _bands_bounds
        ),
        RuleType("ratio", "Tỷ lệ × điểm tối đa", _ratio_validate, _ratio_points, _zero_to_max),
        RuleType(
            "count_capped",
            "Đếm số lượng có mức trần",
            _capped_validate,
            _capped_points,
            _capped_bounds,
        ),
        RuleType(
            "deduction",
            "Trừ điểm theo số lần",
            _deduction_validate,
            _deduction_points,
            _deduction_bounds,
        ),
        RuleType(
            "weighted_counts",
            "Số đếm có trọng số",
            _weighted_validate,
            _weighted_points,
            _zero_to_max,
        ),
        RuleType("formula", "Công thức", _formula_validate, _formula_points, _formula_bounds),
        RuleType(
            "survey_index",
            "Chỉ số khảo sát × điểm tối đa",
            _no_problems,
            _survey_points,
            _zero_to_max,
        ),
        RuleType("score", "Nhập điểm trực tiếp", _score_validate, _score_points, _score_bounds),
    )
}


def _rule_type(config: Config) -> RuleType:
    name = config.get("type") if isinstance(config, Mapping) else None
    if name not in RULE_TYPES:
        raise InputError(f"Loại quy tắc không hỗ trợ: {name}")
    return RULE_TYPES[name]


def validate_rule(config: Config, max_points: Decimal | None = None) -> list[str]:
    """Problems of a rule config, in Vietnamese; an empty list means it can score."""
    if not isinstance(config, Mapping) or not config.get("type"):
        return ["Thiếu loại quy tắc chấm điểm (type)"]
    if config["type"] not in RULE_TYPES:
        return [f"Loại quy tắc không hỗ trợ: {config['type']}"]
    try:
        return RULE_TYPES[config["type"]].validate(config, max_points)
    except (InputError, KeyError, TypeError, AttributeError) as exc:
        # a malformed config must be reported, not crash the importer
        return [f"Cấu hình quy tắc không hợp lệ: {exc}"]


def compute_points(config: Config, max_points: Decimal, inputs: Inputs) -> Decimal:
    """Points of one leaf from its raw inputs. Assumes validate_rule found no problems."""
    if not isinstance(inputs, Mapping):
        raise InputError("Dữ liệu đầu vào phải là một bảng tên → giá trị")
    try:
        return _rule_type(config).points(config, max_points, inputs)
    except FormulaError:
        raise
    except (KeyError, TypeError) as exc:
        raise InputError(f"Dữ liệu đầu vào không hợp lệ: {exc}") from None


def rule_bounds(config: Config, max_points: Decimal) -> tuple[Decimal, Decimal]:
    """Lowest and highest points a valid rule can give for a leaf worth max_points."""
    return _rule_type(config).bounds(config, max_points)


def apply_override(
    computed: Decimal,
    override: Decimal | int | str | None,
    reason: str | None,
    *,
    bounds: tuple[Decimal, Decimal] | None = None,
) -> Decimal:
    """The appraiser's points when given, else the computed points.

    A change without a written reason cannot be audited or answered by the unit in
    round 2, so it is refused.
    """
    if override is None:
        return computed
    if reason is None or not str(reason).strip():
        raise ValueError("Thẩm định viên phải ghi lý do khi điều chỉnh điểm")
    value = to_decimal(override, name="điểm điều chỉnh")
    if bounds is not None and not bounds[0] <= value <= bounds[1]:
        raise ValueError(
            f"Điểm điều chỉnh phải nằm trong khoảng {fmt(bounds[0])}–{fmt(bounds[1])}: {fmt(value)}"
        )
    return value
