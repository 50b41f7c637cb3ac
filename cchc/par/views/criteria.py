"""Back-office screens for criteria sets (/quan-tri/chi-so-cchc/…).

Thin views: authorize through ``selectors``, bind a form, call one service, redirect.
The import is three steps — upload, report, confirm — and the parsed set travels
between them signed, so nothing touches the database until the administrator confirms
a clean report.
"""

from __future__ import annotations

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cchc import access
from cchc.access import Action
from cchc.lib import downloads
from cchc.lib.downloads import file_response
from cchc.lib.forms import apply_validation_error, flash_validation_error
from cchc.par import engine
from cchc.par.forms import CriteriaCloneForm, CriteriaImportForm
from cchc.par.io import excel
from cchc.par.io.convert import yaml_document
from cchc.par.io.importing import dump_yaml, parse_yaml
from cchc.par.models import CriteriaSet, SetStatus
from cchc.par.selectors import criteria as selectors
from cchc.par.services.criteria import (
    criteria_set_clone,
    criteria_set_freeze,
    criteria_set_import,
    criteria_set_revise,
)

IMPORT_SALT = "par.criteria_import"
IMPORT_MAX_AGE = 3600  # seconds between the report and the confirmation


def criteria_list(request):
    access.require(request.user, Action.VIEW_PAR_CRITERIA)
    return render(
        request,
        "par/criteria_list.html",
        {
            "years": selectors.criteria_sets_by_year(),
            "can_manage": access.can(request.user, Action.MANAGE_PAR),
        },
    )


def criteria_detail(request, pk: int):
    criteria_set = selectors.criteria_set_get_for_user(request.user, pk)
    detail = selectors.criteria_set_detail(criteria_set)
    latest = detail.versions[-1].pk == criteria_set.pk if detail.versions else True
    return render(
        request,
        "par/criteria_detail.html",
        {
            "cs": criteria_set,
            "detail": detail,
            "can_manage": access.can(request.user, Action.MANAGE_PAR),
            "is_latest": latest,
        },
    )


def criteria_export_xlsx(request, pk: int):
    criteria_set = selectors.criteria_set_get_for_user(request.user, pk)
    nodes = list(criteria_set.nodes.order_by("position"))
    return file_response(
        excel.export_xlsx(criteria_set, nodes),
        filename=f"{_filename(criteria_set)}.xlsx",
        content_type=downloads.XLSX,
    )


def criteria_export_yaml(request, pk: int):
    criteria_set = selectors.criteria_set_get_for_user(request.user, pk)
    text = dump_yaml(yaml_document(criteria_set))
    return file_response(
        text, filename=f"{_filename(criteria_set)}.yaml", content_type=downloads.YAML
    )


def _filename(criteria_set: CriteriaSet) -> str:
    cs = criteria_set
    return f"bo-tieu-chi-{cs.year}-{cs.unit_type}-v{cs.version}"


def criteria_import(request):
    access.require(request.user, Action.MANAGE_PAR)
    if request.method == "POST" and "token" in request.POST:
        return _import_confirm(request)
    form = CriteriaImportForm(
        request.POST or None, request.FILES or None, initial=request.GET.dict()
    )
    if request.method != "POST" or not form.is_valid():
        return render(request, "par/criteria_import.html", {"form": form})
    content = form.cleaned_data["file"].read()
    year, unit_type = form.cleaned_data["year"], form.cleaned_data["unit_type"]
    if form.is_yaml:
        result = parse_yaml(content, unit_type=unit_type, set_id=form.cleaned_data["set_id"])
    else:
        result = excel.parse_xlsx(content, known_evaluators=selectors.department_evaluators())
    context = {
        "form": form,
        "result": result,
        "filename": form.cleaned_data["file"].name,
        "outcome": _outcome(year, unit_type),
    }
    if result.ok:
        context["token"] = signing.dumps(
            {
                "year": year,
                "unit_type": unit_type,
                "filename": form.cleaned_data["file"].name,
                # the set in the one interchange format, read back on confirmation
                "set": engine.criteria_set_to_dict(result.criteria_set),
                "evaluators": result.evaluators,
            },
            salt=IMPORT_SALT,
            compress=True,
        )
        context["areas"] = result.criteria_set.areas
    return render(request, "par/criteria_import.html", context, status=200 if result.ok else 422)


