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
