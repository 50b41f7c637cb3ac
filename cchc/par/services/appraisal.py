"""Appraisal (thẩm định) in two rounds, and the unit's explanation (giải trình) between.

Round 1: an appraiser of the area's department accepts a leaf, adjusts it (inputs
or points, with a comment) or returns it for explanation (comment). The first save
moves a submitted unit to ``in_appraisal``. The administrator closes round 1
(``round1_close``): undecided leaves count as accepted; a unit with returned leaves
goes to ``returned`` (and is told), the others to ``appraised``.

Explanation: the unit explains each returned leaf (``entry_explain``), optionally with
revised inputs, and its leader sends the explanation (``explanation_submit``):
``returned`` → ``explained``.

Round 2: only returned leaves, accepted (the explanation stands) or adjusted. When
every returned leaf has its round-2 decision the unit is ``appraised``. A unit that
let the explanation window pass without sending anything stays ``returned``; its
returned leaves are then appraised in round 2 all the same (on round 1's evidence), so
the year can be finished without it.

Every save names the entry's version (a stale one is refused with the newer value);
state changes are conditional updates, so a double click changes the state once.
Permissions are the views' business (``access.can(..., Action.APPRAISE, unit,
area=...)``); windows and states are checked here.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from cchc.core.audit import AuditAction, audit_record
from cchc.lib.formats import number_vi
from cchc.par import engine
from cchc.par.models import (
    Decision,
    Entry,
    EvaluationYear,
    Method,
    Participation,
    ParticipationState,
    Stage,
)
from cchc.par.services import notify, scoring
from cchc.par.services.year import require_window, window_open

S = ParticipationState
ROUND1_STATES = (S.SUBMITTED, S.IN_APPRAISAL)
# returned: the unit let the explanation window pass without sending (see above)
ROUND2_STATES = (S.EXPLAINED, S.RETURNED)


def _fmt_at(at) -> str:
    return timezone.localtime(at).strftime("%H:%M %d/%m/%Y") if at else ""


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else "người khác"


def _round_state(entry: Entry, round_: int) -> dict[str, Any]:
    p = f"r{round_}_"
    points = getattr(entry, p + "points")
    return {
        "decision": getattr(entry, p + "decision"),
        "inputs": getattr(entry, p + "inputs"),
        "points": None if points is None else str(points),
        "comment": getattr(entry, p + "comment"),
    }


def _stale(entry: Entry) -> ValidationError:
    """The message for a save that started from an older version: who, when, what."""
    fresh = Entry.objects.select_related("r1_by", "r2_by", "explanation_by", "self_by").get(
        pk=entry.pk
    )
    candidates = [
        (fresh.r1_at, fresh.r1_by, 1),
        (fresh.r2_at, fresh.r2_by, 2),
        (fresh.explanation_at, fresh.explanation_by, "explanation"),
        (fresh.self_at, fresh.self_by, "self"),
    ]
    at, by, which = max((c for c in candidates if c[0]), key=lambda c: c[0], default=(None,) * 3)
    if which in (1, 2):
        decision = getattr(fresh, f"r{which}_decision")
        points = getattr(fresh, f"r{which}_points")
        value = Decision(decision).label if decision else "chưa thẩm định"
        if points is not None:
            value += f", {number_vi(points)} điểm"
    elif which == "explanation":
        value = f"giải trình «{fresh.explanation[:80]}»"
    else:
        value = "chưa có" if fresh.self_points is None else f"{number_vi(fresh.self_points)} điểm"
    return ValidationError(
        f"Tiêu chí này vừa được {_name(by)} cập nhật lúc {_fmt_at(at or fresh.updated_at)}: "
        f"{value}. Hãy xem lại rồi lưu.",
        code="stale",
    )


def _save_versioned(entry: Entry, version: int, changes: dict, now) -> None:
    """Write `changes` if the entry is still at `version`, else refuse with the newer value."""
    if not Entry.objects.filter(pk=entry.pk, version=version).update(
        **changes, version=F("version") + 1, updated_at=now
    ):
        raise _stale(entry)
    for field, value in changes.items():
        setattr(entry, field, value)
    entry.version = version + 1


def _points_value(points) -> Decimal:
    try:
        return Decimal(str(points).replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError("Điểm thẩm định phải là một số.") from None


def _check_points(node, points) -> Decimal:
    value = _points_value(points)
    low, high = engine.rule_bounds(node.rule, node.max_points)
    if value > high:
        raise ValidationError(
            f"Điểm thẩm định ({number_vi(value)}) không được vượt quá điểm tối đa "
            f"của tiêu chí {node.code} ({number_vi(high)})."
        )
    if value < low:
        raise ValidationError(
            f"Điểm thẩm định ({number_vi(value)}) không được thấp hơn {number_vi(low)} "
            f"(tiêu chí {node.code})."
        )
    return value


def value_points(entry: Entry | Mapping, node) -> Decimal | None:
    """The points a leaf has now (``scoring.entry_value`` scored), None when unscored."""
    inputs, override = scoring.entry_value(entry)
    if override is not None:
        return override.points
    if inputs is None:
        return None
    try:
        return scoring.leaf_points(node, inputs)
    except ValidationError:
        return None


def _check_leaf(entry: Entry) -> None:
    if entry.node.method == Method.SURVEY:
        raise ValidationError(
            "Tiêu chí điều tra xã hội học do Sở Nội vụ nhập, không thẩm định ở đây."
        )
    if entry.exempt:
        raise ValidationError(f"Tiêu chí {entry.node.code} không áp dụng đối với đơn vị.")


def _load(entry: Entry) -> Entry:
    return Entry.objects.select_related("node", "participation__year", "participation__unit").get(
        pk=entry.pk
    )


@transaction.atomic
def entry_appraise(
    *,
    actor,
    entry: Entry,
    round: int,  # noqa: A002 - the brief's name, read as "round 1 / round 2"
    decision: Decision | str,
    inputs: Mapping | None = None,
    points=None,
    comment: str = "",
    version: int,
) -> Entry:
    """Record one appraiser's decision on one leaf in round 1 or 2."""
    if round not in (1, 2):
        raise ValueError("round is 1 or 2")
    entry = _load(entry)
    participation, node = entry.participation, entry.node
    year, unit = participation.year, participation.unit
    decision = Decision(decision)
    comment = (comment or "").strip()
    _check_leaf(entry)
    if round == 1:
        require_window(year, unit, Stage.ROUND1)
        if participation.state not in ROUND1_STATES:
            raise ValidationError(
                f"{unit} đang ở trạng thái «{participation.get_state_display()}»: "
                "không thẩm định vòng 1."
            )
    else:
        require_window(year, unit, Stage.ROUND2)
        if entry.r1_decision != Decision.RETURNED:
            raise ValidationError(
                f"Tiêu chí {node.code} không được đề nghị giải trình: vòng 2 chỉ thẩm định "
                "các tiêu chí đã trả lại."
            )
        if participation.state not in ROUND2_STATES:
            raise ValidationError(
                f"{unit} đang ở trạng thái «{participation.get_state_display()}»: "
                "không thẩm định vòng 2."
            )
        if participation.state == S.RETURNED and window_open(year, unit, Stage.EXPLANATION):
            raise ValidationError(
                f"{unit} chưa gửi giải trình và thời gian giải trình chưa kết thúc."
            )
        if decision == Decision.RETURNED:
            raise ValidationError("Vòng 2 không trả lại tiêu chí: hãy đồng ý hoặc điều chỉnh điểm.")
    if decision != Decision.ACCEPTED and not comment:
        raise ValidationError(
            {"comment": f"Cần ghi ý kiến thẩm định khi {decision.label.lower()}."}
        )

    stored_inputs, stored_points = None, None
    if decision == Decision.ACCEPTED:
        # what stands: the unit's points (round 1) or its explanation's (round 2)
        if round == 1:
            stored_points = entry.self_points
        else:
            stored_points = value_points({**_row(entry), "r2_decision": ""}, node)
    elif inputs is not None:
        stored_inputs = dict(inputs)
        stored_points = scoring.leaf_points(node, stored_inputs)
    elif points not in (None, ""):
        stored_points = _check_points(node, points)
    elif decision == Decision.ADJUSTED:
        raise ValidationError(
            {"points": "Cần nhập dữ liệu thẩm định hoặc điểm thẩm định khi điều chỉnh điểm."}
        )

    p = f"r{round}_"
    before = _round_state(entry, round)
    now = timezone.now()
    changes = {
        p + "decision": decision.value,
        p + "inputs": stored_inputs,
        p + "points": stored_points,
        p + "comment": comment,
        p + "at": now,
        p + "by": actor if getattr(actor, "is_authenticated", False) else None,
    }
    _save_versioned(entry, version, changes, now)

    if round == 1:
        Participation.objects.filter(pk=participation.pk, state=S.SUBMITTED).update(
            state=S.IN_APPRAISAL, version=F("version") + 1
        )
    else:
        _round2_complete(participation)

    audit_record(
        actor=actor,
        action=AuditAction.PAR_ENTRY_APPRAISE,
        obj=entry,
        unit=unit,
        summary=f"Thẩm định vòng {round} tiêu chí {node.code} của {unit}: {decision.label}",
        data={
            "code": node.code,
            "round": round,
            "before": before,
            "after": _round_state(entry, round),
            "reason": comment,
        },
    )
    return entry


