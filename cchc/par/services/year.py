"""Opening an evaluation year, its windows and their extensions.

Every function is keyword-only, runs in one transaction and writes an audit entry.
The windows are local days (Asia/Ho_Chi_Minh), inclusive; ``window_open`` is the one
answer to "may this unit act in this stage now?", extensions included.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cchc.core.audit import AuditAction, audit_record
from cchc.lib.dates import day_range
from cchc.org.models import Unit, UnitType, unit_lineages
from cchc.par.models import (
    STAGE_FIELDS,
    AreaEvaluator,
    CriteriaNode,
    CriteriaSet,
    Entry,
    EvaluationYear,
    Participation,
    ParticipationState,
    SetStatus,
    Stage,
    WindowExtension,
    YearSet,
)
from cchc.par.services.criteria import criteria_set_freeze

# Unit types that take part in a year opened today (districts ended in 2025).
PARTICIPATING_TYPES = (UnitType.DEPARTMENT, UnitType.COMMUNE)

Windows = Mapping[Stage | str, tuple[datetime.date, datetime.date]]


def _fmt(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def check_windows(windows: Windows) -> dict[Stage, tuple[datetime.date, datetime.date]]:
    """All four windows, each start ≤ end, in order: self-assessment first, and no
    appraisal before its self-assessment. Raises ValidationError (Vietnamese)."""
    out: dict[Stage, tuple[datetime.date, datetime.date]] = {}
    errors = []
    for stage in Stage:
        value = windows.get(stage) or windows.get(stage.value)
        if not value or value[0] is None or value[1] is None:
            errors.append(f"Chưa nhập thời gian {stage.label.lower()}.")
            continue
        start, end = value
        if start > end:
            errors.append(
                f"{stage.label}: ngày bắt đầu ({_fmt(start)}) sau ngày kết thúc ({_fmt(end)})."
            )
        out[stage] = (start, end)
    if not errors:
        if out[Stage.ROUND1][0] < out[Stage.SELF][0]:
            errors.append("Thẩm định vòng 1 không thể bắt đầu trước khi tự đánh giá bắt đầu.")
        if out[Stage.EXPLANATION][0] < out[Stage.ROUND1][0]:
            errors.append("Giải trình không thể bắt đầu trước thẩm định vòng 1.")
        if out[Stage.ROUND2][0] < out[Stage.EXPLANATION][0]:
            errors.append("Thẩm định vòng 2 không thể bắt đầu trước giải trình.")
    if errors:
        raise ValidationError(errors)
    return out


def default_units(day: datetime.date | None = None) -> list[Unit]:
    """Every active department and commune-level unit (on `day`, default today)."""
    day = day or timezone.localdate()
    return list(
        Unit.objects.active_on(day).filter(unit_type__in=PARTICIPATING_TYPES).order_by("pk")
    )


def default_sets(year: int, unit_types: Iterable[str]) -> dict[str, CriteriaSet]:
    """The latest version of each unit type's set for `year` (frozen when opened)."""
    out = {}
    for unit_type in unit_types:
        found = (
            CriteriaSet.objects.filter(year=year, unit_type=unit_type).order_by("-version").first()
        )
        if found is None:
            raise ValidationError(
                f"Chưa có bộ tiêu chí năm {year} cho {UnitType(unit_type).label.lower()}."
            )
        out[unit_type] = found
    return out


def department_for_code(code: str, day: datetime.date | None = None) -> Unit | None:
    """The active department whose code, or a predecessor's, is `code` (STTTT → SKHCN)."""
    day = day or timezone.localdate()
    departments = Unit.objects.active_on(day).filter(unit_type=UnitType.DEPARTMENT)
    direct = departments.filter(code=code).first()
    if direct is not None:
        return direct
    # a merged department inherits its predecessors' codes: one lineage walk for all
    departments = list(departments)
    lineages = unit_lineages([d.pk for d in departments])
    codes = dict(
        Unit.objects.filter(pk__in={pk for ids in lineages.values() for pk in ids}).values_list(
            "pk", "code"
        )
    )
    for department in departments:
        if code in {codes.get(pk) for pk in lineages.get(department.pk, [department.pk])}:
            return department
    return None


def default_evaluators(sets: Iterable[CriteriaSet], day=None) -> dict[str, Unit | None]:
    """Area code → its evaluating department, from the sets' areas."""
    out: dict[str, Unit | None] = {}
    areas = CriteriaNode.objects.filter(criteria_set__in=list(sets), depth=1).order_by("position")
    for area in areas:
        if area.code not in out:
            out[area.code] = department_for_code(area.evaluator_code, day)
    return out


