"""A survey's results from the database: tallies, sample in use, rates, fixed queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cchc.sipas import selectors_results as sr
from cchc.sipas.models import Draw, Respondent, Survey
from cchc.sipas.services import sampling
from cchc.sipas.tests import factories as f
from cchc.sipas.tests.results_helpers import answer_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(cast):
    survey = f.sampled_survey([cast.unit_a, cast.snv], count=60)
    # unit A (short form): 6 satisfied, 2 not, 1 blank everywhere, 1 half blank
    codes = f.Respondent.objects.filter(survey=survey, unit=cast.unit_a).first()
    codes = codes.questionnaire.item_codes
    half = {c: (5 if i % 2 else None) for i, c in enumerate(codes)}
    answer_all(survey, cast.unit_a, [4, 5, 4, 5, 4, 5, 2, 3, None, half])
    answer_all(survey, cast.snv, [5, 5, 5, 1])
    return survey


def test_it_counts_shares_of_valid_answers_per_unit(cast, survey):
    results = sr.survey_results(survey)
    a = results.row(cast.unit_a.pk).result
    first = a.items[0]  # "1.1": even position in `half`, so blank there
    assert (first.valid, first.satisfied) == (8, 6)
    second = a.items[1]
    assert (second.valid, second.satisfied) == (9, 7)
    assert a.responses == 10
    snv = results.row(cast.snv.pk).result
    assert snv.index == Decimal(75) and snv.points == Decimal(24)


def test_the_rate_is_responses_over_the_sample_in_use(cast, survey):
    draw = Draw.objects.get(survey=survey, unit=cast.snv, current=True)
    results = sr.survey_results(survey)
    snv = results.row(cast.snv.pk).result
    assert snv.sample == draw.sample_size == 53
    assert snv.population == 60
    assert snv.rate == Decimal(4) / 53 * 100
    # a refusal replaced by a reserve leaves the sample in use unchanged
    pending = Respondent.objects.filter(
        survey=survey, unit=cast.snv, reserve=False, response__isnull=True
    ).first()
    sampling.respondent_refuse(actor=None, respondent=pending)
    assert sr.survey_results(survey).row(cast.snv.pk).result.sample == 53


def test_scan_and_sql_count_the_same(cast, survey):
    scan = sr.survey_results(survey)
    sql = sr.survey_results(survey, counter=sr.tallies_in_sql)
    assert [r.result for r in scan.rows] == [r.result for r in sql.rows]


def test_sections_by_unit_type_with_means_and_bands(cast, survey):
    results = sr.survey_results(survey)
    labels = [s.unit_type for s in results.sections]
    assert labels == ["department", "commune"]
    department = results.sections[0]
    assert department.summary.mean == Decimal(75)
    assert department.bands == {"over_90": 0, "80_to_90": 0, "under_80": 1}
    assert [e.code for e in department.elements] == ["1", "2", "3", "4", "5"]


def test_units_with_a_sample_but_no_answers_are_listed(cast, survey):
    f.make_cases(survey, [cast.stp], count=20)
    Survey.objects.filter(pk=survey.pk).update(status="preparing")
    survey.refresh_from_db()
    f.draw(survey, [cast.stp])
    results = sr.survey_results(survey)
    assert results.without_answers == [cast.stp]
    assert results.row(cast.stp.pk).result.index is None


def test_the_queries_do_not_grow_with_units_or_answers(cast, survey, django_assert_num_queries):
    with django_assert_num_queries(5):
        sr.survey_results(survey)
    f.make_cases(survey, [cast.stp], count=30)
    Survey.objects.filter(pk=survey.pk).update(status="preparing")
    f.draw(survey, [cast.stp])
    answer_all(survey, cast.stp, [4] * 20)
    with django_assert_num_queries(5):
        results = sr.survey_results(survey)
    assert len(results.rows) == 3
    with django_assert_num_queries(5):
        sr.unit_results(survey, cast.snv)


def test_a_broken_formula_is_a_vietnamese_error(survey):
    survey.formula = {"satisfied_from": 9}
    with pytest.raises(ValidationError, match="Mức tính là hài lòng"):
        sr.survey_results(survey)


def test_the_formula_changes_the_threshold(cast, survey):
    survey.formula = {"satisfied_from": 5}
    a = sr.survey_results(survey).row(cast.unit_a.pk).result
    assert (a.items[1].valid, a.items[1].satisfied) == (9, 4)
