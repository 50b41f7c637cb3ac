"""A unit reports a period's value (/quan-tri/chi-tieu-cchc/<năm>/bao-cao/<đơn vị>/).

REPORT_TARGETS on the unit: its CCHC officer and leader. Another unit's officer gets
404, the read-only provincial leader 403. A period already reported gets a new
version; the old one stays in the history.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

from cchc.access import Action
from cchc.lib.forms import apply_validation_error
from cchc.org.selectors import unit_get_for_user
from cchc.targets import periods, selectors, services


class ReportForm(forms.Form):
    indicator = forms.ChoiceField(label="Chỉ tiêu")
    period = forms.ChoiceField(label="Kỳ báo cáo")
    numerator = forms.CharField(label="Tử số", max_length=20)
    denominator = forms.CharField(
        label="Mẫu số", max_length=20, required=False, help_text="Bắt buộc với chỉ tiêu tỷ lệ (%)."
    )
    note = forms.CharField(
        label="Ghi chú, nguồn số liệu",
        max_length=500,
        required=False,
        help_text="Ví dụ: báo cáo từ Hệ thống thông tin giải quyết TTHC của tỉnh.",
    )

    def __init__(self, *args, indicators, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = {i.code: i for i in indicators}
        self.periods = {p.key: p for p in choices}
        self.fields["indicator"].choices = [(i.code, i.name) for i in indicators]
        self.fields["period"].choices = [(p.key, p.label) for p in choices]
        for name in ("numerator", "denominator"):
            self.fields[name].widget.attrs["inputmode"] = "decimal"


def report(request, year: int, slug: str):
    unit = unit_get_for_user(request.user, slug, action=Action.REPORT_TARGETS)
    plan = selectors.plan_get(year)
    indicators = [i for u, i in selectors.applicable_pairs(plan, [unit])]
    today = timezone.localdate()
    choices = [p for p in periods.of_year(plan.year) if p.start <= today]
    initial = {"indicator": request.GET.get("chi_tieu", "")}
    if choices:
        initial["period"] = periods.last_ended_month(today).key
    form = ReportForm(request.POST or None, indicators=indicators, choices=choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        indicator = form.indicators[data["indicator"]]
        try:
            services.value_report(
                actor=request.user,
                indicator=indicator,
                unit=unit,
                period=form.periods[data["period"]],
                numerator=data["numerator"],
                denominator=data["denominator"],
                note=data["note"],
                today=today,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                f"Đã lưu số liệu {form.periods[data['period']].label.lower()}: {indicator.name}.",
            )
            return redirect("targets_detail", year=plan.year, slug=unit.slug, code=indicator.code)
    return render(
        request,
        "targets/report.html",
        {
            "plan": plan,
            "unit": unit,
            "form": form,
            "page_title": f"Báo cáo số liệu chỉ tiêu CCHC năm {plan.year}",
        },
        status=422 if request.method == "POST" else 200,
    )


urlpatterns = [
    path("chi-tieu-cchc/<int:year>/bao-cao/<slug:slug>/", report, name="targets_report"),
]