@transaction.atomic
def year_open(
    *,
    actor,
    year: int,
    windows: Windows,
    title: str = "",
    units: Iterable[Unit] | None = None,
    sets: Mapping[str, CriteriaSet] | None = None,
    evaluators: Mapping[str, Unit] | None = None,
    rounding: Mapping | None = None,
    on_day: datetime.date | None = None,
) -> EvaluationYear:
    """Open `year`: freeze its sets, name the area evaluators, enrol the units.

    Defaults: every active department and commune-level unit, the latest set of
    each of their types, each area's evaluator from the set.
    """
    if EvaluationYear.objects.filter(year=year).exists():
        raise ValidationError(f"Kỳ đánh giá năm {year} đã được mở.")
    checked = check_windows(windows)
    units = list(units) if units is not None else default_units(on_day)
    if not units:
        raise ValidationError("Chưa chọn đơn vị nào tham gia đánh giá.")
    unit_types = sorted({u.unit_type for u in units})
    chosen = dict(sets) if sets is not None else default_sets(year, unit_types)
    missing = [t for t in unit_types if t not in chosen]
    if missing:
        raise ValidationError(
            "Chưa chọn bộ tiêu chí cho: " + ", ".join(UnitType(t).label for t in missing) + "."
        )
    for unit_type, criteria_set in chosen.items():
        if criteria_set.year != year or criteria_set.unit_type != unit_type:
            raise ValidationError(f"Bộ tiêu chí «{criteria_set.title}» không dành cho năm {year}.")
        if criteria_set.status != SetStatus.FROZEN:
            criteria_set_freeze(actor=actor, criteria_set=criteria_set)
    named = dict(evaluators) if evaluators is not None else default_evaluators(chosen.values())
    area_titles = dict(
        CriteriaNode.objects.filter(criteria_set__in=list(chosen.values()), depth=1)
        .order_by("-position")
        .values_list("code", "title")
    )
    unnamed = [code for code in area_titles if named.get(code) is None]
    if unnamed:
        raise ValidationError(
            "Chưa chọn cơ quan thẩm định cho lĩnh vực: " + ", ".join(sorted(unnamed)) + "."
        )
    fields = {}
    for stage, (start, end) in checked.items():
        start_field, end_field = STAGE_FIELDS[stage]
        fields[start_field], fields[end_field] = start, end
    evaluation_year = EvaluationYear.objects.create(
        year=year,
        title=title or f"Chỉ số CCHC năm {year}",
        rounding=dict(rounding or {}),
        opened_by=actor if getattr(actor, "is_authenticated", False) else None,
        **fields,
    )
    YearSet.objects.bulk_create(
        YearSet(year=evaluation_year, unit_type=t, criteria_set=s) for t, s in chosen.items()
    )
    AreaEvaluator.objects.bulk_create(
        AreaEvaluator(
            year=evaluation_year,
            area_code=code,
            area_title=area_titles[code],
            department=named[code],
            evaluator_code=named[code].code,
        )
        for code in sorted(area_titles, key=_area_sort_key)
    )
    participations = Participation.objects.bulk_create(
        Participation(year=evaluation_year, unit=u, criteria_set=chosen[u.unit_type]) for u in units
    )
    leaves_by_set = _leaves_by_set(chosen.values())
    Entry.objects.bulk_create(
        (
            Entry(participation=p, node_id=node_id)
            for p in participations
            for node_id in leaves_by_set[p.criteria_set_id]
        ),
        batch_size=2000,
    )
    audit_record(
        actor=actor,
        action=AuditAction.PAR_YEAR_OPEN,
        obj=evaluation_year,
        summary=f"Mở kỳ đánh giá Chỉ số CCHC năm {year}: {len(participations)} đơn vị",
        data={
            "units": len(participations),
            "sets": {t: s.pk for t, s in chosen.items()},
            "evaluators": {code: named[code].code for code in area_titles},
            "windows": {s.value: [_fmt(a), _fmt(b)] for s, (a, b) in checked.items()},
        },
    )
    return evaluation_year


def _area_sort_key(code: str):
    return [int(p) if p.isdigit() else p for p in code.split(".")]


