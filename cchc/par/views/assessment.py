"""The unit's self-assessment workspace (/quan-tri/chi-so-cchc/<năm>/don-vi/<đơn vị>/).

The CCHC officer fills, the unit leader fills, reviews and submits; appraisers, Sở Nội
vụ and provincial leaders read. Thin views: ``participation_get_for_user`` answers 404
for a unit the user may not see and 403 for an action they may not do, a form is
bound, one service called. Each leaf is its own form: HTMX posts it to ``preview`` as
the officer types (the points, computed by the engine) and to ``save``; without
JavaScript the same form posts and redirects back to the leaf.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cchc import access
from cchc.access import Action
from cchc.lib.forms import flash_validation_error
from cchc.lib.menus import ActionMenuItem
from cchc.par.describe import describe_rule
from cchc.par.forms_assessment import EvidenceForm, ReopenForm, has_form, leaf_form
from cchc.par.models import (
    Entry,
    EvaluationYear,
    Evidence,
    EvidenceLink,
    Method,
    Participation,
    ParticipationState,
    Stage,
    YearStatus,
)
from cchc.par.selectors import year as selectors
from cchc.par.services import assessment as services
from cchc.par.services.scoring import leaf_points
from cchc.par.services.year import window_end, window_open
from cchc.targets import leaves

BASE = "chi-so-cchc/<int:year>/don-vi/<slug:slug>/"


def _url(participation: Participation, name: str = "par_assessment", *args) -> str:
    return reverse(name, args=[participation.year.year, participation.unit.slug, *args])


def _entry(participation: Participation, entry_id: int) -> Entry:
    return get_object_or_404(
        Entry.objects.select_related("node", "self_by"), pk=entry_id, participation=participation
    )


def _attach(entry: Entry, participation: Participation) -> Entry:
    entry.participation = participation
    return entry


def _can_edit(user, participation: Participation) -> bool:
    return (
        access.can(user, Action.SELF_ASSESS, participation.unit)
        and participation.unit_may_edit
        and participation.year.is_open
        and window_open(participation.year, participation.unit, Stage.SELF)
    )


def _unit_files(participation: Participation) -> list[Evidence]:
    return list(
        Evidence.objects.filter(participation=participation, removed_at__isnull=True).order_by(
            "name", "pk"
        )
    )


class Leaf:
    """What the leaf fragment shows: the row, its form, the points, the messages; for
    a leaf linked to an indicator, the link and where its figure came from."""

    def __init__(
        self,
        row,
        participation,
        *,
        form=None,
        points=None,
        error=None,
        saved=False,
        link=None,
        prefill=None,
        series_url="",
    ):
        self.row = row
        self.node = row.node
        self.entry = row.entry
        self.participation = participation
        self.editable_rule = has_form(row.node) and row.node.method != Method.SURVEY
        self.form = form
        self.points = points if points is not None else row.entry.self_points
        self.error = error
        self.saved = saved
        self.is_news = services.is_news_leaf(row.node)
        self.rule_text = row.node.guidance or describe_rule(row.node.rule, row.node.max_points)
        self.value_text = services.inputs_text(row.node, row.entry.self_inputs)
        self.link = link
        self.prefill = prefill
        self.series_url = series_url
        self.source_text = (
            leaves.source_text(prefill.indicator, prefill.value, limit=None) if prefill else ""
        )

    @property
    def key(self) -> str:
        """localStorage key of the unsaved copy: year/unit/leaf."""
        p = self.participation
        return f"par:{p.year.year}:{p.unit.slug}:{self.node.code}"


def _leaf_context(request, participation, leaf: Leaf, can_edit: bool, files=None) -> dict:
    if can_edit and leaf.form is None and leaf.editable_rule and leaf.entry:
        leaf.form = leaf_form(leaf.node, leaf.entry, prefilled=leaf.prefill is not None)
    return {
        "leaf": leaf,
        "participation": participation,
        "can_edit": can_edit,
        "files": files if files is not None else [],
        "evidence_form": EvidenceForm(prefix=f"ev{leaf.entry.pk}", files_of_unit=files or [])
        if can_edit
        else None,
    }


def _row_for(participation, entry: Entry):
    """One leaf's workspace row (entry + live links), for the fragment."""
    row = selectors.Row(node=entry.node, is_leaf=True, entry=entry)
    row.links = list(
        EvidenceLink.objects.filter(
            entry=entry, removed_at__isnull=True, evidence__removed_at__isnull=True
        )
        .select_related("evidence")
        .order_by("created_at", "pk")
    )
    return row


