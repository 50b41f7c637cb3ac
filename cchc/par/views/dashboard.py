"""The leaders' dashboard of a year's results (/quan-tri/chi-so-cchc/<năm>/tong-quan/…).

- the year's overview: per unit type the average and spread, units per group, the
  component indices by area beside last year's (table and chart), the distribution
  of totals, the biggest risers and fallers, and where the province loses the most
  points, each criterion with the units that lost them;
- one criterion: every unit's points, maximum and points lost, most lost first.

Every number comes from ``cchc.par.selectors.report`` (what finalising stored) and
every chart from ``cchc.par.charts``, as in the Word/PDF report: a fixed number of
queries whatever the number of units. A year not finalised yet has no stored
results: the page says so and links the council's review screen, with the count of
units still waiting. VIEW_PAR_RESULTS (Sở Nội vụ, provincial leaders, appraisers).
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.urls import path, reverse
from django.utils.http import urlencode

from cchc import access
from cchc.access import Action
from cchc.lib.menus import ActionMenuItem
from cchc.org.models import UnitType
from cchc.par import charts
from cchc.par.models import EvaluationYear, Participation, ParticipationState
from cchc.par.selectors import report
from cchc.par.views.results import _open_items, _year

GROUPS = ("A", "B", "C")
MOVERS = 5
# Units listed under a criterion on the dashboard; its own page lists them all.
LOSS_UNITS = 10


class FilterForm(forms.Form):
    khoi = forms.ChoiceField(
        label="Khối",
        required=False,
        choices=[("", "Tất cả các khối"), *UnitType.choices[1:]],
    )
    nhom = forms.ChoiceField(
        label="Nhóm xếp loại",
        required=False,
        choices=[("", "Tất cả các nhóm"), *[(g, f"Nhóm {g}") for g in GROUPS]],
    )


def _filters(request) -> tuple[FilterForm, str, str]:
    form = FilterForm(request.GET or None, label_suffix="")
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["khoi"], form.cleaned_data["nhom"]
    return form, "", ""


def _query(unit_type: str = "", group: str = "") -> str:
    pairs = {k: v for k, v in (("khoi", unit_type), ("nhom", group)) if v}
    return f"?{urlencode(pairs)}" if pairs else ""


def _years() -> list[tuple[int, str]]:
    return list(EvaluationYear.objects.order_by("-year").values_list("year", "status"))


def _report_panel(year: EvaluationYear) -> dict:
    """The "Báo cáo" panel (built with the report jobs), when it is installed."""
    try:
        select_template(["par/_report_jobs.html"])
        from cchc.par.selectors.reports import report_jobs
    except (TemplateDoesNotExist, ImportError):
        return {"report_panel": False}
    return {"report_panel": True, "jobs": report_jobs(year)}


def dashboard_home(request):
    """The menu's target, and the year chooser's: the chosen or the latest year."""
    access.require(request.user, Action.VIEW_PAR_RESULTS)
    years = _years()
    if not years:
        messages.info(request, "Chưa có kỳ đánh giá nào.")
        return redirect("wagtailadmin_home")
    wanted = request.GET.get("nam", "")
    chosen = next((y for y, _ in years if str(y) == wanted), None)
    if chosen is None:
        # the latest year with results, else the latest year
        chosen = next((y for y, s in years if s in report.FINAL_STATUSES), years[0][0])
    _, unit_type, group = _filters(request)
    return redirect(reverse("par_dashboard", args=[chosen]) + _query(unit_type, group))


def _not_finalised(request, year: EvaluationYear, exc: report.NotFinalised):
    participations = list(Participation.objects.filter(year=year).select_related("unit"))
    items = _open_items(year)
    waiting = [
        p
        for p in participations
        if p.state not in (ParticipationState.APPRAISED, ParticipationState.FINALISED)
    ]
    open_rows = []
    for p in participations:
        counts = items.get(p.pk, {})
        row = {
            "unit": p.unit,
            "state": p.get_state_display(),
            "undecided": counts.get("undecided", 0),
            "returned": counts.get("returned", 0),
            "survey_missing": counts.get("survey_missing", 0),
        }
        if row["undecided"] or row["returned"] or row["survey_missing"]:
            open_rows.append(row)
    open_rows.sort(key=lambda r: (-(r["undecided"] + r["returned"]), r["unit"].name))
    return render(
        request,
        "par/dashboard.html",
        {
            "year": year,
            "years": _years(),
            "message": str(exc),
            "units": len(participations),
            "waiting": len(waiting),
            "open_rows": open_rows,
            "page_title": f"Tổng quan Chỉ số CCHC năm {year.year}",
            "not_finalised": True,
        },
    )


def _section_view(data: report.YearReport, section: report.Section, group: str) -> dict:
    units = [u for u in section.units if not group or u.group == group]
    narrowed = dataclasses.replace(section, units=units)
    risers, fallers = report.movers(narrowed, MOVERS)
    losses = report.criteria_losses(section, units=units)
    low_high = report.spread(section)
    return {
        "section": section,
        "units": units,
        "low": low_high[0] if low_high else None,
        "high": low_high[1] if low_high else None,
        "reconstructed": sum(1 for u in section.units if u.reconstructed),
        "risers": risers,
        "fallers": fallers,
        "compared": any(u.change is not None for u in section.units),
        "losses": [
            {
                "loss": loss,
                "shown": loss.units[:LOSS_UNITS],
                "more": len(loss.units) - LOSS_UNITS,
                "average": loss.lost / len(units) if units else Decimal(0),
            }
            for loss in losses
        ],
        "bands": charts.bands(narrowed),
        "area_chart": charts.area_chart(section, data.year.year) if section.areas else "",
        "distribution_chart": charts.distribution_chart(narrowed) if units else "",
    }


def dashboard(request, year: int):
    access.require(request.user, Action.VIEW_PAR_RESULTS)
    evaluation_year = _year(year)
    try:
        data = report.year_report(evaluation_year)
    except report.NotFinalised as exc:
        return _not_finalised(request, evaluation_year, exc)
    form, unit_type, group = _filters(request)
    sections = [
        _section_view(data, s, group)
        for s in data.sections
        if not unit_type or s.unit_type == unit_type
    ]
    return render(
        request,
        "par/dashboard.html",
        {
            "year": evaluation_year,
            "years": _years(),
            "data": data,
            "form": form,
            "group": group,
            "unit_type": unit_type,
            "query": _query(unit_type, group),
            "group_query": _query(group=group),
            "sections": sections,
            "page_title": f"Tổng quan Chỉ số CCHC năm {evaluation_year.year}",
            **_report_panel(evaluation_year),
        },
    )


def criterion(request, year: int, unit_type: str, code: str):
    """One criterion of a unit type: each unit's points, maximum and points lost."""
    access.require(request.user, Action.VIEW_PAR_RESULTS)
    evaluation_year = _year(year)
    try:
        data = report.year_report(evaluation_year)
    except report.NotFinalised as exc:
        return _not_finalised(request, evaluation_year, exc)
    section = data.section(unit_type)
    if section is None or code not in section.titles:
        raise access.not_found()
    form, _, group = _filters(request)
    rows = []
    for u in section.units:
        if group and u.group != group:
            continue
        value = u.nodes.get(code)
        points, applicable = value if value is not None else (None, None)
        lost = applicable - points if value is not None else None
        rows.append({"row": u, "points": points, "max": applicable, "lost": lost})
    rows.sort(
        key=lambda r: (r["lost"] is None, -(r["lost"] or 0), r["row"].rank, r["row"].unit.name)
    )
    scored = [r for r in rows if r["lost"] is not None]
    depth = code.count(".") + 1
    children = [
        loss
        for loss in report.criteria_losses(
            section, depth=depth + 1, units=[r["row"] for r in scored]
        )
        if loss.code.startswith(f"{code}.")
    ]
    parent = code.rsplit(".", 1)[0] if "." in code else None
    return render(
        request,
        "par/dashboard_criterion.html",
        {
            "year": evaluation_year,
            "section": section,
            "code": code,
            "title": section.titles[code],
            "parent": parent,
            "parent_title": section.titles.get(parent, "") if parent else "",
            "form": form,
            "group": group,
            "group_query": _query(group=group),
            "rows": rows,
            "maximum": max((r["max"] for r in scored), default=None),
            "lost": sum((r["lost"] for r in scored), Decimal(0)),
            "losing": sum(1 for r in scored if r["lost"] > 0),
            "average": (
                data.policy.round(sum((r["points"] for r in scored), Decimal(0)) / len(scored))
                if scored
                else None
            ),
            "children": children,
            "page_title": f"Tiêu chí {code} – Chỉ số CCHC năm {evaluation_year.year}",
        },
    )


urlpatterns = [
    path("chi-so-cchc/tong-quan/", dashboard_home, name="par_dashboard_home"),
    path("chi-so-cchc/<int:year>/tong-quan/", dashboard, name="par_dashboard"),
    path(
        "chi-so-cchc/<int:year>/tong-quan/<str:unit_type>/tieu-chi/<str:code>/",
        criterion,
        name="par_dashboard_criterion",
    ),
]


def menu_item() -> ActionMenuItem:
    return ActionMenuItem(
        "Tổng quan Chỉ số CCHC",
        reverse("par_dashboard_home"),
        icon_name="view",
        order=225,
        action=Action.VIEW_PAR_RESULTS,
    )
