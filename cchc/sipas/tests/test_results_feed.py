"""Feeding the survey's indices into area 9 of the PAR year: one action, audited."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cchc.core.audit import AuditAction
from cchc.core.models import AuditEntry
from cchc.par.models import Entry, EvaluationYear, Method, YearStatus
from cchc.par.services import results as par_results
from cchc.par.tests.year import open_year
from cchc.sipas.services.results import describe, results_feed
from cchc.sipas.tests import factories as f
from cchc.sipas.tests.results_helpers import answer_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(cast):
    return open_year(actor=cast.admin)


@pytest.fixture
def survey(cast):
    survey = f.sampled_survey([cast.unit_a, cast.snv], count=60)
    answer_all(survey, cast.unit_a, [4, 4, 5, 2])  # 75 %
    answer_all(survey, cast.snv, [5, 5, 4] * 3 + [1, 2, 3])  # 9 of 12 → 75 %
    return survey


def _survey_entries(year, unit):
    return list(
        Entry.objects.filter(
            participation__year=year, participation__unit=unit, node__method=Method.SURVEY
        ).select_related("node")
    )


def test_it_puts_each_units_index_into_its_survey_leaves(cast, survey, year):
    fed = results_feed(actor=cast.admin, survey=survey, year=year)
    assert {u.pk: i for u, i in fed.fed} == {
        cast.unit_a.pk: Decimal("75.00"),
        cast.snv.pk: Decimal("75.00"),
    }
    entries = _survey_entries(year, cast.snv)
    assert entries and {e.self_inputs["index"] for e in entries} == {"75.00"}
    assert all(e.self_points == e.node.max_points * Decimal("0.75") for e in entries)
    assert par_results.current_indices(year)[cast.unit_a.pk] == Decimal("75.00")


def test_it_lists_the_units_taking_part_without_answers(cast, survey, year):
    fed = results_feed(actor=cast.admin, survey=survey, year=year)
    assert cast.stp in fed.without_answers and cast.unit_b in fed.without_answers
    assert len(fed.without_answers) == year.participations.count() - 2
    assert _survey_entries(year, cast.stp)[0].self_inputs is None
    assert "chưa có phiếu trả lời nên chưa chuyển" in describe(fed)[1]


def test_it_writes_one_feed_entry_and_one_per_leaf(cast, survey, year):
    results_feed(actor=cast.admin, survey=survey, year=year)
    feed = AuditEntry.objects.get(action=AuditAction.SIPAS_RESULTS_FEED)
    assert feed.data["fed"] == {cast.unit_a.code: "75.00", cast.snv.code: "75.00"}
    assert feed.data["par_year"] == year.year and feed.actor == cast.admin
    leaves = len(_survey_entries(year, cast.unit_a)) + len(_survey_entries(year, cast.snv))
    per_leaf = AuditEntry.objects.filter(action=AuditAction.PAR_SURVEY_SET)
    assert per_leaf.count() == leaves
    assert all("Kết quả khảo sát SIPAS năm 2026" in e.data["reason"] for e in per_leaf)


def test_feeding_again_replaces_the_index(cast, survey, year):
    par_results.survey_index_set(
        actor=cast.admin, participation=year.participations.get(unit=cast.snv), index="60"
    )
    results_feed(actor=cast.admin, survey=survey, year=year)
    assert par_results.current_indices(year)[cast.snv.pk] == Decimal("75.00")


def test_it_refuses_a_year_that_is_not_open_and_stores_nothing(cast, survey, year):
    EvaluationYear.objects.filter(pk=year.pk).update(
        status=YearStatus.FINALISED, finalised_at=timezone.now()
    )
    year.refresh_from_db()
    with pytest.raises(ValidationError, match="đã chốt kết quả"):
        results_feed(actor=cast.admin, survey=survey, year=year)
    assert not AuditEntry.objects.filter(action=AuditAction.SIPAS_RESULTS_FEED).exists()
    assert par_results.current_indices(year) == {}


def test_it_refuses_when_no_unit_taking_part_has_answers(cast, year):
    survey = f.sampled_survey([cast.unit_a], count=60)
    with pytest.raises(ValidationError, match="chưa chuyển gì"):
        results_feed(actor=cast.admin, survey=survey, year=year)
    assert par_results.current_indices(year) == {}


def test_survey_indices_set_checks_every_index_first(cast, year):
    with pytest.raises(ValidationError, match="từ 0 đến 100"):
        par_results.survey_indices_set(
            actor=cast.admin,
            year=year,
            indices={cast.snv.pk: Decimal(80), cast.unit_a.pk: Decimal(101)},
            source="thử",
        )
    assert par_results.current_indices(year) == {}
