"""Notifications of the PAR year: on the landing page and by e-mail.

Each is stored once per user and key (sending twice is harmless) and e-mailed after
the transaction commits. The workflow services call the named functions below; the
reminders (a window opens, three days before a deadline) come from
``par_notify`` (management command), run daily.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from cchc.org.models import Role, RoleAssignment
from cchc.par.models import (
    EvaluationYear,
    Notification,
    NotificationKind,
    Participation,
    ParticipationState,
    Stage,
    WindowExtension,
    YearStatus,
)


def _emails(notifications: list[Notification]) -> None:
    messages = [
        (
            "[Chỉ số CCHC] " + n.text[:120],
            f"{n.text}\n\n{n.url}" if n.url else n.text,
            settings.DEFAULT_FROM_EMAIL,
            [n.user.email],
        )
        for n in notifications
        if n.user.email
    ]
    if messages:
        send_mass_mail(messages, fail_silently=True)
        Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
            emailed_at=timezone.now()
        )


def notify(
    *, users: Iterable, year, kind: NotificationKind, key: str, text: str, url: str = "", unit=None
) -> list[Notification]:
    """Store one notification per user (skipping those already holding `key`) and
    e-mail them once the transaction commits."""
    created = []
    for user in {u.pk: u for u in users if u.is_active}.values():
        try:
            with transaction.atomic():
                created.append(
                    Notification.objects.create(
                        user=user, year=year, unit=unit, kind=kind, key=key, text=text, url=url
                    )
                )
        except IntegrityError:
            continue  # already told
    if created:
        transaction.on_commit(lambda: _emails(created))
    return created


def unit_people(unit, roles=(Role.CCHC_OFFICER, Role.UNIT_LEADER)) -> list:
    """The unit's PAR people (officers and leaders), current assignments only."""
    return [
        a.user
        for a in RoleAssignment.objects.current()
        .filter(unit=unit, role__in=list(roles))
        .select_related("user")
    ]


def submitted(*, participation: Participation, url: str = "") -> None:
    """The leader submitted: the unit's people and Sở Nội vụ's administrators hear of it."""
    admins = [
        a.user
        for a in RoleAssignment.objects.current().filter(role=Role.ADMIN).select_related("user")
    ]
    notify(
        users=unit_people(participation.unit) + admins,
        year=participation.year,
        unit=participation.unit,
        kind=NotificationKind.SUBMITTED,
        key=f"submitted:{participation.pk}:{participation.version}",
        text=f"Đã nhận bản tự đánh giá Chỉ số CCHC năm {participation.year.year} của "
        f"{participation.unit}.",
        url=url,
    )


def returned(*, participation: Participation, count: int, url: str = "") -> None:
    """Round 1 returned `count` leaves to the unit for explanation."""
    notify(
        users=unit_people(participation.unit),
        year=participation.year,
        unit=participation.unit,
        kind=NotificationKind.RETURNED,
        key=f"returned:{participation.pk}",
        text=f"Hội đồng thẩm định đề nghị {participation.unit} giải trình {count} tiêu chí "
        f"Chỉ số CCHC năm {participation.year.year}.",
        url=url,
    )


def published(*, year, url: str = "") -> None:
    """The year's results are public: every participating unit's people hear of it."""
    units = [p.unit for p in Participation.objects.filter(year=year).select_related("unit")]
    people = (
        RoleAssignment.objects.current()
        .filter(unit__in=units, role__in=[Role.CCHC_OFFICER, Role.UNIT_LEADER])
        .select_related("user")
    )
    notify(
        users=[a.user for a in people],
        year=year,
        kind=NotificationKind.PUBLISHED,
        key=f"published:{year.pk}",
        text=f"Đã công bố kết quả Chỉ số CCHC năm {year.year}.",
        url=url,
    )


# Reminders -----------------------------------------------------------------

REMIND_DAYS_BEFORE = 3
UNIT_STAGES = (Stage.SELF, Stage.EXPLANATION)
# who still has work near a window's end: units in these states
WAITING_STATES = {
    Stage.SELF: (ParticipationState.NOT_STARTED, ParticipationState.IN_PROGRESS),
    Stage.ROUND1: (ParticipationState.SUBMITTED, ParticipationState.IN_APPRAISAL),
    Stage.EXPLANATION: (ParticipationState.RETURNED,),
    Stage.ROUND2: (ParticipationState.EXPLAINED,),
}


def _url(name: str, *args, fallback: str = "cchc_landing", fallback_args=()) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return reverse(fallback, args=fallback_args)


def unit_url(year, unit) -> str:
    """The unit's workspace of the year (the landing page until it exists)."""
    return _url("par_assessment", year.year, unit.slug)


def appraisal_url(year) -> str:
    return _url("par_appraisal", year.year, fallback="par_year_detail", fallback_args=(year.year,))


