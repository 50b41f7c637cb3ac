"""Every number of a year's results, read once: for the leaders' dashboard and the annual report.

``year_report`` reads what finalising stored (UnitResult, YearSummary), the previous
published year for the comparison, the year's criteria sets for the structure tables,
and nothing per unit: a fixed number of queries whatever the size of the province. Numbers are
Decimals rounded with the year's own policy, ready for ``decimal_vi``; the web page, the
Excel appendices and the Word/PDF report format the same values, so they cannot
disagree.

A year that has not been finalised has no stored results: ``year_report`` then raises
``NotFinalised`` (the dashboard says so; the council's review screen shows live scores).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from cchc.org.models import Unit, UnitType, unit_lineages
from cchc.par import engine
from cchc.par.models import (
    CriteriaNode,
    Entry,
    EvaluationYear,
    Method,
    UnitResult,
    YearStatus,
    YearSummary,
)
from cchc.par.services.scoring import policy as year_policy

RECONSTRUCTED_MARK = "(dữ liệu dựng lại)"
FINAL_STATUSES = (YearStatus.FINALISED, YearStatus.PUBLISHED)


class NotFinalised(Exception):
    """The year has no stored results yet."""


@dataclass(frozen=True)
class AreaRow:
    code: str
    title: str
    max: Decimal
    points: Decimal  # average points of the units
    index: Decimal  # component index, %
    previous: Decimal | None  # last year's index
    change: Decimal | None


@dataclass(frozen=True)
class AreaValue:
    points: Decimal
    max: Decimal
    index: Decimal


@dataclass(frozen=True)
class UnitRow:
    unit: Unit
    total: Decimal
    group: str
    rank: int
    count: int  # units in the ranking group
    areas: dict[str, AreaValue]
    nodes: dict[str, tuple[Decimal, Decimal]]  # code → (points, applicable max), exact
    previous_total: Decimal | None
    change: Decimal | None
    sipas: Decimal | None = None  # the unit's SIPAS index (%) as entered, unrounded

    @property
    def reconstructed(self) -> bool:
        return RECONSTRUCTED_MARK in self.unit.name


@dataclass(frozen=True)
class StructureRow:
    """One line of the criteria structure table: an area, its criteria and points."""

    code: str
    title: str
    criteria: int
    sub_criteria: int
    max: Decimal
    survey: bool


@dataclass(frozen=True)
class Loss:
    """Points lost on one criterion across a section's units, with who lost them."""

    code: str
    title: str
    max: Decimal
    lost: Decimal
    units: list[tuple[UnitRow, Decimal]]


@dataclass(frozen=True)
class Section:
    unit_type: str
    label: str
    count: int
    average: Decimal
    previous_year: int | None  # the year compared with, if any
    previous_average: Decimal | None
    average_change: Decimal | None
    groups: list[tuple[str, int]]
    areas: list[AreaRow]
    units: list[UnitRow]  # by rank, then name
    structure: list[StructureRow]
    titles: dict[str, str] = field(repr=False)  # every node code → title

    @property
    def codes(self) -> list[str]:
        return [a.code for a in self.areas]

    def unit(self, unit_id: int) -> UnitRow | None:
        return next((u for u in self.units if u.unit.pk == unit_id), None)


@dataclass(frozen=True)
class YearReport:
    year: EvaluationYear
    previous: EvaluationYear | None  # the platform's previous published year
    policy: engine.RoundingPolicy
    sections: list[Section]

    @property
    def reconstructed(self) -> bool:
        return any(u.reconstructed for s in self.sections for u in s.units)

    def section(self, unit_type: str) -> Section | None:
        return next((s for s in self.sections if s.unit_type == unit_type), None)

    def unit(self, unit_id: int) -> tuple[Section, UnitRow] | None:
        for section in self.sections:
            row = section.unit(unit_id)
            if row is not None:
                return section, row
        return None


def code_key(code: str) -> list:
    return [int(p) if p.isdigit() else p for p in code.split(".")]


def previous_year(year: EvaluationYear) -> EvaluationYear | None:
    return (
        EvaluationYear.objects.filter(status=YearStatus.PUBLISHED, year__lt=year.year)
        .order_by("-year")
        .first()
    )


