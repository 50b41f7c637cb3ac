"""A scoring rule in words, for the "Cách chấm" column and the set's tree page."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from cchc.par.engine.formula import _rewrite_conditionals, parse_formula
from cchc.par.engine.num import InputError, fmt, to_decimal

# Names every formula may use besides its declared inputs.
_BUILTIN_NAMES = {"max": "điểm tối đa", "pct": "tỷ lệ (%)"}
_COMPARISONS = {
    ast.Eq: "bằng",
    ast.NotEq: "khác",
    ast.Lt: "nhỏ hơn",
    ast.LtE: "không quá",
    ast.Gt: "lớn hơn",
    ast.GtE: "từ",
}
_OPERATORS = {ast.Add: ("+", 1), ast.Sub: ("−", 1), ast.Mult: ("×", 2), ast.Div: (":", 2)}


def _n(value: Any) -> str:
    try:
        return fmt(to_decimal(value))
    except InputError:
        return str(value)


class _Words:
    """A parsed formula read aloud: names by their labels, a C conditional as "nếu … thì …"."""

    def __init__(self, labels: Mapping[str, str]):
        self.labels = {**_BUILTIN_NAMES, **labels}

    def expr(self, node: ast.AST, outer: int = 0) -> str:  # noqa: C901 - one dispatch
        if isinstance(node, ast.Constant):
            return _n(node.value)
        if isinstance(node, ast.Name):
            return self.labels.get(node.id, node.id)
        if isinstance(node, ast.UnaryOp):
            inner = self.expr(node.operand, 3)
            if isinstance(node.op, ast.Not):
                return f"không phải {inner}"
            return f"−{inner}" if isinstance(node.op, ast.USub) else inner
        if isinstance(node, ast.BinOp):
            symbol, level = _OPERATORS[type(node.op)]
            # the right operand of − and : binds tighter, so a − (b − c) keeps its brackets
            text = f"{self.expr(node.left, level)} {symbol} {self.expr(node.right, level + 1)}"
            return f"({text})" if level < outer else text
        if isinstance(node, ast.Compare):
            parts, left = [], node.left
            for op, right in zip(node.ops, node.comparators, strict=True):
                a, b = self.expr(left, 1), self.expr(right, 1)
                word = _COMPARISONS[type(op)]
                parts.append(f"{a} từ {b} trở lên" if word == "từ" else f"{a} {word} {b}")
                left = right
            return " và ".join(parts)
        if isinstance(node, ast.BoolOp):
            word = " và " if isinstance(node.op, ast.And) else " hoặc "
            return word.join(self.expr(v, 1) for v in node.values)
        if isinstance(node, ast.IfExp):
            text = (
                f"nếu {self.expr(node.test)} thì {self.expr(node.body)}, "
                f"ngược lại {self.expr(node.orelse)}"
            )
            return f"({text})" if outer else text
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            args = [self.expr(a) for a in node.args]
            if node.func.id == "min":
                return f"số nhỏ nhất trong ({'; '.join(args)})"
            if node.func.id == "max":
                return f"số lớn nhất trong ({'; '.join(args)})"
            if node.func.id == "abs":
                return f"giá trị tuyệt đối của ({args[0]})"
            if node.func.id == "round":
                places = args[1] if len(args) > 1 else "0"
                return f"({args[0]}) làm tròn đến {places} chữ số thập phân"
        raise InputError("Công thức không đọc được")


def describe_formula(expression: Any, labels: Mapping[str, str] | None = None) -> str:
    """ "a == 0 ? max : (b/a)*1" → "nếu <label of a> bằng 0 thì điểm tối đa, ngược lại …"."""
    source = str(expression or "")
    try:
        parse_formula(source)  # the engine's checks first: only a valid formula is read
        tree = ast.parse(_rewrite_conditionals(source).strip(), mode="eval")
        return _Words(labels or {}).expr(tree.body)
    except (InputError, SyntaxError, KeyError):
        return f"công thức {source}"


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
        else f"điểm = {describe_formula(band.get('formula'))}"
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
            labels = (
                {str(k): str(v) for k, v in inputs.items()} if isinstance(inputs, Mapping) else {}
            )
            words = describe_formula(rule.get("expression"), labels)
            return f"Điểm: {words}" if words.startswith("nếu ") else f"Điểm = {words}"
        if kind == "survey_index":
            return "Điểm = chỉ số hài lòng (%) × điểm tối đa (kết quả điều tra xã hội học)"
        if kind == "score":
            return f"Thẩm định viên nhập điểm trực tiếp, từ {_n(rule.get('min', 0))} đến {top} điểm"
    except (KeyError, TypeError, AttributeError, InputError):
        return ""
    return str(kind or "")
