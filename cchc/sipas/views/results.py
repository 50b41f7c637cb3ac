"""A survey's results (/quan-tri/khao-sat-sipas/<năm>/ket-qua/…).

- the province overview (VIEW_SURVEY: Sở Nội vụ, provincial leaders): per unit type
  the mean index, bands, element means and a chart; every unit's responses, response
  rate, index, margin of error and area-9 points; the Excel export;
- one unit's results (VIEW_SURVEY_RESULTS: also the unit's own officer and leader);
- the feed into area 9 of the PAR year (one POST; MANAGE_SURVEY and MANAGE_PAR).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from cchc import access
from cchc.access import Action
from cchc.lib import downloads
from cchc.lib.forms import flash_validation_error
from cchc.lib.menus import ActionMenuItem
from cchc.org.selectors import unit_get_for_user
from cchc.par.models import EvaluationYear
from cchc.sipas import charts, export
from cchc.sipas import selectors_results as sr
from cchc.sipas.models import Survey
from cchc.sipas.selectors import current_survey, survey_get_for_user
from cchc.sipas.services import results as services


class _Broken(Exception):
    pass


def _results(request, survey: Survey, *, select=sr.survey_results, **kwargs) -> sr.Results:
    try:
        return select(survey, **kwargs)
    except ValidationError as exc:  # a broken formula: say so, not a server error
        flash_validation_error(request, exc)
        raise _Broken from exc


def results_home(request):
    """The menu's target: the province overview, or the user's own unit's results."""
    access.require_anywhere(request.user, Action.VIEW_SURVEY_RESULTS)
    survey = current_survey()
    if survey is None:
        messages.info(request, "Chưa có đợt khảo sát SIPAS nào.")
        return redirect("wagtailadmin_home")
    if access.can(request.user, Action.VIEW_SURVEY):
        return redirect("sipas_results", year=survey.year)
    units = access.user_units(request.user)
    return redirect("sipas_results_unit", year=survey.year, slug=units[0].slug)


def results_overview(request, year: int):
    survey = survey_get_for_user(request.user, year, action=Action.VIEW_SURVEY)
    try:
        results = _results(request, survey)
    except _Broken:
        return redirect("sipas_surveys")
    can_feed = access.can(request.user, Action.MANAGE_SURVEY) and access.can(
        request.user, Action.MANAGE_PAR
    )
    return render(
        request,
        "sipas/results_overview.html",
        {
            "survey": survey,
            "results": results,
            "formula": results.formula,
            "sections": [(s, charts.units_chart(s)) for s in results.sections],
            "par_year": EvaluationYear.objects.filter(year=survey.year).first()
            if can_feed
            else None,
            "can_feed": can_feed,
            "page_title": f"Kết quả khảo sát SIPAS năm {survey.year}",
        },
    )


def results_unit(request, year: int, slug: str):
    unit = unit_get_for_user(request.user, slug, action=Action.VIEW_SURVEY_RESULTS)
    survey = Survey.objects.filter(year=year).first()
    if survey is None:
        raise access.not_found()
    try:
        # its type's too: the page sets the unit beside its type's means
        results = _results(request, survey, select=sr.results_with_its_type, unit=unit)
    except _Broken:
        return redirect("wagtailadmin_home")
    row = results.row(unit.pk)
    if row is None:
        raise access.not_found()
    section = results.section(unit.unit_type)
    type_means = {e.code: mean for e, mean in section.element_means}
    texts = {
        i["code"]: i["text"]
        for e in (row.questionnaire.elements if row.questionnaire else [])
        for i in e["items"]
    }
    return render(
        request,
        "sipas/results_unit.html",
        {
            "survey": survey,
            "unit": unit,
            "row": row,
            "elements": [
                (e, type_means.get(e.code), [(i, texts.get(i.code, "")) for i in e.items])
                for e in row.result.elements
            ],
            "section": section,
            "formula": results.formula,
            "chart": charts.elements_chart(row),
            "sees_province": access.can(request.user, Action.VIEW_SURVEY),
            "page_title": f"Kết quả khảo sát SIPAS năm {survey.year}: {unit.name}",
        },
    )


def results_export(request, year: int):
    survey = survey_get_for_user(request.user, year, action=Action.VIEW_SURVEY)
    try:
        results = _results(request, survey)
    except _Broken:
        return redirect("sipas_surveys")
    return downloads.file_response(
        export.results_workbook(results),
        filename=f"ket-qua-sipas-{survey.year}.xlsx",
        content_type=downloads.XLSX,
    )


@require_POST
def results_feed(request, year: int):
    survey = survey_get_for_user(request.user, year, action=Action.MANAGE_SURVEY)
    access.require(request.user, Action.MANAGE_PAR)
    par_year = EvaluationYear.objects.filter(year=survey.year).first()
    if par_year is None:
        messages.error(request, f"Chưa có kỳ đánh giá Chỉ số CCHC năm {survey.year}.")
        return redirect("sipas_results", year=year)
    try:
        fed = services.results_feed(actor=request.user, survey=survey, year=par_year)
    except ValidationError as exc:
        flash_validation_error(request, exc)
    else:
        first, *rest = services.describe(fed)
        messages.success(request, first)
        for line in rest:
            messages.warning(request, line)
    return redirect("sipas_results", year=year)


urlpatterns = [
    path("khao-sat-sipas/ket-qua/", results_home, name="sipas_results_home"),
    path("khao-sat-sipas/<int:year>/ket-qua/", results_overview, name="sipas_results"),
    path("khao-sat-sipas/<int:year>/ket-qua/excel/", results_export, name="sipas_results_export"),
    path("khao-sat-sipas/<int:year>/ket-qua/chuyen-diem/", results_feed, name="sipas_results_feed"),
    path(
        "khao-sat-sipas/<int:year>/ket-qua/don-vi/<slug:slug>/",
        results_unit,
        name="sipas_results_unit",
    ),
]


def menu_item() -> ActionMenuItem:
    return ActionMenuItem(
        "Kết quả SIPAS",
        reverse("sipas_results_home"),
        icon_name="table",
        order=245,
        action=Action.VIEW_SURVEY_RESULTS,
    )