def previous_results(previous, unit_ids: Iterable[int]) -> dict[int, UnitResult]:
    """Unit id → the previous year's result of the unit or of a predecessor."""
    unit_ids = list(unit_ids)
    if previous is None or not unit_ids:
        return {}
    lineages = unit_lineages(unit_ids)
    wanted = {pk for ids in lineages.values() for pk in ids}
    found = {r.unit_id: r for r in UnitResult.objects.filter(year=previous, unit_id__in=wanted)}
    out = {}
    for unit_id, ids in lineages.items():
        match = next((found[pk] for pk in ids if pk in found), None)
        if match is not None:
            out[unit_id] = match
    return out


def _dec(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)


def year_report(year: EvaluationYear) -> YearReport:
    if year.status not in FINAL_STATUSES:
        raise NotFinalised(f"Kết quả Chỉ số CCHC năm {year.year} chưa được chốt.")
    rounding = year_policy(year)

    def rnd(value) -> Decimal | None:
        value = _dec(value)
        return None if value is None else rounding.round(value)

    def delta(now, before) -> Decimal | None:
        if now is None or before is None:
            return None
        return engine.change(Decimal(now), Decimal(before), rounding)

    results = list(
        UnitResult.objects.filter(year=year).select_related("unit").order_by("rank", "unit__name")
    )
    summaries = {s.unit_type: s for s in YearSummary.objects.filter(year=year)}
    previous = previous_year(year)
    before = previous_results(previous, [r.unit_id for r in results])
    old_summaries = (
        {s.unit_type: s for s in YearSummary.objects.filter(year=previous)} if previous else {}
    )
    year_sets = {ys.unit_type: ys.criteria_set for ys in year.sets.select_related("criteria_set")}
    nodes_by_set: dict[int, list[CriteriaNode]] = {}
    for node in CriteriaNode.objects.filter(
        criteria_set__in=[s.pk for s in year_sets.values()]
    ).order_by("position"):
        nodes_by_set.setdefault(node.criteria_set_id, []).append(node)
    # The SIPAS index each unit was given (one per unit, on every survey leaf): the
    # report's bands count it, not the area's points rounded to two decimals (a unit
    # surveyed at 89,99 % has 28,80 of 32 points, which reads back as 90,00 %).
    sipas: dict[int, Decimal] = {}
    for unit_id, inputs in Entry.objects.filter(
        participation__year=year, node__method=Method.SURVEY, exempt=False
    ).values_list("participation__unit_id", "self_inputs"):
        value = (inputs or {}).get("index")
        if value is not None:
            sipas.setdefault(unit_id, Decimal(str(value)))
    counts: dict[str, int] = {}
    for r in results:
        counts[r.ranking_group] = counts.get(r.ranking_group, 0) + 1

    sections = []
    for unit_type, label in UnitType.choices:
        summary = summaries.get(unit_type)
        criteria_set = year_sets.get(unit_type)
        if summary is None or criteria_set is None:
            continue
        nodes = nodes_by_set.get(criteria_set.pk, [])
        titles = {n.code: n.title for n in nodes}
        areas_nodes = [n for n in nodes if n.depth == 1]
        # Last year: the platform's own previous year, else the figures published then.
        old = old_summaries.get(unit_type)
        if old is not None:
            compared_year = previous.year
            old_indices = {c: n.get("index") for c, n in old.nodes.items()}
            old_average = old.average_total
        elif summary.previous_published:
            compared_year = summary.previous_published["year"]
            old_indices = summary.previous_published.get("areas", {})
            old_average = summary.previous_published.get("average")
        else:
            compared_year, old_indices, old_average = None, {}, None
        areas = []
        for node in areas_nodes:
            stored = summary.nodes.get(node.code)
            if stored is None:
                continue
            old_index = old_indices.get(node.code)
            areas.append(
                AreaRow(
                    code=node.code,
                    title=node.title,
                    max=Decimal(stored["max"]),
                    points=rnd(stored["average_points"]),
                    index=rnd(stored["index"]),
                    previous=rnd(old_index),
                    change=delta(stored["index"], old_index),
                )
            )
        units = []
        for r in results:
            if r.unit_type != unit_type:
                continue
            prior = before.get(r.unit_id)
            units.append(
                UnitRow(
                    unit=r.unit,
                    total=Decimal(r.total),
                    group=r.group,
                    rank=r.rank,
                    count=counts[r.ranking_group],
                    areas={
                        code: AreaValue(
                            points=rnd(value["points"]),
                            max=Decimal(value["max"]),
                            index=rnd(value["index"]),
                        )
                        for code, value in r.areas.items()
                    },
                    nodes={code: (Decimal(p), Decimal(m)) for code, (p, m) in r.nodes.items()},
                    previous_total=Decimal(prior.total) if prior else None,
                    change=delta(r.total, prior.total) if prior else None,
                    sipas=sipas.get(r.unit_id),
                )
            )
        groups = [g["group"] for g in criteria_set.classification] or ["A", "B", "C"]
        sections.append(
            Section(
                unit_type=unit_type,
                label=label,
                count=summary.unit_count,
                average=rounding.round(Decimal(summary.average_total)),
                previous_year=compared_year,
                previous_average=rnd(old_average),
                average_change=delta(summary.average_total, old_average),
                groups=[(g, summary.group_counts.get(g, 0)) for g in groups],
                areas=areas,
                units=units,
                structure=_structure(nodes),
                titles=titles,
            )
        )
    return YearReport(year=year, previous=previous, policy=rounding, sections=sections)


