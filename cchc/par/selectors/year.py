"""Reads of an evaluation year: a unit's participation, authorized, and its workspace.

``participation_get_for_user`` is the one fetch-and-authorize helper for a unit's year
(404 for a unit the user may not see or that does not take part, 403 for an action
the user may not do there). ``workspace`` gives the criteria tree of the unit's set
with each leaf's entry and live evidence links and every node's progress, in three
queries whatever the number of leaves or files; ``progress_many`` gives the summary
numbers of many participations in one query (lists, landing pages).

A leaf the unit fills is one that is neither a survey leaf (Sở Nội vụ enters it) nor
exempt. It is *done* when the unit saved its inputs; it *lacks evidence* when it has no
live evidence link ("thiếu tài liệu"), and then it *lacks an explanation* while its
note (``self_note``) is empty: submission needs that explanation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum

from cchc import access
from cchc.access import Action
from cchc.org.selectors import unit_get_for_user
from cchc.par.models import (
    CriteriaNode,
    Entry,
    EvaluationYear,
    EvidenceLink,
    Method,
    Participation,
)


def year_get(year: int) -> EvaluationYear:
    """The evaluation year numbered `year` (404 if none)."""
    found = EvaluationYear.objects.filter(year=year).first()
    if found is None:
        raise access.not_found()
    return found


def participation_get_for_user(
    user, year: int, slug: str, *, action: Action = Action.VIEW_ASSESSMENT
) -> Participation:
    """The participation of unit `slug` in `year`, for `action` (a unit-scoped action).

    404 when the year or unit does not exist, the user may not see the unit, or the
    unit does not take part in the year; 403 when the user sees the unit but may not
    do `action` on it.
    """
    unit = unit_get_for_user(user, slug, action=Action.VIEW_ASSESSMENT)
    found = (
        Participation.objects.select_related("unit", "year", "criteria_set")
        .filter(year__year=year, unit=unit)
        .first()
    )
    if found is None:
        raise access.not_found()
    if action != Action.VIEW_ASSESSMENT:
        access.require(user, action, found.unit)
    return found


@dataclass
class Progress:
    """Counts over the leaves the unit fills (survey and exempt leaves excluded)."""

    total: int = 0
    done: int = 0
    evidence_missing: int = 0
    explanation_missing: int = 0
    self_points: Decimal = Decimal(0)
    max_points: Decimal = Decimal(0)

    @property
    def complete(self) -> bool:
        return self.done == self.total

    @property
    def ready(self) -> bool:
        """Every leaf filled, and every leaf without evidence explained."""
        return self.complete and self.explanation_missing == 0

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100

    def add(self, other: Progress) -> None:
        self.total += other.total
        self.done += other.done
        self.evidence_missing += other.evidence_missing
        self.explanation_missing += other.explanation_missing
        self.self_points += other.self_points
        self.max_points += other.max_points


@dataclass
class Row:
    """One node of the workspace tree; `entry` and `links` only on leaves."""

    node: CriteriaNode
    is_leaf: bool
    entry: Entry | None = None
    links: list[EvidenceLink] = field(default_factory=list)
    progress: Progress = field(default_factory=Progress)

    @property
    def is_survey(self) -> bool:
        return self.node.method == Method.SURVEY

    @property
    def fillable(self) -> bool:
        """A leaf the unit fills (not survey, not exempt)."""
        return (
            self.is_leaf and not self.is_survey and self.entry is not None and not self.entry.exempt
        )

    @property
    def done(self) -> bool:
        return self.fillable and self.entry.self_inputs is not None

    @property
    def evidence_missing(self) -> bool:
        return self.fillable and not self.links

    @property
    def explanation_missing(self) -> bool:
        return self.evidence_missing and not self.entry.self_note.strip()


def _leaf_progress(row: Row) -> Progress:
    if not row.fillable:
        return Progress()
    entry = row.entry
    return Progress(
        total=1,
        done=int(row.done),
        evidence_missing=int(row.evidence_missing),
        explanation_missing=int(row.explanation_missing),
        self_points=entry.self_points if entry.self_points is not None else Decimal(0),
        max_points=row.node.max_points,
    )


def workspace(participation: Participation) -> list[Row]:
    """The tree of the participation's set in pre-order, with entries, live evidence
    links and progress per node: three queries (nodes, entries, links+evidence)."""
    nodes = list(
        CriteriaNode.objects.filter(criteria_set_id=participation.criteria_set_id).order_by(
            "position"
        )
    )
    entries = {
        e.node_id: e
        for e in Entry.objects.filter(participation=participation).select_related("self_by")
    }
    links: dict[int, list[EvidenceLink]] = {}
    for link in (
        EvidenceLink.objects.filter(
            entry__participation=participation,
            removed_at__isnull=True,
            evidence__removed_at__isnull=True,
        )
        .select_related("evidence")
        .order_by("created_at", "pk")
    ):
        links.setdefault(link.entry_id, []).append(link)
    parents = {n.parent_id for n in nodes if n.parent_id is not None}
    rows: list[Row] = []
    by_id: dict[int, Row] = {}
    for node in nodes:
        is_leaf = node.pk not in parents
        row = Row(node=node, is_leaf=is_leaf)
        if is_leaf:
            row.entry = entries.get(node.pk)
            row.links = links.get(row.entry.pk, []) if row.entry else []
            row.progress = _leaf_progress(row)
        rows.append(row)
        by_id[node.pk] = row
    # pre-order: every child comes after its parent, so a reverse walk sums bottom-up
    for row in reversed(rows):
        parent_id = row.node.parent_id
        if parent_id is not None and parent_id in by_id:
            by_id[parent_id].progress.add(row.progress)
    return rows


def workspace_total(rows: Iterable[Row]) -> Progress:
    """The whole set's progress: the sum over its areas."""
    total = Progress()
    for row in rows:
        if row.node.parent_id is None:
            total.add(row.progress)
    return total


def _fillable_entries(participations: Iterable[int]):
    return Entry.objects.filter(participation_id__in=list(participations), exempt=False).exclude(
        node__method=Method.SURVEY
    )


def progress_many(participations: Iterable[Participation]) -> dict[int, Progress]:
    """Participation pk → its Progress; one query however many participations."""
    pks = [p.pk for p in participations]
    live = EvidenceLink.objects.filter(
        entry=OuterRef("pk"), removed_at__isnull=True, evidence__removed_at__isnull=True
    )
    no_evidence = ~Q(has_evidence=True)
    rows = (
        _fillable_entries(pks)
        .annotate(has_evidence=Exists(live))
        .values("participation_id")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(self_inputs__isnull=False)),
            evidence_missing=Count("pk", filter=no_evidence),
            explanation_missing=Count("pk", filter=no_evidence & Q(self_note="")),
            points=Sum("self_points"),
            max_points=Sum("node__max_points"),
        )
        .order_by()
    )
    out = {pk: Progress() for pk in pks}
    for row in rows:
        out[row["participation_id"]] = Progress(
            total=row["total"],
            done=row["done"],
            evidence_missing=row["evidence_missing"],
            explanation_missing=row["explanation_missing"],
            self_points=row["points"] or Decimal(0),
            max_points=row["max_points"] or Decimal(0),
        )
    return out


def progress(participation: Participation) -> Progress:
    """One participation's summary numbers (see ``progress_many`` for lists)."""
    return progress_many([participation])[participation.pk]
