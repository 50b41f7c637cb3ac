"""Collecting answers: paper forms keyed twice, and the online form.

An answer is counted once, as one ``Response`` per respondent. Counting claims the
respondent with a conditional update (pending → answered), so an online submission
racing a paper keying, or a double click, can never count twice; the one-to-one
``Response.respondent`` is the backstop in the database.

Paper forms: the first keying of a code is round 1, the next by somebody else round 2
(``PaperEntry`` is unique per respondent and round, so two operators keying round 2
at once get one row and one clear refusal). Agreeing rounds count at once; differing
rounds wait in the mismatch list until someone picks the values (``paper_resolve``).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from cchc.core.audit import AuditAction, audit_record
from cchc.sipas.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    SCALE_VALUES,
    Channel,
    PaperEntry,
    Questionnaire,
    Respondent,
    RespondentStatus,
    Response,
    Survey,
    SurveyStatus,
)

SUGGESTION_MAX = 2000


# Answers: parsed and checked against the form ---------------------------------------


@dataclass(frozen=True)
class Answers:
    """One respondent's answers, as stored (item code → 1..5 or None)."""

    answers: dict[str, int | None]
    profile: dict[str, str] = field(default_factory=dict)
    suggestion: str = ""

    def as_dict(self) -> dict:
        return {"answers": self.answers, "profile": self.profile, "suggestion": self.suggestion}


def normalize_code(raw: str) -> str:
    """What an operator or respondent typed, as a code: upper case, no spaces or dashes."""
    return re.sub(r"[\s\-]", "", raw or "").upper()


def code_is_wellformed(code: str) -> bool:
    return len(code) == CODE_LENGTH and all(c in CODE_ALPHABET for c in code)


def scale_value(raw, *, label: str) -> int | None:
    """ "" / None → None (left blank); 1..5 → int; anything else a Vietnamese error."""
    if raw is None:
        return None
    text = str(raw).strip()
    if text == "":
        return None
    if text.isdigit() and int(text) in SCALE_VALUES:
        return int(text)
    raise ValidationError(
        f"{label}: chỉ nhận 1, 2, 3, 4, 5 hoặc để trống (đã nhập “{text[:10]}”).",
        code="out_of_range",
    )


def profile_choices(questionnaire: Questionnaire) -> dict[str, list[str]]:
    return {q["code"]: [str(v) for v, _ in q["choices"]] for q in questionnaire.profile}


def parse_answers(
    questionnaire: Questionnaire,
    *,
    answers: dict,
    profile: dict | None = None,
    suggestion: str = "",
    profile_by_number: bool = False,
) -> Answers:
    """Check every value against the form; raise one ValidationError listing every problem.

    ``answers`` maps item code → what was typed; unknown item codes are refused.
    ``profile`` maps profile code → the choice's value, or (``profile_by_number``, as keyed
    off paper where each choice is printed with its number) its number 1..k.
    """
    problems: dict[str, list[str]] = {}
    codes = questionnaire.item_codes
    unknown = sorted(set(answers) - set(codes))
    if unknown:
        problems.setdefault("__all__", []).append(
            f"Phiếu không có câu {', '.join(unknown)}: mẫu phiếu {questionnaire.title}."
        )
    parsed: dict[str, int | None] = {}
    for code in codes:
        try:
            parsed[code] = scale_value(answers.get(code), label=f"Câu {code}")
        except ValidationError as exc:
            problems.setdefault(f"item_{code}", []).extend(exc.messages)
    chosen: dict[str, str] = {}
    for question in questionnaire.profile:
        qcode = question["code"]
        values = [str(v) for v, _ in question["choices"]]
        raw = str((profile or {}).get(qcode) or "").strip()
        if raw == "":
            continue
        if profile_by_number:
            if raw.isdigit() and 1 <= int(raw) <= len(values):
                chosen[qcode] = values[int(raw) - 1]
                continue
            problems.setdefault(f"profile_{qcode}", []).append(
                f"{question['label']}: chỉ nhận số từ 1 đến {len(values)} hoặc để trống."
            )
        elif raw in values:
            chosen[qcode] = raw
        else:
            problems.setdefault(f"profile_{qcode}", []).append(
                f"{question['label']}: lựa chọn không hợp lệ."
            )
    text = (suggestion or "").strip()
    if len(text) > SUGGESTION_MAX:
        problems.setdefault("suggestion", []).append(
            f"Góp ý dài quá {SUGGESTION_MAX} ký tự ({len(text)} ký tự)."
        )
    if problems:
        raise ValidationError(problems)
    return Answers(parsed, chosen, text)


