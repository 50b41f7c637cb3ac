"""Rows ↔ engine, one function each way: every score is computed from an engine set.

The engine's dict (the schema of criteria-2026-draft.yaml) is the one interchange
format: ``engine.criteria_set_to_dict`` writes it and ``engine.parse_criteria_set``
reads it. Stored rows become an engine ``CriteriaSet`` here
(``criteria_set_to_engine``), and an engine set becomes field values and unsaved node
rows here (``set_fields_from_engine``, ``nodes_from_engine``) for the services to save.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from cchc.par import engine
from cchc.par.engine.loader import plain
from cchc.par.engine.model import Adjustments, Classification, GroupBand
from cchc.par.engine.num import number_out
from cchc.par.models import CriteriaNode, CriteriaSet

# -- rows → engine ----------------------------------------------------------------------


def _ordered(criteria_set: CriteriaSet, nodes: Iterable[CriteriaNode] | None):
    return list(criteria_set.nodes.order_by("position") if nodes is None else nodes)


def _node_meta(node: CriteriaNode) -> dict[str, Any]:
    """The columns the engine keeps verbatim in ``Node.meta``, as the YAML names them."""
    meta: dict[str, Any] = {}
    if node.guidance:
        meta["guidance"] = node.guidance
    if node.evidence_items():
        meta["evidence"] = node.evidence_items()
    if node.exemptible:
        meta["exemptible"] = True
    if node.applicability:
        meta["applicability"] = node.applicability
    if node.note:
        meta["note"] = node.note
    meta.update(node.meta or {})
    return meta


def _build(criteria_set: CriteriaSet, nodes: list[CriteriaNode]) -> engine.CriteriaSet:
    """The rows as an engine set, as they are (``criteria_set_to_engine`` checks them)."""
    cs = criteria_set
    children: dict[int | None, list[CriteriaNode]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)

    def build(row: CriteriaNode, inherited: str | None) -> engine.Node:
        # an empty evaluator is inherited, as the reader inherits it
        evaluator = row.evaluator_code or inherited
        kids = tuple(build(child, evaluator) for child in children.get(row.pk, []))
        return engine.Node(
            code=row.code,
            title=row.title,
            max=Decimal(row.max_points).normalize(),
            method=row.method,
            rule=dict(row.rule) if row.rule is not None and not kids else None,
            evaluator=evaluator or None,
            children=kids,
            meta=_node_meta(row),
        )

    bands = [
        GroupBand(str(b.get("group")), None if b.get("min") is None else Decimal(str(b["min"])))
        for b in cs.classification or ()
        if isinstance(b, Mapping)
    ]
    bands.sort(key=lambda b: (b.min is None, -(b.min or Decimal(0))))
    return engine.CriteriaSet(
        id=cs.code,
        title=cs.title,
        areas=tuple(build(area, None) for area in children.get(None, [])),
        unit_types=(str(cs.unit_type),),
        total=Decimal(cs.total).normalize(),
        self_assessed_total=None
        if cs.self_assessed_total is None
        else Decimal(cs.self_assessed_total).normalize(),
        survey_total=None if cs.survey_total is None else Decimal(cs.survey_total).normalize(),
        classification=Classification(tuple(bands)) if bands else Classification(),
        adjustments=Adjustments(
            cs.adjustments_enabled, Decimal(cs.bonus_cap), Decimal(cs.penalty_cap)
        ),
        meta=dict(cs.meta or {}),
    )


def criteria_set_problems(
    criteria_set: CriteriaSet, nodes: Iterable[CriteriaNode] | None = None
) -> list[engine.Problem]:
    """What the engine's reader says about the stored rows (empty when they score)."""
    built = _build(criteria_set, _ordered(criteria_set, nodes))
    return engine.parse_criteria_set(engine.criteria_set_to_dict(built))[1]


