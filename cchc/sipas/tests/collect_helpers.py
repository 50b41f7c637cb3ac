"""Test rows for the collection tests, built directly with the models.

A survey that is collecting, its forms from the shipped YAML, and for a unit a drawn
sample of `n` respondents plus `reserve` reserves, each with a code. (The setup and
sampling services have their own tests; here only what collecting needs.)
"""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from cchc.org.models import Role, UnitType
from cchc.org.services import role_assign
from cchc.sipas import questionnaires
from cchc.sipas.models import (
    CODE_ALPHABET,
    Case,
    Draw,
    Questionnaire,
    Respondent,
    Survey,
    SurveyStatus,
)
from conftest import make_user

_codes = itertools.count(1)


def next_code() -> str:
    """A fresh, well-formed code (deterministic, unique in the test run)."""
    n = next(_codes)
    digits = []
    for _ in range(8):
        n, r = divmod(n, len(CODE_ALPHABET))
        digits.append(CODE_ALPHABET[r])
    return "".join(reversed(digits))


def make_survey(year: int = 2026, *, status=SurveyStatus.COLLECTING, until=None) -> Survey:
    survey = Survey.objects.create(
        year=year,
        title=f"Khảo sát SIPAS năm {year}",
        period_start=datetime.date(year - 1, 10, 1),
        period_end=datetime.date(year, 9, 30),
        answers_until=until or timezone.localdate() + datetime.timedelta(days=30),
        status=status,
    )
    for form in questionnaires.read():
        Questionnaire.objects.create(
            survey=survey,
            code=form["code"],
            title=form["title"],
            unit_types=form["unit_types"],
            definition=questionnaires.definition(form),
            source=form.get("source", ""),
        )
    return survey


def questionnaire_for(survey: Survey, unit) -> Questionnaire:
    code = "rut-gon-xa" if unit.unit_type == UnitType.COMMUNE else "chuan"
    return survey.questionnaires.get(code=code)


def make_sample(survey: Survey, unit, *, n: int = 3, reserve: int = 1) -> list[Respondent]:
    """n respondents then `reserve` reserves (not activated) of `unit`, in position order."""
    questionnaire = questionnaire_for(survey, unit)
    cases = Case.objects.bulk_create(
        Case(
            survey=survey,
            unit=unit,
            case_id=f"{unit.code}-{survey.year}-{i:05d}",
            procedure="Cấp giấy chứng nhận quyền sử dụng đất" if i % 2 else "Đăng ký khai sinh",
            field="Đất đai" if i % 2 else "Hộ tịch",
            completed_on=survey.period_start + datetime.timedelta(days=i % 300),
            contact_name=f"Nguyễn Văn Liên Hệ {i}",
            contact_address=f"Số {i} đường Bí Mật, {unit.name}",
            contact_phone=f"09{i:08d}",
        )
        for i in range(1, n + reserve + 1)
    )
    draw = Draw.objects.create(
        survey=survey,
        unit=unit,
        population=len(cases),
        sample_size=n,
        reserve_size=reserve,
        margin=survey.margin,
        seed="thu-nghiem",
    )
    return Respondent.objects.bulk_create(
        Respondent(
            survey=survey,
            unit=unit,
            draw=draw,
            case=case,
            questionnaire=questionnaire,
            code=next_code(),
            position=i,
            reserve=i > n,
        )
        for i, case in enumerate(cases, start=1)
    )


def make_operator(username: str):
    user = make_user(username)
    role_assign(actor=None, user=user, role=Role.SURVEY_OPERATOR)
    return user


def full_answers(questionnaire: Questionnaire, value: int = 4) -> dict[str, str]:
    return {code: str(value) for code in questionnaire.item_codes}


def entry_post(respondent: Respondent, value: int = 4, **overrides) -> dict[str, str]:
    """The data entry form's POST for a respondent: every item `value`, profile 1, 2, 3."""
    data = {"code": respondent.code, "suggestion": ""}
    data |= {f"item_{c}": str(value) for c in respondent.questionnaire.item_codes}
    for number, question in enumerate(respondent.questionnaire.profile, start=1):
        data[f"profile_{question['code']}"] = str(min(number, len(question["choices"])))
    data |= overrides
    return data
