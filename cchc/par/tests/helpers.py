"""Building criteria sets for tests, in code (no fixture files)."""

from __future__ import annotations

import io
import random
from decimal import Decimal

from openpyxl import load_workbook

from cchc.org.models import UnitType
from cchc.par import engine
from cchc.par.engine import DRAFT_CRITERIA_PATH, UnitInput
from cchc.par.io.importing import parse_yaml
from cchc.par.models import CriteriaNode, CriteriaSet
from cchc.par.services.criteria import criteria_set_import

NODE_FIELDS = (
    "code",
    "depth",
    "position",
    "title",
    "max_points",
    "method",
    "rule",
    "evaluator_code",
    "guidance",
    "evidence",
    "exemptible",
    "applicability",
    "note",
    "meta",
)


def draft_data(set_id: str = "so-ban-nganh", unit_type: str = UnitType.DEPARTMENT):
    """The draft's set as the import reads it: the engine set and the evaluators it names."""
    result = parse_yaml(DRAFT_CRITERIA_PATH.read_bytes(), unit_type=unit_type, set_id=set_id)
    assert result.ok, result.problems
    return result


def draft_set(
    *,
    actor=None,
    year: int = 2026,
    unit_type: str = UnitType.DEPARTMENT,
    set_id: str = "so-ban-nganh",
) -> CriteriaSet:
    result = draft_data(set_id, unit_type)
    return criteria_set_import(
        actor=actor,
        year=year,
        unit_type=unit_type,
        criteria=result.criteria_set,
        evaluators=result.evaluators,
    )


def node_rows(criteria_set: CriteriaSet) -> list[tuple]:
    """Everything stored about the tree, parent by code, comparable across sets."""
    nodes = list(criteria_set.nodes.select_related("parent").order_by("position"))
    return [
        (*(getattr(n, f) for f in NODE_FIELDS), n.parent.code if n.parent else None) for n in nodes
    ]


def sample_inputs(criteria_set: engine.CriteriaSet, seed: int, units: int = 5) -> list[UnitInput]:
    rng = random.Random(seed)
    return [
        UnitInput(
            f"u{i}",
            criteria_set.unit_types[0] if criteria_set.unit_types else "",
            inputs={n.code: leaf_input(n, rng) for n in criteria_set.nodes() if n.is_leaf},
        )
        for i in range(units)
    ]


def leaf_input(node: engine.Node, rng: random.Random) -> dict:
    rule = node.rule
    kind = rule["type"]
    if kind == "binary":
        return {"passed": rng.random() < 0.8}
    if kind == "levels":
        return {"level": rng.choice(rule["levels"])["label"]}
    if kind in ("percent_bands", "ratio"):
        return {"pct": rng.choice([0, 55, 79.5, 80, 92.25, 100])}
    if kind == "count_capped":
        return {"count": rng.randint(0, 4)}
    if kind == "deduction":
        return {"counts": [rng.randint(0, 2) for _ in rule["per_occurrence"]]}
    if kind == "weighted_counts":
        a = rng.randint(0, 10)
        b = rng.randint(0, a)
        return {"a": a, "b": b, "c": rng.randint(0, a - b)}
    if kind == "formula":
        names = list(rule.get("inputs") or [])
        a = rng.randint(0, 10)
        b = rng.randint(0, a)
        values = {"a": a, "b": b, "c": rng.randint(0, a - b), "k": rng.randint(0, 1)}
        return {name: values.get(name, rng.randint(0, 5)) for name in names}
    if kind == "survey_index":
        return {"index": Decimal(rng.randint(7000, 10000)) / 100}
    if kind == "score":
        return {"points": node.max * Decimal(rng.randint(0, 4)) / 4}
    raise AssertionError(kind)


def totals(criteria_set: engine.CriteriaSet, seed: int = 1) -> list[tuple]:
    results = [engine.compute_unit(criteria_set, u) for u in sample_inputs(criteria_set, seed)]
    return [(r.exact_total, r.total, r.group, dict(r.nodes)) for r in results]


def workbook(content: bytes):
    return load_workbook(io.BytesIO(content))


def save(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row_of(sheet, code: str) -> int:
    for row in range(1, sheet.max_row + 1):
        if str(sheet.cell(row, 1).value or "") == code:
            return row
    raise AssertionError(code)


def counts() -> tuple[int, int, int]:
    from cchc.core.models import AuditEntry

    return CriteriaSet.objects.count(), CriteriaNode.objects.count(), AuditEntry.objects.count()
