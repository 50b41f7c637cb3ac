"""The survey's results into area 9 of the PAR Index: one action of Sở Nội vụ.

``results_feed`` puts every unit's computed index into its survey leaf (or leaves) of
the PAR year, through ``cchc.par.services.results.survey_indices_set``: it replaces
what was entered by hand, each leaf with its own audit entry (PAR_SURVEY_SET), and the
feed itself is one SIPAS_RESULTS_FEED entry naming what was fed and what was not.

What is fed is the unit's index as the survey publishes it: rounded half up to the
formula's places (2: 88.56 %). The PAR engine then makes the points (index × the leaf's
maximum) and rounds them with the year's rounding policy, as the 2023 report did.
Authorization is the view's (MANAGE_SURVEY and MANAGE_PAR).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from cchc.core.audit import AuditAction, audit_record
from cchc.org.models import Unit
from cchc.par.models import EvaluationYear, Participation
from cchc.par.services import results as par_results
from cchc.sipas.models import Survey
from cchc.sipas.selectors_results import survey_results


@dataclass
class Fed:
    fed: list[tuple[Unit, object]] = field(default_factory=list)  # (unit, index fed)
    without_answers: list[Unit] = field(default_factory=list)  # taking part, no answers
    not_in_year: list[Unit] = field(default_factory=list)  # answers, but not in the year


@transaction.atomic
def results_feed(*, actor, survey: Survey, year: EvaluationYear) -> Fed:
    """Every answered unit's index into the PAR year's survey leaves; the rest listed."""
    if not year.is_open:
        raise ValidationError(
            f"Kỳ đánh giá Chỉ số CCHC năm {year.year} đã chốt kết quả; "
            "không thể chuyển kết quả SIPAS."
        )
    results = survey_results(survey)
    taking_part = set(Participation.objects.filter(year=year).values_list("unit_id", flat=True))
    out = Fed()
    indices = {}
    for row in results.rows:
        if row.unit.pk not in taking_part:
            if row.has_answers:
                out.not_in_year.append(row.unit)
            continue
        if not row.has_answers:
            out.without_answers.append(row.unit)
            continue
        index = results.formula.display(row.result.index)
        indices[row.unit.pk] = index
        out.fed.append((row.unit, index))
    answered = {row.unit.pk for row in results.rows}
    out.without_answers += list(Unit.objects.filter(pk__in=taking_part - answered).order_by("name"))
    if not indices:
        raise ValidationError(
            f"Chưa có đơn vị nào tham gia Chỉ số CCHC năm {year.year} có phiếu trả lời; "
            "chưa chuyển gì."
        )
    source = f"Kết quả khảo sát SIPAS năm {survey.year} (tính từ {results.responses} phiếu)"
    par_results.survey_indices_set(actor=actor, year=year, indices=indices, source=source)
    audit_record(
        actor=actor,
        action=AuditAction.SIPAS_RESULTS_FEED,
        obj=survey,
        summary=(
            f"Chuyển chỉ số SIPAS năm {survey.year} của {len(out.fed)} đơn vị vào "
            f"Chỉ số CCHC năm {year.year}"
            + (f"; {len(out.without_answers)} đơn vị chưa có phiếu" if out.without_answers else "")
        ),
        data={
            "par_year": year.year,
            "formula": results.formula.to_json(),
            "fed": {u.code: str(index) for u, index in out.fed},
            "without_answers": [u.code for u in out.without_answers],
            "not_in_year": [u.code for u in out.not_in_year],
        },
    )
    return out


def describe(fed: Fed) -> list[str]:
    """The feed's outcome, in Vietnamese, for the user."""
    lines = [f"Đã chuyển chỉ số SIPAS của {len(fed.fed)} đơn vị vào lĩnh vực khảo sát."]
    if fed.without_answers:
        names = ", ".join(u.name for u in fed.without_answers[:20])
        more = (
            f" và {len(fed.without_answers) - 20} đơn vị khác"
            if len(fed.without_answers) > 20
            else ""
        )
        lines.append(
            f"{len(fed.without_answers)} đơn vị chưa có phiếu trả lời nên chưa chuyển: "
            f"{names}{more}."
        )
    if fed.not_in_year:
        lines.append(
            "Có phiếu nhưng không tham gia kỳ đánh giá: "
            + ", ".join(u.name for u in fed.not_in_year)
            + "."
        )
    return lines
