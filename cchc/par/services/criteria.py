"""Every change to a criteria set goes through these functions, each with an audit entry.

A frozen set (in use by an opened evaluation year) is never changed: ``criteria_set_revise``
copies it to version + 1 as a draft, and imports into a year whose latest set is frozen
do the same. The engine validates every set before it is saved.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from cchc.core.audit import audit_record
from cchc.par import engine
from cchc.par.io.convert import (
    criteria_set_problems,
    criteria_set_to_engine,
    nodes_from_engine,
    set_fields_from_engine,
)
from cchc.par.models import CriteriaNode, CriteriaSet, SetStatus

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


def _check(criteria: engine.CriteriaSet) -> None:
    """Refuse anything the engine would not score (the import page shows why first):
    the set is read back through the one writer and reader."""
    _, problems = engine.parse_criteria_set(engine.criteria_set_to_dict(criteria))
    if problems:
        raise ValidationError([str(p) for p in problems])


def _save_tree(criteria_set: CriteriaSet, criteria: engine.CriteriaSet) -> int:
    """Insert the tree level by level: one bulk insert per depth, parents first."""
    levels: dict[int, list[tuple[CriteriaNode, str | None]]] = {}
    for node, parent_code in nodes_from_engine(criteria_set, criteria):
        levels.setdefault(node.depth, []).append((node, parent_code))
    by_code: dict[str, CriteriaNode] = {}
    for depth in sorted(levels):
        level = []
        for node, parent_code in levels[depth]:
            if parent_code:
                node.parent = by_code[parent_code]
            level.append(node)
        created = CriteriaNode.objects.bulk_create(level)
        if created and created[0].pk is None:  # backends that do not return keys
            created = list(CriteriaNode.objects.filter(criteria_set=criteria_set, depth=depth))
        for node in created:
            by_code[node.code] = node
    return sum(len(level) for level in levels.values())


def _apply_fields(
    criteria_set: CriteriaSet, criteria: engine.CriteriaSet, evaluators: Mapping | None
) -> None:
    for name, value in set_fields_from_engine(criteria, evaluators).items():
        setattr(criteria_set, name, value)


def _copy_fields(criteria_set: CriteriaSet, source: CriteriaSet, tree: engine.CriteriaSet) -> None:
    _apply_fields(criteria_set, tree, source.evaluators)
    criteria_set.meta = dict(source.meta or {})


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
    *,
    actor,
    year: int,
    unit_type: str,
    criteria: engine.CriteriaSet,
    evaluators: Mapping[str, Any] | None = None,
    source: str = "",
) -> CriteriaSet:
    """Save an imported set (``criteria``, naming ``evaluators``) for a year and unit type.

    No set yet: version 1. The latest version is a draft: its content is replaced.
    The latest version is frozen: a new draft version is made from the import.
    """
    _check(criteria)
    latest = CriteriaSet.objects.filter(year=year, unit_type=unit_type).order_by("-version").first()
    if latest is not None and latest.status == SetStatus.DRAFT:
        criteria_set = latest
        criteria_set.nodes.all().delete()
        _apply_fields(criteria_set, criteria, evaluators)
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
        _apply_fields(criteria_set, criteria, evaluators)
        criteria_set.full_clean(exclude=["revised_from", "cloned_from", "created_by"])
        criteria_set.save()
        action, verb = "criteria_set.import", "Nhập"
    count = _save_tree(criteria_set, criteria)
    audit_record(
        actor=actor,
        action=action,
        obj=criteria_set,
        summary=f"{verb} bộ tiêu chí {_label(criteria_set)} ({count} tiêu chí)",
        data=_summary_data(criteria_set, nodes=count, source=source[:200]),
    )
    return criteria_set


def _copy_set(source: CriteriaSet, *, actor, **fields: Any) -> tuple[CriteriaSet, int]:
    """A new draft with the source's fields and tree (through the engine set);
    returns it and the number of nodes saved. Clone and revise differ only in `fields`."""
    tree = criteria_set_to_engine(source)
    copy = CriteriaSet(
        created_by=actor if getattr(actor, "is_authenticated", False) else None, **fields
    )
    _copy_fields(copy, source, tree)
    copy.save()
    return copy, _save_tree(copy, tree)


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
    criteria_set, count = _copy_set(
        source, actor=actor, year=year, unit_type=unit_type, version=1, cloned_from=source
    )
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
    problems = criteria_set_problems(criteria_set)
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
    revision, count = _copy_set(
        criteria_set,
        actor=actor,
        year=criteria_set.year,
        unit_type=criteria_set.unit_type,
        version=criteria_set.version + 1,
        revised_from=criteria_set,
    )
    audit_record(
        actor=actor,
        action="criteria_set.revise",
        obj=revision,
        summary=f"Tạo phiên bản {revision.version} (dự thảo) của bộ tiêu chí "
        f"{revision.get_unit_type_display().lower()} năm {revision.year}",
        data=_summary_data(revision, revised_from=criteria_set.pk, nodes=count),
    )
    return revision
