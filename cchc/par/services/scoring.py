"""From a year's rows to the engine and back: the one place that reads entries as scores.

Nothing here writes. ``leaf_points`` scores one leaf as a form is typed;
``unit_input`` turns one participation's entries into an ``engine.UnitInput`` for a
stage; ``compute_year`` scores every unit of a year in a fixed number of queries.

Which value of a leaf counts at a stage (``entry_value``):

- ``self``: the unit's own inputs;
- ``appraised`` (the default, what finalising stores): round 1's decision on the unit's
  inputs — accepted keeps them, adjusted or returned replaces them with the appraiser's
  inputs or points when given — then, for a returned leaf, round 2's decision on the
  unit's explanation (its revised inputs when it gave some).

Survey leaves (area 9) take the index Sở Nội vụ entered, at every stage.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import fields
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from cchc.par import engine
from cchc.par.io.convert import criteria_set_to_engine
from cchc.par.models import (
    CriteriaNode,
    CriteriaSet,
    Decision,
    Entry,
    EvaluationYear,
    Method,
    Participation,
)

SELF = "self"
APPRAISED = "appraised"
STAGES = (SELF, APPRAISED)


def policy(year: EvaluationYear) -> engine.RoundingPolicy:
    """The year's rounding policy: An Giang 2023's, with the year's own changes."""
    known = {f.name for f in fields(engine.RoundingPolicy)}
    return engine.RoundingPolicy(**{k: v for k, v in (year.rounding or {}).items() if k in known})


def leaf_points(node: CriteriaNode, inputs: Mapping[str, Any]) -> Decimal:
    """Points of one leaf from raw inputs, or a Vietnamese ValidationError."""
    try:
        return engine.compute_points(node.rule, node.max_points, inputs)
    except engine.InputError as exc:
        raise ValidationError(str(exc)) from None


def _with_points(inputs, points, reason: str):
    """(inputs, override): an appraiser's inputs when given, else their points."""
    if inputs is not None:
        return inputs, None
    if points is not None:
        return None, engine.Override(Decimal(points), reason or "Điểm thẩm định")
    return None, None


def entry_value(entry: Entry | Mapping, stage: str = APPRAISED, *, survey: bool = False):
    """(inputs, override) of one entry at `stage`; `entry` is a row or its values()."""
    get = entry.get if isinstance(entry, Mapping) else lambda k: getattr(entry, k)
    inputs, override = get("self_inputs"), None
    if survey or stage == SELF:
        return inputs, override
    r1 = get("r1_decision")
    if r1 in (Decision.ADJUSTED, Decision.RETURNED):
        given = _with_points(get("r1_inputs"), get("r1_points"), get("r1_comment"))
        if given != (None, None):
            inputs, override = given
    if r1 == Decision.RETURNED:
        if get("explanation_inputs") is not None:
            inputs, override = get("explanation_inputs"), None
        r2 = get("r2_decision")
        if r2 == Decision.ADJUSTED:
            given = _with_points(get("r2_inputs"), get("r2_points"), get("r2_comment"))
            if given != (None, None):
                inputs, override = given
    return inputs, override


ENTRY_VALUES = (
    "participation_id",
    "node__code",
    "node__method",
    "exempt",
    "self_inputs",
    "r1_decision",
    "r1_inputs",
    "r1_points",
    "r1_comment",
    "explanation_inputs",
    "r2_decision",
    "r2_inputs",
    "r2_points",
    "r2_comment",
)


def _unit_input(unit_id: str, unit_type: str, rows: Iterable[Mapping], stage: str):
    inputs, overrides, exempt = {}, {}, set()
    for row in rows:
        code = row["node__code"]
        if row["exempt"]:
            exempt.add(code)
            continue
        value, override = entry_value(row, stage, survey=row["node__method"] == Method.SURVEY)
        if value is not None:
            inputs[code] = value
        if override is not None:
            overrides[code] = override
    return engine.UnitInput(
        unit_id=unit_id,
        unit_type=unit_type,
        inputs=inputs,
        exempt=frozenset(exempt),
        overrides=overrides,
    )


def engine_sets(criteria_sets: Iterable[CriteriaSet]) -> dict[int, engine.PreparedSet]:
    """Each set prepared once, by primary key (one query for all their nodes)."""
    sets = list(criteria_sets)
    nodes: dict[int, list[CriteriaNode]] = {s.pk: [] for s in sets}
    for node in CriteriaNode.objects.filter(criteria_set__in=sets).order_by(
        "criteria_set_id", "position"
    ):
        nodes[node.criteria_set_id].append(node)
    return {s.pk: engine.prepare(criteria_set_to_engine(s, nodes[s.pk])) for s in sets}


def compute_participation(
    participation: Participation, stage: str = APPRAISED, *, prepared=None
) -> engine.UnitResult:
    """One unit's result at `stage` (scores missing leaves as 0 and lists them)."""
    if prepared is None:
        prepared = engine_sets([participation.criteria_set])[participation.criteria_set_id]
    rows = Entry.objects.filter(participation=participation).values(*ENTRY_VALUES)
    unit = _unit_input(str(participation.unit_id), participation.unit.unit_type, rows, stage)
    try:
        return engine.compute_unit(prepared, unit, policy(participation.year))
    except engine.InputError as exc:
        raise ValidationError(str(exc)) from None


def compute_year(year: EvaluationYear, stage: str = APPRAISED) -> engine.ProvinceResult:
    """Every participating unit's result at `stage`: four queries whatever the size."""
    participations = list(
        Participation.objects.filter(year=year).values_list("pk", "unit_id", "unit__unit_type")
    )
    year_sets = {ys.unit_type: ys.criteria_set for ys in year.sets.select_related("criteria_set")}
    prepared = engine_sets(year_sets.values())
    by_type = {t: prepared[s.pk] for t, s in year_sets.items()}
    rows_by_participation: dict[int, list[Mapping]] = {pk: [] for pk, _, _ in participations}
    for row in (
        Entry.objects.filter(participation__year=year)
        .order_by("participation_id", "node__position")
        .values(*ENTRY_VALUES)
        .iterator(chunk_size=5000)
    ):
        rows_by_participation[row["participation_id"]].append(row)
    units = [
        _unit_input(str(unit_id), unit_type, rows_by_participation[pk], stage)
        for pk, unit_id, unit_type in participations
    ]
    try:
        return engine.compute_province(by_type, units, policy=policy(year))
    except engine.InputError as exc:
        raise ValidationError(str(exc)) from None
