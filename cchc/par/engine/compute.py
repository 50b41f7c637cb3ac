"""From leaf inputs to unit scores, province averages, groups, ranks and changes.

Every function here is pure and linear in its input (units × nodes), so recomputing a
whole province for every round is cheap. Rounding happens only at the named points of
``RoundingPolicy``; everything else is exact Decimal arithmetic.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from cchc.lib.ranking import competition_ranks

from .model import CriteriaSet, UnitInput
from .num import HUNDRED, ZERO, InputError, mean, quantize
from .rules import apply_override, compute_points, rule_bounds


@dataclass(frozen=True)
class RoundingPolicy:
    """Where results are rounded (half up). The defaults reproduce An Giang's 2023 report.

    - ``leaf_points``: round each leaf's points (off: leaves stay exact).
    - ``survey_points``: round each survey leaf's points, i.e. the SIPAS points entered
      for a unit (28.0928 → 28.09). Needed for the districts' 87.79 % mean index next to
      an area 9 index of 87.80 %.
    - ``unit_total``: round each unit's PAR index before it is classified, ranked and
      averaged. Needed for the departments' average of 89.87 (exact totals give 89.86).
    - ``area_average``: round the average points of an area before turning it into a
      percentage (off: 60/11 = 5.4545…/6 → 90.91 %, as published; on would give 90.83 %).
    - ``change_from_displayed``: a year-over-year change is the difference of the two
      displayed (rounded) indices, as every published change is.
    """

    places: int = 2
    leaf_points: bool = False
    survey_points: bool = True
    unit_total: bool = True
    area_average: bool = False
    change_from_displayed: bool = True

    def round(self, value: Decimal) -> Decimal:
        return quantize(value, self.places)


AN_GIANG_2023 = RoundingPolicy()


@dataclass(frozen=True)
class _Item:
    code: str
    max: Decimal
    parent: int  # index of the parent item, -1 for an area
    survey: bool
    rule: Mapping | None
    bounds: tuple[Decimal, Decimal] | None


class PreparedSet:
    """A criteria set flattened once (parents before children) for repeated scoring."""

    def __init__(self, criteria_set: CriteriaSet):
        self.criteria_set = criteria_set
        items: list[_Item] = []

        def add(node, parent: int) -> None:
            index = len(items)
            leaf = node.is_leaf
            items.append(
                _Item(
                    node.code,
                    node.max,
                    parent,
                    node.method == "survey",
                    node.rule if leaf else None,
                    rule_bounds(node.rule, node.max) if leaf else None,
                )
            )
            for child in node.children:
                add(child, index)

        for area in criteria_set.areas:
            add(area, -1)
        self.items = tuple(items)
        self.index = {item.code: i for i, item in enumerate(items)}
        self.area_codes = tuple(area.code for area in criteria_set.areas)


def prepare(criteria_set: CriteriaSet | PreparedSet) -> PreparedSet:
    if isinstance(criteria_set, PreparedSet):
        return criteria_set
    return PreparedSet(criteria_set)


@dataclass(frozen=True)
class NodeResult:
    code: str
    max: Decimal
    applicable_max: Decimal  # max over the parts that apply to the unit; 0 when exempt
    points: Decimal

    @property
    def applicable(self) -> bool:
        return self.applicable_max > 0

    @property
    def index(self) -> Decimal | None:
        """Component index in %: achieved / applicable max × 100 (exact)."""
        if not self.applicable:
            return None
        return self.points / self.applicable_max * HUNDRED


@dataclass(frozen=True)
class UnitResult:
    unit_id: str
    unit_type: str
    set_id: str
    nodes: Mapping[str, NodeResult]
    appraised: Decimal  # điểm thẩm định: leaves that are not surveyed
    survey: Decimal  # điểm SIPAS
    applicable_max: Decimal
    bonus: Decimal
    penalty: Decimal
    exact_total: Decimal
    total: Decimal  # the PAR index as published (rounded when policy.unit_total)
    group: str
    missing: tuple[str, ...]  # applicable leaves with no input yet (scored 0)


def compute_unit(
    criteria_set: CriteriaSet | PreparedSet,
    unit: UnitInput,
    policy: RoundingPolicy = AN_GIANG_2023,
) -> UnitResult:
    prepared = prepare(criteria_set)
    cs = prepared.criteria_set
    items = prepared.items
    for codes in (unit.inputs, unit.exempt, unit.overrides):
        for code in codes:
            if code not in prepared.index:
                raise InputError(f"Mã tiêu chí không có trong bộ tiêu chí {cs.id}: {code}")

    n = len(items)
    exempt = [False] * n
    points = [ZERO] * n
    amax = [ZERO] * n
    missing: list[str] = []
    appraised = survey = ZERO
    for i, item in enumerate(items):
        exempt[i] = item.code in unit.exempt or (item.parent >= 0 and exempt[item.parent])
        if item.rule is None or exempt[i]:
            continue
        value = _leaf_points(item, unit, missing)
        if policy.leaf_points or (item.survey and policy.survey_points):
            value = policy.round(value)
        points[i], amax[i] = value, item.max
        if item.survey:
            survey += value
        else:
            appraised += value
    # children come after their parent, so one backward pass sums every subtree
    for i in range(n - 1, -1, -1):
        parent = items[i].parent
        if parent >= 0:
            points[parent] += points[i]
            amax[parent] += amax[i]

    applicable_max = sum((amax[prepared.index[c]] for c in prepared.area_codes), ZERO)
    raw = appraised + survey
    if applicable_max == 0:
        raise InputError(f"Đơn vị {unit.unit_id} được miễn toàn bộ tiêu chí, không thể tính chỉ số")
    # an exempt unit is scored over what applies to it, scaled back to the set's total
    score = raw if applicable_max == cs.total else raw / applicable_max * cs.total
    bonus, penalty = _adjustments(cs, unit)
    exact_total = score + bonus - penalty
    total = policy.round(exact_total) if policy.unit_total else exact_total
    return UnitResult(
        unit_id=unit.unit_id,
        unit_type=unit.unit_type,
        set_id=cs.id,
        nodes={
            item.code: NodeResult(item.code, item.max, amax[i], points[i])
            for i, item in enumerate(items)
        },
        appraised=appraised,
        survey=survey,
        applicable_max=applicable_max,
        bonus=bonus,
        penalty=penalty,
        exact_total=exact_total,
        total=total,
        group=cs.classification.classify(total),
        missing=tuple(missing),
    )


def _leaf_points(item: _Item, unit: UnitInput, missing: list[str]) -> Decimal:
    raw = unit.inputs.get(item.code)
    override = unit.overrides.get(item.code)
    if raw is None:
        if override is None:
            missing.append(item.code)
        computed = ZERO
    else:
        try:
            computed = compute_points(item.rule, item.max, raw)
        except InputError as exc:
            raise InputError(f"Tiêu chí {item.code}: {exc}") from None
    if override is None:
        return computed
    return apply_override(computed, override.points, override.reason, bounds=item.bounds)


def _adjustments(cs: CriteriaSet, unit: UnitInput) -> tuple[Decimal, Decimal]:
    if not unit.bonus and not unit.penalty:
        return ZERO, ZERO
    if not cs.adjustments.enabled:
        raise InputError(f"Bộ tiêu chí {cs.id} không áp dụng điểm thưởng, điểm trừ")
    if unit.bonus < 0 or unit.penalty < 0:
        raise InputError("Điểm thưởng và điểm trừ được nhập là số không âm")
    return min(unit.bonus, cs.adjustments.bonus_cap), min(unit.penalty, cs.adjustments.penalty_cap)


# -- across units -----------------------------------------------------------------------


@dataclass(frozen=True)
class NodeSummary:
    code: str
    max: Decimal
    units: int  # units to which the node applies
    average_points: Decimal  # rounded when policy.area_average
    index: Decimal  # % of the average applicable max, exact


@dataclass(frozen=True)
class Summary:
    unit_count: int
    average_total: Decimal  # exact mean of the units' totals (rounded totals by default)
    group_counts: Mapping[str, int]
    nodes: Mapping[str, NodeSummary]


def summarize(results: Sequence[UnitResult], policy: RoundingPolicy = AN_GIANG_2023) -> Summary:
    """Averages of the PAR index, of every area and criterion, and group counts."""
    if not results:
        raise ValueError("Không có đơn vị nào để tổng hợp")
    sums: dict[str, list] = {}
    groups: dict[str, int] = {}
    for result in results:
        groups[result.group] = groups.get(result.group, 0) + 1
        for code, node in result.nodes.items():
            if not node.applicable:
                continue
            acc = sums.get(code)
            if acc is None:
                sums[code] = [node.max, 1, node.points, node.applicable_max]
            else:
                acc[1] += 1
                acc[2] += node.points
                acc[3] += node.applicable_max
    nodes = {}
    for code, (max_points, count, total_points, total_max) in sums.items():
        average = total_points / count
        if policy.area_average:
            average = policy.round(average)
            index = average * count / total_max * HUNDRED
        else:
            index = total_points / total_max * HUNDRED
        nodes[code] = NodeSummary(code, max_points, count, average, index)
    return Summary(
        unit_count=len(results),
        average_total=mean(r.total for r in results),
        group_counts=groups,
        nodes=nodes,
    )


def change(current: Decimal, previous: Decimal, policy: RoundingPolicy = AN_GIANG_2023) -> Decimal:
    """Year-over-year change of an index or score, in the policy's precision."""
    if policy.change_from_displayed:
        return policy.round(current) - policy.round(previous)
    return policy.round(current - previous)


