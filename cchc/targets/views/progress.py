"""Progress on a plan's targets (/quan-tri/chi-tieu-cchc/…), VIEW_TARGETS.

- the matrix: units × indicators, each cell the latest value and its status in
  colour, sign and words (never colour alone); filtered by unit type. The province
  (Sở Nội vụ, provincial leaders) sees every unit, a unit's people their own units.
  A fixed number of queries whatever the number of units (``selectors.matrix``).
- one indicator of one unit: the series with the target line, the status, every
  version of every value (corrections are kept).
"""

from __future__ import annotations

import math

from django import forms
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone

from cchc import access
from cchc.access import Action
from cchc.lib import charts
from cchc.lib.formats import number_vi
from cchc.lib.menus import ActionMenuItem
from cchc.org.models import UnitType
from cchc.org.selectors import unit_get_for_user
from cchc.targets import progress, selectors
from cchc.targets.models import Plan

# unit types that report (the pre-2025 districts no longer do)
REPORTING_TYPES = [(v, label) for v, label in UnitType.choices if v != UnitType.DISTRICT]


class FilterForm(forms.Form):
    khoi = forms.ChoiceField(
        label="Loại đơn vị", required=False, choices=[("", "Tất cả"), *REPORTING_TYPES]
    )


def _plan(request) -> Plan | None:
    wanted = request.GET.get("nam", "")
    if wanted.isdigit():
        return selectors.plan_get(int(wanted))
    return selectors.default_plan()


def _units(user, plan: Plan, unit_type: str):
    if access.can_on_every_unit(user, Action.VIEW_TARGETS):
        return selectors.plan_units(plan, unit_type)
    return [
        u
        for u in access.user_units(user)
        if access.can(user, Action.VIEW_TARGETS, u) and (not unit_type or u.unit_type == unit_type)
    ]


def matrix(request):
    access.require_anywhere(request.user, Action.VIEW_TARGETS)
    plan = _plan(request)
    form = FilterForm(request.GET or None, label_suffix="")
    unit_type = form.cleaned_data["khoi"] if form.is_bound and form.is_valid() else ""
    context = {
        "plan": plan,
        "plans": list(Plan.objects.order_by("-year").values_list("year", flat=True)),
        "form": form,
        "page_title": "Tiến độ chỉ tiêu cải cách hành chính",
        "statuses": list(progress.Status),
        "can_manage": access.can(request.user, Action.MANAGE_TARGETS),
        "can_see_rankings": access.can_on_every_unit(request.user, Action.VIEW_TARGETS),
    }
    if plan is not None:
        indicators, rows = selectors.matrix(
            plan, _units(request.user, plan, unit_type), timezone.localdate()
        )
        context |= {"indicators": indicators, "rows": rows, "unit_type": unit_type}
    return render(request, "targets/matrix.html", context)


def _chart(indicator, values, target) -> str:
    current = sorted((v for v in values if v.current), key=lambda v: v.period_start)
    if not current:
        return ""
    labels = [f"{v.period_start:%m/%Y}" for v in current]
    figures = [selectors.figure(indicator, v.numerator, v.denominator) for v in current]
    points = [float(f) if f is not None else math.nan for f in figures]
    series = [("Số liệu", points)]
    if target is not None:
        series.append((f"Chỉ tiêu ({number_vi(target)})", [float(target)] * len(points)))
    return charts.line_chart(labels=labels, series=series, ylabel=indicator.get_measure_display())


def detail(request, year: int, slug: str, code: str):
    unit = unit_get_for_user(request.user, slug, action=Action.VIEW_TARGETS)
    plan = selectors.plan_get(year)
    indicator = plan.indicators.filter(code=code).first()
    if indicator is None:
        raise access.not_found()
    target = selectors.targets_of([indicator])[indicator.pk].for_unit(unit)
    values = selectors.history(indicator, unit)
    series = [
        (v.period_end, selectors.figure(indicator, v.numerator, v.denominator))
        for v in values
        if v.current
    ]
    today = timezone.localdate()
    found = (
        progress.status(series, target, indicator.direction, indicator.deadline, today)
        if target is not None
        else None
    )
    projected = progress.projection(series, indicator.deadline)
    rows = [
        {
            "value": v,
            "figure": selectors.figure(indicator, v.numerator, v.denominator),
        }
        for v in values
    ]
    return render(
        request,
        "targets/detail.html",
        {
            "plan": plan,
            "unit": unit,
            "indicator": indicator,
            "target": target,
            "status": found,
            "projected": projected,
            "rows": rows,
            "chart": _chart(indicator, values, target),
            "can_report": access.can(request.user, Action.REPORT_TARGETS, unit),
            "page_title": indicator.name,
        },
    )


urlpatterns = [
    path("chi-tieu-cchc/", matrix, name="targets_matrix"),
    path("chi-tieu-cchc/<int:year>/don-vi/<slug:slug>/<slug:code>/", detail, name="targets_detail"),
]


def menu_item() -> ActionMenuItem:
    return ActionMenuItem(
        "Chỉ tiêu CCHC",
        reverse("targets_matrix"),
        icon_name="table",
        order=260,
        action=Action.VIEW_TARGETS,
    )
