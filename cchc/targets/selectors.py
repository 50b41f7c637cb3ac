"""Reads of reform targets, each in a fixed number of queries whatever the number of units.

``matrix`` reads a plan's indicators, targets and current values in three queries
and computes every cell with the pure ``progress.status``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from cchc import access
from cchc.lib.collation import vi_sorted
from cchc.org.models import Unit
from cchc.targets import progress
from cchc.targets.models import (
    Indicator,
    Plan,
    PlanStatus,
    ProvinceRanking,
    RankingIndex,
    Target,
    Value,
    percent,
)


def plan_get(year: int) -> Plan:
    plan = Plan.objects.filter(year=year).first()
    if plan is None:
        raise access.not_found()
    return plan


def default_plan() -> Plan | None:
    """The latest active plan, else the latest plan."""
    return (
        Plan.objects.filter(status=PlanStatus.ACTIVE).order_by("-year").first()
        or Plan.objects.order_by("-year").first()
    )


def plan_units(plan: Plan, unit_type: str = "") -> list[Unit]:
    """The units a plan is reported by: the active ones, in Vietnamese order."""
    units = Unit.objects.active()
    if unit_type:
        units = units.filter(unit_type=unit_type)
    return vi_sorted(units)


@dataclass
class Targets:
    """An indicator's targets: per level (unit type) and per unit (which wins)."""

    levels: dict[str, Decimal]
    units: dict[int, Decimal]

    def for_unit(self, unit: Unit) -> Decimal | None:
        found = self.units.get(unit.pk)
        return found if found is not None else self.levels.get(unit.unit_type)


def targets_of(indicators: Sequence[Indicator]) -> dict[int, Targets]:
    """Indicator pk → its targets (one query)."""
    out = {i.pk: Targets({}, {}) for i in indicators}
    for t in Target.objects.filter(indicator__in=list(indicators)):
        if t.unit_id:
            out[t.indicator_id].units[t.unit_id] = t.value
        else:
            out[t.indicator_id].levels[t.level] = t.value
    return out


def applicable_pairs(
    plan: Plan, units: Sequence[Unit], indicators: Sequence[Indicator] | None = None
) -> list[tuple[Unit, Indicator]]:
    """(unit, indicator) for every indicator with a target for the unit."""
    indicators = list(plan.indicators.all()) if indicators is None else indicators
    targets = targets_of(indicators)
    return [(u, i) for u in units for i in indicators if targets[i.pk].for_unit(u) is not None]


def figure(indicator: Indicator, numerator, denominator) -> Decimal | None:
    return percent(numerator, denominator) if indicator.is_percent else numerator


@dataclass
class Cell:
    indicator: Indicator
    target: Decimal | None
    latest: Decimal | None = None
    latest_end: datetime.date | None = None
    status: progress.Status = progress.Status.NO_DATA

    @property
    def applies(self) -> bool:
        return self.target is not None


@dataclass
class Row:
    unit: Unit
    cells: list[Cell]


def _series(
    indicators: Sequence[Indicator], unit_ids: Iterable[int]
) -> dict[tuple[int, int], list[progress.Point]]:
    """(unit pk, indicator pk) → [(period end, figure)] of the current values (one query)."""
    by_pk = {i.pk: i for i in indicators}
    out: dict[tuple[int, int], list[progress.Point]] = {}
    rows = (
        Value.objects.current()
        .filter(indicator__in=list(indicators), unit_id__in=list(unit_ids))
        .order_by("period_end")
        .values_list("unit_id", "indicator_id", "period_end", "numerator", "denominator")
    )
    for unit_id, indicator_id, end, num, den in rows:
        out.setdefault((unit_id, indicator_id), []).append(
            (end, figure(by_pk[indicator_id], num, den))
        )
    return out


def matrix(
    plan: Plan, units: Sequence[Unit], today: datetime.date
) -> tuple[list[Indicator], list[Row]]:
    """Every unit's status on every indicator of the plan (three queries)."""
    indicators = list(plan.indicators.all())
    targets = targets_of(indicators)
    series = _series(indicators, [u.pk for u in units])
    rows = []
    for unit in units:
        cells = []
        for indicator in indicators:
            cell = Cell(indicator, targets[indicator.pk].for_unit(unit))
            points = series.get((unit.pk, indicator.pk), [])
            known = [(d, v) for d, v in points if v is not None]
            if known:
                cell.latest_end, cell.latest = known[-1]
            if cell.applies:
                cell.status = progress.status(
                    points, cell.target, indicator.direction, indicator.deadline, today
                )
            cells.append(cell)
        rows.append(Row(unit, cells))
    return indicators, rows


def warnings(
    plans: Sequence[Plan], units: Sequence[Unit], today: datetime.date
) -> list[tuple[Plan, Unit, list[Cell]]]:
    """For each plan and unit, its indicators at risk or off track (three queries)."""
    indicators = list(Indicator.objects.filter(plan__in=list(plans)).select_related("plan"))
    targets = targets_of(indicators)
    series = _series(indicators, [u.pk for u in units])
    out = []
    for plan in plans:
        mine = [i for i in indicators if i.plan_id == plan.pk]
        for unit in units:
            cells = []
            for indicator in mine:
                target = targets[indicator.pk].for_unit(unit)
                if target is None:
                    continue
                found = progress.status(
                    series.get((unit.pk, indicator.pk), []),
                    target,
                    indicator.direction,
                    indicator.deadline,
                    today,
                )
                if found in progress.WARNING_STATUSES:
                    cells.append(Cell(indicator, target, status=found))
            if cells:
                out.append((plan, unit, cells))
    return out


def history(indicator: Indicator, unit: Unit) -> list[Value]:
    """Every version of the unit's values of the indicator, newest period first."""
    return list(
        Value.objects.filter(indicator=indicator, unit=unit)
        .select_related("entered_by")
        .order_by("-period_start", "-version")
    )


@dataclass
class IndexHistory:
    """One national index: the province's years in order."""

    index: RankingIndex
    rows: list[ProvinceRanking]


def rankings() -> list[IndexHistory]:
    """Every index in its order, each with its years (one query, whatever the years)."""
    by_index: dict[str, list[ProvinceRanking]] = {i.value: [] for i in RankingIndex}
    for r in ProvinceRanking.objects.order_by("year"):
        by_index[r.index].append(r)
    return [IndexHistory(RankingIndex(i), rows) for i, rows in by_index.items()]
