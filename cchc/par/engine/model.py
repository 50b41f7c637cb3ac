"""Plain data the engine works on: criteria sets and one unit's inputs.

No ORM: the Django layer builds these from its rows, so the arithmetic can be tested
and benchmarked alone.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .num import ZERO

METHODS = ("self_assessed", "survey", "system_data")


@dataclass(frozen=True)
class Node:
    """An area, criterion or sub-criterion. A leaf carries the rule that scores it."""

    code: str
    title: str
    max: Decimal
    method: str = "self_assessed"
    rule: Mapping[str, Any] | None = None
    evaluator: str | None = None
    children: tuple[Node, ...] = ()
    # source, note, evidence, applicability…: kept verbatim so an export loses nothing
    meta: Mapping[str, Any] = field(default_factory=dict)

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class GroupBand:
    group: str
    min: Decimal | None  # inclusive lower bound; None catches everything below


@dataclass(frozen=True)
class Classification:
    """Groups by PAR index, highest band first (An Giang 2023: A ≥ 90, B ≥ 80, C)."""

    bands: tuple[GroupBand, ...] = (
        GroupBand("A", Decimal(90)),
        GroupBand("B", Decimal(80)),
        GroupBand("C", None),
    )

    def classify(self, value: Decimal) -> str:
        for band in self.bands:
            if band.min is None or value >= band.min:
                return band.group
        return self.bands[-1].group


@dataclass(frozen=True)
class Adjustments:
    """Bonus and penalty points outside the 100 (điểm thưởng, điểm trừ)."""

    enabled: bool = False
    bonus_cap: Decimal = ZERO
    penalty_cap: Decimal = ZERO  # the most that can be deducted, as a positive number


@dataclass(frozen=True)
class CriteriaSet:
    id: str
    title: str
    areas: tuple[Node, ...]
    unit_types: tuple[str, ...] = ()
    total: Decimal = Decimal(100)
    self_assessed_total: Decimal | None = Decimal(68)
    survey_total: Decimal | None = Decimal(32)
    classification: Classification = Classification()
    adjustments: Adjustments = Adjustments()
    meta: Mapping[str, Any] = field(default_factory=dict)

    def nodes(self) -> Iterator[Node]:
        for area in self.areas:
            yield from area.walk()


@dataclass(frozen=True)
class Override:
    points: Decimal
    reason: str


@dataclass(frozen=True)
class UnitInput:
    """One unit's raw inputs for one round (self-assessment or appraisal)."""

    unit_id: str
    unit_type: str = ""
    inputs: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # leaf code → inputs
    exempt: frozenset[str] = frozenset()  # codes not applicable to the unit (whole subtree)
    overrides: Mapping[str, Override] = field(default_factory=dict)
    bonus: Decimal = ZERO
    penalty: Decimal = ZERO  # points deducted, as a positive number