def differences(first: Answers, second: Answers) -> list[str]:
    """The fields on which two keyings disagree: item codes, "profile:<code>", "suggestion"."""
    diff = [c for c in first.answers if first.answers.get(c) != second.answers.get(c)]
    diff += [
        f"profile:{c}"
        for c in sorted(set(first.profile) | set(second.profile))
        if first.profile.get(c) != second.profile.get(c)
    ]
    if _squash(first.suggestion) != _squash(second.suggestion):
        diff.append("suggestion")
    return diff


def _squash(text: str) -> str:
    return " ".join((text or "").split())


def _entry_answers(entry: PaperEntry) -> Answers:
    return Answers(dict(entry.answers), dict(entry.profile), entry.suggestion)


# Who may still answer -----------------------------------------------------------------


def check_collecting(survey: Survey, *, today: datetime.date | None = None) -> None:
    today = today or timezone.localdate()
    if survey.status != SurveyStatus.COLLECTING:
        raise ValidationError(
            f"Đợt khảo sát năm {survey.year} không trong thời gian thu phiếu "
            f"({survey.get_status_display().lower()}).",
            code="not_collecting",
        )
    if today > survey.answers_until:
        raise ValidationError(
            f"Đã hết hạn nhận phiếu (đến ngày {survey.answers_until:%d/%m/%Y}).",
            code="past_deadline",
        )


def check_answerable(respondent: Respondent) -> None:
    """A respondent whose answer may still be counted (not refused, in the sample, new)."""
    if respondent.status == RespondentStatus.ANSWERED or hasattr_response(respondent):
        raise ValidationError(
            f"Phiếu {respondent.code} đã được ghi nhận; mỗi phiếu chỉ tính một lần.",
            code="already_counted",
        )
    if respondent.status == RespondentStatus.REFUSED:
        raise ValidationError(
            f"Mã phiếu {respondent.code} đã được ghi nhận là từ chối, không còn trong mẫu.",
            code="refused",
        )
    if not respondent.in_sample:
        raise ValidationError(
            f"Mã phiếu {respondent.code} là mẫu dự phòng chưa được đưa vào mẫu.",
            code="reserve",
        )


def hasattr_response(respondent: Respondent) -> bool:
    try:
        return respondent.response is not None
    except Response.DoesNotExist:
        return False


def _count(*, respondent: Respondent, channel: str, values: Answers, procedure: str) -> Response:
    """The one way an answer is counted: claim the respondent, then the Response row."""
    claimed = Respondent.objects.filter(pk=respondent.pk, status=RespondentStatus.PENDING).update(
        status=RespondentStatus.ANSWERED, version=F("version") + 1
    )
    if not claimed:
        raise ValidationError(
            f"Phiếu {respondent.code} đã được ghi nhận; mỗi phiếu chỉ tính một lần.",
            code="already_counted",
        )
    respondent.status = RespondentStatus.ANSWERED
    try:
        with transaction.atomic():
            return Response.objects.create(
                survey_id=respondent.survey_id,
                unit_id=respondent.unit_id,
                respondent=respondent,
                questionnaire_id=respondent.questionnaire_id,
                channel=channel,
                answers=values.answers,
                profile=values.profile,
                procedure=procedure[:500],
                suggestion=values.suggestion,
                submitted_at=timezone.now(),
            )
    except IntegrityError as exc:
        raise ValidationError(
            f"Phiếu {respondent.code} đã được ghi nhận; mỗi phiếu chỉ tính một lần.",
            code="already_counted",
        ) from exc


