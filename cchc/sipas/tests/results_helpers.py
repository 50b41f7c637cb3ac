"""Answers in bulk for the results tests and the bench: many Responses, few queries."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone

from cchc.sipas.models import Channel, Respondent, RespondentStatus, Response, Survey


def answer_all(
    survey: Survey, unit, values: Sequence[dict | int | None], *, channel=Channel.PAPER
) -> list[Response]:
    """One Response per value for the unit's first sampled respondents, in order.

    A value is a whole answers mapping, or one scale value (or None) for every item.
    """
    respondents = list(
        Respondent.objects.filter(survey=survey, unit=unit, reserve=False)
        .select_related("questionnaire")
        .order_by("position")[: len(values)]
    )
    assert len(respondents) == len(values), "not enough respondents in the sample"
    now = timezone.now()
    rows = []
    for respondent, value in zip(respondents, values, strict=True):
        codes = respondent.questionnaire.item_codes
        answers = value if isinstance(value, dict) else dict.fromkeys(codes, value)
        rows.append(
            Response(
                survey=survey,
                unit_id=unit.pk,
                respondent=respondent,
                questionnaire=respondent.questionnaire,
                channel=channel,
                answers=answers,
                profile={"sex": "nu"},
                procedure="Đăng ký khai sinh",
                submitted_at=now,
            )
        )
    Response.objects.bulk_create(rows, batch_size=1000)
    Respondent.objects.filter(pk__in=[r.pk for r in respondents]).update(
        status=RespondentStatus.ANSWERED
    )
    return rows


def bulk_survey(year: int, units, answers: int, *, seed: int | None = None) -> Survey:
    """A survey of ``units`` with ``answers`` Responses spread over them, written in bulk.

    Each unit gets three times its answers as cases, a current draw, one respondent and
    one Response per answer (values mostly 4s and 5s, 3 % blank). For the bench and the
    province-sized tests: it measures reading results, not collecting them.
    """
    import datetime
    import random

    from cchc.sipas.models import Case, Draw
    from cchc.sipas.services import sampling

    rng = random.Random(year if seed is None else seed)
    survey = sampling.survey_create(
        actor=None,
        year=year,
        period_start=datetime.date(year - 1, 10, 1),
        period_end=datetime.date(year, 9, 30),
        answers_until=datetime.date(year, 11, 30),
    )
    forms = {t: q for q in survey.questionnaires.all() for t in q.unit_types}
    per_unit, extra = divmod(answers, len(units))
    now = timezone.now()
    code = 0
    for number, unit in enumerate(units):
        count = per_unit + (1 if number < extra else 0)
        population = count * 3
        cases = Case.objects.bulk_create(
            (
                Case(
                    survey=survey,
                    unit=unit,
                    case_id=f"{year}-{unit.pk}-{n}",
                    procedure="Đăng ký khai sinh",
                    completed_on=datetime.date(year, 3, 1),
                )
                for n in range(population)
            ),
            batch_size=2000,
        )
        draw = Draw.objects.create(
            survey=survey,
            unit=unit,
            population=population,
            sample_size=sampling.sample_size(population),
            reserve_size=0,
            margin=survey.margin,
            seed=f"bulk-{unit.pk}",
        )
        form = forms[unit.unit_type]
        respondents = []
        for position, case in enumerate(cases[:count]):
            code += 1
            respondents.append(
                Respondent(
                    survey=survey,
                    unit=unit,
                    draw=draw,
                    case=case,
                    questionnaire=form,
                    code=f"{year % 100:02d}{code:06d}",
                    position=position,
                    status=RespondentStatus.ANSWERED,
                )
            )
        Respondent.objects.bulk_create(respondents, batch_size=2000)
        items = form.item_codes
        Response.objects.bulk_create(
            (
                Response(
                    survey=survey,
                    unit=unit,
                    respondent=r,
                    questionnaire=form,
                    channel=Channel.PAPER,
                    answers={
                        c: None if rng.random() < 0.03 else rng.choice((2, 3, 4, 4, 5, 5, 5))
                        for c in items
                    },
                    submitted_at=now,
                )
                for r in respondents
            ),
            batch_size=2000,
        )
    return survey
