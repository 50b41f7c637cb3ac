"""The unit's self-assessment: its leaves, its evidence, its submission.

Every function is keyword-only, runs in one transaction and writes an audit entry.
Authorization (who may call what) is the views' job; the rules of the year are kept
here: the unit edits only its own leaves that are not survey leaves (SIPAS is Sở Nội
vụ's) nor exempt, only while its assessment is not submitted and inside its
self-assessment window (``require_window``, extensions included). Every leaf save
names the entry's version: a stale save is refused with the newer value. State
changes are conditional updates, so a double click acts once. After submission
nothing is deleted: evidence links are ended (``removed_at``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cchc.accounts.names import full_name
from cchc.core.audit import AuditAction, audit_record
from cchc.lib.formats import number_vi
from cchc.lib.uploads import check_upload
from cchc.par import engine
from cchc.par.models import (
    UNIT_EDITABLE_STATES,
    Entry,
    Evidence,
    EvidenceLink,
    Method,
    Participation,
    ParticipationState,
    Stage,
)
from cchc.par.services import notify
from cchc.par.services.scoring import leaf_points
from cchc.par.services.year import require_window

EVIDENCE_EXTENSIONS = frozenset({"pdf", "doc", "docx", "xls", "xlsx", "jpg", "jpeg", "png"})
EVIDENCE_LABEL = "PDF, Word, Excel hoặc ảnh JPG/PNG"
NEWS_CRITERION = "1.4"


def max_bytes() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_BYTES", 20 * 1024 * 1024))


# -- words ----------------------------------------------------------------------------


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, int | float | Decimal):
        return number_vi(value)
    return str(value)


def inputs_text(node, inputs: Mapping[str, Any] | None) -> str:
    """The inputs of a leaf in words: "Đạt", "mức …", "tỷ lệ 85%", "a = 10, b = 8"."""
    if inputs is None:
        return "chưa nhập"
    kind = (node.rule or {}).get("type")
    if kind == "binary" and "passed" in inputs:
        return "Đạt" if inputs["passed"] else "Không đạt"
    if kind == "levels" and "level" in inputs:
        return f"mức «{inputs['level']}»"
    if kind in ("percent_bands", "ratio") and "pct" in inputs:
        return f"tỷ lệ {_plain(inputs['pct'])}%"
    if kind == "count_capped" and "count" in inputs:
        return f"số lượng {_plain(inputs['count'])}"
    if kind == "score" and "points" in inputs:
        return f"{_plain(inputs['points'])} điểm"
    if kind == "deduction" and isinstance(inputs.get("counts"), Mapping):
        parts = [f"{k}: {_plain(v)} lần" for k, v in inputs["counts"].items() if v]
        return "; ".join(parts) or "không có lỗi bị trừ điểm"
    return ", ".join(f"{k} = {_plain(v)}" for k, v in inputs.items())


def entry_value_text(entry: Entry) -> str:
    """What the unit saved on a leaf, in words, with its points."""
    text = inputs_text(entry.node, entry.self_inputs)
    if entry.self_points is not None:
        text += f" → {number_vi(entry.self_points)} điểm"
    return text


def _stale(entry: Entry) -> ValidationError:
    who = full_name(entry.self_by) if entry.self_by else "người khác"
    when = timezone.localtime(entry.self_at or entry.updated_at).strftime("%H:%M %d/%m/%Y")
    note = f" Thuyết minh: «{entry.self_note}»." if entry.self_note else ""
    return ValidationError(
        f"Tiêu chí này vừa được {who} cập nhật lúc {when}: {entry_value_text(entry)}.{note} "
        "Hãy xem lại rồi lưu.",
        code="stale",
    )


# -- checks ---------------------------------------------------------------------------


def _require_unit_may_edit(participation: Participation) -> None:
    if participation.state not in UNIT_EDITABLE_STATES:
        raise ValidationError(
            f"Bản tự đánh giá đang ở trạng thái «{participation.get_state_display()}»; "
            "đơn vị không thể sửa.",
            code="locked",
        )


def _require_unit_leaf(entry: Entry) -> None:
    if entry.node.method == Method.SURVEY:
        raise ValidationError(
            "Tiêu chí này do Sở Nội vụ nhập từ kết quả SIPAS; đơn vị không thể sửa.",
            code="survey",
        )
    if entry.exempt:
        raise ValidationError("Tiêu chí này không áp dụng đối với đơn vị.", code="exempt")


def _require_editable(entry: Entry) -> Participation:
    participation = entry.participation
    _require_unit_leaf(entry)
    _require_unit_may_edit(participation)
    require_window(participation.year, participation.unit, Stage.SELF)
    return participation


def _points_in_bounds(node, inputs) -> Decimal:
    points = leaf_points(node, inputs)
    low, high = engine.rule_bounds(node.rule, node.max_points)
    high = min(high, node.max_points)
    if not low <= points <= high:
        raise ValidationError(
            f"Điểm {number_vi(points)} nằm ngoài khoảng cho phép của tiêu chí "
            f"({number_vi(low)}–{number_vi(high)}).",
            code="bounds",
        )
    return points


def _entry_state(entry: Entry) -> dict:
    return {
        "inputs": entry.self_inputs,
        "points": None if entry.self_points is None else str(entry.self_points),
        "note": entry.self_note,
    }


# -- the leaf -------------------------------------------------------------------------


@transaction.atomic
def entry_self_save(
    *,
    actor,
    entry: Entry,
    inputs: Mapping[str, Any] | None,
    note: str,
    version: int,
    reason: str = "",
) -> Entry:
    """Save the unit's inputs and note on one leaf, from the version the form showed.

    A figure taken from an indicator (``indicators_prefill``) is changed only with a
    ``reason``, kept with the figure's source and in the audit entry."""
    from cchc.targets import leaves

    participation = _require_editable(entry)
    node = entry.node
    note = (note or "").strip()
    reason = (reason or "").strip()
    points = None if inputs is None else _points_in_bounds(node, inputs)
    prefill = leaves.prefill_of(entry) if leaves.is_percent_leaf(node) else None
    if prefill is not None:
        leaves.check_correction(prefill, inputs, reason)
    before = _entry_state(entry)
    entry = _self_update(actor, entry, inputs, points, note, version)
    if prefill is not None:
        leaves.record_correction(actor=actor, prefill=prefill, inputs=inputs, reason=reason)
    data = {"code": node.code, "before": before, "after": _entry_state(entry)}
    if reason:
        data["reason"] = reason
    audit_record(
        actor=actor,
        action=AuditAction.PAR_ENTRY_SELF_ASSESS,
        obj=entry,
        unit=participation.unit,
        summary=f"{participation.unit} – tiêu chí {node.code}: {entry_value_text(entry)}",
        data=data,
    )
    return entry


