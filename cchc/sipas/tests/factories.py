"""Building SIPAS data for tests, in code, through the real services.

survey = make_survey(2026)                       # forms copied from questionnaires.yaml
make_cases(survey, [cast.unit_a, cast.snv], count=60)
draws = draw(survey, [cast.unit_a])              # fixed seeds: the same sample every run
respondent = draws[0].respondents.filter(reserve=False).first()
answer(respondent, value=4)                      # a counted Response, straight in
operator = make_operator()                       # a survey operator (no contact data)
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook

from cchc.org.models import Role, RoleAssignment, Unit
from cchc.sipas import cases_io
from cchc.sipas.models import (
    Case,
    Channel,
    Draw,
    Respondent,
    RespondentStatus,
    Response,
    Survey,
    SurveyStatus,
)
from cchc.sipas.services import sampling

FIELDS = ("Hộ tịch", "Chứng thực", "Đất đai")
PROCEDURES = {
    "Hộ tịch": "Đăng ký khai sinh",
    "Chứng thực": "Chứng thực bản sao từ bản chính",
    "Đất đai": "Đăng ký biến động quyền sử dụng đất",
}


def make_survey(
    year: int = 2026,
    *,
    actor=None,
    margin: Decimal | str = "0.05",
    reserve_share: Decimal | str = "0.20",
    quota_by_field: bool = False,
) -> Survey:
    """The year's survey in PREPARING, with the shipped forms (chuan, rut-gon-xa)."""
    return sampling.survey_create(
        actor=actor,
        year=year,
        period_start=datetime.date(year - 1, 10, 1),
        period_end=datetime.date(year, 9, 30),
        # open for answers whatever day the suite runs (deadline tests set their own)
        answers_until=max(
            datetime.date(year, 11, 30), timezone.localdate() + datetime.timedelta(days=30)
        ),
        margin=Decimal(str(margin)),
        reserve_share=Decimal(str(reserve_share)),
        quota_by_field=quota_by_field,
    )


def case_rows(
    survey: Survey, unit: Unit, count: int, *, start: int = 1, fields: Sequence[str] = FIELDS
) -> list[list]:
    """Rows for the import file (cases_io.HEADERS order) of ``count`` cases of ``unit``."""
    day = survey.period_start + datetime.timedelta(days=10)
    rows = []
    for n in range(start, start + count):
        field = fields[n % len(fields)]
        rows.append(
            [
                f"{unit.code}-{survey.year}-{n:05d}",
                unit.code,
                PROCEDURES.get(field, f"Thủ tục {field}"),
                field,
                day.strftime("%d/%m/%Y"),
                f"Nguyễn Văn Thử {n}",
                f"Số {n}, ấp Thử Nghiệm, {unit.name}",
                f"09{n:08d}",
                f"thu{n}@example.vn",
            ]
        )
    return rows


def xlsx(rows: Iterable[Sequence], *, header: Sequence[str] = cases_io.HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: Iterable[Sequence], *, header: Sequence[str] = cases_io.HEADERS) -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def make_cases(survey: Survey, units: Iterable[Unit], *, count: int = 60, actor=None) -> int:
    """``count`` cases for each unit, through the real import (an .xlsx file)."""
    rows = [row for unit in units for row in case_rows(survey, unit, count)]
    return sampling.cases_import(actor=actor, survey=survey, content=xlsx(rows), name="hs.xlsx")


def draw(survey: Survey, units: Iterable[Unit], *, seed: str = "seed", actor=None) -> list[Draw]:
    """Each unit's sample, with a fixed seed per unit (``<seed>-<unit code>``)."""
    return [
        sampling.sample_draw(actor=actor, survey=survey, unit=u, seed=f"{seed}-{u.code}")
        for u in units
    ]


def sampled_survey(
    units: Sequence[Unit], *, year: int = 2026, count: int = 60, collecting: bool = True, **kw
) -> Survey:
    """A survey with cases and drawn samples for ``units``, collecting unless told not to."""
    survey = make_survey(year, **kw)
    make_cases(survey, units, count=count)
    draw(survey, units)
    if collecting:
        sampling.survey_open(actor=None, survey=survey)
    return survey


def answer(respondent: Respondent, *, value: int | None = 4, channel=Channel.PAPER) -> Response:
    """A counted answer: every item of the respondent's form set to ``value``."""
    form = respondent.questionnaire
    response = Response.objects.create(
        survey_id=respondent.survey_id,
        unit_id=respondent.unit_id,
        respondent=respondent,
        questionnaire=form,
        channel=channel,
        answers=dict.fromkeys(form.item_codes, value),
        profile={},
        submitted_at=timezone.now(),
    )
    Respondent.objects.filter(pk=respondent.pk).update(status=RespondentStatus.ANSWERED)
    return response


def make_operator(username: str = "nhapphieu.sipas"):
    """A survey operator (province role, no unit): keys in paper forms, sees no contacts."""
    from conftest import make_user

    user = make_user(username)
    RoleAssignment.objects.create(user=user, role=Role.SURVEY_OPERATOR)
    return user


__all__ = [
    "Case",
    "SurveyStatus",
    "answer",
    "case_rows",
    "csv_bytes",
    "draw",
    "make_cases",
    "make_operator",
    "make_survey",
    "sampled_survey",
    "xlsx",
]
