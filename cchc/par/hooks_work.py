"""The PAR Index's part of the landing page ("Việc của tôi"): the WORK_ITEMS hook.

What the user has to do in the open year, in a fixed number of queries whatever
the number of units: the self-assessment of their units (state, leaves done,
deadline), the explanations asked of them, the units waiting for their
appraisal, and their newest unread notifications.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse

from cchc import access
from cchc.org.models import Role
from cchc.par.models import (
    AreaEvaluator,
    EvaluationYear,
    Notification,
    Participation,
    ParticipationState,
    Stage,
    WindowExtension,
    YearStatus,
)

UNIT_PAR_ROLES = (Role.CCHC_OFFICER, Role.UNIT_LEADER)
NOTIFICATIONS_SHOWN = 5
ROUND1_WAITING = (ParticipationState.SUBMITTED, ParticipationState.IN_APPRAISAL)
ROUND2_WAITING = (ParticipationState.EXPLAINED,)


def _fmt(day) -> str:
    return day.strftime("%d/%m/%Y")


def _url(name: str, args, fallback_args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return reverse("par_year_detail", args=fallback_args)


def work_items(*, user) -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    assigned = access.assignments(user)
    items: list[dict] = []
    years = list(EvaluationYear.objects.filter(status=YearStatus.OPEN).order_by("year"))
    if years:
        unit_ids = {a.unit_id for a in assigned if a.role in UNIT_PAR_ROLES and a.unit_id}
        if unit_ids:
            items += _unit_items(years, unit_ids)
        items += _appraisal_items(user, years, assigned)
    items += [
        # Through the notification's own address, which marks it read on the way.
        {"title": "Thông báo", "text": n.text, "url": reverse("par_notification_open", args=[n.pk])}
        for n in Notification.objects.filter(user=user, read_at__isnull=True)[:NOTIFICATIONS_SHOWN]
    ]
    return items


def _unit_items(years, unit_ids) -> list[dict]:
    done = Q(entries__exempt=True) | Q(entries__self_points__isnull=False)
    participations = list(
        Participation.objects.filter(year__in=years, unit_id__in=unit_ids)
        .select_related("unit", "year")
        .annotate(
            leaves=Count("entries"),
            done=Count("entries", filter=done),
            returned_leaves=Count("entries", filter=Q(entries__r1_decision="returned")),
        )
        .order_by("year__year", "unit__name")
    )
    extended = {
        (x.year_id, x.unit_id, x.stage): x.ends_on
        for x in WindowExtension.objects.filter(year__in=years, unit_id__in=unit_ids)
    }
    items = []
    for p in participations:
        year, unit = p.year, p.unit

        def end(stage, year=year, unit=unit):
            default = year.window(stage)[1]
            return max(default, extended.get((year.pk, unit.pk, stage.value), default))

        url = _url("par_assessment", [year.year, unit.slug], [year.year])
        if p.state == ParticipationState.RETURNED:
            items.append(
                {
                    "title": f"Giải trình Chỉ số CCHC năm {year.year} – {unit.name}",
                    "text": f"{p.returned_leaves} tiêu chí được đề nghị giải trình, bổ sung; "
                    f"hạn {_fmt(end(Stage.EXPLANATION))}.",
                    "url": url,
                }
            )
            continue
        text = f"{p.get_state_display()}: {p.done}/{p.leaves} tiêu chí đã chấm"
        if p.unit_may_edit:
            text += f"; hạn gửi {_fmt(end(Stage.SELF))}"
        items.append(
            {
                "title": f"Tự đánh giá Chỉ số CCHC năm {year.year} – {unit.name}",
                "text": text + ".",
                "url": url,
            }
        )
    return items


def _appraisal_items(user, years, assigned) -> list[dict]:
    everywhere = user.is_superuser or any(a.role == Role.ADMIN for a in assigned)
    departments = {a.unit_id for a in assigned if a.role == Role.APPRAISER and a.unit_id}
    if not (everywhere or departments):
        return []
    areas: dict[int, list[str]] = {}
    if not everywhere:
        for year_id, code in AreaEvaluator.objects.filter(
            year__in=years, department_id__in=departments
        ).values_list("year_id", "area_code"):
            areas.setdefault(year_id, []).append(code)
        if not areas:
            return []
    counts = {
        year_id: (r1, r2)
        for year_id, r1, r2 in Participation.objects.filter(year__in=years)
        .exclude(unit_id__in=departments)
        .values("year_id")
        .annotate(
            r1=Count("pk", filter=Q(state__in=ROUND1_WAITING)),
            r2=Count("pk", filter=Q(state__in=ROUND2_WAITING)),
        )
        .values_list("year_id", "r1", "r2")
        .order_by()
    }
    items = []
    for year in years:
        if not everywhere and year.pk not in areas:
            continue
        r1, r2 = counts.get(year.pk, (0, 0))
        scope = (
            "mọi lĩnh vực"
            if everywhere
            else "lĩnh vực " + ", ".join(sorted(areas[year.pk], key=_area_key))
        )
        items.append(
            {
                "title": f"Thẩm định Chỉ số CCHC năm {year.year} ({scope})",
                "text": f"{r1} đơn vị chờ thẩm định vòng 1 (hạn {_fmt(year.round1_end)}), "
                f"{r2} đơn vị chờ thẩm định vòng 2 (hạn {_fmt(year.round2_end)}).",
                "url": _url("par_appraisal", [year.year], [year.year]),
            }
        )
    return items


def _area_key(code: str):
    return [int(p) if p.isdigit() else p for p in code.split(".")]
