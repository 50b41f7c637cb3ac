"""The SIPAS index: pure Python over plain data, no Django (as ``cchc.par.engine``).

From a form (elements of items) and the answers of each unit, or tallies counted by the
database (item → (valid, satisfied)), ``compute`` gives per item the share satisfied,
per element, per unit the index with its response count, response rate and margin of
error, per unit type the mean index, and each unit's area-9 points.

Arithmetic is exact (``Fraction``) until a figure leaves the engine as a ``Decimal``:
an element of three items has shares in thirds, and a unit index of 89.99 % must come
out as 89.99, not 89.98999…. Nothing is rounded here except what ``Formula.display``
rounds for display; the PAR year rounds the points with its own policy.

The formula (``Formula``, stored as ``Survey.formula`` JSON, ``{}`` = the default):

- an answer is valid when it is one of 1..5 (a blank, None or anything else is not
  counted); it is satisfied when it is ``satisfied_from`` or more (default 4: "4 or 5");
- an item's share = satisfied / valid answers;
- ``aggregation = "elements"`` (default, domain.md §2): an element = the mean of its
  items' shares, the unit index = the mean of its elements; ``"items"``: the unit
  index = the mean over all items (an element of five items then weighs more than one
  of three);
- items without a valid answer, and elements without such an item, are left out of
  the means; a unit without any valid answer has no index;
- index in % (0–100); points = index × ``points_max`` / 100 (default 32, the PAR
  leaf's maximum);
- margin of error at 95 % (z = 1.96), in percentage points, of the unit index taken
  as a proportion p = index / 100 among n responses, with the finite population
  correction for a sample of n drawn from N cases:
  ``z · sqrt(p(1 − p) / n) · sqrt((N − n) / (N − 1))`` (no correction when N is
  unknown; 0 when n ≥ N: a census has no sampling error). It treats the index as one
  proportion, an approximation: items answered by the same people are correlated;
- a unit type's mean = the mean of its units' unrounded indices, rounded for display.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

SCALE = frozenset({1, 2, 3, 4, 5})
AGGREGATIONS = {
    "elements": "Bình quân các yếu tố (mỗi yếu tố là bình quân các câu hỏi của nó)",
    "items": "Bình quân tất cả các câu hỏi",
}
Z_95 = Decimal("1.96")
HUNDRED = Decimal(100)


class FormulaError(ValueError):
    """A formula setting the engine cannot use (messages in Vietnamese)."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Formula:
    satisfied_from: int = 4
    aggregation: str = "elements"
    places: int = 2
    points_max: Decimal = Decimal(32)

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Formula:
        """The formula of a survey's JSON; raises FormulaError listing every problem."""
        problems = formula_problems(data)
        if problems:
            raise FormulaError(problems)
        data = data or {}
        default = cls()
        return cls(
            satisfied_from=int(data.get("satisfied_from", default.satisfied_from)),
            aggregation=str(data.get("aggregation", default.aggregation)),
            places=int(data.get("places", default.places)),
            points_max=Decimal(str(data.get("points_max", default.points_max)).replace(",", ".")),
        )

    def to_json(self) -> dict:
        return {
            "satisfied_from": self.satisfied_from,
            "aggregation": self.aggregation,
            "places": self.places,
            "points_max": str(self.points_max),
        }

    def display(self, value: Decimal | None) -> Decimal | None:
        """Rounded half up to ``places`` decimals, as the reports print it."""
        if value is None:
            return None
        return value.quantize(Decimal(1).scaleb(-self.places), rounding=ROUND_HALF_UP)

    def satisfied(self, value) -> bool:
        return is_valid(value) and value >= self.satisfied_from


