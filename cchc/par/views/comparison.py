"""Last year's published figures for the comparison columns of a year's results.

The first year run in the platform has no stored previous year; Sở Nội vụ types in
what it published then (each area's component index, the average), per unit type,
and the dashboard and the annual report compare with those figures.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path

from cchc import access
from cchc.access import Action
from cchc.lib.formats import number_vi
from cchc.par.forms_comparison import PreviousFiguresForm
from cchc.par.models import CriteriaNode, EvaluationYear, YearSummary
from cchc.par.selectors.report import FINAL_STATUSES
from cchc.par.services.results import previous_figures_set


def _initial(summary: YearSummary) -> dict:
    stored = summary.previous_published or {}
    initial = {"previous_year": stored.get("year") or summary.year.year - 1}
    if stored.get("average"):
        initial["average"] = number_vi(stored["average"], 4)
    for code, value in stored.get("areas", {}).items():
        initial[f"area_{code}"] = number_vi(value, 4)
    return initial


def previous_figures(request, year: int):
    access.require(request.user, Action.MANAGE_PAR)
    evaluation_year = EvaluationYear.objects.filter(year=year).first()
    if evaluation_year is None:
        raise Http404("Không có kỳ đánh giá năm này.")
    summaries = list(
        YearSummary.objects.filter(year=evaluation_year).select_related("year").order_by("pk")
    )
    sets = dict(evaluation_year.sets.values_list("unit_type", "criteria_set_id"))
    titles: dict[int, list[tuple[str, str]]] = {}
    for set_id, code, title in (
        CriteriaNode.objects.filter(criteria_set_id__in=sets.values(), depth=1)
        .order_by("position")
        .values_list("criteria_set_id", "code", "title")
    ):
        titles.setdefault(set_id, []).append((code, title))
    posted = request.POST.get("unit_type") if request.method == "POST" else None
    forms = []
    for summary in summaries:
        areas = [
            (c, t) for c, t in titles.get(sets.get(summary.unit_type), []) if c in summary.nodes
        ]
        bound = posted == summary.unit_type
        form = PreviousFiguresForm(
            request.POST if bound else None,
            initial=_initial(summary),
            areas=areas,
            year=evaluation_year.year,
            prefix=summary.unit_type,
        )
        if bound and form.is_valid():
            try:
                previous_figures_set(
                    actor=request.user,
                    year=evaluation_year,
                    unit_type=summary.unit_type,
                    previous_year=form.cleaned_data["previous_year"],
                    areas=form.areas(),
                    average=form.cleaned_data["average"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    f"Đã lưu số liệu năm {form.cleaned_data['previous_year']} của khối "
                    f"{summary.get_unit_type_display().lower()}.",
                )
                return redirect("par_previous_figures", year=evaluation_year.year)
        forms.append((summary, form))
    return render(
        request,
        "par/previous_figures.html",
        {
            "year": evaluation_year,
            "forms": forms,
            "final": evaluation_year.status in FINAL_STATUSES,
        },
    )


urlpatterns = [
    path(
        "chi-so-cchc/<int:year>/so-lieu-nam-truoc/",
        previous_figures,
        name="par_previous_figures",
    ),
]