# Paper forms ------------------------------------------------------------------------


@dataclass(frozen=True)
class PaperOutcome:
    entry: PaperEntry
    status: str  # "round1", "counted", "mismatch", "repeat" (the same keying again)
    response: Response | None = None
    differences: tuple[str, ...] = ()

    @property
    def message(self) -> str:
        code = self.entry.respondent.code
        return {
            "round1": f"Đã nhập lần 1 phiếu {code}. Cần một người khác nhập lần 2.",
            "counted": f"Phiếu {code}: lần 2 khớp với lần 1, đã ghi nhận phiếu.",
            "mismatch": (
                f"Phiếu {code}: lần 2 không khớp với lần 1 ở {len(self.differences)} chỗ; "
                "phiếu được chuyển vào danh sách cần đối chiếu."
            ),
            "repeat": (
                f"Phiếu {code} đã được bạn nhập lần {self.entry.round} với đúng nội dung này."
            ),
        }[self.status]


def respondent_for_batch(survey: Survey, unit, raw_code: str) -> Respondent:
    """The respondent of a code typed in `unit`'s batch; Vietnamese errors otherwise."""
    code = normalize_code(raw_code)
    if not code:
        raise ValidationError({"code": ["Nhập mã phiếu in trên phiếu."]})
    respondent = (
        Respondent.objects.select_related("unit", "case", "questionnaire")
        .filter(survey=survey, code=code)
        .first()
    )
    if respondent is None:
        raise ValidationError(
            {"code": [f"Không có phiếu nào mã {code} trong đợt khảo sát năm {survey.year}."]}
        )
    if respondent.unit_id != unit.pk:
        raise ValidationError(
            {
                "code": [
                    f"Phiếu {code} thuộc {respondent.unit.name}, không thuộc lô phiếu "
                    f"của {unit.name} đang nhập."
                ]
            }
        )
    return respondent


@transaction.atomic
def paper_enter(
    *,
    actor,
    survey: Survey,
    unit,
    code: str,
    answers: dict,
    profile: dict | None = None,
    suggestion: str = "",
    today: datetime.date | None = None,
) -> PaperOutcome:
    """Key one paper form of `unit`'s batch: round 1, or round 2 by another person.

    Raises ValidationError (a dict by field where it can) and stores nothing when the
    survey is not collecting, the code is unknown or of another unit, a reserve not
    brought in, refused, already counted; when a value is out of range; when the same
    person keys a second, different round. Keying the same thing again is a no-op.
    """
    check_collecting(survey, today=today)
    respondent = respondent_for_batch(survey, unit, code)
    check_answerable(respondent)
    values = parse_answers(
        respondent.questionnaire,
        answers=answers,
        profile=profile,
        suggestion=suggestion,
        profile_by_number=True,
    )
    entries = {e.round: e for e in PaperEntry.objects.filter(respondent=respondent)}
    mine = [e for e in entries.values() if e.entered_by_id == actor.pk]
    if mine:
        entry = mine[0]
        if not differences(_entry_answers(entry), values):
            return PaperOutcome(entry, "repeat")
        raise ValidationError(
            f"Bạn đã nhập lần {entry.round} phiếu {respondent.code}; "
            "lần nhập còn lại phải do một người khác thực hiện.",
            code="same_person",
        )
    if 2 in entries:
        raise ValidationError(
            f"Phiếu {respondent.code} đã được nhập đủ hai lần và đang chờ đối chiếu.",
            code="both_rounds",
        )
    round_ = 2 if 1 in entries else 1
    try:
        with transaction.atomic():
            entry = PaperEntry.objects.create(
                respondent=respondent,
                round=round_,
                entered_by=actor,
                procedure=respondent.case.procedure[:500],
                **values.as_dict(),
            )
    except IntegrityError as exc:
        raise ValidationError(
            f"Một người khác vừa nhập lần {round_} phiếu {respondent.code}; "
            "mở lại phiếu để xem trạng thái.",
            code="concurrent",
        ) from exc
    entry.respondent = respondent
    outcome = PaperOutcome(entry, "round1")
    if round_ == 2:
        diff = differences(_entry_answers(entries[1]), values)
        if diff:
            outcome = PaperOutcome(entry, "mismatch", differences=tuple(diff))
        else:
            response = _count(
                respondent=respondent,
                channel=Channel.PAPER,
                values=values,
                procedure=respondent.case.procedure,
            )
            outcome = PaperOutcome(entry, "counted", response=response)
    audit_record(
        actor=actor,
        action=AuditAction.SIPAS_PAPER_ENTER,
        obj=entry,
        unit=unit,
        summary=f"Nhập lần {round_} phiếu {respondent.code} ({unit.name})"
        + {"counted": ": khớp, đã ghi nhận", "mismatch": ": không khớp"}.get(outcome.status, ""),
        data={
            "survey": survey.year,
            "code": respondent.code,
            "round": round_,
            "result": outcome.status,
            "differences": list(outcome.differences),
        },
    )
    return outcome