def compare_years(
    current: Mapping[str, Decimal],
    previous: Mapping[str, Decimal],
    policy: RoundingPolicy = AN_GIANG_2023,
) -> dict[str, Decimal]:
    """Changes for the codes present in both years (criteria sets differ across years)."""
    return {
        code: change(value, previous[code], policy)
        for code, value in current.items()
        if code in previous
    }


@dataclass(frozen=True)
class Ranked:
    unit_id: str
    group: str
    rank: int
    total: Decimal


def rank_units(
    results: Iterable[UnitResult], *, ranking_groups: Mapping[str, str] | None = None
) -> list[Ranked]:
    """Competition ranking (1, 2, 2, 4) within ranking groups, highest total first.

    ``ranking_groups`` maps a unit type to its ranking group (e.g. xã, phường and đặc
    khu ranked together or apart); an unmapped type is its own group. Equal totals share
    a rank and are listed by unit id, so the order never depends on the input order.
    """
    groups = ranking_groups or {}
    members: dict[str, list[UnitResult]] = {}
    for result in results:
        members.setdefault(groups.get(result.unit_type, result.unit_type), []).append(result)
    ranked: list[Ranked] = []
    for group in sorted(members):
        for rank, result in competition_ranks(
            members[group], key=lambda r: r.total, tie_break=lambda r: r.unit_id
        ):
            ranked.append(Ranked(result.unit_id, group, rank, result.total))
    return ranked


