"""Opening a year and its windows (cchc.par.services.year)."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from cchc.core.models import AuditEntry
from cchc.par.models import AreaEvaluator, Entry, EvaluationYear, Participation, WindowExtension
from cchc.par.services.year import require_window, window_extend, window_open

from .year import IN_SELF, WINDOWS, open_year

pytestmark = pytest.mark.django_db

HCM = dt.timezone(dt.timedelta(hours=7))


def test_opening_enrols_every_department_and_commune_with_one_entry_per_leaf(cast):
    year = open_year(actor=cast.admin)
    assert Participation.objects.filter(year=year).count() == 13 + 102
    a = Participation.objects.get(year=year, unit=cast.unit_a)
    leaves = a.criteria_set.nodes.exclude(
        pk__in=a.criteria_set.nodes.filter(parent__isnull=False).values("parent")
    )
    assert Entry.objects.filter(participation=a).count() == leaves.count() > 40
    assert (
        dict(AreaEvaluator.objects.filter(year=year).values_list("area_code", "evaluator_code"))[
            "2"
        ]
        == "STP"
    )
    assert AuditEntry.objects.filter(action="par_year.open", object_id=str(year.pk)).exists()


def test_a_year_opens_once(cast):
    open_year(actor=cast.admin)
    with pytest.raises(ValidationError, match="đã được mở"):
        open_year(actor=cast.admin)
    assert EvaluationYear.objects.count() == 1


def test_windows_in_the_wrong_order_are_refused_and_nothing_is_stored(cast):
    bad = {**WINDOWS, "round1": (dt.date(2026, 2, 1), dt.date(2026, 2, 10))}
    with pytest.raises(ValidationError, match="vòng 1 không thể bắt đầu trước"):
        open_year(actor=cast.admin, windows=bad)
    assert not EvaluationYear.objects.exists()


def test_a_submission_one_second_after_the_window_closes_is_refused(cast):
    year = open_year(actor=cast.admin)
    last = dt.datetime(2026, 3, 31, 23, 59, 59, tzinfo=HCM)
    assert window_open(year, cast.unit_a, "self", at=last)
    assert not window_open(year, cast.unit_a, "self", at=last + dt.timedelta(seconds=1))
    with time_machine.travel(last + dt.timedelta(seconds=1), tick=False):
        with pytest.raises(ValidationError, match="Ngoài thời gian tự đánh giá"):
            require_window(year, cast.unit_a, "self")


def test_an_extension_opens_the_window_for_that_unit_only(cast):
    year = open_year(actor=cast.admin)
    window_extend(
        actor=cast.admin,
        year=year,
        unit=cast.unit_a,
        stage="self",
        ends_on=dt.date(2026, 4, 3),
        reason="Đơn vị bị ảnh hưởng bởi sự cố mạng",
    )
    later = dt.datetime(2026, 4, 2, 9, 0, tzinfo=HCM)
    assert window_open(year, cast.unit_a, "self", at=later)
    assert not window_open(year, cast.unit_b, "self", at=later)
    entry = AuditEntry.objects.get(action="par_window.extend")
    assert entry.data["reason"] == "Đơn vị bị ảnh hưởng bởi sự cố mạng"


def test_an_extension_needs_a_reason_and_a_later_day(cast):
    year = open_year(actor=cast.admin)
    with pytest.raises(ValidationError, match="lý do"):
        window_extend(
            actor=cast.admin,
            year=year,
            unit=cast.unit_a,
            stage="self",
            ends_on=dt.date(2026, 4, 3),
            reason="  ",
        )
    with pytest.raises(ValidationError, match="phải sau ngày kết thúc"):
        window_extend(
            actor=cast.admin,
            year=year,
            unit=cast.unit_a,
            stage="self",
            ends_on=dt.date(2026, 3, 30),
            reason="Lý do",
        )
    assert not WindowExtension.objects.exists()


def test_time_inside_self_assessment_is_the_helpers_default(cast):
    year = open_year(actor=cast.admin)
    assert window_open(year, cast.unit_a, "self", at=IN_SELF)
