"""Setting up a survey and drawing its samples: every change here is atomic and audited.

The sample of a unit is reproducible: its cases ordered by case id, a
``random.Random`` seeded with the seed stored on the ``Draw`` (made with ``secrets``
unless given), the same algorithm; so the same seed over the same cases gives the same
respondents, and anyone can check a draw afterwards (``draw_rows``).
"""

from __future__ import annotations

import datetime
import math
import random
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from cchc.core.audit import AuditAction, audit_record
from cchc.lib.formats import number_vi
from cchc.org.models import Unit
from cchc.sipas import cases_io, engine, questionnaires
from cchc.sipas.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    SURVEYED_UNIT_TYPES,
    Case,
    Draw,
    PaperEntry,
    Questionnaire,
    Respondent,
    RespondentStatus,
    Response,
    Survey,
    SurveyStatus,
)

ALGORITHM = "random-sample-v1"
DEFAULT_MARGIN = Decimal("0.05")
CONTACT_FIELDS = ("contact_name", "contact_address", "contact_phone", "contact_email")
SETTINGS_FIELDS = (
    "title",
    "margin",
    "reserve_share",
    "quota_by_field",
    "answers_until",
    "formula",
)
# settings that change how samples are drawn: fixed once collecting starts
DRAW_SETTINGS = ("margin", "reserve_share", "quota_by_field")


# -- pure computation ---------------------------------------------------------------------


def sample_size(population: int, margin: Decimal | float = DEFAULT_MARGIN) -> int:
    """n = N / (1 + N·e²), rounded up (Yamane); never more than N."""
    if population <= 0:
        return 0
    e = Decimal(str(margin))
    n = Decimal(population) / (1 + population * e * e)
    return min(population, math.ceil(n))


def reserve_size(sample: int, share: Decimal | float, population: int) -> int:
    """ceil(n × share), but no more than the cases left outside the sample."""
    wanted = math.ceil(Decimal(sample) * Decimal(str(share)))
    return max(0, min(wanted, population - sample))


def allocate(counts: dict[str, int], total: int) -> dict[str, int]:
    """``total`` split across groups in proportion to their sizes (largest remainder).

    Ties of the remainder go to the larger group, then to the group first in order,
    so the split is the same on every machine.
    """
    population = sum(counts.values())
    if population == 0 or total == 0:
        return dict.fromkeys(counts, 0)
    exact = {k: Decimal(total) * c / population for k, c in counts.items()}
    shares = {k: int(v) for k, v in exact.items()}
    left = total - sum(shares.values())
    order = sorted(counts, key=lambda k: (-(exact[k] - shares[k]), -counts[k], k))
    for key in order[:left]:
        shares[key] += 1
    return shares


@dataclass(frozen=True)
class Drawn:
    sample: list[str]  # case ids, in drawing order
    reserve: list[str]
    quotas: dict[str, list[int]]  # field -> [N of the field, n of the field]


def draw_rows(
    cases: Sequence[tuple[str, str]],
    *,
    sample: int,
    reserve: int,
    seed: str,
    by_field: bool = False,
) -> Drawn:
    """The draw over ``(case id, field)`` pairs: pure, so it can be re-run to check a Draw."""
    ordered = sorted(cases)
    rng = random.Random(seed)  # noqa: S311 - reproducible on purpose; the seed is secret-made
    quotas: dict[str, list[int]] = {}
    if by_field:
        groups: dict[str, list[str]] = {}
        for case_id, field in ordered:
            groups.setdefault(field, []).append(case_id)
        shares = allocate({f: len(ids) for f, ids in groups.items()}, sample)
        chosen: list[str] = []
        for field in sorted(groups):
            chosen += rng.sample(groups[field], shares[field])
            quotas[field] = [len(groups[field]), shares[field]]
        taken = set(chosen)
        rest = [case_id for case_id, _ in ordered if case_id not in taken]
        return Drawn(chosen, rng.sample(rest, reserve), quotas)
    picked = rng.sample([case_id for case_id, _ in ordered], sample + reserve)
    return Drawn(picked[:sample], picked[sample:], quotas)


def new_seed() -> str:
    return secrets.token_hex(16)


def new_codes(count: int, taken: Iterable[str] = ()) -> list[str]:
    """``count`` distinct codes from CODE_ALPHABET, none in ``taken``."""
    used = set(taken)
    codes: list[str] = []
    while len(codes) < count:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in used:
            used.add(code)
            codes.append(code)
    return codes