def _self_update(actor, entry: Entry, inputs, points, note: str, version: int) -> Entry:
    """The conditional update of the unit's side of a leaf (a stale version refused)."""
    participation = entry.participation
    now = timezone.now()
    updated = Entry.objects.filter(pk=entry.pk, version=version).update(
        self_inputs=dict(inputs) if inputs is not None else None,
        self_points=points,
        self_note=note,
        self_at=now,
        self_by=actor if getattr(actor, "is_authenticated", False) else None,
        version=version + 1,
        updated_at=now,
    )
    if not updated:
        newer = Entry.objects.select_related("node", "self_by").get(pk=entry.pk)
        raise _stale(newer)
    Participation.objects.filter(pk=participation.pk, state=ParticipationState.NOT_STARTED).update(
        state=ParticipationState.IN_PROGRESS, version=F("version") + 1
    )
    entry.refresh_from_db()
    return entry


# -- evidence -------------------------------------------------------------------------


def _require_evidence_stage(participation: Participation, stage: Stage) -> None:
    if stage == Stage.SELF:
        _require_unit_may_edit(participation)
    elif stage == Stage.EXPLANATION:
        if participation.state != ParticipationState.RETURNED:
            raise ValidationError(
                "Chỉ bổ sung tài liệu khi đơn vị được đề nghị giải trình.", code="locked"
            )
    else:
        raise ValidationError("Đơn vị chỉ tải tài liệu khi tự đánh giá hoặc giải trình.")
    require_window(participation.year, participation.unit, stage)