# -- the workspace --------------------------------------------------------------------


def _sources(user, participation):
    """The leaves' links to indicators and where their figures came from (two queries),
    and a function giving a leaf's Leaf keywords."""
    links = leaves.links_of_set(participation.criteria_set_id)
    prefills = leaves.prefills_of(participation) if links else {}
    sees_series = access.can(user, Action.VIEW_TARGETS, participation.unit)

    def of(row) -> dict:
        link = links.get(row.node.pk)
        prefill = prefills.get(row.entry.pk) if row.entry else None
        indicator = prefill.indicator if prefill else link.indicator if link else None
        url = leaves.series_url(indicator, participation.unit) if indicator and sees_series else ""
        return {"link": link, "prefill": prefill, "series_url": url}

    return links, of


def workspace(request, year: int, slug: str):
    participation = selectors.participation_get_for_user(request.user, year, slug)
    rows = selectors.workspace(participation)
    can_edit = _can_edit(request.user, participation)
    files = _unit_files(participation) if can_edit else []
    links, sources = _sources(request.user, participation)
    items = []
    for row in rows:
        if row.is_leaf and row.entry is not None:
            leaf = Leaf(row, participation, **sources(row))
            items.append((row, _leaf_context(request, participation, leaf, can_edit, files)))
        else:
            items.append((row, None))
    unit = participation.unit
    user = request.user
    y = participation.year
    return render(
        request,
        "par/assessment_workspace.html",
        {
            "participation": participation,
            "page_title": f"Tự đánh giá Chỉ số CCHC năm {y.year}",
            "year": y,
            "unit": unit,
            "items": items,
            "total": selectors.workspace_total(rows),
            "can_edit": can_edit,
            "can_self_assess": access.can(user, Action.SELF_ASSESS, unit),
            "can_prefill": can_edit and bool(links),
            "can_submit": access.can(user, Action.SUBMIT_ASSESSMENT, unit)
            and participation.unit_may_edit,
            "can_withdraw": access.can(user, Action.SUBMIT_ASSESSMENT, unit)
            and participation.state == ParticipationState.SUBMITTED,
            "can_reopen": access.can(user, Action.MANAGE_PAR)
            and participation.state not in (*services.UNIT_EDITABLE_STATES, "finalised")
            and y.is_open,
            "reopen_form": ReopenForm(),
            "window": {
                "start": y.window(Stage.SELF)[0],
                "end": window_end(y, unit, Stage.SELF),
                "open": y.is_open and window_open(y, unit, Stage.SELF),
            },
            "problems": services.missing_for_submission(participation)
            if participation.unit_may_edit
            else [],
        },
    )


def _editing(request, year, slug, entry_id):
    participation = selectors.participation_get_for_user(
        request.user, year, slug, action=Action.SELF_ASSESS
    )
    entry = _attach(_entry(participation, entry_id), participation)
    if entry.node.method == Method.SURVEY:
        raise access.denied()
    return participation, entry


def _fragment(request, context, *, status=200):
    return render(request, "par/assessment_leaf.html", context, status=status)


@require_POST
def preview(request, year: int, slug: str, entry_id: int):
    """The points of what the officer typed, computed by the engine (HTMX fragment)."""
    participation, entry = _editing(request, year, slug, entry_id)
    form = leaf_form(entry.node, entry, request.POST)
    points, error = None, None
    if form.is_valid():
        inputs = form.inputs()
        if inputs is not None:
            try:
                points = leaf_points(entry.node, inputs)
            except ValidationError as exc:
                error = " ".join(exc.messages)
    else:
        error = " ".join(e for errors in form.errors.values() for e in errors)
    return render(
        request,
        "par/assessment_points.html",
        {"points": points, "error": error, "node": entry.node, "entry": entry},
    )


