"""Every change to units and roles goes through these functions."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail.models import Page

from cchc.core import hooks
from cchc.core.audit import audit_record
from cchc.org.models import (
    Role,
    RoleAssignment,
    SuccessionKind,
    Unit,
    UnitIndexPage,
    UnitPage,
    UnitSuccession,
)


def unit_index_ensure(*, home: Page) -> None:
    """The public list of units, /don-vi/, under the home page (hooks.SITE_TREE)."""
    if not UnitIndexPage.objects.exists():
        home.add_child(instance=UnitIndexPage(title="Đơn vị", slug="don-vi"))


def _ensure_page(unit: Unit) -> UnitPage | None:
    index = UnitIndexPage.objects.first()
    if index is None or UnitPage.objects.filter(unit=unit).exists():
        return None
    page = UnitPage(title=unit.name, slug=unit.slug, unit=unit, live=True)
    index.add_child(instance=page)
    return page


@transaction.atomic
def unit_create(*, actor, unit: Unit) -> Unit:
    """Save a new, validated unit and give it its public page."""
    unit.full_clean()
    unit.save()
    _ensure_page(unit)
    hooks.run(hooks.UNIT_CREATED, unit=unit)  # its section, newsroom, workflow (news)
    audit_record(
        actor=actor, action="unit.create", obj=unit, unit=unit, summary=f"Thêm đơn vị {unit.name}"
    )
    return unit


@transaction.atomic
def unit_update(*, actor, unit: Unit, changed: Sequence[str]) -> Unit:
    """Save edits to a unit; a new name is recorded and shown on its page."""
    old = Unit.objects.get(pk=unit.pk)
    unit.full_clean()
    unit.save()
    data = {f: [str(getattr(old, f)), str(getattr(unit, f))] for f in changed if hasattr(unit, f)}
    if old.name != unit.name:
        Page.objects.filter(pk__in=UnitPage.objects.filter(unit=unit).values("pk")).update(
            title=unit.name, draft_title=unit.name
        )
        summary = f"Đổi tên đơn vị {old.name} thành {unit.name}"
        action = "unit.rename"
    else:
        summary = f"Sửa thông tin đơn vị {unit.name}"
        action = "unit.update"
    audit_record(actor=actor, action=action, obj=unit, unit=unit, summary=summary, data=data)
    return unit


def _retire(unit: Unit, day: datetime.date) -> None:
    until = day - datetime.timedelta(days=1)
    if until < unit.active_from:
        raise ValidationError(
            f"Ngày hiệu lực phải sau ngày bắt đầu hoạt động của {unit.name} "
            f"({unit.active_from:%d/%m/%Y})."
        )
    unit.active_until = until
    unit.save(update_fields=["active_until"])


def _check_active(units: Sequence[Unit], day: datetime.date) -> None:
    for unit in units:
        if unit.active_until is not None and unit.active_until < day:
            raise ValidationError(f"Đơn vị {unit.name} đã ngừng hoạt động.")


@transaction.atomic
def unit_merge(
    *, actor, predecessors: Sequence[Unit], successor: Unit, effective_date: datetime.date
) -> Unit:
    """Merge units into a new one; their history stays reachable from it."""
    if len({u.pk for u in predecessors}) < 2:
        raise ValidationError("Cần chọn ít nhất hai đơn vị để sáp nhập.")
    _check_active(predecessors, effective_date)
    successor.active_from = effective_date
    unit_create(actor=actor, unit=successor)
    for unit in predecessors:
        _retire(unit, effective_date)
        UnitSuccession.objects.create(
            predecessor=unit,
            successor=successor,
            kind=SuccessionKind.MERGE,
            effective_date=effective_date,
        )
    names = ", ".join(u.name for u in predecessors)
    audit_record(
        actor=actor,
        action="unit.merge",
        obj=successor,
        unit=successor,
        summary=f"Sáp nhập {names} thành {successor.name}",
        data={"predecessors": [u.pk for u in predecessors]},
    )
    return successor


@transaction.atomic
def unit_split(
    *, actor, predecessor: Unit, successors: Sequence[Unit], effective_date: datetime.date
) -> list[Unit]:
    if len(successors) < 2:
        raise ValidationError("Chia tách phải tạo ra ít nhất hai đơn vị mới.")
    _check_active([predecessor], effective_date)
    for unit in successors:
        unit.active_from = effective_date
        unit_create(actor=actor, unit=unit)
        UnitSuccession.objects.create(
            predecessor=predecessor,
            successor=unit,
            kind=SuccessionKind.SPLIT,
            effective_date=effective_date,
        )
    _retire(predecessor, effective_date)
    audit_record(
        actor=actor,
        action="unit.split",
        obj=predecessor,
        unit=predecessor,
        summary=f"Chia tách {predecessor.name} thành " + ", ".join(u.name for u in successors),
    )
    return list(successors)


@transaction.atomic
def unit_retire(*, actor, unit: Unit, effective_date: datetime.date) -> Unit:
    _check_active([unit], effective_date)
    _retire(unit, effective_date)
    audit_record(
        actor=actor,
        action="unit.retire",
        obj=unit,
        unit=unit,
        summary=f"Ngừng hoạt động đơn vị {unit.name} từ {effective_date:%d/%m/%Y}",
    )
    return unit


@transaction.atomic
def role_assign(*, actor, user, role: Role, unit: Unit | None = None) -> RoleAssignment:
    assignment = RoleAssignment(user=user, role=role, unit=unit)
    assignment.full_clean()
    assignment.save()
    where = f" tại {unit.name}" if unit else ""
    audit_record(
        actor=actor,
        action="role.assign",
        obj=assignment,
        unit=unit,
        summary=f"Giao vai trò {assignment.get_role_display()}{where} cho {user.get_username()}",
    )
    hooks.run(hooks.ROLE_CHANGED, user=user)
    return assignment


@transaction.atomic
def role_revoke(*, actor, assignment: RoleAssignment) -> None:
    audit_record(
        actor=actor,
        action="role.revoke",
        obj=assignment,
        unit=assignment.unit,
        summary=f"Thu hồi vai trò {assignment}",
    )
    user = assignment.user
    assignment.delete()
    hooks.run(hooks.ROLE_CHANGED, user=user)
