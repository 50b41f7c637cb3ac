"""Cases and samples (/quan-tri/khao-sat-sipas/<năm>/…): the per-unit overview, the cases
import and its template, the draw, each unit's sample, a refusal.

Everyone who sees surveys reads the overview and the samples; a unit's people get 404.
Only Sở Nội vụ (MANAGE_SURVEY) imports, draws and records refusals (others 403), and
only they see the contact data of the sampled people: it is not even read for others.
The overview and a sample list take a fixed number of queries whatever the units.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from cchc import access
from cchc.access import Action
from cchc.lib import downloads, uploads
from cchc.lib.collation import vi_sorted
from cchc.lib.forms import flash_validation_error
from cchc.org.models import Unit, UnitType
from cchc.sipas import cases_io
from cchc.sipas.models import (
    SURVEYED_UNIT_TYPES,
    Case,
    Draw,
    Respondent,
    RespondentStatus,
    Response,
    Survey,
)
from cchc.sipas.selectors import survey_get_for_user
from cchc.sipas.services import sampling
from cchc.sipas.services.sampling import CONTACT_FIELDS
from cchc.sipas.views.setup import survey_for_reading

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TYPE_ORDER = {UnitType.DEPARTMENT: 0, UnitType.DISTRICT: 1, UnitType.COMMUNE: 2}


@dataclass
class UnitRow:
    unit: Unit
    cases: int = 0
    draw: Draw | None = None
    in_sample: int = 0
    refused: int = 0
    reserves_used: int = 0
    answered: int = 0

    @property
    def reserves_left(self) -> int:
        return self.draw.reserve_size - self.reserves_used if self.draw else 0

    @property
    def rate(self) -> float | None:
        """Answers over the sample drawn (n), as a percentage."""
        return 100 * self.answered / self.draw.sample_size if self.draw else None


def unit_rows(survey: Survey) -> list[UnitRow]:
    """One row per surveyed unit (and any unit with cases): five queries in all."""
    cases = dict(
        Case.objects.filter(survey=survey)
        .values("unit")
        .annotate(n=Count("pk"))
        .values_list("unit", "n")
    )
    units = Unit.objects.filter(
        Q(pk__in=list(cases)) | Q(pk__in=Unit.objects.active().values("pk")),
        unit_type__in=SURVEYED_UNIT_TYPES,
    )
    rows = {u.pk: UnitRow(unit=u, cases=cases.get(u.pk, 0)) for u in units}
    for draw in Draw.objects.filter(survey=survey, current=True):
        if draw.unit_id in rows:
            rows[draw.unit_id].draw = draw
    in_sample = Q(reserve=False) | Q(activated_at__isnull=False)
    counts = (
        Respondent.objects.filter(survey=survey, draw__current=True)
        .values("unit")
        .annotate(
            in_sample=Count("pk", filter=in_sample),
            refused=Count("pk", filter=Q(status=RespondentStatus.REFUSED)),
            reserves_used=Count("pk", filter=Q(reserve=True, activated_at__isnull=False)),
        )
    )
    for c in counts:
        if c["unit"] in rows:
            row = rows[c["unit"]]
            row.in_sample, row.refused = c["in_sample"], c["refused"]
            row.reserves_used = c["reserves_used"]
    answered = Response.objects.filter(survey=survey).values("unit").annotate(n=Count("pk"))
    for a in answered:
        if a["unit"] in rows:
            rows[a["unit"]].answered = a["n"]
    ordered = vi_sorted(rows.values(), key=lambda r: r.unit.name)
    return sorted(ordered, key=lambda r: TYPE_ORDER.get(r.unit.unit_type, 9))


def overview(request, year: int):
    survey = survey_for_reading(request.user, year)
    rows = unit_rows(survey)
    total = UnitRow(unit=None)  # type: ignore[arg-type]
    for row in rows:
        total.cases += row.cases
        total.answered += row.answered
        total.in_sample += row.in_sample
    return render(
        request,
        "sipas/sampling_overview.html",
        {
            "survey": survey,
            "rows": rows,
            "total": total,
            "drawn": sum(1 for r in rows if r.draw),
            "sample_total": sum(r.draw.sample_size for r in rows if r.draw),
            "undrawn_with_cases": sum(1 for r in rows if r.cases and not r.draw),
            "can_manage": access.can(request.user, Action.MANAGE_SURVEY),
            "can_enter": access.can(request.user, Action.ENTER_SURVEY),
            "can_view": access.can(request.user, Action.VIEW_SURVEY),
            "page_title": f"{survey.title}: chọn mẫu, thu phiếu",
        },
    )


class CasesUploadForm(forms.Form):
    file = forms.FileField(
        label="Tệp danh sách hồ sơ (.xlsx hoặc .csv)",
        help_text="Theo tệp mẫu tải về ở trên; tối đa 10 MB.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        uploads.check_name(upload.name, allowed=("xlsx", "csv"))
        uploads.check_size(upload.size, max_bytes=cases_io.MAX_BYTES)
        return upload


def cases_import(request, year: int):
    survey = survey_get_for_user(request.user, year, action=Action.MANAGE_SURVEY)
    form = CasesUploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            count = sampling.cases_import(
                actor=request.user, survey=survey, content=upload.read(), name=upload.name
            )
        except ValidationError as exc:
            problems = exc.messages
        else:
            messages.success(request, f"Đã nhập {count} hồ sơ.")
            return redirect("sipas_overview", year=survey.year)
    return render(
        request,
        "sipas/sampling_import.html",
        {
            "survey": survey,
            "form": form,
            "problems": problems,
            "headers": cases_io.COLUMNS,
            "page_title": f"Nhập danh sách hồ sơ đã giải quyết năm {survey.year}",
        },
        status=422 if request.method == "POST" else 200,
    )


def cases_template(request, year: int):
    survey = survey_get_for_user(request.user, year, action=Action.MANAGE_SURVEY)
    return downloads.file_response(
        cases_io.template_bytes(year=survey.year),
        filename=f"Mẫu danh sách hồ sơ SIPAS {survey.year}.xlsx",
        content_type=XLSX,
    )


@require_POST
def draw(request, year: int):
    survey = survey_get_for_user(request.user, year, action=Action.MANAGE_SURVEY)
    try:
        if request.POST.get("all") == "1":
            draws = sampling.sample_draw_all(actor=request.user, survey=survey)
            messages.success(request, f"Đã chọn mẫu cho {len(draws)} đơn vị.")
            return redirect("sipas_overview", year=survey.year)
        unit = get_object_or_404(Unit, pk=_int(request.POST.get("unit")))
        replacing = _int(request.POST.get("replacing")) or None
        made = sampling.sample_draw(
            actor=request.user,
            survey=survey,
            unit=unit,
            replacing=replacing,
            seed=request.POST.get("seed", "").strip()[:64] or None,
        )
    except ValidationError as exc:
        flash_validation_error(request, exc)
        return redirect("sipas_overview", year=survey.year)
    messages.success(
        request, f"Đã chọn mẫu {unit.name}: {made.sample_size} phiếu, {made.reserve_size} dự phòng."
    )
    return redirect("sipas_sample", year=survey.year, slug=unit.slug)


def _int(value) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def sample(request, year: int, slug: str):
    survey = survey_for_reading(request.user, year)
    unit = get_object_or_404(Unit, slug=slug, unit_type__in=SURVEYED_UNIT_TYPES)
    can_manage = access.can(request.user, Action.MANAGE_SURVEY)
    current = Draw.objects.filter(survey=survey, unit=unit, current=True).first()
    respondents = Respondent.objects.none()
    if current is not None:
        respondents = (
            Respondent.objects.filter(draw=current)
            .select_related("case", "replaces")
            .order_by("reserve", "position")
        )
        if not can_manage:
            # personal data is not even read for those who may not see it
            respondents = respondents.defer(*[f"case__{f}" for f in CONTACT_FIELDS])
    return render(
        request,
        "sipas/sampling_sample.html",
        {
            "survey": survey,
            "unit": unit,
            "draw": current,
            "respondents": list(respondents),
            "cases": Case.objects.filter(survey=survey, unit=unit).count(),
            "previous_draws": Draw.objects.filter(survey=survey, unit=unit, current=False).count(),
            "can_manage": can_manage,
            "page_title": f"Mẫu khảo sát {unit.name} năm {survey.year}",
        },
    )


@require_POST
def refuse(request, year: int, code: str):
    survey = survey_get_for_user(request.user, year, action=Action.MANAGE_SURVEY)
    respondent = get_object_or_404(
        Respondent.objects.select_related("unit", "survey", "draw"), survey=survey, code=code
    )
    try:
        reserve = sampling.respondent_refuse(
            actor=request.user, respondent=respondent, note=request.POST.get("note", "")
        )
    except ValidationError as exc:
        flash_validation_error(request, exc)
    else:
        if reserve is None:
            messages.warning(request, f"Đã ghi nhận phiếu {code} từ chối; hết mẫu dự phòng.")
        else:
            messages.success(
                request, f"Đã ghi nhận phiếu {code} từ chối; dùng mẫu dự phòng {reserve.code}."
            )
    return redirect("sipas_sample", year=survey.year, slug=respondent.unit.slug)


urlpatterns = [
    path("khao-sat-sipas/<int:year>/", overview, name="sipas_overview"),
    path("khao-sat-sipas/<int:year>/nhap-ho-so/", cases_import, name="sipas_cases_import"),
    path(
        "khao-sat-sipas/<int:year>/nhap-ho-so/tep-mau/", cases_template, name="sipas_cases_template"
    ),
    path("khao-sat-sipas/<int:year>/chon-mau/", draw, name="sipas_draw"),
    path("khao-sat-sipas/<int:year>/mau/<slug:slug>/", sample, name="sipas_sample"),
    path("khao-sat-sipas/<int:year>/phieu/<str:code>/tu-choi/", refuse, name="sipas_refuse"),
]