def _row(entry: Entry) -> dict[str, Any]:
    return {field: getattr(entry, field) for field in scoring.ENTRY_VALUES if "__" not in field}


def _round2_complete(participation: Participation) -> bool:
    """Every returned leaf decided in round 2 → appraised (once)."""
    open_leaves = Entry.objects.filter(
        participation=participation, r1_decision=Decision.RETURNED, r2_decision=""
    ).exists()
    if open_leaves:
        return False
    return bool(
        Participation.objects.filter(pk=participation.pk, state__in=ROUND2_STATES).update(
            state=S.APPRAISED, version=F("version") + 1
        )
    )


def _appraisable(queryset):
    return queryset.filter(exempt=False).exclude(node__method=Method.SURVEY)


@transaction.atomic
def round1_close(*, actor, year: EvaluationYear, unit=None, url_for=None) -> dict[str, int]:
    """Close round 1 for every unit in appraisal (or one unit).

    Undecided leaves count as accepted (recorded as such); units with returned leaves
    go to ``returned`` and are told, the others to ``appraised``. A unit submitted but
    not yet touched by any appraiser is closed the same way (everything accepted).
    ``url_for(participation)`` gives the explanation page's address for the notice.
    Returns the numbers of units returned and appraised.
    """
    if not year.is_open:
        raise ValidationError(f"Kỳ đánh giá năm {year.year} đã chốt kết quả; không thể thay đổi.")
    participations = Participation.objects.filter(year=year, state__in=ROUND1_STATES)
    if unit is not None:
        participations = participations.filter(unit=unit)
    participations = list(participations.select_related("unit", "year"))
    if unit is not None and not participations:
        raise ValidationError(f"{unit} không ở giai đoạn thẩm định vòng 1.")
    now = timezone.now()
    by = actor if getattr(actor, "is_authenticated", False) else None
    done = {"returned": 0, "appraised": 0}
    for participation in participations:
        undecided = _appraisable(Entry.objects.filter(participation=participation, r1_decision=""))
        accepted = undecided.count()
        # the unit's points stand: r1_points = self_points, as an accept by hand stores
        undecided.update(
            r1_decision=Decision.ACCEPTED,
            r1_points=F("self_points"),
            r1_at=now,
            r1_by=by,
            version=F("version") + 1,
            updated_at=now,
        )
        returned = Entry.objects.filter(
            participation=participation, r1_decision=Decision.RETURNED
        ).count()
        state = S.RETURNED if returned else S.APPRAISED
        changed = Participation.objects.filter(
            pk=participation.pk, state=participation.state, version=participation.version
        ).update(state=state, version=F("version") + 1)
        if not changed:
            continue  # closed meanwhile by another click
        done[state.value] += 1
        if returned:
            notify.returned(
                participation=participation,
                count=returned,
                url=url_for(participation) if url_for else "",
            )
        audit_record(
            actor=actor,
            action=AuditAction.PAR_ROUND1_CLOSE,
            obj=participation,
            unit=participation.unit,
            summary=f"Kết thúc thẩm định vòng 1 của {participation.unit}: "
            f"{returned} tiêu chí đề nghị giải trình",
            data={
                "before": participation.state,
                "after": state.value,
                "returned": returned,
                "accepted_by_default": accepted,
            },
        )
    return done


