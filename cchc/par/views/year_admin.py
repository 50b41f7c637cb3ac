"""Back-office screens of the evaluation year for Sở Nội vụ (/quan-tri/chi-so-cchc/…).

The year list, opening a year, its detail (windows, area evaluators and their
appraisers, the units and their states, extensions, exemptions) and the
administrator's changes: windows and evaluators, a unit's extension, a criterion
not applicable to a unit. Reading is for the council (VIEW_PAR_RESULTS: the
administrator, the provincial leader, appraisers); every change is MANAGE_PAR.
"""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import path, reverse

from cchc import access
from cchc.access import Action
from cchc.lib.collation import vi_sorted
from cchc.lib.forms import apply_validation_error
from cchc.lib.menus import ActionMenuItem
from cchc.org.models import Role, RoleAssignment, Unit
from cchc.par import forms_year as f
from cchc.par.models import (
    Entry,
    EvaluationYear,
    Participation,
    ParticipationState,
    Stage,
    WindowExtension,
)
from cchc.par.services import year as services


def _year_or_404(year: int) -> EvaluationYear:
    found = EvaluationYear.objects.filter(year=year).first()
    if found is None:
        raise access.not_found()
    return found


def _read(request) -> bool:
    """Council members read; a POST needs MANAGE_PAR. Returns whether the user manages."""
    access.require(request.user, Action.VIEW_PAR_RESULTS)
    manages = access.can(request.user, Action.MANAGE_PAR)
    if request.method == "POST" and not manages:
        raise access.denied()
    return manages


def year_list(request):
    can_manage = _read(request)
    years = list(EvaluationYear.objects.order_by("-year"))
    counts: dict[int, Counter] = {}
    for year_id, state, n in (
        Participation.objects.values_list("year_id", "state").annotate(n=Count("pk")).order_by()
    ):
        counts.setdefault(year_id, Counter())[state] = n
    rows = [
        {
            "year": y,
            "windows": [(s.label, *y.window(s)) for s in Stage],
            "states": [
                (state.label, counts.get(y.pk, Counter())[state])
                for state in ParticipationState
                if counts.get(y.pk, Counter())[state]
            ],
            "total": sum(counts.get(y.pk, Counter()).values()),
        }
        for y in years
    ]
    return render(request, "par/year_list.html", {"rows": rows, "can_manage": can_manage})


def year_open(request):
    access.require(request.user, Action.MANAGE_PAR)
    number = request.POST.get("year") or request.GET.get("nam")
    chooser = f.YearChooseForm({"year": number} if number else None)
    if not number or not chooser.is_valid():
        return render(request, "par/year_open.html", {"chooser": chooser})
    year = chooser.cleaned_data["year"]
    if EvaluationYear.objects.filter(year=year).exists():
        messages.error(request, f"Kỳ đánh giá năm {year} đã được mở.")
        return redirect("par_year_detail", year=year)
    units = services.default_units()
    sets = {}
    for unit_type in sorted({u.unit_type for u in units}):
        try:
            sets.update(services.default_sets(year, [unit_type]))
        except ValidationError:
            pass
    areas = f.year_areas(year)
    form = f.YearOpenForm(
        request.POST if request.method == "POST" else None,
        year=year,
        units=units,
        sets=sets,
        areas=areas,
        evaluators=services.default_evaluators(sets.values()) if sets else {},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            opened = services.year_open(
                actor=request.user,
                year=year,
                title=data["title"],
                windows=f.windows_of(data),
                units=data["unit_objects"],
                sets=data["sets"],
                evaluators=f.evaluators_of(form, areas),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                f"Đã mở kỳ đánh giá năm {opened.year} cho {len(data['unit_objects'])} đơn vị.",
            )
            return redirect("par_year_detail", year=opened.year)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "par/year_open.html", {"form": form, "year": year, "areas": areas}, status=status
    )


def year_detail(request, year: int):
    can_manage = _read(request)
    evaluation_year = _year_or_404(year)
    context = _detail_context(evaluation_year, can_manage=can_manage)
    context["can_view_audit"] = access.can(request.user, Action.VIEW_AUDIT)
    return render(request, "par/year_detail.html", context)


def _detail_context(year: EvaluationYear, *, can_manage: bool, extension_form=None) -> dict:
    evaluators = list(year.evaluators.select_related("department"))
    appraisers: dict[int, list] = {}
    for a in (
        RoleAssignment.objects.current()
        .filter(role=Role.APPRAISER, unit__in=[ae.department_id for ae in evaluators])
        .select_related("user")
    ):
        appraisers.setdefault(a.unit_id, []).append(a.user)
    participations = vi_sorted(
        Participation.objects.filter(year=year).select_related("unit"), key=lambda p: p.unit.name
    )
    extensions = list(
        WindowExtension.objects.filter(year=year).select_related("unit").order_by("unit__name")
    )
    exempt = list(
        Entry.objects.filter(participation__year=year, exempt=True)
        .select_related("node", "participation__unit")
        .order_by("participation__unit__name", "node__position")
    )
    states = Counter(p.state for p in participations)
    units = [p.unit for p in participations]
    return {
        "year": year,
        "windows": [(s, s.label, *year.window(s)) for s in Stage],
        "evaluators": [
            (ae, vi_sorted(appraisers.get(ae.department_id, []), key=lambda u: u.get_full_name()))
            for ae in evaluators
        ],
        "participations": participations,
        "states": [(s.label, states[s]) for s in ParticipationState if states[s]],
        "extensions": extensions,
        "exempt": exempt,
        "can_manage": can_manage and year.is_open,
        "extension_form": extension_form or f.ExtensionForm(units=units),
        "roles_url": reverse("wagtailsnippets_org_roleassignment:list") + "?role=appraiser",
    }