@dataclass(frozen=True)
class ProvinceResult:
    units: Mapping[str, UnitResult]
    summaries: Mapping[str, Summary]  # by unit type
    ranking: tuple[Ranked, ...]


def sets_by_unit_type(criteria_sets: Iterable[CriteriaSet]) -> dict[str, PreparedSet]:
    """Prepare each set once and index it by the unit types it serves."""
    out: dict[str, PreparedSet] = {}
    for criteria_set in criteria_sets:
        prepared = PreparedSet(criteria_set)
        for unit_type in criteria_set.unit_types:
            if unit_type in out:
                raise ValueError(f"Loại đơn vị {unit_type} có nhiều hơn một bộ tiêu chí")
            out[unit_type] = prepared
    return out


def compute_province(
    sets: Mapping[str, CriteriaSet | PreparedSet],
    units: Iterable[UnitInput],
    *,
    policy: RoundingPolicy = AN_GIANG_2023,
    ranking_groups: Mapping[str, str] | None = None,
) -> ProvinceResult:
    """Every unit of one round: scores, averages per unit type, ranks. Linear in size."""
    prepared = {unit_type: prepare(s) for unit_type, s in sets.items()}
    results: dict[str, UnitResult] = {}
    by_type: dict[str, list[UnitResult]] = {}
    for unit in units:
        if unit.unit_type not in prepared:
            raise InputError(f"Không có bộ tiêu chí cho loại đơn vị: {unit.unit_type}")
        if unit.unit_id in results:
            raise InputError(f"Đơn vị bị trùng: {unit.unit_id}")
        result = compute_unit(prepared[unit.unit_type], unit, policy)
        results[unit.unit_id] = result
        by_type.setdefault(unit.unit_type, []).append(result)
    return ProvinceResult(
        units=results,
        summaries={t: summarize(rs, policy) for t, rs in by_type.items()},
        ranking=tuple(rank_units(results.values(), ranking_groups=ranking_groups)),
    )