def _outcome(year: int, unit_type: str) -> str:
    latest = CriteriaSet.objects.filter(year=year, unit_type=unit_type).order_by("-version").first()
    if latest is None:
        return f"Tạo bộ tiêu chí mới năm {year}, phiên bản 1 (dự thảo)."
    if latest.status == SetStatus.DRAFT:
        return f"Thay toàn bộ nội dung bản dự thảo phiên bản {latest.version} năm {year}."
    return (
        f"Phiên bản {latest.version} đã khóa nên sẽ tạo phiên bản {latest.version + 1} "
        "(dự thảo); phiên bản cũ giữ nguyên."
    )


def _import_confirm(request):
    try:
        payload = signing.loads(request.POST["token"], salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE)
        if "set" not in payload:  # a report made before the format changed
            raise signing.BadSignature
    except signing.BadSignature:
        messages.error(request, "Phiên nhập tệp đã hết hạn hoặc không hợp lệ; hãy tải tệp lên lại.")
        return redirect("par_criteria_import")
    # the set travels in the one interchange format and is read again by the engine
    criteria, problems = engine.parse_criteria_set(payload["set"])
    try:
        if problems:
            raise ValidationError([str(p) for p in problems])
        criteria_set = criteria_set_import(
            actor=request.user,
            year=payload["year"],
            unit_type=payload["unit_type"],
            criteria=criteria,
            evaluators=payload["evaluators"],
            source=payload["filename"],
        )
    except ValidationError as exc:
        flash_validation_error(request, exc)
        return redirect("par_criteria_import")
    messages.success(
        request, f"Đã lưu bộ tiêu chí năm {criteria_set.year}, phiên bản {criteria_set.version}."
    )
    return redirect("par_criteria_detail", pk=criteria_set.pk)


def criteria_clone(request, pk: int):
    source = selectors.criteria_set_get_for_user(request.user, pk, action=Action.MANAGE_PAR)
    form = CriteriaCloneForm(
        request.POST or None, initial={"year": source.year + 1, "unit_type": source.unit_type}
    )
    if request.method == "POST" and form.is_valid():
        try:
            clone = criteria_set_clone(
                actor=request.user,
                source=source,
                year=form.cleaned_data["year"],
                unit_type=form.cleaned_data["unit_type"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"Đã sao chép sang năm {clone.year} (dự thảo).")
            return redirect("par_criteria_detail", pk=clone.pk)
    return render(request, "par/criteria_clone.html", {"form": form, "cs": source})


@require_POST
def criteria_freeze(request, pk: int):
    criteria_set = selectors.criteria_set_get_for_user(request.user, pk, action=Action.MANAGE_PAR)
    try:
        criteria_set_freeze(actor=request.user, criteria_set=criteria_set)
    except ValidationError as exc:
        flash_validation_error(request, exc)
    else:
        messages.success(request, "Đã khóa bộ tiêu chí.")
    return redirect("par_criteria_detail", pk=criteria_set.pk)


@require_POST
def criteria_revise(request, pk: int):
    criteria_set = selectors.criteria_set_get_for_user(request.user, pk, action=Action.MANAGE_PAR)
    try:
        revision = criteria_set_revise(actor=request.user, criteria_set=criteria_set)
    except ValidationError as exc:
        flash_validation_error(request, exc)
        return redirect("par_criteria_detail", pk=criteria_set.pk)
    messages.success(request, f"Đã tạo phiên bản {revision.version} (dự thảo).")
    return redirect("par_criteria_detail", pk=revision.pk)
