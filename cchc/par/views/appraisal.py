"""Back-office screens of the appraisal (thẩm định) and the unit's explanation (giải trình).

- the matrix of units × areas (``par_appraisal``), for the council: appraisers, the
  Sở Nội vụ administrator, the provincial leader (read-only);
- one unit's area (``par_appraisal_area``): each leaf with the unit's inputs, points,
  note and evidence, both rounds side by side, a form per leaf (saved alone by HTMX);
- the unit's explanation screen (``par_explanation``);
- closing round 1 (``par_round1_close``), for the administrator.

Thin views: fetch and authorize (cchc.access, the selectors), bind a form, call one
service, redirect or render.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse

from cchc import access
from cchc.access import Action
from cchc.lib.formats import number_vi
from cchc.lib.forms import apply_validation_error
from cchc.lib.menus import ActionMenuItem
from cchc.org.selectors import unit_get_for_user
from cchc.par.forms_appraisal import AppraisalForm, ConfirmForm, ExplanationForm
from cchc.par.models import (
    AreaEvaluator,
    Decision,
    EvaluationYear,
    Method,
    Participation,
    Stage,
)
from cchc.par.selectors import appraisal as selectors
from cchc.par.selectors.year import participation_get_for_user, year_get
from cchc.par.services import appraisal as services
from cchc.par.services.year import window_end, window_open

ROUND_STAGE = {1: Stage.ROUND1, 2: Stage.ROUND2}


def evidence_url(pk: int) -> str:
    try:
        return reverse("par_evidence_file", args=[pk])
    except NoReverseMatch:
        return f"/quan-tri/chi-so-cchc/tai-lieu/{pk}/"


def _inputs_text(node, inputs) -> str:
    try:  # the self-assessment's words for a leaf's inputs
        from cchc.par.services.assessment import inputs_text
    except ImportError:  # pragma: no cover - while that part is being built
        return ", ".join(f"{k} = {v}" for k, v in (inputs or {}).items())
    return inputs_text(node, inputs)


def _dress(entry, node, links) -> None:
    """Words for the entry's inputs and addresses for its evidence, for the templates."""
    entry.texts = {
        key: _inputs_text(node, value) if value is not None else ""
        for key, value in (
            ("self", entry.self_inputs),
            ("r1", entry.r1_inputs),
            ("r2", entry.r2_inputs),
            ("explanation", entry.explanation_inputs),
        )
    }
    for link in links:
        link.url = evidence_url(link.evidence_id)


def _window(year: EvaluationYear, unit, stage: Stage) -> dict:
    start = year.window(stage)[0]
    return {
        "stage": stage,
        "start": start,
        "end": window_end(year, unit, stage),
        "open": year.is_open and window_open(year, unit, stage),
    }


# -- the matrix -------------------------------------------------------------------------


def appraisal_index(request):
    """The menu's entry: the latest year's matrix."""
    access.require(request.user, Action.VIEW_PAR_RESULTS)
    latest = EvaluationYear.objects.order_by("-year").first()
    if latest is None:
        return render(request, "par/appraisal_matrix.html", {"year": None})
    return redirect("par_appraisal", latest.year)


def appraisal_matrix(request, year: int):
    access.require(request.user, Action.VIEW_PAR_RESULTS)
    evaluation_year = year_get(year)

    def url(p: Participation, area_code: str) -> str:
        return reverse("par_appraisal_area", args=[year, p.unit.slug, area_code])

    groups = selectors.matrix(evaluation_year, request.user, url=url)
    return render(
        request,
        "par/appraisal_matrix.html",
        {
            "year": evaluation_year,
            "areas": selectors.evaluators(evaluation_year),
            "groups": [
                ("Sở, ban, ngành", groups["departments"]),
                ("Xã, phường, đặc khu", groups["communes"]),
            ],
            "can_close": access.can(request.user, Action.MANAGE_PAR) and evaluation_year.is_open,
            "read_only": selectors.is_reader(request.user),
        },
    )


# -- one unit's area ----------------------------------------------------------------------


def _area(request, year: int, slug: str, area: str):
    """(participation, area evaluator, may appraise): 404 / 403 as the rules say."""
    participation = participation_get_for_user(request.user, year, slug)
    unit = participation.unit
    evaluator = AreaEvaluator.objects.filter(year=participation.year, area_code=area).first()
    if evaluator is None:
        raise access.not_found()
    may_appraise = access.can(request.user, Action.APPRAISE, unit, area=evaluator)
    if not may_appraise and not selectors.is_reader(request.user):
        raise access.denied()
    return participation, evaluator, may_appraise


