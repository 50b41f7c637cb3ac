"""Vietnamese number formatting used by templates, exports and reports."""

from decimal import ROUND_HALF_UP, Decimal


def decimal_vi(value, places: int = 2) -> str:
    """86.5 -> '86,50'; 1234567.891 -> '1.234.567,89' (half-up, as officials round)."""
    if value is None or value == "":
        return ""
    quant = Decimal(1).scaleb(-places)
    number = Decimal(str(value)).quantize(quant, rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    whole, _, frac = f"{abs(number):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = ".".join(groups)
    return f"{sign}{text},{frac}" if places else f"{sign}{text}"


def number_vi(value, max_places: int = 3) -> str:
    """Points and other measured numbers, with no padding: 1.5 -> '1,5', 1.500 -> '1,5',
    100 -> '100', 1234.25 -> '1.234,25' (at most max_places decimals, half-up)."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value)).quantize(Decimal(1).scaleb(-max_places), rounding=ROUND_HALF_UP)
    places = max(0, -number.normalize().as_tuple().exponent) if number else 0
    return decimal_vi(number, places=min(places, max_places))


def integer_vi(value) -> str:
    """1234567 -> '1.234.567'."""
    return decimal_vi(value or 0, places=0)