def _display_name(name: str, ext: str) -> str:
    base = PurePosixPath(name.replace("\\", "/")).name.strip()
    return (base or f"tai-lieu.{ext}")[:255]


@transaction.atomic
def evidence_upload(
    *,
    actor,
    participation: Participation,
    file,
    name: str | None = None,
    stage=Stage.SELF,
    generated: bool = False,
) -> Evidence:
    """Check and store one evidence file for the participation (its bytes decide its
    kind). The same content uploaded again gives back the file already stored."""
    stage = Stage(stage)
    _require_evidence_stage(participation, stage)
    name = name if name is not None else getattr(file, "name", "") or ""
    checked = check_upload(
        file, name=name, allowed=EVIDENCE_EXTENSIONS, max_bytes=max_bytes(), label=EVIDENCE_LABEL
    )
    existing = Evidence.objects.filter(
        participation=participation, sha256=checked.sha256, removed_at__isnull=True
    ).first()
    if existing is not None:
        return existing
    evidence = Evidence(
        participation=participation,
        name=_display_name(name, checked.ext),
        ext=checked.ext,
        kind=checked.kind,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        generated=generated,
    )
    return _store(actor, evidence, file)


def _store(actor, evidence: Evidence, content) -> Evidence:
    content.seek(0)
    evidence.file.save(f"{evidence.sha256}.{evidence.ext}", content, save=False)
    try:
        evidence.save()
    except Exception:
        evidence.file.storage.delete(evidence.file.name)
        raise
    audit_record(
        actor=actor,
        action=AuditAction.PAR_EVIDENCE_UPLOAD,
        obj=evidence,
        unit=evidence.participation.unit,
        summary=f"{evidence.participation.unit}: tải lên «{evidence.name}»",
        data={
            "after": {
                "name": evidence.name,
                "kind": evidence.kind,
                "size": evidence.size,
                "sha256": evidence.sha256,
                "generated": evidence.generated,
            }
        },
    )
    return evidence


