"""Rows ↔ engine: every score is computed by the engine from a converted set.

``to_engine_dict`` writes a stored set in the engine's dict format (the format of
criteria-2026-draft.yaml), ``to_engine`` parses it into an engine ``CriteriaSet``, and
``rows_from_engine`` does the reverse for the services that save an imported set.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from cchc.par import engine
from cchc.par.engine.num import number_out
from cchc.par.models import CriteriaNode, CriteriaSet

# children of an area are "criteria", of a criterion "sub_criteria", deeper "children"
_CHILD_KEYS = ("criteria", "sub_criteria", "children")
# node fields stored in their own columns rather than in ``meta``
NODE_FIELDS = ("guidance", "evidence", "exemptible", "applicability", "note")
_ENGINE_NODE_KEYS = {"code", "title", "max", "method", "rule", "evaluator", *_CHILD_KEYS}


def _number(value: Decimal | None) -> Any:
    return None if value is None else number_out(Decimal(value).normalize())


def _node_dict(node: CriteriaNode, children: Mapping[int | None, list[CriteriaNode]]) -> dict:
    out: dict[str, Any] = {
        "code": node.code,
        "title": node.title,
        "max": _number(node.max_points),
        "method": node.method,
    }
    if node.evaluator_code:
        out["evaluator"] = node.evaluator_code
    kids = children.get(node.pk, [])
    if kids:
        key = _CHILD_KEYS[min(node.depth - 1, 2)]
        out[key] = [_node_dict(child, children) for child in kids]
    elif node.rule is not None:
        out["rule"] = node.rule
    if node.guidance:
        out["guidance"] = node.guidance
    if node.evidence_items():
        out["evidence"] = node.evidence_items()
    if node.exemptible:
        out["exemptible"] = True
    if node.applicability:
        out["applicability"] = node.applicability
    if node.note:
        out["note"] = node.note
    out.update(node.meta or {})
    return out


def to_engine_dict(
    criteria_set: CriteriaSet, nodes: Iterable[CriteriaNode] | None = None
) -> dict[str, Any]:
    """The set in the engine's format; pass ``nodes`` (ordered) to avoid a query."""
    cs = criteria_set
    if nodes is None:
        nodes = cs.nodes.order_by("position")
    children: dict[int | None, list[CriteriaNode]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    out: dict[str, Any] = {
        "id": cs.code,
        "title": cs.title,
        "unit_types": [str(cs.unit_type)],
        "total": _number(cs.total),
    }
    if cs.self_assessed_total is not None:
        out["self_assessed_total"] = _number(cs.self_assessed_total)
    if cs.survey_total is not None:
        out["survey_total"] = _number(cs.survey_total)
    out["classification"] = cs.classification
    out["adjustments"] = {
        "enabled": cs.adjustments_enabled,
        "bonus_cap": _number(cs.bonus_cap),
        "penalty_cap": _number(-cs.penalty_cap) if cs.penalty_cap else 0,
    }
    out["areas"] = [_node_dict(area, children) for area in children.get(None, [])]
    out.update(cs.meta or {})
    return out


def to_engine(
    criteria_set: CriteriaSet, nodes: Iterable[CriteriaNode] | None = None
) -> engine.CriteriaSet:
    """The engine's set; raises ``engine.CriteriaError`` if the rows are inconsistent."""
    return engine.criteria_set_from_dict(to_engine_dict(criteria_set, nodes))


def validate(
    criteria_set: CriteriaSet, nodes: Iterable[CriteriaNode] | None = None
) -> list[engine.Problem]:
    _, problems = engine.parse_criteria_set(to_engine_dict(criteria_set, nodes))
    return problems


def yaml_document(criteria_set: CriteriaSet, nodes: Iterable[CriteriaNode] | None = None) -> dict:
    """A criteria document (as criteria-2026-draft.yaml) holding this one set."""
    data = to_engine_dict(criteria_set, nodes)
    doc: dict[str, Any] = {
        "schema_version": 1,
        "year": criteria_set.year,
        "unit_type": str(criteria_set.unit_type),
        "version": criteria_set.version,
    }
    used = {n["evaluator"] for n in _walk(data["areas"]) if n.get("evaluator")}
    if used:
        doc["evaluators"] = {
            code: dict(criteria_set.evaluators.get(code) or {"name": code}) for code in sorted(used)
        }
    doc["sets"] = [data]
    return doc


def _walk(nodes: list[dict]) -> Iterable[dict]:
    for node in nodes:
        yield node
        for key in _CHILD_KEYS:
            yield from _walk(node.get(key) or [])


# -- engine → rows ----------------------------------------------------------------------


@dataclass
class SetData:
    """What an import produced, ready for a service to save (no rows yet)."""

    fields: dict[str, Any]
    nodes: list[dict[str, Any]] = field(default_factory=list)  # pre-order, with parent_code


def _meta_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return number_out(value)
    if isinstance(value, Mapping):
        return {k: _meta_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_meta_value(v) for v in value]
    return value


def _node_rows(node: engine.Node, parent_code: str | None, depth: int, out: list) -> None:
    meta = dict(node.meta)
    evidence = meta.pop("evidence", "")
    if isinstance(evidence, list | tuple):
        evidence = "\n".join(str(e) for e in evidence)
    row = {
        "code": node.code,
        "parent_code": parent_code,
        "depth": depth,
        "title": node.title,
        "max_points": str(node.max),
        "method": node.method,
        "rule": _meta_value(dict(node.rule)) if node.rule is not None else None,
        "evaluator_code": node.evaluator or "",
        "guidance": str(meta.pop("guidance", "") or ""),
        "evidence": str(evidence or ""),
        "exemptible": bool(meta.pop("exemptible", False)),
        "applicability": str(meta.pop("applicability", "") or ""),
        "note": str(meta.pop("note", "") or ""),
        "meta": _meta_value(meta),
    }
    out.append(row)
    for child in node.children:
        _node_rows(child, node.code, depth + 1, out)


def set_data_from_engine(
    criteria_set: engine.CriteriaSet, evaluators: Mapping[str, Any] | None = None
) -> SetData:
    """Field values and node rows for an engine set, JSON-safe (it travels signed)."""
    cs = criteria_set
    meta = {k: _meta_value(v) for k, v in cs.meta.items()}
    used = {n.evaluator for n in cs.nodes() if n.evaluator}
    known = dict(evaluators or {})
    fields = {
        "code": cs.id,
        "title": cs.title,
        "total": str(cs.total),
        "self_assessed_total": None
        if cs.self_assessed_total is None
        else str(cs.self_assessed_total),
        "survey_total": None if cs.survey_total is None else str(cs.survey_total),
        "classification": [
            {"group": b.group, **({"min": number_out(b.min)} if b.min is not None else {})}
            for b in cs.classification.bands
        ],
        "adjustments_enabled": cs.adjustments.enabled,
        "bonus_cap": str(cs.adjustments.bonus_cap),
        "penalty_cap": str(cs.adjustments.penalty_cap),
        "evaluators": {code: _evaluator_entry(known.get(code), code) for code in sorted(used)},
        "meta": meta,
    }
    rows: list[dict] = []
    for area in cs.areas:
        _node_rows(area, None, 1, rows)
    return SetData(fields=fields, nodes=rows)


def _evaluator_entry(raw: Any, code: str) -> dict[str, Any]:
    if isinstance(raw, Mapping):
        return {k: _meta_value(v) for k, v in raw.items()}
    if isinstance(raw, str) and raw:
        return {"name": raw}
    return {"name": code}
