"""The sampling service: sizes, reproducible draws, quotas, reserves, refusals, redraws."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cchc.core.models import AuditEntry
from cchc.sipas.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Case,
    Draw,
    Respondent,
    RespondentStatus,
    SurveyStatus,
)
from cchc.sipas.services import sampling
from cchc.sipas.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("population", [50, 500, 5000])
def test_sample_size_follows_the_formula_at_five_percent(population):
    e = 0.05
    expected = math.ceil(population / (1 + population * e * e))
    assert sampling.sample_size(population, Decimal("0.05")) == expected
    assert {50: 45, 500: 223, 5000: 371}[population] == expected


def test_sample_size_of_nothing_is_nothing_and_never_more_than_n():
    assert sampling.sample_size(0) == 0
    assert sampling.sample_size(1) == 1
    assert sampling.sample_size(3, Decimal("0.5")) <= 3


def test_allocate_splits_by_largest_remainder():
    assert sampling.allocate({"a": 50, "b": 30, "c": 20}, 10) == {"a": 5, "b": 3, "c": 2}
    shares = sampling.allocate({"a": 1, "b": 1, "c": 1}, 2)
    assert sum(shares.values()) == 2
    assert sampling.allocate({"a": 7, "b": 2, "c": 1}, 5) == {"a": 4, "b": 1, "c": 0}


def test_the_same_seed_over_the_same_cases_gives_the_same_sample():
    cases = [(f"HS{n:04d}", "x") for n in range(300)]
    one = sampling.draw_rows(cases, sample=100, reserve=20, seed="abc")
    two = sampling.draw_rows(list(reversed(cases)), sample=100, reserve=20, seed="abc")
    other = sampling.draw_rows(cases, sample=100, reserve=20, seed="abd")
    assert one == two
    assert one.sample != other.sample
    assert not set(one.sample) & set(one.reserve)


def test_factories_build_a_drawn_survey(cast):
    survey = f.sampled_survey([cast.unit_a, cast.snv], count=60)
    assert survey.status == SurveyStatus.COLLECTING
    draws = {d.unit_id: d for d in Draw.objects.filter(survey=survey, current=True)}
    a = draws[cast.unit_a.pk]
    assert (a.population, a.sample_size, a.reserve_size) == (60, 53, 7)
    respondents = list(Respondent.objects.filter(draw=a))
    assert len(respondents) == 60
    assert {r.questionnaire.code for r in respondents} == {"rut-gon-xa"}
    assert {r.questionnaire.code for r in Respondent.objects.filter(unit=cast.snv)} == {"chuan"}
    assert all(
        len(r.code) == CODE_LENGTH and set(r.code) <= set(CODE_ALPHABET) for r in respondents
    )


def test_a_draw_stores_its_seed_and_redrawing_with_it_gives_the_same_cases(cast):
    survey = f.make_survey(2026)
    f.make_cases(survey, [cast.unit_a], count=80)
    first = sampling.sample_draw(actor=cast.admin, survey=survey, unit=cast.unit_a)
    assert len(first.seed) == 32  # secrets.token_hex(16)
    chosen = list(Respondent.objects.filter(draw=first).values_list("case__case_id", "reserve"))
    again = sampling.sample_draw(
        actor=cast.admin, survey=survey, unit=cast.unit_a, seed=first.seed, replacing=first.pk
    )
    first.refresh_from_db()
    assert not first.current and again.current
    assert not Respondent.objects.filter(draw=first).exists()  # the old codes are void
    redrawn = list(Respondent.objects.filter(draw=again).values_list("case__case_id", "reserve"))
    assert sorted(redrawn) == sorted(chosen)
    entry = AuditEntry.objects.filter(action="sipas_sample.draw").order_by("pk").last()
    assert entry.data["seed"] == first.seed and entry.data["replaced_draw"] == first.pk


def test_a_second_click_does_not_draw_twice(cast):
    survey = f.make_survey(2026)
    f.make_cases(survey, [cast.unit_a], count=30)
    sampling.sample_draw(actor=None, survey=survey, unit=cast.unit_a)
    with pytest.raises(ValidationError, match="đã được chọn mẫu"):
        sampling.sample_draw(actor=None, survey=survey, unit=cast.unit_a)
    assert Draw.objects.filter(survey=survey).count() == 1


def test_no_redraw_once_the_unit_has_an_answer(cast):
    survey = f.sampled_survey([cast.unit_a], count=30)
    current = Draw.objects.get(survey=survey, current=True)
    f.answer(current.respondents.filter(reserve=False).first())
    with pytest.raises(ValidationError, match="đã có phiếu trả lời"):
        sampling.sample_draw(actor=None, survey=survey, unit=cast.unit_a, replacing=current.pk)
    assert Draw.objects.filter(survey=survey).count() == 1


def test_quotas_split_the_sample_by_field_in_proportion(cast):
    survey = f.make_survey(2026, quota_by_field=True)
    rows = f.case_rows(survey, cast.unit_a, 100, fields=["A"] * 6 + ["B"] * 3 + ["C"])
    sampling.cases_import(actor=None, survey=survey, content=f.xlsx(rows), name="a.xlsx")
    draw = sampling.sample_draw(actor=None, survey=survey, unit=cast.unit_a, seed="q")
    assert draw.sample_size == 80  # 100 / 1.25
    assert draw.quotas == {"A": [60, 48], "B": [30, 24], "C": [10, 8]}
    by_field = {}
    for field in Respondent.objects.filter(draw=draw, reserve=False).values_list(
        "case__field", flat=True
    ):
        by_field[field] = by_field.get(field, 0) + 1
    assert by_field == {"A": 48, "B": 24, "C": 8}


def test_reserves_are_a_share_of_n_rounded_up(cast):
    survey = f.make_survey(2026, reserve_share="0.10")
    f.make_cases(survey, [cast.snv], count=500)
    draw = sampling.sample_draw(actor=None, survey=survey, unit=cast.snv, seed="r")
    assert (draw.sample_size, draw.reserve_size) == (223, 23)
    assert Respondent.objects.filter(draw=draw, reserve=True).count() == 23
    codes = list(Respondent.objects.filter(draw=draw).values_list("code", flat=True))
    assert len(set(codes)) == 246


def test_a_refusal_brings_in_the_next_reserve_with_an_audit_entry(cast):
    survey = f.sampled_survey([cast.unit_a], count=60)
    draw = Draw.objects.get(survey=survey, current=True)
    first = draw.respondents.filter(reserve=False).order_by("position").first()
    reserve = sampling.respondent_refuse(actor=cast.admin, respondent=first, note="Đi vắng")
    first.refresh_from_db()
    assert first.status == RespondentStatus.REFUSED and first.status_note == "Đi vắng"
    assert reserve.position == draw.sample_size + 1
    assert reserve.replaces == first and reserve.activated_at is not None and reserve.in_sample
    assert AuditEntry.objects.filter(action="sipas_respondent.refuse").count() == 1
    with pytest.raises(ValidationError):
        sampling.respondent_refuse(actor=cast.admin, respondent=first)
    for r in draw.respondents.filter(reserve=True, activated_at__isnull=True):
        with pytest.raises(ValidationError, match="dự phòng"):
            sampling.respondent_refuse(actor=None, respondent=r)
        break


def test_refusals_past_the_last_reserve_bring_in_nobody(cast):
    survey = f.sampled_survey([cast.unit_a], count=5)
    draw = Draw.objects.get(survey=survey, current=True)
    assert draw.reserve_size == 0  # n = N for a handful of cases
    respondent = draw.respondents.first()
    assert sampling.respondent_refuse(actor=None, respondent=respondent) is None


def test_settings_that_shape_the_draw_are_fixed_once_collecting(cast):
    survey = f.sampled_survey([cast.unit_a], count=10)
    with pytest.raises(ValidationError) as caught:
        sampling.survey_update(
            actor=None, survey=survey, version=survey.version, margin=Decimal("0.1")
        )
    assert "margin" in caught.value.error_dict
    sampling.survey_update(
        actor=None, survey=survey, version=survey.version, title="Khảo sát năm 2026 (sửa)"
    )
    survey.refresh_from_db()
    assert survey.title == "Khảo sát năm 2026 (sửa)"


def test_close_blanks_contacts_and_only_from_collecting(cast):
    survey = f.make_survey(2026)
    f.make_cases(survey, [cast.unit_a], count=5)
    with pytest.raises(ValidationError):
        sampling.survey_close(actor=None, survey=survey)
    f.draw(survey, [cast.unit_a])
    sampling.survey_open(actor=None, survey=survey)
    sampling.survey_close(actor=None, survey=survey)
    assert survey.status == SurveyStatus.CLOSED and survey.contacts_removed_at
    assert set(Case.objects.filter(survey=survey).values_list("contact_phone", flat=True)) == {""}


def test_draw_all_draws_each_unit_with_cases_once(cast):
    survey = f.make_survey(2026)
    f.make_cases(survey, [cast.unit_a, cast.unit_b, cast.snv], count=12)
    f.draw(survey, [cast.unit_a])
    made = sampling.sample_draw_all(actor=None, survey=survey)
    assert {d.unit_id for d in made} == {cast.unit_b.pk, cast.snv.pk}
    assert sampling.sample_draw_all(actor=None, survey=survey) == []
    assert Draw.objects.filter(survey=survey, current=True).count() == 3