def _leaf_context(participation, leaf, round_, window, may_appraise, form=None, saved=False):
    entry, node = leaf.entry, leaf.node
    _dress(entry, node, leaf.row.links)
    appraisable = not entry.exempt and node.method != Method.SURVEY
    if round_ == 2:
        appraisable = appraisable and entry.r1_decision == Decision.RETURNED
    editable = bool(round_) and appraisable and may_appraise and window["open"]
    if editable and form is None:
        p = f"r{round_}_"
        decision = getattr(entry, p + "decision") or Decision.ACCEPTED
        points = getattr(entry, p + "points") if decision == Decision.ADJUSTED else None
        form = AppraisalForm(
            prefix=f"e{entry.pk}",
            node=node,
            round=round_,
            initial={
                "entry": entry.pk,
                "version": entry.version,
                "decision": decision,
                "points": "" if points is None else number_vi(points),
                "comment": getattr(entry, p + "comment"),
            },
        )
    return {
        "leaf": leaf,
        "entry": entry,
        "node": node,
        "round": round_,
        "form": form if editable else None,
        "saved": saved,
        "participation": participation,
    }


def appraisal_area(request, year: int, slug: str, area: str):
    participation, evaluator, may_appraise = _area(request, year, slug, area)
    unit = participation.unit
    round_ = selectors.current_round(participation)
    window = _window(participation.year, unit, ROUND_STAGE[round_ or 1])
    rows, leaves = selectors.area_leaves(participation, area)
    bound = None
    if request.method == "POST":
        if not may_appraise:
            raise access.denied()
        bound = _save_leaf(request, participation, leaves, round_)
        if bound["saved"]:
            if request.htmx:
                _, leaves = selectors.area_leaves(participation, area)
                leaf = next(x for x in leaves if x.entry.pk == bound["entry_pk"])
                return render(
                    request,
                    "par/appraisal_leaf.html",
                    _leaf_context(participation, leaf, round_, window, may_appraise, saved=True),
                )
            return HttpResponseRedirect(f"{request.path}#tc-{bound['entry_pk']}")
        if request.htmx:
            leaf = next(x for x in leaves if x.entry.pk == bound["entry_pk"])
            return render(
                request,
                "par/appraisal_leaf.html",
                _leaf_context(participation, leaf, round_, window, may_appraise, bound["form"]),
            )
    items = []
    for leaf in leaves:
        form = bound["form"] if bound and bound["entry_pk"] == leaf.entry.pk else None
        items.append(_leaf_context(participation, leaf, round_, window, may_appraise, form))
    return render(
        request,
        "par/appraisal_area.html",
        {
            "participation": participation,
            "year": participation.year,
            "unit": unit,
            "evaluator": evaluator,
            "rows": rows,
            "items": items,
            "gaps": [leaf for leaf in leaves if leaf.gap],
            "round": round_,
            "window": window,
            "may_appraise": may_appraise,
            "gap_percent": int(selectors.gap_share() * 100),
        },
    )


def _save_leaf(request, participation, leaves, round_) -> dict:
    try:
        pk = int(request.POST.get("leaf", ""))
    except ValueError:
        raise access.not_found() from None
    leaf = next((x for x in leaves if x.entry.pk == pk), None)
    if leaf is None or round_ is None:
        raise access.not_found()
    form = AppraisalForm(request.POST, prefix=f"e{pk}", node=leaf.node, round=round_)
    out = {"entry_pk": pk, "form": form, "saved": False}
    if not form.is_valid():
        return out
    data = form.cleaned_data
    try:
        services.entry_appraise(
            actor=request.user,
            entry=leaf.entry,
            round=round_,
            decision=data["decision"],
            inputs=data.get("inputs") if data["decision"] != Decision.ACCEPTED else None,
            points=data["points"] if data["decision"] != Decision.ACCEPTED else None,
            comment=data["comment"],
            version=data["version"],
        )
    except ValidationError as exc:
        apply_validation_error(form, exc)
        return out
    if not request.htmx:
        messages.success(request, f"Đã lưu kết quả thẩm định tiêu chí {leaf.node.code}.")
    out["saved"] = True
    return out


# -- closing round 1 --------------------------------------------------------------------