# -- the survey ---------------------------------------------------------------------------


def _check_settings(margin, reserve_share) -> dict[str, str]:
    errors = {}
    if margin is not None and not (Decimal("0") < Decimal(margin) < Decimal("1")):
        errors["margin"] = "Sai số cho phép phải lớn hơn 0 và nhỏ hơn 1 (ví dụ 0,05 là 5 %)."
    if reserve_share is not None and not (Decimal("0") <= Decimal(reserve_share) <= 5):
        errors["reserve_share"] = "Tỷ lệ mẫu dự phòng phải từ 0 đến 5 (ví dụ 0,2 là 20 %)."
    return errors


@transaction.atomic
def survey_create(
    *,
    actor,
    year: int,
    period_start: datetime.date,
    period_end: datetime.date,
    answers_until: datetime.date,
    title: str = "",
    margin: Decimal = DEFAULT_MARGIN,
    reserve_share: Decimal = Decimal("0.20"),
    quota_by_field: bool = False,
    formula: dict | None = None,
    forms_path: Path = questionnaires.DATA,
) -> Survey:
    """A year's survey with its forms copied from the YAML file (frozen in the survey)."""
    errors = _check_settings(margin, reserve_share)
    if engine.formula_problems(formula):
        errors["formula"] = " ".join(engine.formula_problems(formula))
    if Survey.objects.filter(year=year).exists():
        errors["year"] = f"Đã có đợt khảo sát năm {year}."
    if period_end < period_start:
        errors["period_end"] = "Ngày kết thúc kỳ phải sau ngày bắt đầu."
    if answers_until < period_start:
        errors["answers_until"] = "Hạn nhận phiếu phải sau ngày bắt đầu kỳ khảo sát."
    if errors:
        raise ValidationError(errors)
    forms = questionnaires.read(forms_path)
    survey = Survey.objects.create(
        year=year,
        title=title or f"Khảo sát sự hài lòng của người dân, tổ chức năm {year}",
        period_start=period_start,
        period_end=period_end,
        answers_until=answers_until,
        margin=margin,
        reserve_share=reserve_share,
        quota_by_field=quota_by_field,
        formula=engine.Formula.from_json(formula).to_json() if formula else {},
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    created = Questionnaire.objects.bulk_create(
        Questionnaire(
            survey=survey,
            code=form["code"],
            title=form["title"],
            unit_types=list(form["unit_types"]),
            definition=questionnaires.definition(form),
            source=form.get("source", ""),
        )
        for form in forms
    )
    audit_record(
        actor=actor,
        action=AuditAction.SIPAS_SURVEY_CREATE,
        obj=survey,
        summary=f"Tạo {survey.title}",
        data={
            "year": year,
            "margin": str(margin),
            "reserve_share": str(reserve_share),
            "formula": survey.formula,
        },
    )
    audit_record(
        actor=actor,
        action=AuditAction.SIPAS_QUESTIONNAIRE_LOAD,
        obj=survey,
        summary=f"Nạp {len(created)} mẫu phiếu cho đợt khảo sát năm {year}",
        data={"codes": [q.code for q in created]},
    )
    return survey


@transaction.atomic
def survey_update(*, actor, survey: Survey, version: int, **changes) -> Survey:
    """Change the survey's settings; ``version`` is what the editor saw (lost updates refused)."""
    unknown = set(changes) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"Not a survey setting: {', '.join(sorted(unknown))}")
    if survey.status == SurveyStatus.CLOSED:
        raise ValidationError("Đợt khảo sát đã kết thúc, không sửa được thiết lập.")
    errors = _check_settings(changes.get("margin"), changes.get("reserve_share"))
    if "answers_until" in changes and changes["answers_until"] < survey.period_start:
        errors["answers_until"] = "Hạn nhận phiếu phải sau ngày bắt đầu kỳ khảo sát."
    if "formula" in changes:
        # the index is computed when read, so the formula may change while answers come in
        # (each change audited); what the engine cannot use is refused here
        problems = engine.formula_problems(changes["formula"])
        if problems:
            errors["formula"] = " ".join(problems)
        else:
            changes["formula"] = engine.Formula.from_json(changes["formula"]).to_json()
    changed = {k: v for k, v in changes.items() if getattr(survey, k) != v}
    locked = [k for k in DRAW_SETTINGS if k in changed]
    if locked and survey.status != SurveyStatus.PREPARING:
        errors[locked[0]] = "Đã bắt đầu thu phiếu: không đổi được cách chọn mẫu."
    if errors:
        raise ValidationError(errors)
    claimed = Survey.objects.filter(pk=survey.pk, version=version).update(
        **changes, version=F("version") + 1
    )
    if not claimed:
        raise ValidationError(
            "Thiết lập vừa được người khác sửa. Hãy tải lại trang để xem bản mới rồi sửa lại."
        )
    survey.refresh_from_db()
    audit_record(
        actor=actor,
        action=AuditAction.SIPAS_SURVEY_UPDATE,
        obj=survey,
        summary=f"Sửa thiết lập {survey.title}",
        data={k: str(v) for k, v in changed.items()},
    )
    return survey


