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
from django.utils import timezone

from cchc.org.models import Role, RoleAssignment
from cchc.par.models import Notification, NotificationKind, Participation


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