def _fmt(day) -> str:
    return day.strftime("%d/%m/%Y")


def reminders(*, now=None) -> list[Notification]:
    """The day's reminders of every open year: a window opens today, or ends in three
    days for those who still have work in it (a unit's extension moves its day).
    Idempotent: run it as often as you like, each reminder is stored once."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    created: list[Notification] = []
    for year in EvaluationYear.objects.filter(status=YearStatus.OPEN):
        created += _year_reminders(year, today)
    return created


def _year_reminders(year: EvaluationYear, today) -> list[Notification]:
    participations = list(Participation.objects.filter(year=year).select_related("unit"))
    extensions: dict[tuple[int, str], object] = {
        (unit_id, stage): ends_on
        for unit_id, stage, ends_on in WindowExtension.objects.filter(year=year).values_list(
            "unit_id", "stage", "ends_on"
        )
    }
    people: dict[int, list] = {}
    for a in (
        RoleAssignment.objects.current()
        .filter(
            unit__in=[p.unit_id for p in participations],
            role__in=[Role.CCHC_OFFICER, Role.UNIT_LEADER],
        )
        .select_related("user")
    ):
        people.setdefault(a.unit_id, []).append(a.user)
    council = None
    created: list[Notification] = []
    for stage in Stage:
        start, end = year.window(stage)
        label = stage.label.lower()
        if stage in UNIT_STAGES:
            for p in participations:
                users = people.get(p.unit_id, [])
                if not users:
                    continue
                concerned = stage == Stage.SELF or p.state in WAITING_STATES[stage]
                unit_end = max(end, extensions.get((p.unit_id, stage.value), end))
                if today == start and concerned:
                    created += notify(
                        users=users,
                        year=year,
                        unit=p.unit,
                        kind=NotificationKind.WINDOW_OPENS,
                        key=f"opens:{year.pk}:{stage.value}:{p.unit_id}",
                        text=f"Bắt đầu {label} Chỉ số CCHC năm {year.year} của {p.unit}: "
                        f"từ {_fmt(start)} đến {_fmt(unit_end)}.",
                        url=unit_url(year, p.unit),
                    )
                if (
                    p.state in WAITING_STATES[stage]
                    and (unit_end - today).days == REMIND_DAYS_BEFORE
                ):
                    created += notify(
                        users=users,
                        year=year,
                        unit=p.unit,
                        kind=NotificationKind.DEADLINE_SOON,
                        key=f"deadline:{year.pk}:{stage.value}:{p.unit_id}:{unit_end.isoformat()}",
                        text=f"Còn {REMIND_DAYS_BEFORE} ngày: hạn {label} Chỉ số CCHC năm "
                        f"{year.year} của {p.unit} là {_fmt(unit_end)}.",
                        url=unit_url(year, p.unit),
                    )
            continue
        # appraisal rounds: the evaluating departments' appraisers and Sở Nội vụ
        waiting = [p for p in participations if p.state in WAITING_STATES[stage]]
        opens = today == start
        due = (end - today).days == REMIND_DAYS_BEFORE and waiting
        if not (opens or due):
            continue
        if council is None:
            council = appraisal_council(year)
        if opens:
            created += notify(
                users=council,
                year=year,
                kind=NotificationKind.WINDOW_OPENS,
                key=f"opens:{year.pk}:{stage.value}",
                text=f"Bắt đầu {label} Chỉ số CCHC năm {year.year}: "
                f"từ {_fmt(start)} đến {_fmt(end)}.",
                url=appraisal_url(year),
            )
        if due:
            created += notify(
                users=council,
                year=year,
                kind=NotificationKind.DEADLINE_SOON,
                key=f"deadline:{year.pk}:{stage.value}:{end.isoformat()}",
                text=f"Còn {REMIND_DAYS_BEFORE} ngày: hạn {label} Chỉ số CCHC năm {year.year} "
                f"là {_fmt(end)}; {len(waiting)} đơn vị đang chờ.",
                url=appraisal_url(year),
            )
    return created


def appraisal_council(year: EvaluationYear) -> list:
    """The appraisers of the year's evaluating departments and the administrators."""
    departments = list(year.evaluators.values_list("department_id", flat=True))
    return [
        a.user
        for a in RoleAssignment.objects.current()
        .filter(Q(role=Role.APPRAISER, unit__in=departments) | Q(role=Role.ADMIN))
        .select_related("user")
    ]


def notification_read(*, user, notification_id: int) -> Notification | None:
    """Mark the user's own notification read (once); None when it is not theirs."""
    found = Notification.objects.filter(pk=notification_id, user=user).first()
    if found is not None and found.read_at is None:
        Notification.objects.filter(pk=found.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    return found
