"""Every change to reform targets: keyword-only, one transaction, an audit entry each.

- ``plan_load``: a plan and its indicators from plain data (the demo's YAML);
  idempotent, a year already stored is left alone.
- ``plan_clone``: a new year's plan from an existing one (draft, deadlines moved to
  the new year, same targets).
- ``plan_activate``: a draft plan comes into force (a conditional update).
- ``value_report``: one unit's value for one period (the unit's form). A value
  already stored for the period is superseded by a new version, never changed.
- ``values_import``: every unit's values from one Excel sheet, all or nothing.
- ``ranking_set``: the province's score, rank and target in a national index for a
  year (one row per year and index, set again to correct it; the audit keeps the old).
Authorization is the views'.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cchc.core.audit import AuditAction, audit_record
from cchc.lib.formats import decimal_vi, number_vi
from cchc.org.models import Unit
from cchc.targets import io, selectors
from cchc.targets.models import (
    Indicator,
    Measure,
    Plan,
    PlanStatus,
    ProvinceRanking,
    RankingIndex,
    Target,
    Value,
)
from cchc.targets.periods import Period


def _move_year(day: datetime.date, year: int) -> datetime.date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29/02 into a year without it
        return day.replace(year=year, day=28)


@transaction.atomic
def plan_load(*, actor, data: Mapping[str, Any]) -> Plan | None:
    """A plan from its YAML data; None when the year is already stored."""
    year = int(data["year"])
    if Plan.objects.filter(year=year).exists():
        return None
    plan = Plan.objects.create(
        year=year,
        title=data["title"],
        source_document=data.get("source_document", ""),
        status=data.get("status", PlanStatus.DRAFT),
    )
    targets = []
    for position, item in enumerate(data["indicators"], start=1):
        indicator = Indicator.objects.create(
            plan=plan,
            code=item["code"],
            position=position,
            name=item["name"],
            definition=item.get("definition", ""),
            numerator_label=item["numerator"],
            denominator_label=item.get("denominator", ""),
            direction=item.get("direction", "higher"),
            measure=item.get("measure", Measure.PERCENT),
            deadline=item.get("deadline", data["deadline"]),
            source=item.get("source", data.get("source", "")),
        )
        for level, value in item.get("targets", {}).items():
            targets.append(Target(indicator=indicator, level=level, value=Decimal(str(value))))
    Target.objects.bulk_create(targets)
    audit_record(
        actor=actor,
        action=AuditAction.TARGET_PLAN_LOAD,
        obj=plan,
        summary=f"Nạp {plan.title}: {len(data['indicators'])} chỉ tiêu",
        data={"year": year, "indicators": len(data["indicators"])},
    )
    return plan


@transaction.atomic
def plan_clone(*, actor, plan: Plan, year: int) -> Plan:
    """A draft plan for ``year`` with the same indicators and targets; deadlines move
    to the new year."""
    if Plan.objects.filter(year=year).exists():
        raise ValidationError(f"Đã có kế hoạch chỉ tiêu năm {year}.")
    title = plan.title.replace(str(plan.year), str(year))
    if title == plan.title:
        title = f"{plan.title} (năm {year})"
    new = Plan.objects.create(year=year, title=title, source_document="", status=PlanStatus.DRAFT)
    indicators = list(plan.indicators.prefetch_related("targets"))
    targets = []
    for old in indicators:
        copy = Indicator.objects.create(
            plan=new,
            code=old.code,
            position=old.position,
            name=old.name,
            definition=old.definition,
            numerator_label=old.numerator_label,
            denominator_label=old.denominator_label,
            direction=old.direction,
            measure=old.measure,
            deadline=_move_year(old.deadline, old.deadline.year + year - plan.year),
            source=old.source,
        )
        targets += [
            Target(indicator=copy, level=t.level, unit_id=t.unit_id, value=t.value)
            for t in old.targets.all()
        ]
    Target.objects.bulk_create(targets)
    audit_record(
        actor=actor,
        action=AuditAction.TARGET_PLAN_CLONE,
        obj=new,
        summary=f"Sao chép kế hoạch chỉ tiêu năm {plan.year} sang năm {year}",
        data={"from": plan.year, "year": year, "indicators": len(indicators)},
    )
    return new


@transaction.atomic
def plan_activate(*, actor, plan: Plan) -> Plan:
    """A draft plan becomes the one units report on and warnings follow."""
    if not Plan.objects.filter(pk=plan.pk, status=PlanStatus.DRAFT).update(
        status=PlanStatus.ACTIVE
    ):
        raise ValidationError(f"Kế hoạch chỉ tiêu năm {plan.year} đã được áp dụng.")
    plan.status = PlanStatus.ACTIVE
    audit_record(
        actor=actor,
        action=AuditAction.TARGET_PLAN_ACTIVATE,
        obj=plan,
        summary=f"Áp dụng {plan.title}",
        data={"year": plan.year},
    )
    return plan


def check_figures(indicator: Indicator, numerator, denominator) -> tuple[Decimal, Decimal | None]:
    """The numbers of a value, checked; ValidationError in Vietnamese otherwise."""
    errors: dict[str, str] = {}
    num = _decimal(numerator)
    den = _decimal(denominator)
    if num is None:
        errors["numerator"] = "Tử số phải là một số."
    elif num < 0:
        errors["numerator"] = "Tử số không được âm."
    if indicator.is_percent:
        if den is None:
            errors["denominator"] = "Mẫu số phải là một số."
        elif den < 0:
            errors["denominator"] = "Mẫu số không được âm."
        elif num is not None and num > den:
            errors["numerator"] = (
                f"Tử số ({number_vi(num)}) không được lớn hơn mẫu số ({number_vi(den)})."
            )
    elif denominator not in (None, "") and (den is None or den < 0):
        errors["denominator"] = "Mẫu số phải là một số không âm."
    if errors:
        raise ValidationError(errors)
    return num, den


def _decimal(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    try:
        number = Decimal(str(value).strip().replace(" ", "").replace(",", "."))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def check_period(plan: Plan, period: Period, today: datetime.date) -> str:
    """'' for a period the plan may take, else why not."""
    if period.start.year != plan.year:
        return f"kỳ {period.label} không thuộc năm {plan.year} của kế hoạch"
    if period.start > today:
        return f"kỳ {period.label} chưa bắt đầu"
    return ""


def _supersede(existing: Value | None) -> int:
    """Claim the current value (a conditional update: the same on SQLite and
    PostgreSQL); the new row's version. A lost race answers ValidationError."""
    if existing is None:
        return 1
    claimed = Value.objects.filter(pk=existing.pk, current=True).update(current=False)
    if not claimed:
        raise ValidationError(
            "Số liệu của kỳ này vừa được người khác cập nhật; hãy tải lại trang và nhập lại."
        )
    return existing.version + 1