@transaction.atomic
def evidence_link(
    *, actor, entry: Entry, evidence: Evidence, location: str = "", stage=Stage.SELF
) -> EvidenceLink:
    """Link a file of the unit to one leaf, saying where in it (page, section)."""
    stage = Stage(stage)
    participation = entry.participation
    _require_unit_leaf(entry)
    _require_evidence_stage(participation, stage)
    if evidence.participation_id != participation.pk or evidence.removed_at is not None:
        raise ValidationError("Tài liệu không thuộc bản tự đánh giá của đơn vị.")
    location = (location or "").strip()[:300]
    link = EvidenceLink.objects.filter(
        evidence=evidence, entry=entry, removed_at__isnull=True
    ).first()
    before = None
    if link is not None:
        before = {"location": link.location}
        if link.location == location:
            return link
        link.location = location
        link.save(update_fields=["location"])
    else:
        link = EvidenceLink.objects.create(
            evidence=evidence,
            entry=entry,
            location=location,
            stage=stage,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
    audit_record(
        actor=actor,
        action=AuditAction.PAR_EVIDENCE_LINK,
        obj=entry,
        unit=participation.unit,
        summary=f"{participation.unit} – tiêu chí {entry.node.code}: gắn «{evidence.name}»",
        data={
            "code": entry.node.code,
            "before": before,
            "after": {"evidence": evidence.pk, "name": evidence.name, "location": location},
        },
    )
    return link


@transaction.atomic
def evidence_unlink(*, actor, link: EvidenceLink) -> EvidenceLink:
    """End a link (never deleted): the file stays, the leaf no longer cites it."""
    entry = link.entry
    participation = entry.participation
    _require_unit_leaf(entry)
    _require_evidence_stage(participation, Stage(link.stage))
    if link.removed_at is not None:
        return link
    link.removed_at = timezone.now()
    link.save(update_fields=["removed_at"])
    audit_record(
        actor=actor,
        action=AuditAction.PAR_EVIDENCE_UNLINK,
        obj=entry,
        unit=participation.unit,
        summary=f"{participation.unit} – tiêu chí {entry.node.code}: gỡ «{link.evidence.name}»",
        data={
            "code": entry.node.code,
            "before": {"evidence": link.evidence_id, "location": link.location},
            "after": None,
        },
    )
    return link


def is_news_leaf(node) -> bool:
    """A leaf of criterion 1.4 (the news section's evidence)."""
    return node.code == NEWS_CRITERION or node.code.startswith(NEWS_CRITERION + ".")


@transaction.atomic
def news_evidence_attach(*, actor, entry: Entry) -> EvidenceLink:
    """Generate the news section's criterion 1.4 evidence (articles and monthly
    visits of the unit in the year) and link it to the leaf."""
    from cchc.stats import exports
    from cchc.stats import selectors as stats

    if not is_news_leaf(entry.node):
        raise ValidationError("Chỉ gắn minh chứng từ chuyên mục tin cho tiêu chí 1.4.")
    participation = entry.participation
    _require_editable(entry)
    year = participation.year.year
    content = exports.evidence_xlsx(stats.evidence(participation.unit, year))
    name = f"Minh chứng tiêu chí 1.4 – {participation.unit.name} – {year}.xlsx"
    evidence = evidence_upload(
        actor=actor,
        participation=participation,
        file=ContentFile(content, name="x.xlsx"),
        name=name,
        generated=True,
    )
    return evidence_link(
        actor=actor,
        entry=entry,
        evidence=evidence,
        location="Chuyên mục tin CCHC: tin bài và lượt truy cập theo tháng",
    )


@dataclass
class PrefillResult:
    """What ``indicators_prefill`` did, leaf codes by outcome."""

    filled: list[str] = field(default_factory=list)  # empty leaves now filled
    refreshed: list[str] = field(default_factory=list)  # untouched since, newer figures
    unchanged: list[str] = field(default_factory=list)  # already the latest figure
    kept: list[str] = field(default_factory=list)  # filled by hand: never overwritten
    missing: list[str] = field(default_factory=list)  # no value for the year yet


def _json_pct(pct: Decimal) -> int | float:
    return int(pct) if pct == pct.to_integral_value() else float(pct)


@transaction.atomic
def indicators_prefill(*, actor, participation: Participation) -> PrefillResult:
    """Fill the leaves linked to an indicator (``cchc.targets.leaves``) with the unit's
    value at year end, each with the value's series as generated evidence.

    A leaf the unit has filled or changed by hand is never overwritten; one filled
    here and not touched since gets newer figures. One audit entry per leaf filled,
    naming the value (its version, period, who entered it and when)."""
    from cchc.targets import leaves

    _require_unit_may_edit(participation)
    require_window(participation.year, participation.unit, Stage.SELF)
    links = leaves.links_of_set(participation.criteria_set_id)
    if not links:
        raise ValidationError(
            "Bộ tiêu chí của đơn vị chưa có tiêu chí nào lấy số liệu từ chỉ tiêu CCHC.",
            code="no_links",
        )
    unit, year = participation.unit, participation.year.year
    entries = list(
        Entry.objects.filter(participation=participation, node_id__in=list(links))
        .exclude(node__method=Method.SURVEY)
        .select_related("node", "self_by")
        .order_by("node__position")
    )
    prefills = leaves.prefills_of(participation)
    values = leaves.year_end_values({link.indicator for link in links.values()}, unit, year)
    result = PrefillResult()
    for entry in entries:
        entry.participation = participation
        code = entry.node.code
        if entry.exempt:
            continue
        link = links[entry.node_id]
        previous = prefills.get(entry.pk)
        untouched = previous is not None and previous.entry_version == entry.version
        if entry.self_inputs is not None and not untouched:
            result.kept.append(code)
            continue
        value = values.get(link.indicator_id)
        if value is None:
            result.missing.append(code)
            continue
        if untouched and previous.value_id == value.pk:
            result.unchanged.append(code)
            continue
        _prefill_entry(actor, entry, link.indicator, value, previous)
        (result.refreshed if untouched else result.filled).append(code)
    return result


def _prefill_entry(actor, entry: Entry, indicator, value, previous) -> None:
    from cchc.targets import leaves
    from cchc.targets.models import LeafPrefill

    participation = entry.participation
    pct = leaves.pct_of(value)
    inputs = {"pct": _json_pct(pct)}
    points = _points_in_bounds(entry.node, inputs)
    before = _entry_state(entry)
    entry = _self_update(actor, entry, inputs, points, entry.self_note, entry.version)
    year = participation.year.year
    evidence = evidence_upload(
        actor=actor,
        participation=participation,
        file=ContentFile(
            leaves.series_xlsx(indicator, participation.unit, year, value), name="x.xlsx"
        ),
        name=f"Số liệu chỉ tiêu – {indicator.name[:120]} – {participation.unit.name} – {year}.xlsx",
        generated=True,
    )
    if previous is not None and previous.evidence_link_id:
        old = previous.evidence_link
        if old.removed_at is None and old.evidence_id != evidence.pk:
            evidence_unlink(actor=actor, link=old)
    link = evidence_link(
        actor=actor,
        entry=entry,
        evidence=evidence,
        location=leaves.source_text(indicator, value),
    )
    by = actor if getattr(actor, "is_authenticated", False) else None
    LeafPrefill.objects.update_or_create(
        entry=entry,
        defaults={
            "indicator": indicator,
            "value": value,
            "pct": pct,
            "entry_version": entry.version,
            "filled_at": timezone.now(),
            "filled_by": by,
            "evidence_link": link,
            "corrected_pct": None,
            "corrected_reason": "",
            "corrected_at": None,
            "corrected_by": None,
        },
    )
    audit_record(
        actor=actor,
        action=AuditAction.PAR_ENTRY_PREFILL,
        obj=entry,
        unit=participation.unit,
        summary=f"{participation.unit} – tiêu chí {entry.node.code}: "
        f"{entry_value_text(entry)}, lấy từ chỉ tiêu «{indicator.name}»",
        data={
            "code": entry.node.code,
            "before": before,
            "after": _entry_state(entry),
            "source": {
                "indicator": indicator.code,
                "plan": indicator.plan.year,
                "value": value.pk,
                "version": value.version,
                "period": leaves.period_label(value),
                "numerator": str(value.numerator),
                "denominator": str(value.denominator),
                "entered_by": value.entered_by_id,
                "entered_at": value.entered_at.isoformat(),
                "note": value.note,
            },
        },
    )


# -- submission -----------------------------------------------------------------------


def missing_for_submission(participation: Participation) -> list[str]:
    """Why the assessment cannot be submitted yet (empty: it can)."""
    problems = []
    entries = (
        Entry.objects.filter(participation=participation, exempt=False)
        .exclude(node__method=Method.SURVEY)
        .select_related("node")
        .order_by("node__position")
    )
    linked = set(
        EvidenceLink.objects.filter(
            entry__participation=participation,
            removed_at__isnull=True,
            evidence__removed_at__isnull=True,
        ).values_list("entry_id", flat=True)
    )
    unfilled = [e.node.code for e in entries if e.self_inputs is None]
    unexplained = [e.node.code for e in entries if e.pk not in linked and not e.self_note.strip()]
    if unfilled:
        problems.append(f"Còn {len(unfilled)} tiêu chí chưa chấm điểm: {_codes(unfilled)}.")
    if unexplained:
        problems.append(
            f"Còn {len(unexplained)} tiêu chí thiếu tài liệu kiểm chứng mà chưa có thuyết "
            f"minh: {_codes(unexplained)}."
        )
    return problems


def _codes(codes: list[str], limit: int = 12) -> str:
    shown = ", ".join(codes[:limit])
    return shown + (f" và {len(codes) - limit} tiêu chí khác" if len(codes) > limit else "")


class AlreadyDone(ValidationError):
    """A second click of a state change that the first click already made."""


def _participation_state(participation: Participation) -> dict:
    return {"state": participation.state, "version": participation.version}


STALE_PARTICIPATION = "Bản tự đánh giá vừa được người khác thay đổi; hãy tải lại trang."


def _state_changed(actor, participation: Participation, action, what: str, reason=None):
    """Reload the participation after its conditional update and audit the change."""
    before = _participation_state(participation)
    participation.refresh_from_db()
    data = {"before": before, "after": _participation_state(participation)}
    if reason is not None:
        data["reason"] = reason
    audit_record(
        actor=actor,
        action=action,
        obj=participation,
        unit=participation.unit,
        summary=f"{participation.unit}: {what} năm {participation.year.year}",
        data=data,
    )
    return participation


@transaction.atomic
def assessment_submit(*, actor, participation: Participation, version: int) -> Participation:
    """The leader sends the assessment for appraisal; it is locked from then on."""
    require_window(participation.year, participation.unit, Stage.SELF)
    current = Participation.objects.get(pk=participation.pk)
    if current.state == ParticipationState.SUBMITTED and current.version != version:
        raise AlreadyDone("Bản tự đánh giá đã được gửi.", code="already")
    _require_unit_may_edit(current)
    problems = missing_for_submission(participation)
    if problems:
        raise ValidationError(problems, code="incomplete")
    now = timezone.now()
    updated = Participation.objects.filter(
        pk=participation.pk, state__in=list(UNIT_EDITABLE_STATES), version=version
    ).update(
        state=ParticipationState.SUBMITTED,
        submitted_at=now,
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
        version=version + 1,
    )
    if not updated:
        current = Participation.objects.get(pk=participation.pk)
        if current.state == ParticipationState.SUBMITTED:
            raise AlreadyDone("Bản tự đánh giá đã được gửi.", code="already")
        raise ValidationError(STALE_PARTICIPATION, code="stale")
    _state_changed(actor, participation, AuditAction.PAR_ASSESSMENT_SUBMIT, "gửi bản tự đánh giá")
    notify.submitted(participation=participation, url=_workspace_url(participation))
    return participation


def _workspace_url(participation: Participation) -> str:
    from django.urls import reverse

    return reverse("par_assessment", args=[participation.year.year, participation.unit.slug])


@transaction.atomic
def assessment_withdraw(*, actor, participation: Participation, version: int) -> Participation:
    """The leader takes the submission back to correct it, until appraisal starts."""
    require_window(participation.year, participation.unit, Stage.SELF)
    current = Participation.objects.get(pk=participation.pk)
    if current.state == ParticipationState.IN_PROGRESS and current.version != version:
        raise AlreadyDone("Bản tự đánh giá đã được rút về.", code="already")
    if current.state != ParticipationState.SUBMITTED:
        raise ValidationError(
            "Chỉ rút được bản tự đánh giá đã gửi và chưa được thẩm định.", code="locked"
        )
    appraised = Entry.objects.filter(participation=participation).exclude(r1_decision="").exists()
    if appraised:
        raise ValidationError(
            "Bản tự đánh giá đã bắt đầu được thẩm định; chỉ Sở Nội vụ có thể mở lại.",
            code="appraised",
        )
    updated = Participation.objects.filter(
        pk=participation.pk, state=ParticipationState.SUBMITTED, version=version
    ).update(state=ParticipationState.IN_PROGRESS, version=version + 1)
    if not updated:
        raise ValidationError(STALE_PARTICIPATION, code="stale")
    return _state_changed(
        actor, participation, AuditAction.PAR_ASSESSMENT_WITHDRAW, "rút bản tự đánh giá để sửa"
    )


@transaction.atomic
def assessment_reopen(*, actor, participation: Participation, reason: str) -> Participation:
    """Sở Nội vụ reopens a unit's assessment (any state before finalised), with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Cần nêu lý do mở lại bản tự đánh giá.", code="reason")
    year = participation.year
    if not year.is_open:
        raise ValidationError(f"Kỳ đánh giá năm {year.year} đã chốt kết quả; không thể mở lại.")
    current = Participation.objects.get(pk=participation.pk)
    if current.state == ParticipationState.FINALISED:
        raise ValidationError("Kết quả của đơn vị đã chốt; không thể mở lại.")
    if current.state in UNIT_EDITABLE_STATES:
        raise ValidationError("Bản tự đánh giá đang mở; không cần mở lại.", code="already")
    updated = Participation.objects.filter(pk=current.pk, version=current.version).update(
        state=ParticipationState.IN_PROGRESS, version=current.version + 1
    )
    if not updated:
        raise ValidationError(STALE_PARTICIPATION, code="stale")
    participation.state, participation.version = current.state, current.version
    return _state_changed(
        actor,
        participation,
        AuditAction.PAR_ASSESSMENT_REOPEN,
        "mở lại bản tự đánh giá",
        reason=reason,
    )
