"""Safe arithmetic formulas for scoring rules.

Criteria sets are written by administrators, so a formula is data, never code: it is
parsed with ``ast`` and only a whitelist of nodes is compiled into Decimal closures.
``eval`` is never used. Besides Python syntax the C-style conditional found in real
criteria sheets is accepted: ``a == 0 ? max : (b/a)*1 + (c/a)*0.5``.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, DivisionByZero, InvalidOperation
from functools import lru_cache

from .num import ZERO, InputError, quantize

Env = Mapping[str, Decimal]
Fn = Callable[[Env], Decimal]

FUNCTIONS = ("min", "max", "round", "abs")
# Real formulas are a line or two; the bounds keep the rewriting, ``ast`` and the
# compiler below (all recursive) far from Python's recursion limit on a hostile sheet.
MAX_LENGTH = 1000
MAX_DEPTH = 60
_ONE = Decimal(1)


class FormulaError(InputError):
    """A formula that cannot be parsed or evaluated (Vietnamese message)."""


@dataclass(frozen=True)
class Formula:
    source: str
    names: frozenset[str]
    _fn: Fn = field(repr=False, compare=False)

    def evaluate(self, env: Env) -> Decimal:
        missing = sorted(self.names - set(env))
        if missing:
            raise FormulaError(f"Thiếu giá trị cho biến: {', '.join(missing)}")
        try:
            return self._fn(env)
        except (DivisionByZero, InvalidOperation, ZeroDivisionError):
            raise FormulaError("Phép chia cho 0 khi tính công thức") from None


@lru_cache(maxsize=2048)
def parse_formula(source: str) -> Formula:
    """Parse once per distinct expression; a province recompute reuses the cache."""
    if not isinstance(source, str) or not source.strip():
        raise FormulaError("Công thức trống")
    if len(source) > MAX_LENGTH:
        raise FormulaError(f"Công thức quá dài (tối đa {MAX_LENGTH} ký tự)")
    _check_depth(_paren_depth(source))
    python_source = _rewrite_conditionals(source)
    try:
        tree = ast.parse(python_source.strip(), mode="eval")
    except SyntaxError:
        raise FormulaError(f"Công thức không hợp lệ: {source}") from None
    _check_depth(_tree_depth(tree.body))
    names: set[str] = set()
    fn = _compile(tree.body, python_source.strip(), names)
    return Formula(source=source, names=frozenset(names), _fn=fn)


def _check_depth(depth: int) -> None:
    if depth > MAX_DEPTH:
        raise FormulaError(f"Công thức lồng nhau quá sâu (tối đa {MAX_DEPTH} cấp)")


def _paren_depth(source: str) -> int:
    depth = deepest = 0
    for ch in source:
        if ch == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif ch == ")":
            depth -= 1
    return deepest


def _tree_depth(root: ast.AST) -> int:
    deepest, stack = 0, [(root, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


def formula_problems(source: str, allowed: set[str] | frozenset[str]) -> list[str]:
    """Vietnamese problems of a formula over the allowed variable names."""
    try:
        formula = parse_formula(source)
    except FormulaError as exc:
        return [str(exc)]
    return [
        f"Công thức dùng biến không xác định: {name}" for name in sorted(formula.names - allowed)
    ]


# -- C-style conditional → Python conditional ------------------------------------------


def _rewrite_conditionals(source: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(source):
        ch = source[i]
        if ch == "(":
            end = _matching_paren(source, i)
            inner = source[i + 1 : end]
            # commas separate function arguments; each one may hold its own conditional
            args = [_rewrite_conditionals(part) for part in _split_top(inner, ",")]
            out.append("(" + ", ".join(args) + ")")
            i = end + 1
        elif ch == ")":
            raise FormulaError("Thừa dấu ngoặc đóng trong công thức")
        else:
            out.append(ch)
            i += 1
    return _conditional("".join(out))


def _matching_paren(text: str, start: int) -> int:
    depth = 0
    for j in range(start, len(text)):
        if text[j] == "(":
            depth += 1
        elif text[j] == ")":
            depth -= 1
            if depth == 0:
                return j
    raise FormulaError("Thiếu dấu ngoặc đóng trong công thức")


def _split_top(text: str, sep: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for j, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(text[start:j])
            start = j + 1
    parts.append(text[start:])
    return parts


def _conditional(text: str) -> str:
    """Rewrite ``c ? a : b`` at paren depth 0; right-associative like C."""
    depth, q = 0, -1
    for j, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "?" and depth == 0:
            q = j
            break
    if q < 0:
        return text
    depth, nested = 0, 0
    for c in range(q + 1, len(text)):
        ch = text[c]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0 and ch == "?":
            nested += 1
        elif depth == 0 and ch == ":":
            if nested == 0:
                cond, then, other = text[:q], text[q + 1 : c], text[c + 1 :]
                if not cond.strip() or not then.strip() or not other.strip():
                    break
                return f"(({_conditional(then)}) if ({cond}) else ({_conditional(other)}))"
            nested -= 1
    raise FormulaError("Biểu thức điều kiện thiếu phần '? … : …'")


# -- whitelist compiler ----------------------------------------------------------------

_BINOPS: dict[type, Callable[[Decimal, Decimal], Decimal]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}
_COMPARE: dict[type, Callable[[Decimal, Decimal], bool]] = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
}
_OP_NAMES = {
    ast.Pow: "**",
    ast.Mod: "%",
    ast.FloorDiv: "//",
    ast.BitAnd: "&",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.MatMult: "@",
}


def _truth(value: bool) -> Decimal:
    return _ONE if value else ZERO


def _compile(node: ast.AST, source: str, names: set[str]) -> Fn:  # noqa: C901 - one dispatch
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise FormulaError(f"Hằng số không hợp lệ trong công thức: {node.value!r}")
        # the literal text, not the float, so 0.1 stays exactly 0.1
        literal = ast.get_source_segment(source, node) or repr(node.value)
        value = Decimal(literal)
        return lambda env: value
    if isinstance(node, ast.Name):
        name = node.id
        names.add(name)
        return lambda env: env[name]
    if isinstance(node, ast.BinOp):
        op = _BINOPS.get(type(node.op))
        if op is None:
            symbol = _OP_NAMES.get(type(node.op), type(node.op).__name__)
            raise FormulaError(f"Phép toán không được phép trong công thức: {symbol}")
        left, right = _compile(node.left, source, names), _compile(node.right, source, names)
        return lambda env: op(left(env), right(env))
    if isinstance(node, ast.UnaryOp):
        operand = _compile(node.operand, source, names)
        if isinstance(node.op, ast.USub):
            return lambda env: -operand(env)
        if isinstance(node.op, ast.UAdd):
            return operand
        if isinstance(node.op, ast.Not):
            return lambda env: _truth(not operand(env))
        raise FormulaError("Phép toán một ngôi không được phép trong công thức")
    if isinstance(node, ast.Compare):
        parts = [_compile(node.left, source, names)]
        ops = []
        for op_node, comparator in zip(node.ops, node.comparators, strict=True):
            op = _COMPARE.get(type(op_node))
            if op is None:
                raise FormulaError("Phép so sánh không được phép trong công thức")
            ops.append(op)
            parts.append(_compile(comparator, source, names))

        def compare(env: Env) -> Decimal:
            values = [part(env) for part in parts]
            return _truth(all(op(values[i], values[i + 1]) for i, op in enumerate(ops)))

        return compare
    if isinstance(node, ast.BoolOp):
        items = [_compile(v, source, names) for v in node.values]
        if isinstance(node.op, ast.And):
            return lambda env: _truth(all(item(env) for item in items))
        return lambda env: _truth(any(item(env) for item in items))
    if isinstance(node, ast.IfExp):
        test = _compile(node.test, source, names)
        body = _compile(node.body, source, names)
        orelse = _compile(node.orelse, source, names)
        # lazy: "a == 0 ? max : b/a" must not divide when a is 0
        return lambda env: body(env) if test(env) else orelse(env)
    if isinstance(node, ast.Call):
        return _compile_call(node, source, names)
    raise FormulaError(f"Cú pháp không được phép trong công thức: {type(node).__name__}")


def _compile_call(node: ast.Call, source: str, names: set[str]) -> Fn:
    if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
        raise FormulaError(
            "Hàm không được phép trong công thức (chỉ dùng " + ", ".join(FUNCTIONS) + ")"
        )
    if node.keywords:
        raise FormulaError("Hàm trong công thức không nhận tham số có tên")
    func = node.func.id
    args = [_compile(arg, source, names) for arg in node.args]
    if func in ("min", "max"):
        if len(args) < 2:
            raise FormulaError(f"Hàm {func} cần ít nhất hai giá trị")
        pick = min if func == "min" else max
        return lambda env: pick(arg(env) for arg in args)
    if func == "abs":
        if len(args) != 1:
            raise FormulaError("Hàm abs cần đúng một giá trị")
        return lambda env: abs(args[0](env))
    # round(x) or round(x, n) with a literal n: half up, as the reports round
    if len(args) == 1:
        return lambda env: quantize(args[0](env), 0)
    if len(args) == 2 and isinstance(node.args[1], ast.Constant):
        places = node.args[1].value
        if isinstance(places, int) and not isinstance(places, bool) and 0 <= places <= 6:
            return lambda env: quantize(args[0](env), places)
    raise FormulaError("Hàm round cần một giá trị và số chữ số thập phân (0–6)")