@transaction.atomic
def value_report(
    *,
    actor,
    indicator: Indicator,
    unit: Unit,
    period: Period,
    numerator,
    denominator=None,
    note: str = "",
    today: datetime.date | None = None,
) -> Value:
    """Store one unit's value of one period; a value already there becomes history."""
    today = today or timezone.localdate()
    problem = check_period(indicator.plan, period, today)
    if problem:
        raise ValidationError({"period": problem[0].upper() + problem[1:] + "."})
    num, den = check_figures(indicator, numerator, denominator)
    existing = (
        Value.objects.current()
        .filter(indicator=indicator, unit=unit, period_start=period.start)
        .first()
    )
    version = _supersede(existing)
    value = Value.objects.create(
        indicator=indicator,
        unit=unit,
        period_kind=period.kind,
        period_start=period.start,
        period_end=period.end,
        numerator=num,
        denominator=den,
        note=note.strip(),
        entered_by=actor if getattr(actor, "is_authenticated", False) else None,
        entered_at=timezone.now(),
        version=version,
        supersedes=existing,
    )
    audit_record(
        actor=actor,
        action=AuditAction.TARGET_VALUE_CORRECT if existing else AuditAction.TARGET_VALUE_REPORT,
        obj=value,
        unit=unit,
        summary=f"{indicator.name}, {period.label}: {number_vi(num)}"
        + (f"/{number_vi(den)}" if den is not None else "")
        + (f" (phiên bản {version})" if existing else ""),
        data={
            "indicator": indicator.code,
            "year": indicator.plan.year,
            "period": period.key,
            "numerator": str(num),
            "denominator": None if den is None else str(den),
            "version": version,
        },
    )
    return value