@require_POST
def save(request, year: int, slug: str, entry_id: int):
    participation, entry = _editing(request, year, slug, entry_id)
    prefilled = leaves.prefill_of(entry) is not None
    form = leaf_form(entry.node, entry, request.POST, prefilled=prefilled)
    saved = False
    if form.is_valid():
        try:
            entry = services.entry_self_save(
                actor=request.user,
                entry=entry,
                inputs=form.inputs(),
                note=form.cleaned_data["note"],
                version=form.cleaned_data["version"],
                reason=form.cleaned_data.get("reason", ""),
            )
            saved = True
        except ValidationError as exc:
            if exc.code == "stale":
                # keep what was typed, at the newer version: a second click overwrites
                newer = Entry.objects.get(pk=entry.pk)
                form = leaf_form(
                    entry.node, entry, request.POST, version=newer.version, prefilled=prefilled
                )
                form.is_valid()
            form.add_error(None, exc)
    if not request.htmx:
        if saved:
            messages.success(request, f"Đã lưu tiêu chí {entry.node.code}.")
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, f"Tiêu chí {entry.node.code}: {error}")
        return redirect(f"{_url(participation)}#tc-{entry.pk}")
    entry = _attach(Entry.objects.select_related("node", "self_by").get(pk=entry.pk), participation)
    row = _row_for(participation, entry)
    _, sources = _sources(request.user, participation)
    leaf = Leaf(row, participation, form=None if saved else form, saved=saved, **sources(row))
    files = _unit_files(participation)
    context = _leaf_context(request, participation, leaf, True, files)
    return _fragment(request, context, status=200 if saved else 422)


@require_POST
def evidence_add(request, year: int, slug: str, entry_id: int):
    """Upload a file (or choose one of the unit's) and link it to the leaf."""
    participation, entry = _editing(request, year, slug, entry_id)
    files = _unit_files(participation)
    form = EvidenceForm(request.POST, request.FILES, prefix=f"ev{entry.pk}", files_of_unit=files)
    if form.is_valid():
        try:
            upload = form.cleaned_data.get("file")
            if upload:
                evidence = services.evidence_upload(
                    actor=request.user, participation=participation, file=upload
                )
            else:
                evidence = next(e for e in files if e.pk == form.cleaned_data["evidence"])
            services.evidence_link(
                actor=request.user,
                entry=entry,
                evidence=evidence,
                location=form.cleaned_data["location"],
            )
            messages.success(request, f"Đã gắn «{evidence.name}» vào tiêu chí {entry.node.code}.")
        except ValidationError as exc:
            flash_validation_error(request, exc)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(f"{_url(participation)}#tc-{entry.pk}")


@require_POST
def evidence_remove(request, year: int, slug: str, entry_id: int, link_id: int):
    participation, entry = _editing(request, year, slug, entry_id)
    link = get_object_or_404(
        EvidenceLink.objects.select_related("evidence"), pk=link_id, entry=entry
    )
    link.entry = entry
    try:
        services.evidence_unlink(actor=request.user, link=link)
        messages.success(request, f"Đã gỡ «{link.evidence.name}» khỏi tiêu chí {entry.node.code}.")
    except ValidationError as exc:
        flash_validation_error(request, exc)
    return redirect(f"{_url(participation)}#tc-{entry.pk}")


@require_POST
def news_evidence(request, year: int, slug: str, entry_id: int):
    participation, entry = _editing(request, year, slug, entry_id)
    try:
        link = services.news_evidence_attach(actor=request.user, entry=entry)
        messages.success(request, f"Đã gắn «{link.evidence.name}» vào tiêu chí {entry.node.code}.")
    except ValidationError as exc:
        flash_validation_error(request, exc)
    return redirect(f"{_url(participation)}#tc-{entry.pk}")


@require_POST
def prefill(request, year: int, slug: str):
    """The button «Lấy số liệu từ chỉ tiêu»: linked leaves get the unit's year-end figures."""
    participation = selectors.participation_get_for_user(
        request.user, year, slug, action=Action.SELF_ASSESS
    )
    try:
        done = services.indicators_prefill(actor=request.user, participation=participation)
    except ValidationError as exc:
        flash_validation_error(request, exc)
        return redirect(_url(participation))
    if not any(vars(done).values()):
        messages.info(request, "Không có tiêu chí nào cần lấy số liệu từ chỉ tiêu.")
    for codes, text, level in (
        (done.filled, "Đã lấy số liệu từ chỉ tiêu CCHC cho tiêu chí", messages.success),
        (done.refreshed, "Đã cập nhật số liệu mới hơn cho tiêu chí", messages.success),
        (done.unchanged, "Số liệu đã là mới nhất ở tiêu chí", messages.info),
        (done.kept, "Giữ nguyên số liệu đơn vị đã tự nhập ở tiêu chí", messages.info),
        (done.missing, "Chưa có số liệu chỉ tiêu của năm cho tiêu chí", messages.warning),
    ):
        if codes:
            level(request, f"{text} {', '.join(codes)}.")
    return redirect(_url(participation))