@transaction.atomic
def entry_explain(
    *,
    actor,
    entry: Entry,
    explanation: str,
    inputs: Mapping | None = None,
    version: int,
    evidence=None,
    location: str = "",
) -> Entry:
    """The unit's explanation of one returned leaf, with revised inputs if it has any,
    and new evidence (one of the unit's files, linked at the explanation stage)."""
    entry = _load(entry)
    participation, node = entry.participation, entry.node
    year, unit = participation.year, participation.unit
    require_window(year, unit, Stage.EXPLANATION)
    if entry.r1_decision != Decision.RETURNED:
        raise ValidationError(f"Tiêu chí {node.code} không được đề nghị giải trình.")
    if participation.state != S.RETURNED:
        raise ValidationError(
            f"Đơn vị đang ở trạng thái «{participation.get_state_display()}»: "
            "không thể sửa giải trình."
        )
    explanation = (explanation or "").strip()
    if not explanation:
        raise ValidationError({"explanation": "Cần nhập nội dung giải trình."})
    if inputs is not None:
        inputs = dict(inputs)
        scoring.leaf_points(node, inputs)  # refuses what the rule cannot score
    before = {"explanation": entry.explanation, "inputs": entry.explanation_inputs}
    now = timezone.now()
    changes = {
        "explanation": explanation,
        "explanation_inputs": inputs,
        "explanation_at": now,
        "explanation_by": actor if getattr(actor, "is_authenticated", False) else None,
    }
    _save_versioned(entry, version, changes, now)
    if evidence is not None:
        from cchc.par.services.assessment import evidence_link

        evidence_link(
            actor=actor, entry=entry, evidence=evidence, location=location, stage=Stage.EXPLANATION
        )
    audit_record(
        actor=actor,
        action=AuditAction.PAR_ENTRY_EXPLAIN,
        obj=entry,
        unit=unit,
        summary=f"Giải trình tiêu chí {node.code} của {unit}",
        data={
            "code": node.code,
            "before": before,
            "after": {"explanation": explanation, "inputs": inputs},
            "reason": explanation,
        },
    )
    return entry