def _leaves_by_set(sets: Iterable[CriteriaSet]) -> dict[int, list[int]]:
    """Leaf node ids per set, in tree order (a leaf is a node nobody names as parent)."""
    ids = [s.pk for s in sets]
    nodes = list(
        CriteriaNode.objects.filter(criteria_set_id__in=ids)
        .order_by("criteria_set_id", "position")
        .values_list("pk", "criteria_set_id", "parent_id")
    )
    parents = {parent for _, _, parent in nodes if parent}
    out: dict[int, list[int]] = {pk: [] for pk in ids}
    for pk, set_id, _ in nodes:
        if pk not in parents:
            out[set_id].append(pk)
    return out


def window_end(
    year: EvaluationYear, unit: Unit, stage: Stage | str, extensions=None
) -> datetime.date:
    """The last day of `stage` for `unit`: the year's, or the unit's extension.

    ``extensions`` (stage → date, for this unit) saves the query when a caller has them.
    """
    stage = Stage(stage)
    end = year.window(stage)[1]
    if extensions is None:
        extended = (
            WindowExtension.objects.filter(year=year, unit=unit, stage=stage)
            .values_list("ends_on", flat=True)
            .first()
        )
    else:
        extended = extensions.get(stage)
    return max(end, extended) if extended else end


def window_open(
    year: EvaluationYear,
    unit: Unit,
    stage: Stage | str,
    *,
    at: datetime.datetime | None = None,
    extensions=None,
) -> bool:
    """Is `stage` open for `unit` at instant `at` (default now)?"""
    at = at or timezone.now()
    start = year.window(stage)[0]
    lo, hi = day_range(start, window_end(year, unit, stage, extensions))
    return lo <= at < hi


def require_window(year: EvaluationYear, unit: Unit, stage: Stage | str, *, at=None) -> None:
    """Raise a Vietnamese ValidationError unless `stage` is open for `unit` now."""
    if not year.is_open:
        raise ValidationError(f"Kỳ đánh giá năm {year.year} đã chốt kết quả; không thể thay đổi.")
    if window_open(year, unit, stage, at=at):
        return
    stage = Stage(stage)
    start = year.window(stage)[0]
    end = window_end(year, unit, stage)
    raise ValidationError(f"Ngoài thời gian {stage.label.lower()} ({_fmt(start)} – {_fmt(end)}).")