def criteria_set_to_engine(
    criteria_set: CriteriaSet, nodes: Iterable[CriteriaNode] | None = None
) -> engine.CriteriaSet:
    """The engine's set; pass ``nodes`` (ordered by position) to avoid a query.

    The rows are read back through the one writer and reader, so a set that no longer
    adds up raises ``engine.CriteriaError`` instead of scoring.
    """
    built = _build(criteria_set, _ordered(criteria_set, nodes))
    return engine.criteria_set_from_dict(engine.criteria_set_to_dict(built))


def yaml_document(criteria_set: CriteriaSet, nodes: Iterable[CriteriaNode] | None = None) -> dict:
    """A criteria document (as criteria-2026-draft.yaml) holding this one set."""
    built = _build(criteria_set, _ordered(criteria_set, nodes))
    doc: dict[str, Any] = {
        "schema_version": 1,
        "year": criteria_set.year,
        "unit_type": str(criteria_set.unit_type),
        "version": criteria_set.version,
    }
    used = sorted({n.evaluator for n in built.nodes() if n.evaluator})
    if used:
        doc["evaluators"] = {
            code: dict(criteria_set.evaluators.get(code) or {"name": code}) for code in used
        }
    doc["sets"] = [engine.criteria_set_to_dict(built)]
    return doc


# -- engine → rows ----------------------------------------------------------------------


def _evaluator_entry(raw: Any, code: str) -> dict[str, Any]:
    if isinstance(raw, Mapping):
        return {k: plain(v) for k, v in raw.items()}
    if isinstance(raw, str) and raw:
        return {"name": raw}
    return {"name": code}


def evaluators_used(
    criteria_set: engine.CriteriaSet, known: Mapping[str, Any] | None = None
) -> dict[str, dict[str, Any]]:
    """Code → {"name": …} of every evaluator the set names, from ``known`` where given."""
    known = dict(known or {})
    used = {n.evaluator for n in criteria_set.nodes() if n.evaluator}
    return {code: _evaluator_entry(known.get(code), code) for code in sorted(used)}


def set_fields_from_engine(
    criteria_set: engine.CriteriaSet, evaluators: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Values of the ``CriteriaSet`` columns the engine set determines."""
    cs = criteria_set
    return {
        "code": cs.id,
        "title": cs.title,
        "total": cs.total,
        "self_assessed_total": cs.self_assessed_total,
        "survey_total": cs.survey_total,
        "classification": [
            {"group": b.group, **({"min": number_out(b.min)} if b.min is not None else {})}
            for b in cs.classification.bands
        ],
        "adjustments_enabled": cs.adjustments.enabled,
        "bonus_cap": cs.adjustments.bonus_cap,
        "penalty_cap": cs.adjustments.penalty_cap,
        "evaluators": evaluators_used(cs, evaluators),
        "meta": plain(dict(cs.meta)),
    }


def nodes_from_engine(
    criteria_set: CriteriaSet, source: engine.CriteriaSet
) -> Iterator[tuple[CriteriaNode, str | None]]:
    """Unsaved rows of the engine set's tree in pre-order, each with its parent's code."""
    position = 0

    def rows(node: engine.Node, parent_code: str | None, depth: int):
        nonlocal position
        position += 1
        meta = dict(node.meta)
        evidence = meta.pop("evidence", "")
        if isinstance(evidence, list | tuple):
            evidence = "\n".join(str(e) for e in evidence)
        yield (
            CriteriaNode(
                criteria_set=criteria_set,
                code=node.code,
                position=position,
                depth=depth,
                title=node.title,
                max_points=node.max,
                method=node.method,
                rule=plain(dict(node.rule)) if node.rule is not None else None,
                evaluator_code=node.evaluator or "",
                guidance=str(meta.pop("guidance", "") or ""),
                evidence=str(evidence or ""),
                exemptible=bool(meta.pop("exemptible", False)),
                applicability=str(meta.pop("applicability", "") or ""),
                note=str(meta.pop("note", "") or ""),
                meta=plain(meta),
            ),
            parent_code,
        )
        for child in node.children:
            yield from rows(child, node.code, depth + 1)

    for area in source.areas:
        yield from rows(area, None, 1)
