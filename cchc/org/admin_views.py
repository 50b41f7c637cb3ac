"""Back-office operations on units that keep their history: merge, retire."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from cchc import access
from cchc.access import Action
from cchc.lib.forms import apply_validation_error
from cchc.org.forms import UnitMergeForm, UnitRetireForm
from cchc.org.services import unit_merge, unit_retire


def _apply(form, call):
    """Run a service; its validation errors go back onto the form."""
    try:
        return call()
    except ValidationError as exc:
        apply_validation_error(form, exc)
        return None


def unit_merge_view(request):
    access.require(request.user, Action.MANAGE_ORG)
    form = UnitMergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        unit = _apply(
            form,
            lambda: unit_merge(
                actor=request.user,
                predecessors=list(form.cleaned_data["predecessors"]),
                successor=form.new_unit(),
                effective_date=form.cleaned_data["effective_date"],
            ),
        )
        if unit is not None:
            messages.success(request, f"Đã sáp nhập thành {unit.name}.")
            return redirect("cchc_unit_workspace", slug=unit.slug)
    return render(request, "org/unit_operation.html", {"form": form, "title": "Sáp nhập đơn vị"})


def unit_retire_view(request):
    access.require(request.user, Action.MANAGE_ORG)
    form = UnitRetireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        unit = _apply(
            form,
            lambda: unit_retire(
                actor=request.user,
                unit=form.cleaned_data["unit"],
                effective_date=form.cleaned_data["effective_date"],
            ),
        )
        if unit is not None:
            messages.success(request, f"Đơn vị {unit.name} đã ngừng hoạt động.")
            return redirect("cchc_unit_workspace", slug=unit.slug)
    return render(
        request, "org/unit_operation.html", {"form": form, "title": "Ngừng hoạt động đơn vị"}
    )
