"""Back-office screens of a year's results (/quan-tri/chi-so-cchc/<năm>/…).

- the council's review list (VIEW_PAR_RESULTS): every unit's totals at the current
  stage as the engine computes them, group, rank, open items; finalise and publish
  buttons for Sở Nội vụ (MANAGE_PAR);
- SIPAS: each unit's index entered one by one, or imported from Excel (MANAGE_PAR);
- the import of unit results (MANAGE_PAR);
- one unit's detailed result with the appraisers' comments (VIEW_ASSESSMENT: the
  unit's own people see it before publication).
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from cchc import access
from cchc.access import Action
from cchc.lib import downloads
from cchc.lib.collation import vi_sorted
from cchc.lib.formats import decimal_vi, number_vi
from cchc.lib.forms import XlsxUploadForm, flash_validation_error
from cchc.lib.menus import ActionMenuItem
from cchc.org.models import UnitType
from cchc.org.selectors import unit_get_for_user
from cchc.par import charts
from cchc.par.engine import AN_GIANG_2023
from cchc.par.io.results import MAX_UPLOAD_BYTES
from cchc.par.models import (
    CriteriaNode,
    Decision,
    Entry,
    EvaluationYear,
    Method,
    Participation,
    ParticipationState,
    UnitResult,
    YearStatus,
)
from cchc.par.selectors import report
from cchc.par.services import results as services
from cchc.par.services import scoring


def _year(number: int) -> EvaluationYear:
    found = EvaluationYear.objects.filter(year=number).first()
    if found is None:
        raise Http404("Không có kỳ đánh giá năm này.")
    return found


def _fmt(value) -> str:
    return "" if value is None else decimal_vi(AN_GIANG_2023.round(Decimal(value)))


def results_home(request):
    """The menu's target: the latest year's review list."""
    access.require(request.user, Action.VIEW_PAR_RESULTS)
    latest = EvaluationYear.objects.order_by("-year").values_list("year", flat=True).first()
    if latest is None:
        messages.info(request, "Chưa có kỳ đánh giá nào.")
        return redirect("wagtailadmin_home")
    return redirect("par_results_review", year=latest)


def _open_items(year: EvaluationYear) -> dict[int, dict[str, int]]:
    """Participation → leaves still undecided / returned without a round 2 decision."""
    rows = (
        Entry.objects.filter(participation__year=year, exempt=False)
        .values("participation_id")
        .annotate(
            undecided=Count("pk", filter=Q(r1_decision="") & ~Q(node__method=Method.SURVEY)),
            returned=Count("pk", filter=Q(r1_decision=Decision.RETURNED, r2_decision="")),
            survey_missing=Count(
                "pk", filter=Q(node__method=Method.SURVEY, self_inputs__isnull=True)
            ),
        )
    )
    return {r["participation_id"]: r for r in rows}


def results_review(request, year: int):
    access.require(request.user, Action.VIEW_PAR_RESULTS)
    evaluation_year = _year(year)
    participations = list(Participation.objects.filter(year=evaluation_year).select_related("unit"))
    stored = evaluation_year.status != YearStatus.OPEN
    if stored:
        results = {str(r.unit_id): r for r in UnitResult.objects.filter(year=evaluation_year)}
        ranks = {key: r.rank for key, r in results.items()}
    else:
        computed = scoring.compute_year(evaluation_year, scoring.APPRAISED)
        results = computed.units
        ranks = {r.unit_id: r.rank for r in computed.ranking}
    items = _open_items(evaluation_year)
    sections = []
    for unit_type, label in UnitType.choices:
        members = [p for p in participations if p.unit.unit_type == unit_type]
        if not members:
            continue
        rows = []
        for p in members:
            result = results.get(str(p.unit_id))
            open_items = items.get(p.pk, {})
            rows.append(
                {
                    "participation": p,
                    "unit": p.unit,
                    "total": _fmt(result.total) if result else "",
                    "total_value": result.total if result else Decimal(0),
                    "group": result.group if result else "",
                    "rank": ranks.get(str(p.unit_id), ""),
                    "undecided": open_items.get("undecided", 0),
                    "returned": open_items.get("returned", 0),
                    "survey_missing": open_items.get("survey_missing", 0),
                }
            )
        rows.sort(key=lambda r: (r["rank"] if r["rank"] != "" else 10**6, r["unit"].name))
        sections.append({"unit_type": unit_type, "label": label, "rows": rows})
    waiting = sum(
        1
        for p in participations
        if p.state not in (ParticipationState.APPRAISED, ParticipationState.FINALISED)
    )
    return render(
        request,
        "par/results_review.html",
        {
            "year": evaluation_year,
            "sections": sections,
            "waiting": waiting,
            "stored": stored,
            "can_manage": access.can(request.user, Action.MANAGE_PAR),
            "page_title": f"Kết quả Chỉ số CCHC năm {evaluation_year.year}",
        },
    )


@require_POST
def results_finalise(request, year: int):
    access.require(request.user, Action.MANAGE_PAR)
    evaluation_year = _year(year)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = evaluation_year.version
    try:
        services.year_finalise(actor=request.user, year=evaluation_year, version=version)
    except ValidationError as exc:
        flash_validation_error(request, exc)
    else:
        messages.success(request, f"Đã chốt kết quả Chỉ số CCHC năm {year}.")
    return redirect("par_results_review", year=year)


@require_POST
def results_publish(request, year: int):
    access.require(request.user, Action.MANAGE_PAR)
    evaluation_year = _year(year)
    url = request.build_absolute_uri(reverse("par:results_year", args=[year]))
    try:
        services.year_publish(actor=request.user, year=evaluation_year, url=url)
    except ValidationError as exc:
        flash_validation_error(request, exc)
    else:
        messages.success(request, f"Đã công bố kết quả Chỉ số CCHC năm {year}.")
    return redirect("par_results_review", year=year)


# -- SIPAS ------------------------------------------------------------------------------------


def survey_list(request, year: int):
    access.require(request.user, Action.MANAGE_PAR)
    evaluation_year = _year(year)
    if request.method == "POST":
        return _survey_set(request, evaluation_year)
    entries = vi_sorted(
        Entry.objects.filter(participation__year=evaluation_year, node__method=Method.SURVEY)
        .select_related("participation__unit", "node")
        .order_by("participation__unit__name", "node__position"),
        key=lambda e: e.participation.unit.name,
    )
    # one row per unit: the index is the unit's, set on every survey leaf at once
    codes: dict[int, list[str]] = {}
    first: dict[int, Entry] = {}
    for e in entries:
        codes.setdefault(e.participation_id, []).append(e.node.code)
        first.setdefault(e.participation_id, e)
    rows = [
        {
            "entry": e,
            "unit": e.participation.unit,
            "codes": ", ".join(codes[pk]),
            "index": (e.self_inputs or {}).get("index"),
            "shown": number_vi((e.self_inputs or {}).get("index"), 4)
            if (e.self_inputs or {}).get("index") is not None
            else "",
        }
        for pk, e in first.items()
    ]
    return render(
        request,
        "par/results_survey.html",
        {
            "year": evaluation_year,
            "rows": rows,
            "form": XlsxUploadForm(max_bytes=MAX_UPLOAD_BYTES),
            "page_title": _survey_title(evaluation_year),
        },
    )


def _survey_title(year: EvaluationYear) -> str:
    return f"Chỉ số hài lòng (SIPAS) năm {year.year}"


def _import_title(year: EvaluationYear) -> str:
    return f"Nhập kết quả Chỉ số CCHC năm {year.year}"


def _survey_set(request, year: EvaluationYear):
    participation = (
        Participation.objects.filter(year=year, unit__slug=request.POST.get("unit", ""))
        .select_related("unit", "year")
        .first()
    )
    if participation is None:
        raise Http404
    try:
        services.survey_index_set(
            actor=request.user,
            participation=participation,
            index=request.POST.get("index", ""),
            version=request.POST.get("version") or None,
        )
    except ValidationError as exc:
        flash_validation_error(request, exc)
    else:
        messages.success(request, f"Đã lưu chỉ số SIPAS của {participation.unit}.")
    return redirect("par_survey", year=year.year)


def survey_template(request, year: int):
    access.require(request.user, Action.MANAGE_PAR)
    evaluation_year = _year(year)
    return downloads.file_response(
        services.survey_template(evaluation_year),
        filename=f"chi-so-sipas-{year}.xlsx",
        content_type=downloads.XLSX,
    )


@require_POST
def survey_import(request, year: int):
    access.require(request.user, Action.MANAGE_PAR)
    evaluation_year = _year(year)
    form = XlsxUploadForm(request.POST, request.FILES, max_bytes=MAX_UPLOAD_BYTES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            count = services.survey_import(
                actor=request.user, year=evaluation_year, content=upload.read(), name=upload.name
            )
        except ValidationError as exc:
            return _report(request, evaluation_year, exc, "par/results_survey.html", form)
        messages.success(request, f"Đã nhập chỉ số SIPAS của {count} đơn vị.")
        return redirect("par_survey", year=year)
    return _report(request, evaluation_year, None, "par/results_survey.html", form)


def _report(request, year, exc, template, form):
    return render(
        request,
        template,
        {
            "year": year,
            "form": form,
            "problems": exc.messages if exc else [],
            "rows": None,
            "page_title": _survey_title(year)
            if template.endswith("survey.html")
            else _import_title(year),
        },
        status=422,
    )


# -- results import -----------------------------------------------------------------------------


def results_import(request, year: int):
    access.require(request.user, Action.MANAGE_PAR)
    evaluation_year = _year(year)
    form = XlsxUploadForm(request.POST or None, request.FILES or None, max_bytes=MAX_UPLOAD_BYTES)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            counts = services.results_import(
                actor=request.user, year=evaluation_year, content=upload.read(), name=upload.name
            )
        except ValidationError as exc:
            return _report(request, evaluation_year, exc, "par/results_import.html", form)
        messages.success(
            request,
            f"Đã nhập kết quả của {counts['units']} đơn vị ({counts['entries']} tiêu chí).",
        )
        return redirect("par_results_review", year=year)
    return render(
        request,
        "par/results_import.html",
        {"year": evaluation_year, "form": form, "page_title": _import_title(evaluation_year)},
        status=422 if request.method == "POST" else 200,
    )


def results_template(request, year: int):
    access.require(request.user, Action.MANAGE_PAR)
    evaluation_year = _year(year)
    return downloads.file_response(
        services.results_template(evaluation_year),
        filename=f"ket-qua-chi-so-cchc-{year}.xlsx",
        content_type=downloads.XLSX,
    )


# -- one unit's result ----------------------------------------------------------------------------


def unit_result(request, year: int, slug: str):
    evaluation_year = _year(year)
    unit = unit_get_for_user(request.user, slug, action=Action.VIEW_ASSESSMENT)
    participation = (
        Participation.objects.filter(year=evaluation_year, unit=unit)
        .select_related("unit", "criteria_set", "year")
        .first()
    )
    if participation is None:
        raise access.not_found()
    # A finalised year: the report's row (rank x/N, last year, losses), as the dashboard.
    section = row = None
    if evaluation_year.status in report.FINAL_STATUSES:
        found = report.year_report(evaluation_year).unit(unit.pk)
        if found is not None:
            section, row = found
    if row is not None:
        nodes, total, group = row.nodes, row.total, row.group
    else:
        computed = scoring.compute_participation(participation, scoring.APPRAISED)
        nodes = {c: (n.points, n.applicable_max) for c, n in computed.nodes.items()}
        total, group = computed.total, computed.group
    entries = {
        e.node_id: e
        for e in Entry.objects.filter(participation=participation).select_related("r1_by", "r2_by")
    }
    tree = []
    for node in CriteriaNode.objects.filter(criteria_set=participation.criteria_set).order_by(
        "position"
    ):
        points, applicable = nodes.get(node.code, (None, None))
        entry = entries.get(node.pk)
        lost = applicable - points if points is not None and applicable > points else None
        tree.append(
            {
                "node": node,
                "points": number_vi(points) if points is not None else "",
                "max": number_vi(node.max_points),
                "lost": number_vi(lost) if lost is not None else "",
                "exempt": entry.exempt if entry else False,
                "entry": entry,
                "self_points": number_vi(entry.self_points)
                if entry and entry.self_points is not None
                else "",
            }
        )
    return render(
        request,
        "par/results_unit.html",
        {
            "year": evaluation_year,
            "unit": unit,
            "participation": participation,
            "total": _fmt(total),
            "group": group,
            "section": section,
            "row": row,
            "areas": [(a, row.areas.get(a.code)) for a in section.areas] if row else [],
            "losses": report.unit_losses(section, row) if row else [],
            "profile_chart": charts.profile_chart(row, section) if row and section.areas else "",
            "tree": tree,
        },
    )


urlpatterns = [
    path("chi-so-cchc/ket-qua/", results_home, name="par_results_home"),
    path("chi-so-cchc/<int:year>/ket-qua/", results_review, name="par_results_review"),
    path("chi-so-cchc/<int:year>/ket-qua/chot/", results_finalise, name="par_results_finalise"),
    path("chi-so-cchc/<int:year>/ket-qua/cong-bo/", results_publish, name="par_results_publish"),
    path("chi-so-cchc/<int:year>/ket-qua/nhap/", results_import, name="par_results_import"),
    path("chi-so-cchc/<int:year>/ket-qua/mau/", results_template, name="par_results_template"),
    path("chi-so-cchc/<int:year>/sipas/", survey_list, name="par_survey"),
    path("chi-so-cchc/<int:year>/sipas/mau/", survey_template, name="par_survey_template"),
    path("chi-so-cchc/<int:year>/sipas/nhap/", survey_import, name="par_survey_import"),
    path("chi-so-cchc/<int:year>/don-vi/<slug:slug>/ket-qua/", unit_result, name="par_unit_result"),
]


def menu_item() -> ActionMenuItem:
    return ActionMenuItem(
        "Kết quả Chỉ số CCHC",
        reverse("par_results_home"),
        icon_name="table",
        order=230,
        action=Action.VIEW_PAR_RESULTS,
    )