def mismatches(survey: Survey, *, unit=None):
    """Respondents keyed twice without agreement, not yet counted (one query)."""
    rows = (
        Respondent.objects.filter(survey=survey, status=RespondentStatus.PENDING)
        .annotate(rounds=Count("paper_entries"))
        .filter(rounds=2)
        .select_related("unit")
        .order_by("unit__name", "code")
    )
    return rows.filter(unit=unit) if unit is not None else rows


@dataclass(frozen=True)
class Comparison:
    label: str
    key: str  # the form field's name
    first: str
    second: str
    differs: bool


def compare(respondent: Respondent, entries: list[PaperEntry]) -> list[Comparison]:
    """The two rounds side by side, field by field, in the form's order."""
    by_round = {e.round: _entry_answers(e) for e in entries}
    one, two = by_round[1], by_round[2]
    rows = []
    for element in respondent.questionnaire.elements:
        for item in element["items"]:
            a, b = one.answers.get(item["code"]), two.answers.get(item["code"])
            rows.append(
                Comparison(
                    f"Câu {item['code']}", f"item_{item['code']}", _shown(a), _shown(b), a != b
                )
            )
    for question in respondent.questionnaire.profile:
        labels = dict((str(v), lbl) for v, lbl in question["choices"])
        a, b = one.profile.get(question["code"]), two.profile.get(question["code"])
        rows.append(
            Comparison(
                question["label"],
                f"profile_{question['code']}",
                labels.get(a, "(để trống)") if a else "(để trống)",
                labels.get(b, "(để trống)") if b else "(để trống)",
                a != b,
            )
        )
    rows.append(
        Comparison(
            "Góp ý",
            "suggestion",
            one.suggestion or "(để trống)",
            two.suggestion or "(để trống)",
            _squash(one.suggestion) != _squash(two.suggestion),
        )
    )
    return rows


def _shown(value) -> str:
    return "(để trống)" if value is None else str(value)


