"""Sở Nội vụ links PAR leaves to indicators (/quan-tri/chi-tieu-cchc/<năm>/tieu-chi/),
MANAGE_TARGETS.

The page lists the percentage leaves of the year's criteria sets with the indicator
each takes its figures from (a fixed number of queries whatever the number of
leaves), a form to link one and a button to remove a link. The provincial leader
(read-only) and units' people get 403.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from cchc import access
from cchc.access import Action
from cchc.lib.forms import apply_validation_error, flash_validation_error
from cchc.targets import leaves, selectors
from cchc.targets.models import LeafLink


class LinkForm(forms.Form):
    leaf = forms.TypedChoiceField(
        label="Tiêu chí", coerce=int, error_messages={"required": "Hãy chọn một tiêu chí."}
    )
    indicator = forms.TypedChoiceField(
        label="Lấy số liệu từ chỉ tiêu",
        coerce=int,
        error_messages={"required": "Hãy chọn một chỉ tiêu."},
    )

    def __init__(self, *args, nodes, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.nodes = {n.pk: n for n in nodes}
        self.indicators = {i.pk: i for i in indicators}
        self.fields["leaf"].choices = [("", "— chọn tiêu chí —")] + [
            (n.pk, f"{n.criteria_set.title} – {n.code}. {n.title}") for n in nodes
        ]
        self.fields["indicator"].choices = [("", "— chọn chỉ tiêu —")] + [
            (i.pk, i.name) for i in indicators
        ]
        for name in ("leaf", "indicator"):
            self.fields[name].error_messages["invalid_choice"] = (
                "Lựa chọn không hợp lệ; hãy tải lại trang và chọn lại."
            )


def _url(year: int) -> str:
    return reverse("targets_leaf_links", args=[year])


def leaf_links(request, year: int):
    access.require(request.user, Action.MANAGE_TARGETS)
    plan = selectors.plan_get(year)
    sets = leaves.year_sets(plan.year)
    nodes = leaves.linkable_leaves(sets)
    indicators = leaves.percent_indicators(plan)
    form = LinkForm(request.POST or None, nodes=nodes, indicators=indicators)
    if request.method == "POST" and form.is_valid():
        node = form.nodes[form.cleaned_data["leaf"]]
        indicator = form.indicators[form.cleaned_data["indicator"]]
        try:
            leaves.leaf_link_set(actor=request.user, node=node, indicator=indicator)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request, f"Tiêu chí {node.code} lấy số liệu từ chỉ tiêu «{indicator.name}»."
            )
            return redirect(_url(plan.year))
    return render(
        request,
        "targets/leaf_links.html",
        {
            "plan": plan,
            "sets": sets,
            "nodes": nodes,
            "linked": [n for n in nodes if hasattr(n, "indicator_link")],
            "form": form,
            "page_title": f"Tiêu chí Chỉ số CCHC lấy số liệu từ chỉ tiêu năm {plan.year}",
        },
        status=422 if request.method == "POST" else 200,
    )


@require_POST
def leaf_link_remove(request, year: int, link_id: int):
    access.require(request.user, Action.MANAGE_TARGETS)
    plan = selectors.plan_get(year)
    link = get_object_or_404(
        LeafLink.objects.select_related("node__criteria_set", "indicator"),
        pk=link_id,
        indicator__plan=plan,
    )
    code = link.node.code
    try:
        leaves.leaf_link_remove(actor=request.user, link=link)
    except ValidationError as exc:
        flash_validation_error(request, exc)
    else:
        messages.success(request, f"Đã gỡ liên kết của tiêu chí {code}.")
    return redirect(_url(plan.year))


urlpatterns = [
    path("chi-tieu-cchc/<int:year>/tieu-chi/", leaf_links, name="targets_leaf_links"),
    path(
        "chi-tieu-cchc/<int:year>/tieu-chi/<int:link_id>/go/",
        leaf_link_remove,
        name="targets_leaf_link_remove",
    ),
]
