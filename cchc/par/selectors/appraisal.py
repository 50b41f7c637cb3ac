"""Reads of the appraisal: the matrix of units × areas, and one unit's area.

The matrix is a fixed number of queries whatever the number of units: the
participations, the year's area evaluators and one aggregate over every entry of the
year grouped by participation and area (the area is the first segment of a leaf's
code, "2.1.1" → "2", as in every set we hold; the depth-1 ancestor).

A leaf's *gap* is flagged when the appraised points differ from the unit's own by at
least ``PAR_GAP_SHARE`` (a setting, default 25 %) of the leaf's maximum.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, Q, Value
from django.db.models.functions import Abs, Coalesce, Concat, StrIndex, Substr

from cchc import access
from cchc.access import Action
from cchc.lib.collation import vi_sorted
from cchc.org.models import UnitType
from cchc.par.models import (
    AreaEvaluator,
    Decision,
    Entry,
    EvaluationYear,
    Method,
    Participation,
    ParticipationState,
)
from cchc.par.selectors.year import Row, workspace

S = ParticipationState
ROUND1_STATES = {S.SUBMITTED, S.IN_APPRAISAL}
ROUND2_STATES = {S.RETURNED, S.EXPLAINED}
DONE_STATES = {S.APPRAISED, S.FINALISED}


def gap_share() -> Decimal:
    return Decimal(str(getattr(settings, "PAR_GAP_SHARE", "0.25")))


def area_of(code: str) -> str:
    """The area code of a leaf code ("2.1.1" → "2")."""
    return code.split(".", 1)[0]


def current_round(participation: Participation) -> int | None:
    """1 or 2 while the unit is in that round, else None (not submitted, or done)."""
    if participation.state in ROUND1_STATES:
        return 1
    if participation.state in ROUND2_STATES:
        return 2
    return None


@dataclass
class Cell:
    area: AreaEvaluator
    total: int = 0  # leaves to decide in the current round
    decided: int = 0
    returned: int = 0
    gaps: int = 0
    may_appraise: bool = False
    url: str = ""

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.decided >= self.total


@dataclass
class MatrixRow:
    participation: Participation
    round: int | None
    cells: list[Cell] = field(default_factory=list)


def _appraisable(queryset):
    return queryset.filter(exempt=False).exclude(node__method=Method.SURVEY)


def _area_expression():
    code = F("node__code")
    return Substr(code, 1, StrIndex(Concat(code, Value(".")), Value(".")) - 1)


def area_counts(year: EvaluationYear) -> dict[tuple[int, str], dict]:
    """(participation pk, area code) → counts of its appraisable leaves: one query."""
    appraised = Coalesce("r2_points", "r1_points")
    rows = (
        _appraisable(Entry.objects.filter(participation__year=year))
        .annotate(area=_area_expression(), gap=Abs(F("self_points") - appraised))
        .values("participation_id", "area")
        .annotate(
            leaves=Count("pk"),
            r1=Count("pk", filter=~Q(r1_decision="")),
            returned=Count("pk", filter=Q(r1_decision=Decision.RETURNED)),
            r2=Count("pk", filter=Q(r1_decision=Decision.RETURNED) & ~Q(r2_decision="")),
            gaps=Count(
                "pk",
                filter=Q(self_points__isnull=False, gap__gte=F("node__max_points") * gap_share()),
            ),
        )
        .order_by()
    )
    return {(r["participation_id"], r["area"]): r for r in rows}


def evaluators(year: EvaluationYear) -> list[AreaEvaluator]:
    return list(AreaEvaluator.objects.filter(year=year).select_related("department").order_by("pk"))


def is_reader(user) -> bool:
    """Reads every unit's appraisal without appraising (the provincial leader)."""
    return access.can_on_every_unit(user, Action.VIEW_ASSESSMENT) and not access.can_anywhere(
        user, Action.APPRAISE
    )


def matrix(year: EvaluationYear, user, *, url=None) -> dict[str, list[MatrixRow]]:
    """Every participating unit × every area, grouped: departments, communes.

    ``url(participation, area_code)`` gives a cell's link (shown when the user may
    appraise that area of that unit).
    """
    areas = evaluators(year)
    counts = area_counts(year)
    participations = Participation.objects.filter(year=year).select_related("unit")
    reader = is_reader(user)
    groups: dict[str, list[MatrixRow]] = {"departments": [], "communes": []}
    for p in vi_sorted(participations, key=lambda p: p.unit.name):
        round_ = current_round(p)
        row = MatrixRow(participation=p, round=round_)
        for area in areas:
            c = counts.get((p.pk, area.area_code))
            cell = Cell(area=area)
            if c:
                cell.returned, cell.gaps = c["returned"], c["gaps"]
                if round_ == 2:
                    cell.total, cell.decided = c["returned"], c["r2"]
                else:
                    cell.total, cell.decided = c["leaves"], c["r1"]
            cell.may_appraise = bool(c) and access.can(user, Action.APPRAISE, p.unit, area=area)
            if url is not None and c and (cell.may_appraise or reader):
                cell.url = url(p, area.area_code)
            row.cells.append(cell)
        key = "departments" if p.unit.unit_type == UnitType.DEPARTMENT else "communes"
        groups[key].append(row)
    return groups


@dataclass
class Leaf:
    row: Row
    gap: bool = False
    appraised_points: Decimal | None = None

    @property
    def entry(self) -> Entry:
        return self.row.entry

    @property
    def node(self):
        return self.row.node


def appraised_points(entry: Entry) -> Decimal | None:
    """The points the appraisers gave so far (round 2's, else round 1's)."""
    if entry.r2_decision:
        return entry.r2_points
    if entry.r1_decision:
        return entry.r1_points
    return None


def is_gap(entry: Entry, node) -> bool:
    appraised = appraised_points(entry)
    if appraised is None or entry.self_points is None:
        return False
    return abs(entry.self_points - appraised) >= node.max_points * gap_share()


def area_leaves(participation: Participation, area_code: str) -> tuple[list[Row], list[Leaf]]:
    """The area's rows (its nodes in tree order) and its leaves: three queries."""
    rows = workspace(participation)
    inside, mine = False, []
    for row in rows:
        if row.node.depth == 1:
            inside = row.node.code == area_code
        if inside:
            mine.append(row)
    leaves = []
    for row in mine:
        if row.is_leaf and row.entry is not None:
            leaves.append(
                Leaf(
                    row=row,
                    gap=is_gap(row.entry, row.node),
                    appraised_points=appraised_points(row.entry),
                )
            )
    return mine, leaves


def returned_leaves(participation: Participation) -> list[Row]:
    """The unit's leaves returned in round 1, in tree order, with their evidence."""
    return [
        row
        for row in workspace(participation)
        if row.is_leaf and row.entry is not None and row.entry.r1_decision == Decision.RETURNED
    ]