@transaction.atomic
def paper_resolve(
    *,
    actor,
    survey: Survey,
    respondent: Respondent,
    answers: dict,
    profile: dict | None = None,
    suggestion: str = "",
    today: datetime.date | None = None,
) -> Response:
    """Count a mismatched form with the values its resolver read off the paper.

    ``profile`` holds choice values (the resolver picks from the two rounds' labels).
    """
    check_collecting(survey, today=today)
    check_answerable(respondent)
    entries = list(PaperEntry.objects.filter(respondent=respondent).order_by("round"))
    if len(entries) != 2:
        raise ValidationError(
            f"Phiếu {respondent.code} chưa được nhập đủ hai lần, chưa cần đối chiếu.",
            code="not_mismatched",
        )
    values = parse_answers(
        respondent.questionnaire, answers=answers, profile=profile, suggestion=suggestion
    )
    response = _count(
        respondent=respondent,
        channel=Channel.PAPER,
        values=values,
        procedure=respondent.case.procedure,
    )
    keyed = [_entry_answers(e) for e in entries]
    audit_record(
        actor=actor,
        action=AuditAction.SIPAS_PAPER_RESOLVE,
        obj=response,
        unit=respondent.unit,
        summary=f"Đối chiếu và ghi nhận phiếu {respondent.code} ({respondent.unit.name})",
        data={
            "survey": survey.year,
            "code": respondent.code,
            "differences": differences(*keyed),
            "rounds": [
                {"round": e.round, "by": e.entered_by_id, "answers": e.answers} for e in entries
            ],
            "chosen": values.as_dict(),
        },
    )
    return response


# The online form ------------------------------------------------------------------------


def respondent_for_link(code: str) -> Respondent | None:
    """The respondent of a one-time link, or None (unknown, malformed)."""
    code = normalize_code(code)
    if not code_is_wellformed(code):
        return None
    return (
        Respondent.objects.select_related("survey", "unit", "case", "questionnaire")
        .filter(code=code)
        .first()
    )


def online_state(respondent: Respondent) -> str:
    """ "answered", "open", "closed" (survey not collecting or past its date), "gone"."""
    if respondent.status == RespondentStatus.ANSWERED:
        return "answered"
    if respondent.status == RespondentStatus.REFUSED or not respondent.in_sample:
        return "gone"
    try:
        check_collecting(respondent.survey)
    except ValidationError:
        return "closed"
    return "open"


def online_save_draft(*, respondent: Respondent, step: int, data: dict) -> None:
    """Keep what the respondent has answered so far (not counted).

    ``data``: {"answers": {...}, "profile": {...}, "suggestion": str}, merged into the
    draft; ``step`` the furthest step reached. A conditional update: nothing is written
    once the respondent is counted.
    """
    draft = dict(respondent.draft or {})
    for key in ("answers", "profile"):
        draft[key] = {**(draft.get(key) or {}), **(data.get(key) or {})}
    if "suggestion" in data:
        draft["suggestion"] = data["suggestion"]
    draft["step"] = max(int(draft.get("step") or 0), step)
    Respondent.objects.filter(pk=respondent.pk, status=RespondentStatus.PENDING).update(
        draft=draft, draft_saved_at=timezone.now(), version=F("version") + 1
    )
    respondent.draft = draft


@transaction.atomic
def online_submit(*, respondent: Respondent, today: datetime.date | None = None) -> Response:
    """Count the draft as the respondent's answer (channel online). Once per code."""
    check_collecting(respondent.survey, today=today)
    check_answerable(respondent)
    draft = respondent.draft or {}
    values = parse_answers(
        respondent.questionnaire,
        answers=draft.get("answers") or {},
        profile=draft.get("profile") or {},
        suggestion=draft.get("suggestion") or "",
    )
    return _count(
        respondent=respondent,
        channel=Channel.ONLINE,
        values=values,
        procedure=respondent.case.procedure,
    )


def collect_progress(survey: Survey):
    """Per unit with a sample: sampled, answered (paper / online), mismatched (one query)."""
    from cchc.sipas.models import Draw

    return (
        Draw.objects.filter(survey=survey, current=True)
        .select_related("unit")
        .annotate(
            in_sample=Count(
                "respondents",
                filter=Q(respondents__reserve=False) | Q(respondents__activated_at__isnull=False),
                distinct=True,
            ),
            answered=Count(
                "respondents",
                filter=Q(respondents__status=RespondentStatus.ANSWERED),
                distinct=True,
            ),
        )
        .order_by("unit__unit_type", "unit__name")
    )