def _move(survey: Survey, *, source: str, target: str, **fields) -> None:
    moved = Survey.objects.filter(pk=survey.pk, status=source).update(
        status=target, version=F("version") + 1, **fields
    )
    if not moved:
        raise ValidationError(
            f"Đợt khảo sát không ở trạng thái “{SurveyStatus(source).label}”; hãy tải lại trang."
        )
    survey.refresh_from_db()


@transaction.atomic
def survey_open(*, actor, survey: Survey) -> Survey:
    """Start collecting answers (after the samples are drawn)."""
    if not Draw.objects.filter(survey=survey, current=True).exists():
        raise ValidationError("Chưa chọn mẫu cho đơn vị nào: chọn mẫu trước khi thu phiếu.")
    _move(survey, source=SurveyStatus.PREPARING, target=SurveyStatus.COLLECTING)
    audit_record(
        actor=actor,
        action=AuditAction.SIPAS_SURVEY_OPEN,
        obj=survey,
        summary=f"Bắt đầu thu phiếu {survey.title}",
    )
    return survey


@transaction.atomic
def survey_close(*, actor, survey: Survey) -> Survey:
    """Stop collecting and blank every case's contact data (personal data, kept no longer)."""
    now = timezone.now()
    _move(
        survey,
        source=SurveyStatus.COLLECTING,
        target=SurveyStatus.CLOSED,
        closed_at=now,
        contacts_removed_at=now,
    )
    blanked = Case.objects.filter(survey=survey).update(**dict.fromkeys(CONTACT_FIELDS, ""))
    audit_record(
        actor=actor,
        action=AuditAction.SIPAS_SURVEY_CLOSE,
        obj=survey,
        summary=f"Kết thúc {survey.title}; xóa thông tin liên hệ của {blanked} hồ sơ",
        data={"cases": blanked},
    )
    return survey


# -- cases --------------------------------------------------------------------------------


def surveyed_units() -> list[Unit]:
    """Active units that take part (departments, communes; districts before 2025)."""
    return list(Unit.objects.active().filter(unit_type__in=SURVEYED_UNIT_TYPES))