@transaction.atomic
def window_extend(
    *,
    actor,
    year: EvaluationYear,
    unit: Unit,
    stage: Stage | str,
    ends_on: datetime.date,
    reason: str,
) -> WindowExtension:
    """Give one unit a later end of one window; the reason is required."""
    stage = Stage(stage)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Cần nêu lý do gia hạn.")
    if not year.is_open:
        raise ValidationError(f"Kỳ đánh giá năm {year.year} đã chốt kết quả; không thể gia hạn.")
    if not Participation.objects.filter(year=year, unit=unit).exists():
        raise ValidationError(f"{unit} không tham gia kỳ đánh giá năm {year.year}.")
    start, end = year.window(stage)
    if ends_on <= end:
        raise ValidationError(
            f"Ngày gia hạn phải sau ngày kết thúc {stage.label.lower()} ({_fmt(end)})."
        )
    before = (
        WindowExtension.objects.filter(year=year, unit=unit, stage=stage)
        .values_list("ends_on", flat=True)
        .first()
    )
    extension, _ = WindowExtension.objects.update_or_create(
        year=year,
        unit=unit,
        stage=stage,
        defaults={
            "ends_on": ends_on,
            "reason": reason,
            "created_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    audit_record(
        actor=actor,
        action=AuditAction.PAR_WINDOW_EXTEND,
        obj=extension,
        unit=unit,
        summary=f"Gia hạn {stage.label.lower()} năm {year.year} cho {unit} đến {_fmt(ends_on)}",
        data={
            "stage": stage.value,
            "before": _fmt(before) if before else None,
            "after": _fmt(ends_on),
            "reason": reason,
        },
    )
    return extension


STALE = "Kỳ đánh giá vừa được người khác thay đổi lúc {at}; hãy xem lại rồi lưu."


@transaction.atomic
def year_update(
    *,
    actor,
    year: EvaluationYear,
    version: int,
    windows: Windows | None = None,
    evaluators: Mapping[str, Unit] | None = None,
) -> EvaluationYear:
    """Change an open year's windows and/or area evaluators; `version` is the one the
    form was shown (a stale save is refused). Audited with before and after."""
    if not year.is_open:
        raise ValidationError(f"Kỳ đánh giá năm {year.year} đã chốt kết quả; không thể sửa.")
    before: dict = {}
    after: dict = {}
    fields: dict = {}
    if windows is not None:
        checked = check_windows(windows)
        for stage, (start, end) in checked.items():
            old = year.window(stage)
            if old != (start, end):
                before[f"window.{stage.value}"] = [_fmt(old[0]), _fmt(old[1])]
                after[f"window.{stage.value}"] = [_fmt(start), _fmt(end)]
                start_field, end_field = STAGE_FIELDS[stage]
                fields[start_field], fields[end_field] = start, end
    changed_areas: dict[str, Unit] = {}
    if evaluators is not None:
        current = {ae.area_code: ae for ae in year.evaluators.select_related("department")}
        unknown = sorted(set(evaluators) - set(current), key=_area_sort_key)
        if unknown:
            raise ValidationError("Lĩnh vực không có trong kỳ đánh giá: " + ", ".join(unknown))
        for code, department in evaluators.items():
            if department is None:
                raise ValidationError(f"Chưa chọn cơ quan thẩm định cho lĩnh vực {code}.")
            if current[code].department_id != department.pk:
                before[f"area.{code}"] = current[code].evaluator_code
                after[f"area.{code}"] = department.code
                changed_areas[code] = department
    if not before:
        return year
    updated = EvaluationYear.objects.filter(pk=year.pk, version=version, status=year.status).update(
        version=version + 1, **fields
    )
    if not updated:
        raise ValidationError(STALE.format(at=timezone.localtime().strftime("%H:%M %d/%m/%Y")))
    for code, department in changed_areas.items():
        AreaEvaluator.objects.filter(year=year, area_code=code).update(
            department=department, evaluator_code=department.code
        )
    audit_record(
        actor=actor,
        action=AuditAction.PAR_YEAR_UPDATE,
        obj=year,
        summary=f"Sửa kỳ đánh giá Chỉ số CCHC năm {year.year}: " + ", ".join(sorted(after)),
        data={"before": before, "after": after},
    )
    for name, value in fields.items():
        setattr(year, name, value)
    year.version = version + 1
    return year


@transaction.atomic
def entry_exempt(*, actor, entry: Entry, exempt: bool, reason: str, version: int) -> Entry:
    """Mark one leaf of one unit as not applicable (or applicable again), with a reason.

    The unit's index is then computed over its applicable maximum. Refused once the
    year (or the unit) is finalised; `version` is the entry's as shown.
    """
    participation = entry.participation
    year = participation.year
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Cần nêu lý do.")
    if not year.is_open or participation.state == ParticipationState.FINALISED:
        raise ValidationError(f"Kỳ đánh giá năm {year.year} đã chốt kết quả; không thể thay đổi.")
    before = {"exempt": entry.exempt, "reason": entry.exempt_reason}
    if entry.exempt == exempt:
        verb = "đã được đánh dấu không áp dụng" if exempt else "đang được áp dụng"
        raise ValidationError(f"Tiêu chí {entry.node.code} {verb}.")
    updated = Entry.objects.filter(pk=entry.pk, version=version).update(
        exempt=exempt,
        exempt_reason=reason if exempt else "",
        version=version + 1,
        updated_at=timezone.now(),
    )
    if not updated:
        fresh = Entry.objects.get(pk=entry.pk)
        state = "không áp dụng" if fresh.exempt else "áp dụng"
        raise ValidationError(
            f"Tiêu chí này vừa được cập nhật lúc "
            f"{timezone.localtime(fresh.updated_at).strftime('%H:%M %d/%m/%Y')}: {state}. "
            "Hãy xem lại rồi lưu."
        )
    entry.exempt, entry.exempt_reason = exempt, reason if exempt else ""
    entry.version = version + 1
    audit_record(
        actor=actor,
        action=AuditAction.PAR_ENTRY_EXEMPT,
        obj=entry,
        unit=participation.unit,
        summary=(
            f"{participation.unit}: tiêu chí {entry.node.code} "
            + ("không áp dụng" if exempt else "áp dụng trở lại")
            + f" (năm {year.year})"
        ),
        data={
            "code": entry.node.code,
            "before": before,
            "after": {"exempt": entry.exempt, "reason": entry.exempt_reason},
            "reason": reason,
        },
    )
    return entry