@transaction.atomic
def explanation_submit(*, actor, participation: Participation, version: int) -> bool:
    """The leader sends the unit's explanation: returned → explained.

    False (nothing changed) when it was already sent: a double click sends once.
    """
    participation = Participation.objects.select_related("year", "unit").get(pk=participation.pk)
    if participation.state == S.EXPLAINED:
        return False
    require_window(participation.year, participation.unit, Stage.EXPLANATION)
    if participation.state != S.RETURNED:
        raise ValidationError(
            f"Đơn vị đang ở trạng thái «{participation.get_state_display()}»: "
            "không có gì để giải trình."
        )
    missing = list(
        Entry.objects.filter(participation=participation, r1_decision=Decision.RETURNED)
        .filter(Q(explanation="") | Q(explanation__isnull=True))
        .order_by("node__position")
        .values_list("node__code", flat=True)
    )
    if missing:
        raise ValidationError(
            "Chưa giải trình tiêu chí: " + ", ".join(missing) + ". Hãy giải trình đủ rồi gửi."
        )
    now = timezone.now()
    changed = Participation.objects.filter(
        pk=participation.pk, state=S.RETURNED, version=version
    ).update(state=S.EXPLAINED, explained_at=now, version=F("version") + 1)
    if not changed:
        if Participation.objects.filter(pk=participation.pk, state=S.EXPLAINED).exists():
            return False
        raise ValidationError(
            "Bản giải trình vừa được người khác thay đổi. Hãy tải lại trang rồi gửi."
        )
    count = Entry.objects.filter(participation=participation, r1_decision=Decision.RETURNED).count()
    audit_record(
        actor=actor,
        action=AuditAction.PAR_EXPLANATION_SUBMIT,
        obj=participation,
        unit=participation.unit,
        summary=f"{participation.unit} gửi giải trình {count} tiêu chí",
        data={"before": S.RETURNED.value, "after": S.EXPLAINED.value, "count": count},
    )
    return True