def _integer(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def formula_problems(data: Mapping[str, Any] | None) -> list[str]:
    if data is None:
        return []
    if not isinstance(data, Mapping):
        return ["Công thức phải là một bảng các thiết lập."]
    problems = []
    known = {"satisfied_from", "aggregation", "places", "points_max"}
    unknown = sorted(set(data) - known)
    if unknown:
        problems.append(f"Thiết lập không có: {', '.join(unknown)}.")
    if "satisfied_from" in data:
        value = _integer(data["satisfied_from"])
        if value is None or not 2 <= value <= 5:
            problems.append("Mức tính là hài lòng phải là một số nguyên từ 2 đến 5.")
    if "aggregation" in data and data["aggregation"] not in AGGREGATIONS:
        problems.append("Cách tính chỉ số phải là 'elements' (theo yếu tố) hoặc 'items'.")
    if "places" in data:
        value = _integer(data["places"])
        if value is None or not 0 <= value <= 4:
            problems.append("Số chữ số thập phân khi hiển thị phải từ 0 đến 4.")
    if "points_max" in data:
        try:
            value = Decimal(str(data["points_max"]).replace(",", "."))
        except ArithmeticError:
            value = None
        if value is None or not value.is_finite() or not 0 < value <= HUNDRED:
            problems.append("Điểm tối đa phải lớn hơn 0 và không quá 100.")
    return problems


def is_valid(value) -> bool:
    return not isinstance(value, bool) and isinstance(value, int) and value in SCALE


# -- the form -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Element:
    code: str
    title: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Form:
    elements: tuple[Element, ...]

    @classmethod
    def from_definition(cls, definition: Mapping) -> Form:
        """From a Questionnaire's definition JSON."""
        return cls(
            tuple(
                Element(
                    str(e["code"]), e.get("title", ""), tuple(str(i["code"]) for i in e["items"])
                )
                for e in definition.get("elements", [])
            )
        )

    @property
    def item_codes(self) -> tuple[str, ...]:
        return tuple(code for e in self.elements for code in e.items)


# item code → [valid answers, satisfied answers]
Tallies = dict[str, list[int]]


def count_answers(
    form: Form, answers: Iterable[Mapping[str, Any]], formula: Formula = Formula()
) -> Tallies:
    """Tallies of a unit's answers (one mapping item code → 1..5 or None per response)."""
    tallies: Tallies = {code: [0, 0] for code in form.item_codes}
    threshold = formula.satisfied_from
    for answer in answers:
        for code, tally in tallies.items():
            value = answer.get(code)
            if is_valid(value):
                tally[0] += 1
                if value >= threshold:
                    tally[1] += 1
    return tallies


# -- input and results ------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitInput:
    unit_id: str
    unit_type: str
    form: Form
    tallies: Mapping[str, tuple[int, int] | list[int]]
    responses: int
    sample: int = 0  # the sample in use: drawn, plus reserves brought in
    population: int | None = None  # N, the unit's completed cases


@dataclass(frozen=True)
class ItemResult:
    code: str
    valid: int
    satisfied: int
    share: Decimal | None  # 0..1

    @property
    def percent(self) -> Decimal | None:
        return None if self.share is None else self.share * HUNDRED


@dataclass(frozen=True)
class ElementResult:
    code: str
    title: str
    share: Decimal | None  # 0..1
    items: tuple[ItemResult, ...]

    @property
    def percent(self) -> Decimal | None:
        return None if self.share is None else self.share * HUNDRED


@dataclass(frozen=True)
class UnitResult:
    unit_id: str
    unit_type: str
    responses: int
    sample: int
    population: int | None
    rate: Decimal | None  # responses / sample, %
    index: Decimal | None  # %, unrounded
    margin: Decimal | None  # percentage points, at 95 %
    points: Decimal | None  # index × points_max / 100, unrounded
    elements: tuple[ElementResult, ...]
    exact_index: Fraction | None = field(default=None, repr=False, compare=False)

    @property
    def items(self) -> tuple[ItemResult, ...]:
        return tuple(i for e in self.elements for i in e.items)


@dataclass(frozen=True)
class TypeSummary:
    unit_type: str
    units: int  # units with an index
    mean: Decimal | None  # %, unrounded mean of the units' unrounded indices
    responses: int
    sample: int
    rate: Decimal | None
    elements: dict[str, Decimal | None]  # element code → mean share of the units, 0..1


@dataclass(frozen=True)
class SurveyResult:
    formula: Formula
    units: dict[str, UnitResult]
    summaries: dict[str, TypeSummary]


def to_decimal(value: Fraction) -> Decimal:
    """Exact when the fraction terminates (8999/100 → 89.99), else 28 digits."""
    return Decimal(value.numerator) / Decimal(value.denominator)


def _mean(values: list[Fraction]) -> Fraction | None:
    return sum(values, Fraction(0)) / len(values) if values else None


def margin_of_error(
    p: Fraction | Decimal, n: int, population: int | None, z: Decimal = Z_95
) -> Decimal | None:
    """z·sqrt(p(1−p)/n)·sqrt((N−n)/(N−1)), in percentage points (p as 0..1)."""
    if n <= 0:
        return None
    p = float(p)
    variance = p * (1 - p) / n
    if population is not None and population > n:
        variance *= (population - n) / (population - 1)
    elif population is not None and population <= n:
        variance = 0.0  # the whole population answered
    return (z * Decimal(repr(math.sqrt(variance))) * HUNDRED).quantize(Decimal("0.0001"))


def compute_unit(unit: UnitInput, formula: Formula = Formula()) -> UnitResult:
    elements = []
    item_shares: list[Fraction] = []
    element_shares: list[Fraction] = []
    for element in unit.form.elements:
        items = []
        shares = []
        for code in element.items:
            valid, satisfied = unit.tallies.get(code, (0, 0))
            share = Fraction(satisfied, valid) if valid else None
            if share is not None:
                shares.append(share)
            items.append(
                ItemResult(code, valid, satisfied, None if share is None else to_decimal(share))
            )
        element_share = _mean(shares)
        item_shares += shares
        if element_share is not None:
            element_shares.append(element_share)
        elements.append(
            ElementResult(
                element.code,
                element.title,
                None if element_share is None else to_decimal(element_share),
                tuple(items),
            )
        )
    share = _mean(element_shares if formula.aggregation == "elements" else item_shares)
    exact = None if share is None else share * 100
    index = None if exact is None else to_decimal(exact)
    return UnitResult(
        unit_id=unit.unit_id,
        unit_type=unit.unit_type,
        responses=unit.responses,
        sample=unit.sample,
        population=unit.population,
        rate=to_decimal(Fraction(100 * unit.responses, unit.sample)) if unit.sample else None,
        index=index,
        margin=None if share is None else margin_of_error(share, unit.responses, unit.population),
        points=None if exact is None else to_decimal(exact * Fraction(formula.points_max) / 100),
        elements=tuple(elements),
        exact_index=exact,
    )


def summarize(unit_type: str, results: list[UnitResult]) -> TypeSummary:
    indexed = [r for r in results if r.exact_index is not None]
    mean = _mean([r.exact_index for r in indexed])
    responses = sum(r.responses for r in results)
    sample = sum(r.sample for r in results)
    codes = []
    by_code: dict[str, list[Fraction]] = {}
    for r in results:
        for e in r.elements:
            if e.code not in by_code:
                codes.append(e.code)
                by_code[e.code] = []
            if e.share is not None:
                by_code[e.code].append(Fraction(e.share))
    return TypeSummary(
        unit_type=unit_type,
        units=len(indexed),
        mean=None if mean is None else to_decimal(mean),
        responses=responses,
        sample=sample,
        rate=to_decimal(Fraction(100 * responses, sample)) if sample else None,
        elements={
            code: None if not by_code[code] else to_decimal(_mean(by_code[code])) for code in codes
        },
    )


def compute(units: Iterable[UnitInput], formula: Formula = Formula()) -> SurveyResult:
    results = {u.unit_id: compute_unit(u, formula) for u in units}
    by_type: dict[str, list[UnitResult]] = {}
    for r in results.values():
        by_type.setdefault(r.unit_type, []).append(r)
    return SurveyResult(
        formula=formula,
        units=results,
        summaries={t: summarize(t, members) for t, members in by_type.items()},
    )


# The bands the reports count units in ("trên 90%", "từ 80% đến dưới 90%", "dưới 80%").
BANDS = (("over_90", Decimal(90)), ("80_to_90", Decimal(80)), ("under_80", None))
BAND_LABELS = {
    "over_90": "Trên 90%",
    "80_to_90": "Từ 80% đến dưới 90%",
    "under_80": "Dưới 80%",
}


def band(index: Decimal) -> str:
    """Seed 003's text: "over 90" is > 90; 80 ≤ index < 90 between; the rest below."""
    if index > 90:
        return "over_90"
    if index >= 80:
        return "80_to_90"
    return "under_80"


def band_counts(results: Iterable[UnitResult], formula: Formula = Formula()) -> dict[str, int]:
    """Units per band of their displayed (rounded) index, as the report counts them."""
    counts = {name: 0 for name, _ in BANDS}
    for r in results:
        if r.index is not None:
            counts[band(formula.display(r.index))] += 1
    return counts
