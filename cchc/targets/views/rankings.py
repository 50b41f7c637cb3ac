"""The province's rankings (/quan-tri/chi-tieu-cchc/xep-hang/): its yearly score and
rank in PAR INDEX, SIPAS, PAPI and PCI, with the targets set for them.

VIEW_TARGETS on the province: Sở Nội vụ and the provincial leaders read it; a unit's
people do not see the province (404). Sở Nội vụ (MANAGE_TARGETS) enters a year's
figures; others get 403. A fixed number of queries whatever the number of years.
"""

from __future__ import annotations

import math

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse

from cchc import access
from cchc.access import Action
from cchc.lib import charts
from cchc.lib.forms import apply_validation_error
from cchc.org import selectors as org_selectors
from cchc.org.models import Unit
from cchc.targets import selectors, services
from cchc.targets.models import PROVINCES, ProvinceRanking, RankingIndex


def _province(user) -> Unit:
    province = org_selectors.province()
    if province is None:
        raise access.not_found()
    return org_selectors.unit_get_for_user(user, province.slug, action=Action.VIEW_TARGETS)


def _decimal_field(label: str, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=6,
        decimal_places=2,
        localize=True,
        help_text=help_text,
        error_messages={"invalid": f"{label} phải là một số, ví dụ 86,50."},
    )


def _integer_field(label: str, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        error_messages={"invalid": f"{label} phải là một số nguyên."},
        **kwargs,
    )


class RankingForm(forms.Form):
    year = _integer_field("Năm")
    index = forms.ChoiceField(label="Chỉ số", choices=RankingIndex.choices)
    score = _decimal_field("Điểm", "Điểm đã công bố (dấu phẩy thập phân), để trống nếu chưa có.")
    rank = _integer_field("Thứ hạng", required=False, help_text="Hạng 1 là cao nhất.")
    out_of = _integer_field(
        "Số tỉnh, thành phố được xếp hạng",
        initial=PROVINCES,
        help_text="34 từ năm 2025; 63 các năm trước.",
    )
    target_rank = _integer_field("Thứ hạng mục tiêu", required=False)
    target_score = _decimal_field("Điểm mục tiêu")
    source = forms.CharField(
        label="Nguồn",
        max_length=500,
        required=False,
        help_text="Ví dụ: Quyết định công bố của Bộ Nội vụ, kế hoạch của UBND tỉnh.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("year", "rank", "out_of", "target_rank"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"
        for name in ("score", "target_score"):
            self.fields[name].widget.attrs["inputmode"] = "decimal"


def _chart(history: selectors.IndexHistory) -> str:
    """The rank (and its target) per year; a lower line is a better place."""
    rows = [r for r in history.rows if r.rank is not None or r.target_rank is not None]
    if not rows:
        return ""
    labels = [str(r.year) for r in rows]
    series = [("Thứ hạng", [float(r.rank) if r.rank is not None else math.nan for r in rows])]
    if any(r.target_rank is not None for r in rows):
        series.append(
            (
                "Thứ hạng mục tiêu",
                [float(r.target_rank) if r.target_rank is not None else math.nan for r in rows],
            )
        )
    return charts.line_chart(
        labels=labels, series=series, ylabel="Thứ hạng (càng nhỏ càng tốt)", size=(6.0, 2.6)
    )


def rankings(request):
    province = _province(request.user)
    histories = selectors.rankings()
    return render(
        request,
        "targets/rankings.html",
        {
            "province": province,
            "indexes": [
                {
                    "history": h,
                    "chart": _chart(h),
                    "has_target": any(r.target_rank is not None for r in h.rows),
                }
                for h in histories
            ],
            "can_manage": access.can(request.user, Action.MANAGE_TARGETS),
            "page_title": "Xếp hạng các chỉ số của tỉnh",
        },
    )


def ranking_edit(request):
    access.require(request.user, Action.MANAGE_TARGETS)
    initial = {"out_of": PROVINCES}
    year, index = request.GET.get("nam", ""), request.GET.get("chi_so", "")
    if year.isdigit() and index in RankingIndex.values:
        initial |= {"year": int(year), "index": index}
        found = ProvinceRanking.objects.filter(year=int(year), index=index).first()
        if found is not None:
            initial |= {name: getattr(found, name) for name in services.RANKING_FIELDS}
    form = RankingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ranking = services.ranking_set(actor=request.user, **data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"Đã lưu {ranking.get_index_display()} năm {ranking.year}.")
            return redirect(f"{reverse('targets_rankings')}#xh-{ranking.index}")
    return render(
        request,
        "targets/ranking_edit.html",
        {"form": form, "page_title": "Nhập điểm, thứ hạng chỉ số của tỉnh"},
        status=422 if request.method == "POST" else 200,
    )


urlpatterns = [
    path("chi-tieu-cchc/xep-hang/", rankings, name="targets_rankings"),
    path("chi-tieu-cchc/xep-hang/nhap/", ranking_edit, name="targets_ranking_edit"),
]
