"""A scoring rule in words, for the "Cách chấm" column and the set's tree page."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from cchc.par.engine.num import InputError, fmt, to_decimal


def _n(value: Any) -> str:
    try:
        return fmt(to_decimal(value))
    except InputError:
        return str(value)


def _band(band: Mapping[str, Any]) -> str:
    low, high = band.get("min"), band.get("max_exclusive")
    if low is not None and high is not None:
        where = f"từ {_n(low)}% đến dưới {_n(high)}%"
    elif low is not None:
        where = f"từ {_n(low)}% trở lên"
    elif high is not None:
        where = f"dưới {_n(high)}%"
    else:
        where = "mọi tỷ lệ"
    what = (
        f"{_n(band['points'])} điểm"
        if "points" in band
        else f"theo công thức {band.get('formula')}"
    )
    return f"{where}: {what}"


def describe_rule(rule: Mapping[str, Any] | None, max_points: Decimal | None = None) -> str:
    if not isinstance(rule, Mapping):
        return ""
    kind = rule.get("type")
    top = _n(max_points) if max_points is not None else "tối đa"
    try:
        if kind == "binary":
            passed = _n(rule.get("pass_points", max_points if max_points is not None else "tối đa"))
            return f"Đạt: {passed} điểm; không đạt: {_n(rule.get('fail_points', 0))} điểm"
        if kind == "levels":
            return "Chọn một mức: " + "; ".join(
                f"{level['label']}: {_n(level['points'])} điểm" for level in rule["levels"]
            )
        if kind == "percent_bands":
            return "Theo tỷ lệ: " + "; ".join(_band(b) for b in rule["bands"])
        if kind == "ratio":
            text = "Điểm = tỷ lệ (%) × điểm tối đa"
            threshold = rule.get("threshold", 0)
            if to_decimal(threshold) > 0:
                text += f"; dưới {_n(threshold)}% không có điểm"
            return text
        if kind == "count_capped":
            what = rule.get("count_of") or "đơn vị đếm được"
            cap = _n(rule["cap"]) if "cap" in rule else top
            return f"{_n(rule['per_item'])} điểm cho mỗi {what}, tối đa {cap} điểm"
        if kind == "deduction":
            parts = "; ".join(
                f"trừ {_n(item['points'])} điểm mỗi lần: {item['event']}"
                for item in rule["per_occurrence"]
            )
            start = _n(rule["start"]) if "start" in rule else top
            return f"Bắt đầu từ {start} điểm, {parts}; thấp nhất {_n(rule.get('floor', 0))} điểm"
        if kind == "weighted_counts":
            total = rule.get("total", "a")
            parts = " + ".join(f"({name}/{total}) × {_n(w)}" for name, w in rule["weights"].items())
            return f"Điểm = [{parts}] × điểm tối đa"
        if kind == "formula":
            inputs = rule.get("inputs") or {}
            names = (
                "; ".join(f"{k}: {v}" for k, v in inputs.items())
                if isinstance(inputs, Mapping)
                else ", ".join(map(str, inputs))
            )
            text = f"Công thức: {rule.get('expression')}"
            return f"{text} (trong đó {names})" if names else text
        if kind == "survey_index":
            return "Điểm = chỉ số hài lòng (%) × điểm tối đa (kết quả điều tra xã hội học)"
        if kind == "score":
            return f"Thẩm định viên nhập điểm trực tiếp, từ {_n(rule.get('min', 0))} đến {top} điểm"
    except (KeyError, TypeError, AttributeError, InputError):
        return ""
    return str(kind or "")