def _structure(nodes: list[CriteriaNode]) -> list[StructureRow]:
    """Per area: how many criteria (level 2) and sub-criteria (level 3) and its points."""
    by_parent: dict[int | None, list[CriteriaNode]] = {}
    for node in nodes:
        by_parent.setdefault(node.parent_id, []).append(node)
    rows = []
    for area in (n for n in nodes if n.depth == 1):
        criteria = by_parent.get(area.pk, [])
        subs = [s for c in criteria for s in by_parent.get(c.pk, [])]
        rows.append(
            StructureRow(
                code=area.code,
                title=area.title,
                criteria=len(criteria),
                sub_criteria=len(subs),
                max=area.max_points,
                survey=area.method == "survey",
            )
        )
    return rows


def criteria_losses(section: Section, *, depth: int = 2, units=None) -> list[Loss]:
    """Criteria at `depth` ranked by the points the section's units lost on them.

    A unit loses on a criterion what it did not get of the points that applied to it
    (exempt parts do not count as lost). `units` narrows the section (e.g. one group).
    """
    rows = section.units if units is None else units
    codes = [c for c in section.titles if c.count(".") == depth - 1]
    losses = []
    for code in codes:
        lost_by = []
        maximum = Decimal(0)
        for row in rows:
            value = row.nodes.get(code)
            if value is None:
                continue
            points, applicable = value
            maximum = max(maximum, applicable)
            lost = applicable - points
            if lost > 0:
                lost_by.append((row, lost))
        if not lost_by:
            continue
        lost_by.sort(key=lambda pair: (-pair[1], pair[0].rank))
        losses.append(
            Loss(
                code=code,
                title=section.titles[code],
                max=maximum,
                lost=sum((lost for _, lost in lost_by), Decimal(0)),
                units=lost_by,
            )
        )
    losses.sort(key=lambda loss: (-loss.lost, code_key(loss.code)))
    return losses


def unit_losses(
    section: Section, row: UnitRow, *, depth: int = 2
) -> list[tuple[str, str, Decimal]]:
    """Where one unit lost points: (code, title, lost), most first."""
    out = []
    for code, (points, applicable) in row.nodes.items():
        if code.count(".") == depth - 1 and applicable > points:
            out.append((code, section.titles.get(code, ""), applicable - points))
    out.sort(key=lambda item: (-item[2], code_key(item[0])))
    return out


def movers(section: Section, n: int = 5) -> tuple[list[UnitRow], list[UnitRow]]:
    """The n biggest risers and fallers against last year (units with a comparison only)."""
    compared = [u for u in section.units if u.change is not None]
    risers = sorted((u for u in compared if u.change > 0), key=lambda u: (-u.change, u.rank))
    fallers = sorted((u for u in compared if u.change < 0), key=lambda u: (u.change, u.rank))
    return risers[:n], fallers[:n]


def spread(section: Section) -> tuple[Decimal, Decimal] | None:
    """(lowest, highest) total of the section."""
    if not section.units:
        return None
    totals = [u.total for u in section.units]
    return min(totals), max(totals)