@transaction.atomic
def cases_import(*, actor, survey: Survey, content: bytes, name: str) -> int:
    """Store every case of the file, or none: ValidationError lists each row's problem."""
    if survey.status == SurveyStatus.CLOSED:
        raise ValidationError("Đợt khảo sát đã kết thúc, không nhập thêm hồ sơ được.")
    rows, problems = cases_io.read(content, name=name)
    units = {u.code.casefold(): u for u in surveyed_units()}
    drawn = set(Draw.objects.filter(survey=survey, current=True).values_list("unit_id", flat=True))
    stored = set(
        Case.objects.filter(survey=survey, case_id__in=[r.case_id for r in rows]).values_list(
            "case_id", flat=True
        )
    )
    start, end = survey.period_start, survey.period_end
    for row in rows:
        found = []
        unit = units.get(row.unit_code.casefold())
        if unit is None:
            found.append(f"không có đơn vị mã {row.unit_code} tham gia khảo sát")
        elif unit.pk in drawn:
            found.append(f"{unit.name} đã chọn mẫu, không nhập thêm hồ sơ được")
        if row.case_id in stored:
            found.append(f"mã hồ sơ {row.case_id} đã có trong đợt khảo sát")
        if not start <= row.completed_on <= end:
            found.append(
                f"ngày trả kết quả {row.completed_on:%d/%m/%Y} ngoài kỳ khảo sát "
                f"({start:%d/%m/%Y} – {end:%d/%m/%Y})"
            )
        if found:
            problems[row.line] = found
    if problems:
        raise ValidationError(cases_io.messages(problems))
    by = actor if getattr(actor, "is_authenticated", False) else None
    cases = [
        Case(
            survey=survey,
            unit=units[row.unit_code.casefold()],
            case_id=row.case_id,
            procedure=row.procedure,
            field=row.field,
            completed_on=row.completed_on,
            contact_name=row.contact_name,
            contact_address=row.contact_address,
            contact_phone=row.contact_phone,
            contact_email=row.contact_email,
            imported_by=by,
        )
        for row in rows
    ]
    try:
        with transaction.atomic():
            Case.objects.bulk_create(cases, batch_size=1000)
    except IntegrityError:
        raise ValidationError(
            "Một số mã hồ sơ vừa được nhập bởi thao tác khác. Hãy tải lại trang rồi nhập lại."
        ) from None
    per_unit: dict[str, int] = {}
    for case in cases:
        per_unit[case.unit.code] = per_unit.get(case.unit.code, 0) + 1
    audit_record(
        actor=actor,
        action=AuditAction.SIPAS_CASES_IMPORT,
        obj=survey,
        summary=f"Nhập {number_vi(len(cases))} hồ sơ đã giải quyết ({len(per_unit)} đơn vị)",
        data={"file": name[:200], "cases": len(cases), "units": per_unit},
    )
    return len(cases)


# -- the draw -----------------------------------------------------------------------------


def _questionnaire_for(survey: Survey, unit: Unit, forms: list[Questionnaire]) -> Questionnaire:
    for form in forms:
        if unit.unit_type in form.unit_types:
            return form
    raise ValidationError(f"Đợt khảo sát không có mẫu phiếu cho {unit.get_unit_type_display()}.")


def _has_answers(survey: Survey, unit: Unit) -> bool:
    return (
        Response.objects.filter(survey=survey, unit=unit).exists()
        or PaperEntry.objects.filter(respondent__survey=survey, respondent__unit=unit).exists()
    )


