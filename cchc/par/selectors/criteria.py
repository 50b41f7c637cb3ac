"""Reads of criteria sets, and the one fetch-and-authorize helper for them.

Criteria sets are province-wide, not owned by a unit: ``VIEW_PAR_CRITERIA`` and
``MANAGE_PAR`` are province-level actions of the policy (``cchc.access``). Every
province-wide role (Sở Nội vụ admin, provincial leader, appraisers) may read them, only
``MANAGE_PAR`` may change them, and a unit officer is refused with 403 (there is nothing
to hide: the sets are published with the year's decision).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q

from cchc import access
from cchc.access import Action
from cchc.core.models import AuditEntry
from cchc.org.models import Unit, UnitType
from cchc.par import engine
from cchc.par.describe import describe_rule
from cchc.par.io.convert import criteria_set_problems
from cchc.par.models import CriteriaNode, CriteriaSet

CRITERIA_SET_ACTIONS = frozenset({Action.VIEW_PAR_CRITERIA, Action.MANAGE_PAR})


def criteria_set_get_for_user(
    user, pk: int, *, action: Action = Action.VIEW_PAR_CRITERIA
) -> CriteriaSet:
    """The set `pk`, for reading (``VIEW_PAR_CRITERIA``) or changing (``MANAGE_PAR``).

    403 when the user may not read criteria sets at all (before looking the set up:
    there is nothing to hide), 404 when the set does not exist, 403 when the user
    may read it but not do `action`.
    """
    if action not in CRITERIA_SET_ACTIONS:
        raise ValueError(f"{action.name} is not an action on a criteria set.")
    access.require(user, Action.VIEW_PAR_CRITERIA)
    criteria_set = CriteriaSet.objects.select_related("revised_from").filter(pk=pk).first()
    if criteria_set is None:
        raise access.not_found()
    access.require(user, action)
    return criteria_set


def criteria_sets_by_year() -> list[tuple[int, list[CriteriaSet]]]:
    """Every set with its counts of areas, criteria and leaves, in one query."""
    sets = CriteriaSet.objects.annotate(
        node_count=Count("nodes", distinct=True),
        area_count=Count("nodes", filter=Q(nodes__depth=1), distinct=True),
        leaf_count=Count("nodes", filter=Q(nodes__children__isnull=True), distinct=True),
    ).order_by("-year", "unit_type", "-version")
    years: dict[int, list[CriteriaSet]] = {}
    for criteria_set in sets:
        years.setdefault(criteria_set.year, []).append(criteria_set)
    return list(years.items())


@dataclass
class NodeRow:
    node: CriteriaNode
    leaf: bool
    children_sum: Decimal | None  # None for a leaf
    evaluator: str
    guidance: str

    @property
    def sum_ok(self) -> bool:
        return self.children_sum is None or self.children_sum == self.node.max_points


@dataclass
class SetDetail:
    criteria_set: CriteriaSet
    rows: list[NodeRow]
    problems: list[engine.Problem]
    counts: dict[int, int]  # nodes per depth
    assessed_max: Decimal
    survey_max: Decimal
    history: list[AuditEntry]
    versions: list[CriteriaSet]
    groups: str


def groups_text(bands: list[dict]) -> str:
    """[A ≥ 90, B ≥ 80, C] → "A: từ 90 điểm; B: từ 80 đến dưới 90 điểm; C: dưới 80 điểm"."""
    parts, upper = [], None
    for band in bands:
        low = band.get("min")
        if low is None:
            where = f"dưới {upper} điểm" if upper is not None else "mọi mức điểm"
        elif upper is None:
            where = f"từ {low} điểm"
        else:
            where = f"từ {low} đến dưới {upper} điểm"
        parts.append(f"{band.get('group')}: {where}")
        upper = low if low is not None else upper
    return "; ".join(parts)


def criteria_set_detail(criteria_set: CriteriaSet) -> SetDetail:
    """The tree, the engine's verdict and the history: a fixed number of queries."""
    nodes = list(criteria_set.nodes.order_by("position"))
    parents = {n.parent_id for n in nodes if n.parent_id}
    sums: dict[int, Decimal] = {}
    for node in nodes:
        if node.parent_id:
            sums[node.parent_id] = sums.get(node.parent_id, Decimal(0)) + node.max_points
    codes = {n.evaluator_code for n in nodes if n.evaluator_code}
    units = dict(
        Unit.objects.filter(code__in=codes, unit_type=UnitType.DEPARTMENT).values_list(
            "code", "name"
        )
    )
    rows = [
        NodeRow(
            node=node,
            leaf=node.pk not in parents,
            children_sum=sums.get(node.pk) if node.pk in parents else None,
            evaluator=criteria_set.evaluators.get(node.evaluator_code, {}).get("name")
            or units.get(node.evaluator_code)
            or node.evaluator_code
            if node.evaluator_code
            else "",
            guidance=node.guidance or describe_rule(node.rule, node.max_points)
            if node.pk not in parents
            else "",
        )
        for node in nodes
    ]
    counts: dict[int, int] = {}
    for node in nodes:
        counts[node.depth] = counts.get(node.depth, 0) + 1
    leaves = [r.node for r in rows if r.leaf]
    problems = criteria_set_problems(criteria_set, nodes)
    history = list(
        AuditEntry.objects.filter(
            object_type=CriteriaSet._meta.label_lower, object_id=str(criteria_set.pk)
        ).select_related("actor")[:20]
    )
    versions = list(
        CriteriaSet.objects.filter(
            year=criteria_set.year, unit_type=criteria_set.unit_type
        ).order_by("version")
    )
    return SetDetail(
        criteria_set=criteria_set,
        rows=rows,
        problems=problems,
        counts=counts,
        assessed_max=sum((n.max_points for n in leaves if n.method != "survey"), Decimal(0)),
        survey_max=sum((n.max_points for n in leaves if n.method == "survey"), Decimal(0)),
        history=history,
        versions=versions,
        groups=groups_text(criteria_set.classification),
    )


def department_evaluators() -> dict[str, str]:
    """Department codes and names, which an imported sheet may name as evaluators."""
    return dict(Unit.objects.filter(unit_type=UnitType.DEPARTMENT).values_list("code", "name"))
