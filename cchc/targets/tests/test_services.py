"""Plans, targets and values: the services and the database's invariants."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cchc.core.models import AuditEntry
from cchc.targets import demo, periods, selectors, services
from cchc.targets.models import Measure, Plan, PlanStatus, Target, Value

from .helpers import ONLINE_PAYMENT, TODAY, WORK_RECORDS, plan_2025, report

pytestmark = pytest.mark.django_db

SEED_004 = {  # code: (province, department, commune) targets, %
    "tthc-thanh-toan-truc-tuyen": (85, 85, 85),
    "giao-dich-thanh-toan-truc-tuyen": (60, 60, 60),
    "ho-so-cong-viec-tren-mang": (90, 90, 60),
    "van-ban-dien-tu": (100, 100, 100),
    "so-hoa-ket-qua-tthc": (100, 100, 100),
    "dvc-truc-tuyen-toan-trinh": (100, 100, 100),
    "ho-so-nop-truc-tuyen": (80, 80, 80),
    "ho-so-luan-chuyen-dien-tu": (80, 80, 80),
    "ho-so-so-hoa-ky-so": (100, 100, 100),
}


def test_the_2025_plan_carries_the_seeds_targets_per_level():
    plan = plan_2025()
    assert plan.status == PlanStatus.ACTIVE
    indicators = {i.code: i for i in plan.indicators.all()}
    assert set(indicators) == set(SEED_004)
    targets = selectors.targets_of(list(indicators.values()))
    for code, (province, department, commune) in SEED_004.items():
        levels = targets[indicators[code].pk].levels
        assert (levels["province"], levels["department"], levels["commune"]) == (
            D(province),
            D(department),
            D(commune),
        ), code
        assert indicators[code].deadline == dt.date(2025, 12, 31)
        assert indicators[code].measure == Measure.PERCENT
    assert targets[indicators[WORK_RECORDS].pk].levels["district"] == D(80)
    assert AuditEntry.objects.filter(action="target_plan.load", object_id=str(plan.pk)).exists()


def test_loading_the_plan_again_changes_nothing():
    plan_2025()
    counts = (Plan.objects.count(), Target.objects.count())
    assert services.plan_load(actor=None, data=demo.plan_data()) is None
    assert (Plan.objects.count(), Target.objects.count()) == counts


def test_a_unit_target_wins_over_its_levels(cast):
    plan = plan_2025()
    indicator = plan.indicators.get(code=WORK_RECORDS)
    Target.objects.create(indicator=indicator, unit=cast.unit_a, value=D(75))
    targets = selectors.targets_of([indicator])[indicator.pk]
    assert targets.for_unit(cast.unit_a) == D(75)
    assert targets.for_unit(cast.unit_b) == D(60)
    assert targets.for_unit(cast.snv) == D(90)


def test_a_target_names_a_level_or_a_unit_not_both(cast):
    indicator = plan_2025().indicators.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.create(indicator=indicator, level="commune", unit=cast.unit_a, value=1)


def test_cloning_makes_a_draft_of_the_new_year_with_the_same_targets(cast):
    plan = plan_2025()
    indicator = plan.indicators.get(code=WORK_RECORDS)
    Target.objects.create(indicator=indicator, unit=cast.unit_a, value=D(70))
    new = services.plan_clone(actor=cast.admin, plan=plan, year=2026)
    assert new.status == PlanStatus.DRAFT and new.year == 2026
    assert new.title == "Kế hoạch cải cách hành chính năm 2026 tỉnh An Giang"
    copied = {i.code: i for i in new.indicators.all()}
    assert set(copied) == set(SEED_004)
    assert {i.deadline for i in copied.values()} == {dt.date(2026, 12, 31)}
    targets = selectors.targets_of([copied[WORK_RECORDS]])[copied[WORK_RECORDS].pk]
    assert targets.for_unit(cast.unit_a) == D(70) and targets.for_unit(cast.unit_b) == D(60)
    entry = AuditEntry.objects.get(action="target_plan.clone")
    assert entry.actor == cast.admin and entry.data["from"] == 2025
    with pytest.raises(ValidationError, match="Đã có kế hoạch chỉ tiêu năm 2026"):
        services.plan_clone(actor=cast.admin, plan=plan, year=2026)


def test_activating_a_draft_once(cast):
    new = services.plan_clone(actor=cast.admin, plan=plan_2025(), year=2026)
    services.plan_activate(actor=cast.admin, plan=new)
    assert Plan.objects.get(pk=new.pk).status == PlanStatus.ACTIVE
    with pytest.raises(ValidationError, match="đã được áp dụng"):
        services.plan_activate(actor=cast.admin, plan=new)


def test_a_reported_value_keeps_who_when_and_a_correction_is_a_new_version(cast):
    indicator = plan_2025().indicators.get(code=ONLINE_PAYMENT)
    first = report(cast.unit_a, indicator, 6, "40", "50", actor=cast.officer_a)
    assert (first.version, first.current, first.entered_by) == (1, True, cast.officer_a)
    assert first.figure(indicator.measure) == D(80)
    second = report(cast.unit_a, indicator, 6, "45", "50", actor=cast.unit_leader_a)
    first.refresh_from_db()
    assert not first.current and second.current and second.version == 2
    assert second.supersedes == first
    assert first.numerator == D(40)  # the old row is untouched
    assert Value.objects.filter(indicator=indicator, unit=cast.unit_a).count() == 2
    actions = list(
        AuditEntry.objects.filter(object_type="targets.value")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["target_value.report", "target_value.correct"]


def test_one_current_value_per_period_is_a_database_rule(cast):
    indicator = plan_2025().indicators.first()
    value = report(cast.unit_a, indicator, 6, 1, 2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Value.objects.create(
            indicator=indicator,
            unit=cast.unit_a,
            period_kind=value.period_kind,
            period_start=value.period_start,
            period_end=value.period_end,
            numerator=1,
            denominator=2,
            entered_at=value.entered_at,
            version=2,
        )


@pytest.mark.parametrize(
    ("numerator", "denominator", "field", "message"),
    [
        ("51", "50", "numerator", "Tử số (51) không được lớn hơn mẫu số (50)."),
        ("bốn mươi", "50", "numerator", "Tử số phải là một số."),
        ("40", "", "denominator", "Mẫu số phải là một số."),
        ("-1", "50", "numerator", "Tử số không được âm."),
    ],
)
def test_bad_figures_are_refused_and_nothing_is_stored(
    cast, numerator, denominator, field, message
):
    indicator = plan_2025().indicators.get(code=ONLINE_PAYMENT)
    with pytest.raises(ValidationError) as caught:
        report(cast.unit_a, indicator, 6, numerator, denominator)
    assert caught.value.message_dict[field] == [message]
    assert not Value.objects.exists()


def test_a_period_outside_the_plans_year_or_not_begun_is_refused(cast):
    indicator = plan_2025().indicators.first()
    with pytest.raises(ValidationError, match="không thuộc năm 2025"):
        report(cast.unit_a, indicator, 12, 1, 2, year=2024)
    with pytest.raises(ValidationError, match="Kỳ Tháng 08/2025 chưa bắt đầu"):
        report(cast.unit_a, indicator, 8, 1, 2)
    assert not Value.objects.exists()


def test_a_denominator_of_zero_is_stored_but_gives_no_value(cast):
    indicator = plan_2025().indicators.first()
    value = report(cast.unit_a, indicator, 6, "0", "0")
    assert value.figure(indicator.measure) is None


def test_a_count_needs_no_denominator(cast):
    indicator = plan_2025().indicators.first()
    indicator.measure = Measure.COUNT
    value = services.value_report(
        actor=None,
        indicator=indicator,
        unit=cast.unit_a,
        period=periods.quarter(2025, 2),
        numerator="12",
        today=TODAY,
    )
    assert value.denominator is None and value.figure(Measure.COUNT) == D(12)
    assert value.period_end == dt.date(2025, 6, 30)


def test_periods_read_as_officials_write_them():
    assert periods.parse("03/2025") == periods.month(2025, 3)
    assert periods.parse("Tháng 3/2025") == periods.month(2025, 3)
    assert periods.parse("Q2/2025") == periods.quarter(2025, 2)
    assert periods.parse("Quý 4/2025").end == dt.date(2025, 12, 31)
    assert periods.parse("13/2025") is None and periods.parse("Q5/2025") is None
    assert periods.parse("tháng ba") is None
    assert periods.month(2024, 2).end == dt.date(2024, 2, 29)
