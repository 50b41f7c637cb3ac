"""The sampling service: sizes, reproducible draws, quotas, reserves, refusals, redraws."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from cchc.sipas.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Draw,
    Respondent,
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
