"""Sở Nội vụ's screens (MANAGE_TARGETS): the Excel import of every unit's values,
its template, and a new year's plan cloned from an existing one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cchc import access
from cchc.access import Action
from cchc.lib import downloads
from cchc.lib.forms import XlsxUploadForm, flash_validation_error
from cchc.targets import periods, selectors, services
from cchc.targets.io import MAX_UPLOAD_BYTES


def values_import(request, year: int):
    access.require(request.user, Action.MANAGE_TARGETS)
    plan = selectors.plan_get(year)
    form = XlsxUploadForm(request.POST or None, request.FILES or None, max_bytes=MAX_UPLOAD_BYTES)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            counts = services.values_import(
                actor=request.user, plan=plan, content=upload.read(), name=upload.name
            )
        except ValidationError as exc:
            problems = exc.messages
        else:
            messages.success(
                request,
                f"Đã nhập {counts['stored']} số liệu ({counts['corrected']} số liệu sửa lại), "
                f"{counts['unchanged']} số liệu không đổi.",
            )
            return redirect(f"{_matrix_url()}?nam={plan.year}")
    today = timezone.localdate()
    return render(
        request,
        "targets/import.html",
        {
            "plan": plan,
            "form": form,
            "problems": problems,
            "periods": [p for p in periods.of_year(plan.year) if p.start <= today],
            "default_period": periods.last_ended_month(today).key,
            "page_title": f"Nhập số liệu chỉ tiêu CCHC năm {plan.year}",
        },
        status=422 if request.method == "POST" else 200,
    )


def _matrix_url() -> str:
    return reverse("targets_matrix")


def values_template(request, year: int):
    access.require(request.user, Action.MANAGE_TARGETS)
    plan = selectors.plan_get(year)
    period = periods.parse(request.GET.get("ky", "")) or periods.last_ended_month(
        timezone.localdate()
    )
    return downloads.file_response(
        services.template(plan=plan, period=period),
        filename=f"so-lieu-chi-tieu-cchc-{period.key.replace('/', '-')}.xlsx",
        content_type=downloads.XLSX,
    )


@require_POST
def plan_clone(request, year: int):
    access.require(request.user, Action.MANAGE_TARGETS)
    plan = selectors.plan_get(year)
    wanted = request.POST.get("nam_moi", "")
    if not wanted.isdigit() or not 2000 <= int(wanted) <= 2100:
        messages.error(request, "Năm mới phải là một năm, ví dụ 2027.")
        return redirect(f"{_matrix_url()}?nam={plan.year}")
    try:
        new = services.plan_clone(actor=request.user, plan=plan, year=int(wanted))
    except ValidationError as exc:
        flash_validation_error(request, exc)
        return redirect(f"{_matrix_url()}?nam={plan.year}")
    messages.success(request, f"Đã tạo kế hoạch chỉ tiêu năm {new.year} (dự thảo) từ năm {year}.")
    return redirect(f"{_matrix_url()}?nam={new.year}")


@require_POST
def plan_activate(request, year: int):
    access.require(request.user, Action.MANAGE_TARGETS)
    plan = selectors.plan_get(year)
    try:
        services.plan_activate(actor=request.user, plan=plan)
    except ValidationError as exc:
        flash_validation_error(request, exc)
    else:
        messages.success(request, f"Đã áp dụng kế hoạch chỉ tiêu năm {year}.")
    return redirect(f"{_matrix_url()}?nam={plan.year}")


urlpatterns = [
    path("chi-tieu-cchc/<int:year>/nhap/", values_import, name="targets_import"),
    path("chi-tieu-cchc/<int:year>/mau/", values_template, name="targets_template"),
    path("chi-tieu-cchc/<int:year>/sao-chep/", plan_clone, name="targets_clone"),
    path("chi-tieu-cchc/<int:year>/ap-dung/", plan_activate, name="targets_activate"),
]