@transaction.atomic
def sample_draw(
    *,
    actor,
    survey: Survey,
    unit: Unit,
    seed: str | None = None,
    replacing: int | None = None,
    forms: list[Questionnaire] | None = None,
) -> Draw:
    """Draw ``unit``'s sample and reserves.

    ``replacing`` is the current draw the caller saw (None for a first draw): a second
    click, or a second person, finds another current draw and is refused, so a unit is
    never drawn twice by accident. A redraw is allowed only while nothing was answered
    for the unit; the old Draw stays (current=False) for the record, its codes are void.
    """
    if survey.status == SurveyStatus.CLOSED:
        raise ValidationError("Đợt khảo sát đã kết thúc.")
    current = Draw.objects.filter(survey=survey, unit=unit, current=True).first()
    if (current.pk if current else None) != replacing:
        raise ValidationError(
            f"{unit.name} đã được chọn mẫu (có thể do một lần bấm trước). Hãy tải lại trang."
            if current
            else f"Mẫu của {unit.name} đã thay đổi. Hãy tải lại trang."
        )
    if current is not None and _has_answers(survey, unit):
        raise ValidationError(f"{unit.name} đã có phiếu trả lời: không chọn lại mẫu được.")
    cases = list(
        Case.objects.filter(survey=survey, unit=unit).values_list("pk", "case_id", "field")
    )
    if not cases:
        raise ValidationError(f"{unit.name} chưa có hồ sơ nào: nhập danh sách hồ sơ trước.")
    form = _questionnaire_for(survey, unit, forms or list(survey.questionnaires.all()))
    population = len(cases)
    n = sample_size(population, survey.margin)
    r = reserve_size(n, survey.reserve_share, population)
    seed = seed or new_seed()
    drawn = draw_rows(
        [(case_id, field) for _, case_id, field in cases],
        sample=n,
        reserve=r,
        seed=seed,
        by_field=survey.quota_by_field,
    )
    if current is not None:
        voided = Respondent.objects.filter(draw=current).delete()[0]
        if not Draw.objects.filter(pk=current.pk, current=True).update(current=False):
            raise ValidationError(f"Mẫu của {unit.name} vừa được chọn lại. Hãy tải lại trang.")
    else:
        voided = 0
    try:
        with transaction.atomic():
            draw = Draw.objects.create(
                survey=survey,
                unit=unit,
                population=population,
                sample_size=n,
                reserve_size=r,
                margin=survey.margin,
                seed=seed,
                quotas=drawn.quotas,
                algorithm=ALGORITHM,
                drawn_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError:
        raise ValidationError(f"{unit.name} vừa được chọn mẫu. Hãy tải lại trang.") from None
    pk_of = {case_id: pk for pk, case_id, _ in cases}
    ids = drawn.sample + drawn.reserve
    codes = new_codes(len(ids))
    clash = set(Respondent.objects.filter(code__in=codes).values_list("code", flat=True))
    if clash:
        fresh = iter(new_codes(len(clash), taken=set(codes)))
        codes = [next(fresh) if c in clash else c for c in codes]
    Respondent.objects.bulk_create(
        Respondent(
            survey=survey,
            unit=unit,
            draw=draw,
            case_id=pk_of[case_id],
            questionnaire=form,
            code=code,
            position=position,
            reserve=position > n,
        )
        for position, (case_id, code) in enumerate(zip(ids, codes, strict=True), start=1)
    )
    audit_record(
        actor=actor,
        action=AuditAction.SIPAS_SAMPLE_DRAW,
        obj=draw,
        unit=unit,
        summary=(
            f"{'Chọn lại' if current else 'Chọn'} mẫu {unit.name}: n = {n}, "
            f"N = {number_vi(population)}, dự phòng {r}"
        ),
        data={
            "seed": seed,
            "population": population,
            "sample": n,
            "reserve": r,
            "margin": str(survey.margin),
            "quotas": drawn.quotas,
            "replaced_draw": current.pk if current else None,
            "voided_codes": voided,
        },
    )
    return draw


def sample_draw_all(*, actor, survey: Survey, seeds: dict[int, str] | None = None) -> list[Draw]:
    """Draw every unit that has cases and no sample yet, each with its own seed."""
    forms = list(survey.questionnaires.all())
    drawn_units = set(
        Draw.objects.filter(survey=survey, current=True).values_list("unit_id", flat=True)
    )
    with_cases = set(Case.objects.filter(survey=survey).values_list("unit_id", flat=True))
    units = Unit.objects.filter(pk__in=with_cases - drawn_units).order_by("pk")
    seeds = seeds or {}
    with transaction.atomic():
        return [
            sample_draw(actor=actor, survey=survey, unit=unit, seed=seeds.get(unit.pk), forms=forms)
            for unit in units
        ]


@transaction.atomic
def respondent_refuse(*, actor, respondent: Respondent, note: str = "") -> Respondent | None:
    """Mark a refusal (or no contact) and bring in the next reserve; returns it (or None)."""
    if respondent.survey.status == SurveyStatus.CLOSED:
        raise ValidationError("Đợt khảo sát đã kết thúc.")
    if not respondent.in_sample:
        raise ValidationError(f"Phiếu {respondent.code} là mẫu dự phòng chưa được dùng.")
    if Response.objects.filter(respondent=respondent).exists():
        raise ValidationError(f"Phiếu {respondent.code} đã có câu trả lời.")
    claimed = Respondent.objects.filter(
        pk=respondent.pk, status=RespondentStatus.PENDING, version=respondent.version
    ).update(status=RespondentStatus.REFUSED, status_note=note[:300], version=F("version") + 1)
    if not claimed:
        raise ValidationError(f"Phiếu {respondent.code} đã được cập nhật. Hãy tải lại trang.")
    respondent.refresh_from_db()
    reserve = (
        Respondent.objects.filter(draw=respondent.draw, reserve=True, activated_at__isnull=True)
        .order_by("position")
        .first()
    )
    if reserve is not None:
        Respondent.objects.filter(pk=reserve.pk, activated_at__isnull=True).update(
            activated_at=timezone.now(), replaces=respondent
        )
        reserve.refresh_from_db()
    audit_record(
        actor=actor,
        action=AuditAction.SIPAS_RESPONDENT_REFUSE,
        obj=respondent,
        unit=respondent.unit,
        summary=(
            f"Phiếu {respondent.code} từ chối/không liên hệ được; "
            + (f"dùng mẫu dự phòng {reserve.code}" if reserve else "hết mẫu dự phòng")
        ),
        data={"note": note[:300], "reserve": reserve.code if reserve else None},
    )
    return reserve
