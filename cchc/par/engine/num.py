"""Decimal helpers shared by the engine.

Scores are money-like: a float would turn 0.1 + 0.2 into 0.30000000000000004 and
change a published percentage, so every number entering the engine becomes a Decimal.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

ZERO = Decimal(0)
HUNDRED = Decimal(100)


class InputError(ValueError):
    """Raw input that a rule cannot score (message in Vietnamese, for the user)."""


def to_decimal(value: Any, *, name: str = "giá trị") -> Decimal:
    """Convert int, str, float (from YAML) or Decimal to an exact Decimal."""
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, bool) or value is None:
        # bool is an int subclass; True silently becoming 1 point would hide a data error
        raise InputError(f"Giá trị không phải là số: {name} = {value!r}")
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        # str() gives the shortest repr, i.e. the literal written in the YAML file
        result = Decimal(str(value))
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip().replace(",", "."))
        except InvalidOperation:
            raise InputError(f"Giá trị không phải là số: {name} = {value!r}") from None
    else:
        raise InputError(f"Giá trị không phải là số: {name} = {value!r}")
    if not result.is_finite():
        raise InputError(f"Giá trị không phải là số hữu hạn: {name} = {value!r}")
    return result


def quantize(value: Decimal, places: int = 2) -> Decimal:
    """Round half up, as the published reports do (86.505 → 86.51)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def mean(values: Iterable[Decimal]) -> Decimal:
    items = list(values)
    if not items:
        raise ValueError("Không có giá trị nào để tính bình quân")
    return sum(items, ZERO) / len(items)


def fmt(value: Decimal | int) -> str:
    """Vietnamese display for messages: decimal comma, no exponent (1E+2 → 100)."""
    text = format(Decimal(value).normalize(), "f")
    return text.replace(".", ",")


def number_out(value: Decimal) -> int | float | str:
    """A number for YAML/JSON export that reads back as the same Decimal.

    Integers and short decimals become plain numbers (natural YAML); anything a float
    cannot carry exactly stays a string, which to_decimal reads back unchanged.
    """
    if value == value.to_integral_value():
        return int(value)
    as_float = float(value)
    if Decimal(str(as_float)) == value:
        return as_float
    return str(value)
