"""The daily reminders of the PAR year (cchc.par.services.notify.reminders, par_notify)."""

import datetime as dt
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from cchc.par.models import (
    EvaluationYear,
    Notification,
    NotificationKind,
    Participation,
    ParticipationState,
    YearStatus,
)
from cchc.par.services.notify import reminders
from cchc.par.services.year import window_extend

from .year import open_year

pytestmark = pytest.mark.django_db

HCM = dt.timezone(dt.timedelta(hours=7))


def at(month, day, hour=7):
    return dt.datetime(2026, month, day, hour, 0, tzinfo=HCM)


@pytest.fixture
def year(cast):
    # unit_a and unit_b (communes) and Sở Tư pháp (the appraiser's department)
    return open_year(actor=cast.admin, units=[cast.unit_a, cast.unit_b, cast.stp, cast.snv])


def kinds(user):
    return sorted(Notification.objects.filter(user=user).values_list("kind", flat=True))


def set_state(year, unit, state):
    Participation.objects.filter(year=year, unit=unit).update(state=state)


def test_on_the_first_day_of_self_assessment_the_units_people_are_told_once(
    cast, year, django_capture_on_commit_callbacks
):
    with time_machine.travel(at(3, 1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            created = reminders()
        sent = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            again = reminders()
    assert created and again == []
    assert len(mail.outbox) == sent > 0
    for user in (cast.officer_a, cast.unit_leader_a, cast.officer_b):
        assert kinds(user) == [NotificationKind.WINDOW_OPENS], user
    assert kinds(cast.appraiser) == [] and kinds(cast.editor_a) == []
    n = Notification.objects.get(user=cast.officer_a)
    assert n.unit == cast.unit_a
    assert "01/03/2026 đến 31/03/2026" in n.text and n.emailed_at is not None
    assert any(cast.officer_a.email in m.to and "tự đánh giá" in m.body for m in mail.outbox)


def test_three_days_before_the_end_only_units_not_yet_submitted_are_reminded(cast, year):
    set_state(year, cast.unit_b, ParticipationState.SUBMITTED)
    with time_machine.travel(at(3, 28), tick=False):
        reminders()
    assert kinds(cast.officer_a) == [NotificationKind.DEADLINE_SOON]
    assert "31/03/2026" in Notification.objects.get(user=cast.officer_a).text
    assert kinds(cast.officer_b) == []


def test_an_extension_moves_the_units_reminder(cast, year):
    window_extend(
        actor=cast.admin,
        year=year,
        unit=cast.unit_a,
        stage="self",
        ends_on=dt.date(2026, 4, 3),
        reason="Sự cố mạng",
    )
    with time_machine.travel(at(3, 28), tick=False):
        reminders()
    assert kinds(cast.officer_a) == [] and kinds(cast.officer_b) == [NotificationKind.DEADLINE_SOON]
    with time_machine.travel(at(3, 31), tick=False):
        reminders()
    assert kinds(cast.officer_a) == [NotificationKind.DEADLINE_SOON]
    assert "03/04/2026" in Notification.objects.get(user=cast.officer_a).text


def test_appraisal_rounds_tell_the_evaluating_departments_appraisers_and_the_administrators(
    cast, year
):
    with time_machine.travel(at(4, 1), tick=False):
        reminders()
    assert kinds(cast.appraiser) == [NotificationKind.WINDOW_OPENS]
    assert kinds(cast.admin) == [NotificationKind.WINDOW_OPENS]
    assert kinds(cast.officer_a) == [] and kinds(cast.leader) == []


def test_appraisers_are_reminded_of_the_round_end_only_while_units_wait(cast, year):
    with time_machine.travel(at(4, 7), tick=False):
        reminders()
    assert kinds(cast.appraiser) == []
    set_state(year, cast.unit_a, ParticipationState.SUBMITTED)
    with time_machine.travel(at(4, 7), tick=False):
        reminders()
    assert kinds(cast.appraiser) == [NotificationKind.DEADLINE_SOON]
    assert "1 đơn vị đang chờ" in Notification.objects.get(user=cast.appraiser).text


def test_explanation_is_announced_and_reminded_to_returned_units_only(cast, year):
    set_state(year, cast.unit_a, ParticipationState.RETURNED)
    set_state(year, cast.unit_b, ParticipationState.APPRAISED)
    with time_machine.travel(at(4, 11), tick=False):
        reminders()
    assert kinds(cast.officer_a) == [NotificationKind.WINDOW_OPENS]
    assert kinds(cast.officer_b) == []
    with time_machine.travel(at(4, 17), tick=False):
        reminders()
    assert kinds(cast.officer_a) == [NotificationKind.DEADLINE_SOON, NotificationKind.WINDOW_OPENS]
    assert kinds(cast.officer_b) == []


def test_an_ordinary_day_and_a_finalised_year_send_nothing(cast, year):
    with time_machine.travel(at(3, 10), tick=False):
        assert reminders() == []
    EvaluationYear.objects.filter(pk=year.pk).update(
        status=YearStatus.FINALISED, finalised_at=timezone.now()
    )
    with time_machine.travel(at(3, 28), tick=False):
        assert reminders() == []
    assert not Notification.objects.exists()


def test_the_daily_command_sends_the_days_reminders(cast, year):
    out = io.StringIO()
    with time_machine.travel(at(3, 1), tick=False):
        call_command("par_notify", stdout=out)
        count = Notification.objects.count()
        call_command("par_notify", stdout=out)
    assert count > 0 and Notification.objects.count() == count
    assert f"Đã tạo {count} thông báo" in out.getvalue()
    assert "Đã tạo 0 thông báo" in out.getvalue()
