"""Every change to a criteria set goes through these functions, each with an audit entry.

A frozen set (in use by an opened evaluation year) is never changed: ``criteria_set_revise``
copies it to version + 1 as a draft, and imports into a year whose latest set is frozen
do the same. The engine validates every set before it is saved.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from cchc.core.audit import audit_record
from cchc.par import engine
from cchc.par.io.convert import SetData, set_data_from_engine, to_engine_dict
from cchc.par.models import CriteriaNode, CriteriaSet, SetStatus

_SET_FIELDS = (
    "code",
    "title",
    "total",
    "self_assessed_total",
    "survey_total",
    "classification",
    "adjustments_enabled",
    "bonus_cap",
    "penalty_cap",
    "evaluators",
    "meta",
)


F = TypeVar("F", bound=Callable[..., Any])


def _refuse_races(service: F) -> F:
    """Two administrators saving versions at once: the database's unique constraints
    refuse the second; it becomes a message rather than a server error."""

    @functools.wraps(service)
    def wrapper(*args, **kwargs):
        try:
            with transaction.atomic():
                return service(*args, **kwargs)
        except IntegrityError:
            raise ValidationError(
                "Bộ tiêu chí vừa được người khác thay đổi; hãy tải lại trang rồi thử lại."
            ) from None

    return wrapper  # type: ignore[return-value]


def _check(data: SetData) -> None:
    """Refuse anything the engine would not score (the import page shows why first)."""
    probe = CriteriaSet(unit_type="")
    _apply_fields(probe, data)
    nodes = _unsaved_nodes(probe, data)
    _, problems = engine.parse_criteria_set(to_engine_dict(probe, nodes))
    if problems:
        raise ValidationError([str(p) for p in problems])


def _unsaved_nodes(criteria_set: CriteriaSet, data: SetData) -> list[CriteriaNode]:
    """Node objects linked by parent, with fake keys so the tree can be walked unsaved."""
    nodes: list[CriteriaNode] = []
    by_code: dict[str, CriteriaNode] = {}
    for position, row in enumerate(data.nodes, start=1):
        node = _node(criteria_set, row, position)
        node.pk = -position
        parent = by_code.get(row["parent_code"]) if row["parent_code"] else None
        node.parent_id = parent.pk if parent is not None else None
        by_code[row["code"]] = node
        nodes.append(node)
    return nodes


def _node(criteria_set: CriteriaSet, row: dict[str, Any], position: int) -> CriteriaNode:
    return CriteriaNode(
        criteria_set=criteria_set,
        code=row["code"],
        position=position,
        depth=row["depth"],
        title=row["title"],
        max_points=Decimal(str(row["max_points"])),
        method=row["method"],
        rule=row["rule"],
        evaluator_code=row["evaluator_code"],
        guidance=row["guidance"],
        evidence=row["evidence"],
        exemptible=row["exemptible"],
        applicability=row["applicability"],
        note=row["note"],
        meta=row["meta"],
    )


def _save_nodes(criteria_set: CriteriaSet, data: SetData) -> int:
    """Insert the tree level by level: one bulk insert per depth, parents first."""
    rows = list(enumerate(data.nodes, start=1))
    by_code: dict[str, CriteriaNode] = {}
    for depth in sorted({row["depth"] for _, row in rows}):
        level = []
        for position, row in rows:
            if row["depth"] != depth:
                continue
            node = _node(criteria_set, row, position)
            if row["parent_code"]:
                node.parent = by_code[row["parent_code"]]
            level.append(node)
        created = CriteriaNode.objects.bulk_create(level)
        if created and created[0].pk is None:  # backends that do not return keys
            saved = CriteriaNode.objects.filter(criteria_set=criteria_set, depth=depth)
            created = list(saved)
        for node in created:
            by_code[node.code] = node
    return len(rows)


def _set_data(criteria_set: CriteriaSet) -> SetData:
    cs = engine.criteria_set_from_dict(to_engine_dict(criteria_set))
    data = set_data_from_engine(cs, criteria_set.evaluators)
    data.fields["meta"] = dict(criteria_set.meta or {})
    return data


def _apply_fields(criteria_set: CriteriaSet, data: SetData) -> None:
    for name in _SET_FIELDS:
        if name in data.fields:
            value = CriteriaSet._meta.get_field(name).to_python(data.fields[name])
            setattr(criteria_set, name, value)


def _next_version(year: int, unit_type: str) -> int:
    found = CriteriaSet.objects.filter(year=year, unit_type=unit_type).aggregate(Max("version"))
    return (found["version__max"] or 0) + 1


def _label(criteria_set: CriteriaSet) -> str:
    """ "sở, ban, ngành năm 2026, phiên bản 1": titles are long and often repeat the year."""
    cs = criteria_set
    return f"{cs.get_unit_type_display().lower()} năm {cs.year}, phiên bản {cs.version}"


def _summary_data(criteria_set: CriteriaSet, **extra: Any) -> dict[str, Any]:
    return {
        "year": criteria_set.year,
        "unit_type": criteria_set.unit_type,
        "version": criteria_set.version,
        **extra,
    }


@_refuse_races
def criteria_set_import(
    *, actor, year: int, unit_type: str, data: SetData, source: str = ""
) -> CriteriaSet:
    """Save an imported set for a year and unit type.

    No set yet: version 1. The latest version is a draft: its content is replaced.
    The latest version is frozen: a new draft version is made from the import.
    """
    _check(data)
    latest = CriteriaSet.objects.filter(year=year, unit_type=unit_type).order_by("-version").first()
    if latest is not None and latest.status == SetStatus.DRAFT:
        criteria_set = latest
        criteria_set.nodes.all().delete()
        _apply_fields(criteria_set, data)
        criteria_set.full_clean(exclude=["revised_from", "cloned_from", "created_by"])
        criteria_set.save()
        action, verb = "criteria_set.replace", "Thay nội dung"
    else:
        criteria_set = CriteriaSet(
            year=year,
            unit_type=unit_type,
            version=_next_version(year, unit_type),
            revised_from=latest,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        _apply_fields(criteria_set, data)
        criteria_set.full_clean(exclude=["revised_from", "cloned_from", "created_by"])
        criteria_set.save()
        action, verb = "criteria_set.import", "Nhập"
    count = _save_nodes(criteria_set, data)
    audit_record(
        actor=actor,
        action=action,
        obj=criteria_set,
        summary=f"{verb} bộ tiêu chí {_label(criteria_set)} ({count} tiêu chí)",
        data=_summary_data(criteria_set, nodes=count, source=source[:200]),
    )
    return criteria_set


@_refuse_races
def criteria_set_clone(
    *, actor, source: CriteriaSet, year: int, unit_type: str | None = None
) -> CriteriaSet:
    """Start a new year from an existing set: version 1, draft, same tree."""
    unit_type = unit_type or source.unit_type
    if CriteriaSet.objects.filter(year=year, unit_type=unit_type).exists():
        raise ValidationError(
            f"Năm {year} đã có bộ tiêu chí cho loại đơn vị này; "
            "hãy sửa đổi bộ đã có thay vì sao chép."
        )
    data = _set_data(source)
    criteria_set = CriteriaSet(
        year=year,
        unit_type=unit_type,
        version=1,
        cloned_from=source,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _apply_fields(criteria_set, data)
    criteria_set.save()
    count = _save_nodes(criteria_set, data)
    audit_record(
        actor=actor,
        action="criteria_set.clone",
        obj=criteria_set,
        summary=f"Sao chép bộ tiêu chí {_label(source)} sang năm {year}",
        data=_summary_data(criteria_set, source=source.pk, nodes=count),
    )
    return criteria_set


@transaction.atomic
def criteria_set_freeze(*, actor, criteria_set: CriteriaSet) -> CriteriaSet:
    """Freeze a draft for use by an evaluation year; it never changes afterwards."""
    problems = engine.parse_criteria_set(to_engine_dict(criteria_set))[1]
    if problems:
        raise ValidationError(
            ["Bộ tiêu chí chưa hợp lệ, không thể khóa:", *(str(p) for p in problems)]
        )
    now = timezone.now()
    # a conditional update is the claim: two concurrent freezes cannot both succeed
    claimed = CriteriaSet.objects.filter(pk=criteria_set.pk, status=SetStatus.DRAFT).update(
        status=SetStatus.FROZEN, frozen_at=now
    )
    if not claimed:
        raise ValidationError("Bộ tiêu chí đã được khóa trước đó.")
    criteria_set.status, criteria_set.frozen_at = SetStatus.FROZEN, now
    audit_record(
        actor=actor,
        action="criteria_set.freeze",
        obj=criteria_set,
        summary=f"Khóa bộ tiêu chí {_label(criteria_set)}",
        data=_summary_data(criteria_set),
    )
    return criteria_set


@_refuse_races
def criteria_set_revise(*, actor, criteria_set: CriteriaSet) -> CriteriaSet:
    """Copy a frozen set to version + 1 as a draft, to be changed and frozen again."""
    if criteria_set.status != SetStatus.FROZEN:
        raise ValidationError(
            "Bộ tiêu chí đang là dự thảo: sửa trực tiếp, không cần tạo phiên bản mới."
        )
    siblings = CriteriaSet.objects.filter(year=criteria_set.year, unit_type=criteria_set.unit_type)
    if siblings.filter(version__gt=criteria_set.version).exists():
        raise ValidationError("Đã có phiên bản mới hơn của bộ tiêu chí này.")
    data = _set_data(criteria_set)
    revision = CriteriaSet(
        year=criteria_set.year,
        unit_type=criteria_set.unit_type,
        version=criteria_set.version + 1,
        revised_from=criteria_set,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _apply_fields(revision, data)
    revision.save()
    count = _save_nodes(revision, data)
    audit_record(
        actor=actor,
        action="criteria_set.revise",
        obj=revision,
        summary=f"Tạo phiên bản {revision.version} (dự thảo) của bộ tiêu chí "
        f"{revision.get_unit_type_display().lower()} năm {revision.year}",
        data=_summary_data(revision, revised_from=criteria_set.pk, nodes=count),
    )
    return revision