def template(*, plan: Plan, period: Period) -> bytes:
    units = selectors.plan_units(plan)
    return io.template(plan=plan, rows=selectors.applicable_pairs(plan, units), period=period)


@transaction.atomic
def values_import(
    *, actor, plan: Plan, content: bytes, name: str, today: datetime.date | None = None
) -> dict[str, int]:
    """Every unit's values from one sheet; all or nothing: a file with any bad row
    stores nothing and answers a ValidationError listing every problem by row."""
    today = today or timezone.localdate()
    units = selectors.plan_units(plan)
    indicators = list(plan.indicators.all())
    applicable = {(u.pk, i.pk) for u, i in selectors.applicable_pairs(plan, units, indicators)}
    parsed = io.parse(
        content,
        name=name,
        units=units,
        indicators=indicators,
        applicable=applicable,
        check_period=lambda period: check_period(plan, period, today),
        check_figures=check_figures,
    )
    if parsed.problems:
        head = (
            f"Tệp số liệu có {len(parsed.problems)} lỗi; chưa có gì được lưu. "
            "Hãy sửa tệp rồi tải lên lại."
        )
        raise ValidationError([head, *parsed.problems])
    if not parsed.rows:
        raise ValidationError(["Tệp không có dòng số liệu nào; chưa có gì được lưu."])
    existing = {
        (v.unit_id, v.indicator_id, v.period_start): v
        for v in Value.objects.current().filter(
            indicator__in=indicators,
            unit_id__in={r.unit_id for r in parsed.rows},
            period_start__in={r.period.start for r in parsed.rows},
        )
    }
    now = timezone.now()
    by = actor if getattr(actor, "is_authenticated", False) else None
    sha256 = hashlib.sha256(content).hexdigest()
    new, replaced, unchanged = [], [], 0
    for row in parsed.rows:
        old = existing.get((row.unit_id, row.indicator_id, row.period.start))
        if old is not None and (old.numerator, old.denominator) == (row.numerator, row.denominator):
            unchanged += 1
            continue
        if old is not None:
            replaced.append(old)
        new.append(
            Value(
                indicator_id=row.indicator_id,
                unit_id=row.unit_id,
                period_kind=row.period.kind,
                period_start=row.period.start,
                period_end=row.period.end,
                numerator=row.numerator,
                denominator=row.denominator,
                note=row.note or f"Nhập từ tệp {name}",
                entered_by=by,
                entered_at=now,
                version=old.version + 1 if old else 1,
                supersedes=old,
            )
        )
    if replaced:
        claimed = Value.objects.filter(pk__in=[v.pk for v in replaced], current=True).update(
            current=False
        )
        if claimed != len(replaced):
            raise ValidationError(
                "Số liệu vừa được người khác cập nhật trong lúc nhập; hãy tải lên lại."
            )
    Value.objects.bulk_create(new, batch_size=1000)
    counts = {"stored": len(new), "corrected": len(replaced), "unchanged": unchanged}
    audit_record(
        actor=actor,
        action=AuditAction.TARGET_VALUE_IMPORT,
        obj=plan,
        summary=f"Nhập số liệu chỉ tiêu CCHC năm {plan.year} từ tệp {name}: "
        f"{len(new)} số liệu ({len(replaced)} sửa), {unchanged} không đổi",
        data={**counts, "file": name, "sha256": sha256},
    )
    return counts


RANKING_FIELDS = ("score", "rank", "out_of", "target_rank", "target_score", "source")