def year_edit(request, year: int):
    access.require(request.user, Action.MANAGE_PAR)
    evaluation_year = _year_or_404(year)
    if not evaluation_year.is_open:
        messages.error(request, f"Kỳ đánh giá năm {year} đã chốt kết quả; không thể sửa.")
        return redirect("par_year_detail", year=year)
    evaluators = list(evaluation_year.evaluators.select_related("department"))
    form = f.YearUpdateForm(
        request.POST if request.method == "POST" else None,
        year=evaluation_year,
        evaluators=evaluators,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.year_update(
                actor=request.user,
                year=evaluation_year,
                version=form.cleaned_data["version"],
                windows=f.windows_of(form.cleaned_data),
                evaluators=f.evaluators_of(form, form.areas),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"Đã lưu kỳ đánh giá năm {year}.")
            return redirect("par_year_detail", year=year)
    return render(
        request,
        "par/year_edit.html",
        {"form": form, "year": evaluation_year},
        status=422 if request.method == "POST" else 200,
    )


def year_extend(request, year: int):
    access.require(request.user, Action.MANAGE_PAR)
    evaluation_year = _year_or_404(year)
    units = vi_sorted(Unit.objects.filter(par_participations__year=evaluation_year).order_by())
    form = f.ExtensionForm(request.POST if request.method == "POST" else None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            extension = services.window_extend(
                actor=request.user,
                year=evaluation_year,
                unit=form.units_by_pk[data["unit"]],
                stage=data["stage"],
                ends_on=data["ends_on"],
                reason=data["reason"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"Đã gia hạn: {extension}.")
            return redirect("par_year_detail", year=year)
    return render(
        request,
        "par/year_extend.html",
        {"form": form, "year": evaluation_year},
        status=422 if request.method == "POST" else 200,
    )


def year_exemptions(request, year: int, slug: str):
    can_manage = _read(request)
    evaluation_year = _year_or_404(year)
    participation = (
        Participation.objects.filter(year=evaluation_year, unit__slug=slug)
        .select_related("unit", "year")
        .first()
    )
    if participation is None:
        raise access.not_found()
    entries = list(
        Entry.objects.filter(participation=participation)
        .select_related("node")
        .order_by("node__position")
    )
    failed = None
    if request.method == "POST":
        form = f.ExemptForm(request.POST)
        by_pk = {e.pk: e for e in entries}
        if form.is_valid() and form.cleaned_data["entry"] in by_pk:
            entry = by_pk[form.cleaned_data["entry"]]
            entry.participation = participation
            try:
                services.entry_exempt(
                    actor=request.user,
                    entry=entry,
                    exempt=form.cleaned_data["exempt"],
                    reason=form.cleaned_data["reason"],
                    version=form.cleaned_data["version"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                state = "không áp dụng" if entry.exempt else "áp dụng trở lại"
                messages.success(request, f"Tiêu chí {entry.node.code}: {state}.")
                return redirect("par_year_exemptions", year=year, slug=slug)
        elif form.is_valid():
            raise access.not_found()
        failed = form
    rows = []
    for entry in entries:
        if failed is not None and str(entry.pk) == str(failed.data.get("entry")):
            rows.append((entry, failed))
        else:
            rows.append(
                (
                    entry,
                    f.ExemptForm(
                        initial={
                            "entry": entry.pk,
                            "version": entry.version,
                            "exempt": "0" if entry.exempt else "1",
                        },
                        prefix=None,
                    ),
                )
            )
    return render(
        request,
        "par/year_exemptions.html",
        {
            "year": evaluation_year,
            "participation": participation,
            "rows": rows,
            "can_manage": can_manage and evaluation_year.is_open,
            "can_view_audit": access.can(request.user, Action.VIEW_AUDIT),
        },
        status=422 if failed is not None else 200,
    )


urlpatterns = [
    path("chi-so-cchc/ky-danh-gia/", year_list, name="par_years"),
    path("chi-so-cchc/ky-danh-gia/mo/", year_open, name="par_year_open"),
    path("chi-so-cchc/<int:year>/", year_detail, name="par_year_detail"),
    path("chi-so-cchc/<int:year>/sua/", year_edit, name="par_year_edit"),
    path("chi-so-cchc/<int:year>/gia-han/", year_extend, name="par_year_extend"),
    path(
        "chi-so-cchc/<int:year>/khong-ap-dung/<slug:slug>/",
        year_exemptions,
        name="par_year_exemptions",
    ),
]


def menu_item():
    return ActionMenuItem(
        "Kỳ đánh giá Chỉ số CCHC",
        reverse("par_years"),
        icon_name="date",
        order=201,
        action=Action.VIEW_PAR_RESULTS,
    )