def _version(request) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return 0


def _state_change(request, year, slug, change, done: str):
    """The leader's submit or withdraw: a second click gets a friendly note."""
    participation = selectors.participation_get_for_user(
        request.user, year, slug, action=Action.SUBMIT_ASSESSMENT
    )
    try:
        change(actor=request.user, participation=participation, version=_version(request))
        messages.success(request, done)
    except services.AlreadyDone as exc:
        messages.info(request, " ".join(exc.messages))
    except ValidationError as exc:
        flash_validation_error(request, exc)
    return redirect(_url(participation))


@require_POST
def submit(request, year: int, slug: str):
    return _state_change(
        request, year, slug, services.assessment_submit, "Đã gửi bản tự đánh giá để thẩm định."
    )


@require_POST
def withdraw(request, year: int, slug: str):
    return _state_change(
        request, year, slug, services.assessment_withdraw, "Đã rút bản tự đánh giá về để sửa."
    )


@require_POST
def reopen(request, year: int, slug: str):
    participation = selectors.participation_get_for_user(request.user, year, slug)
    access.require(request.user, Action.MANAGE_PAR)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Cần nêu lý do mở lại bản tự đánh giá.")
        return redirect(_url(participation))
    try:
        services.assessment_reopen(
            actor=request.user, participation=participation, reason=form.cleaned_data["reason"]
        )
        messages.success(request, "Đã mở lại bản tự đánh giá cho đơn vị.")
    except ValidationError as exc:
        flash_validation_error(request, exc)
    return redirect(_url(participation))


# -- the menu's landing: the user's unit in the open year, or a chooser ---------------


def start(request):
    """Straight to the user's unit's workspace of the open year, or a list to choose."""
    access.require_anywhere(request.user, Action.SELF_ASSESS)
    year = EvaluationYear.objects.filter(status=YearStatus.OPEN).order_by("-year").first()
    participations = []
    if year is not None:
        units = [
            u
            for u in access.user_units(request.user)
            if access.can(request.user, Action.SELF_ASSESS, u)
        ]
        if units:
            participations = list(
                Participation.objects.filter(unit_id__in=[u.pk for u in units], year=year)
                .select_related("unit", "year")
                .order_by("unit__name")
            )
    if len(participations) == 1:
        return redirect(_url(participations[0]))
    progress = selectors.progress_many(participations)
    return render(
        request,
        "par/assessment_choose.html",
        {
            "year": year,
            "rows": [(p, progress[p.pk]) for p in participations],
            "now": timezone.now(),
        },
    )


def menu_item() -> ActionMenuItem:
    return ActionMenuItem(
        "Tự đánh giá Chỉ số CCHC",
        reverse("par_assessment_start"),
        icon_name="form",
        order=210,
        action=Action.SELF_ASSESS,
    )


urlpatterns = [
    path("chi-so-cchc/tu-danh-gia/", start, name="par_assessment_start"),
    path(BASE, workspace, name="par_assessment"),
    path(f"{BASE}tieu-chi/<int:entry_id>/", save, name="par_assessment_save"),
    path(f"{BASE}tieu-chi/<int:entry_id>/xem-diem/", preview, name="par_assessment_preview"),
    path(f"{BASE}tieu-chi/<int:entry_id>/tai-lieu/", evidence_add, name="par_assessment_evidence"),
    path(
        f"{BASE}tieu-chi/<int:entry_id>/tai-lieu/<int:link_id>/go/",
        evidence_remove,
        name="par_assessment_unlink",
    ),
    path(f"{BASE}tieu-chi/<int:entry_id>/tin-cchc/", news_evidence, name="par_assessment_news"),
    path(f"{BASE}lay-so-lieu-chi-tieu/", prefill, name="par_assessment_prefill"),
    path(f"{BASE}gui/", submit, name="par_assessment_submit"),
    path(f"{BASE}rut-ve/", withdraw, name="par_assessment_withdraw"),
    path(f"{BASE}mo-lai/", reopen, name="par_assessment_reopen"),
]