def round1_close(request, year: int):
    access.require(request.user, Action.MANAGE_PAR)
    evaluation_year = year_get(year)
    unit = None
    if slug := request.GET.get("don-vi") or request.POST.get("unit"):
        unit = unit_get_for_user(request.user, slug, action=Action.VIEW_ASSESSMENT)
    waiting = Participation.objects.filter(
        year=evaluation_year, state__in=list(services.ROUND1_STATES)
    ).select_related("unit")
    if unit is not None:
        waiting = waiting.filter(unit=unit)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            done = services.round1_close(
                actor=request.user,
                year=evaluation_year,
                unit=unit,
                url_for=lambda p: request.build_absolute_uri(
                    reverse("par_explanation", args=[year, p.unit.slug])
                ),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                f"Đã kết thúc thẩm định vòng 1: {done['returned']} đơn vị được đề nghị giải "
                f"trình, {done['appraised']} đơn vị đã thẩm định xong.",
            )
            return redirect("par_appraisal", year)
    return render(
        request,
        "par/appraisal_round1_close.html",
        {"year": evaluation_year, "unit": unit, "waiting": list(waiting), "form": form},
    )


# -- the unit's explanation ---------------------------------------------------------------


def explanation(request, year: int, slug: str):
    participation = participation_get_for_user(request.user, year, slug, action=Action.SELF_ASSESS)
    unit = participation.unit
    window = _window(participation.year, unit, Stage.EXPLANATION)
    editable = participation.state == services.S.RETURNED and window["open"]
    rows = selectors.returned_leaves(participation)
    bound = {}
    if request.method == "POST" and "submit" in request.POST:
        access.require(request.user, Action.SUBMIT_ASSESSMENT, unit)
        form = ConfirmForm(request.POST)
        if form.is_valid():
            try:
                changed = services.explanation_submit(
                    actor=request.user,
                    participation=participation,
                    version=form.cleaned_data["version"] or 0,
                )
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(
                    request,
                    "Đã gửi giải trình đến Hội đồng thẩm định."
                    if changed
                    else "Giải trình đã được gửi trước đó.",
                )
        return redirect("par_explanation", year, slug)
    if request.method == "POST":
        try:
            pk = int(request.POST.get("leaf", ""))
        except ValueError:
            raise access.not_found() from None
        row = next((r for r in rows if r.entry.pk == pk), None)
        if row is None:
            raise access.not_found()
        form = ExplanationForm(
            request.POST, prefix=f"e{pk}", node=row.node, participation=participation
        )
        if form.is_valid():
            try:
                services.entry_explain(
                    actor=request.user,
                    entry=row.entry,
                    explanation=form.cleaned_data["explanation"],
                    inputs=form.cleaned_data.get("inputs"),
                    version=form.cleaned_data["version"],
                    evidence=form.cleaned_data["evidence"],
                    location=form.cleaned_data["location"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, f"Đã lưu giải trình tiêu chí {row.node.code}.")
                return HttpResponseRedirect(f"{request.path}#tc-{pk}")
        bound[pk] = form
    items = []
    for row in rows:
        _dress(row.entry, row.node, row.links)
        form = bound.get(row.entry.pk)
        if form is None and editable:
            form = ExplanationForm(
                prefix=f"e{row.entry.pk}",
                node=row.node,
                participation=participation,
                initial={
                    "entry": row.entry.pk,
                    "version": row.entry.version,
                    "explanation": row.entry.explanation,
                },
            )
        items.append({"row": row, "entry": row.entry, "node": row.node, "form": form})
    return render(
        request,
        "par/explanation_unit.html",
        {
            "participation": participation,
            "year": participation.year,
            "unit": unit,
            "items": items,
            "window": window,
            "editable": editable,
            "missing": [i["node"].code for i in items if not i["entry"].explanation.strip()],
            "can_submit": editable and access.can(request.user, Action.SUBMIT_ASSESSMENT, unit),
        },
    )


urlpatterns = [
    path("chi-so-cchc/tham-dinh/", appraisal_index, name="par_appraisal_index"),
    path("chi-so-cchc/<int:year>/tham-dinh/", appraisal_matrix, name="par_appraisal"),
    path(
        "chi-so-cchc/<int:year>/tham-dinh/ket-thuc-vong-1/",
        round1_close,
        name="par_round1_close",
    ),
    path(
        "chi-so-cchc/<int:year>/tham-dinh/<slug:slug>/<str:area>/",
        appraisal_area,
        name="par_appraisal_area",
    ),
    path(
        "chi-so-cchc/<int:year>/don-vi/<slug:slug>/giai-trinh/",
        explanation,
        name="par_explanation",
    ),
]


def menu_item() -> ActionMenuItem:
    return ActionMenuItem(
        "Thẩm định Chỉ số CCHC",
        reverse("par_appraisal_index"),
        icon_name="tasks",
        order=220,
        action=Action.APPRAISE,
    )