def _ranking_figures(ranking: ProvinceRanking | None) -> dict[str, Any] | None:
    if ranking is None:
        return None
    return {
        name: value if value is None or isinstance(value, (int, str)) else str(value)
        for name in RANKING_FIELDS
        for value in [getattr(ranking, name)]
    }


def check_ranking(
    *, year, index, score, rank, out_of, target_rank, target_score, today: datetime.date
) -> None:
    """The figures of a ranking, checked; ValidationError in Vietnamese otherwise."""
    errors: dict[str, str] = {}
    if index not in RankingIndex.values:
        errors["index"] = "Hãy chọn một chỉ số."
    if year < 2000:
        errors["year"] = "Năm phải từ năm 2000 trở đi."
    elif year > today.year + 1:
        errors["year"] = (
            f"Năm {year} còn quá xa: chỉ nhập được đến năm {today.year + 1} "
            "(kết quả năm nay hoặc chỉ tiêu năm sau)."
        )
    if out_of is None or not 1 <= out_of <= 100:
        errors["out_of"] = "Số tỉnh, thành phố được xếp hạng phải từ 1 đến 100."
    for name, value, label in (
        ("rank", rank, "Thứ hạng"),
        ("target_rank", target_rank, "Thứ hạng mục tiêu"),
    ):
        if value is None:
            continue
        if value < 1:
            errors[name] = f"{label} phải từ 1 trở lên."
        elif out_of is not None and 1 <= out_of <= 100 and value > out_of:
            errors[name] = (
                f"{label} ({value}) không được lớn hơn số tỉnh, thành phố được xếp hạng ({out_of})."
            )
    for name, value, label in (
        ("score", score, "Điểm"),
        ("target_score", target_score, "Điểm mục tiêu"),
    ):
        if value is not None and value < 0:
            errors[name] = f"{label} không được âm."
    if all(v is None for v in (score, rank, target_rank, target_score)):
        errors["score"] = "Hãy nhập ít nhất điểm, thứ hạng hoặc mục tiêu."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def ranking_set(
    *,
    actor,
    year: int,
    index: str,
    score: Decimal | None,
    rank: int | None,
    out_of: int,
    target_rank: int | None,
    target_score: Decimal | None,
    source: str = "",
    today: datetime.date | None = None,
) -> ProvinceRanking:
    """Store the province's figures of one index for one year; figures already stored
    for that year and index are replaced (the audit entry keeps what they were)."""
    today = today or timezone.localdate()
    check_ranking(
        year=year,
        index=index,
        score=score,
        rank=rank,
        out_of=out_of,
        target_rank=target_rank,
        target_score=target_score,
        today=today,
    )
    before = _ranking_figures(ProvinceRanking.objects.filter(year=year, index=index).first())
    ranking, _created = ProvinceRanking.objects.update_or_create(
        year=year,
        index=index,
        defaults={
            "score": score,
            "rank": rank,
            "out_of": out_of,
            "target_rank": target_rank,
            "target_score": target_score,
            "source": source.strip(),
            "entered_by": actor if getattr(actor, "is_authenticated", False) else None,
            "entered_at": timezone.now(),
        },
    )
    figures = []
    if ranking.score is not None:
        figures.append(f"điểm {decimal_vi(ranking.score)}")
    if ranking.rank is not None:
        figures.append(f"hạng {ranking.rank}/{ranking.out_of}")
    if ranking.target_rank is not None:
        figures.append(f"mục tiêu hạng {ranking.target_rank}/{ranking.out_of}")
    if ranking.target_score is not None:
        figures.append(f"mục tiêu {decimal_vi(ranking.target_score)} điểm")
    audit_record(
        actor=actor,
        action=AuditAction.PROVINCE_RANKING_SET,
        obj=ranking,
        summary=f"{ranking.get_index_display()} năm {year}: " + ", ".join(figures),
        data={
            "year": year,
            "index": index,
            "before": before,
            "after": _ranking_figures(ranking),
        },
    )
    return ranking
