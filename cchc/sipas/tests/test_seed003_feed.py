"""Acceptance: the 2023 survey, answered to match seed 003 and fed into the 2023 PAR year,
gives area 9 (and the averages and groups) exactly as the report publishes them.

The year is entered as ``cchc.par.demo_2023`` does (the results workbook of the
constructed rows), then every unit's SIPAS index is overwritten by hand with a wrong
value, and one feed from the survey's answers must put the right ones back.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from cchc.org.models import Unit, UnitType
from cchc.par import demo_2023, seed003
from cchc.par.demo import load_criteria_sets
from cchc.par.engine import AN_GIANG_2023
from cchc.par.models import CriteriaSet, YearSummary
from cchc.par.services import results as par_results
from cchc.par.services.year import year_open
from cchc.sipas.models import Case, Draw, Respondent, RespondentStatus, Response
from cchc.sipas.services import sampling
from cchc.sipas.services.results import results_feed
from cchc.sipas.tests.seed003_answers import KINDS, unit_answers

pytestmark = pytest.mark.django_db
TYPES = {"so": UnitType.DEPARTMENT, "huyen": UnitType.DISTRICT}


def _year_2023(actor):
    load_criteria_sets()
    sets = {
        t: CriteriaSet.objects.filter(year=2023, unit_type=t).order_by("-version").first()
        for t in TYPES.values()
    }
    province = Unit.objects.get(unit_type=UnitType.PROVINCE)
    units = demo_2023._units(actor, province)
    ict = demo_2023._ict_department(actor, province)
    codes = set(demo_2023.EVALUATORS.values())
    departments = {u.code: u for u in Unit.objects.filter(code__in=codes)} | {"STTTT": ict}
    year = year_open(
        actor=actor,
        year=2023,
        windows=demo_2023.WINDOWS,
        units=[u for kind in KINDS for u in units[kind]],
        sets=sets,
        evaluators={a: departments[c] for a, c in demo_2023.EVALUATORS.items()},
    )
    par_results.results_import(
        actor=actor, year=year, content=demo_2023.workbook(year, units), name="2023.xlsx"
    )
    return year, units


def _survey_2023(units):
    survey = sampling.survey_create(
        actor=None,
        year=2023,
        period_start=datetime.date(2022, 10, 1),
        period_end=datetime.date(2023, 9, 30),
        answers_until=datetime.date(2023, 11, 30),
    )
    form = survey.questionnaires.get(code="chuan")
    now = timezone.now()
    for kind in KINDS:
        by_seed_id = unit_answers(kind)
        for number, unit in enumerate(units[kind], start=1):
            answers = by_seed_id[seed003.unit_id(kind, number)]
            cases = Case.objects.bulk_create(
                Case(
                    survey=survey,
                    unit=unit,
                    case_id=f"{unit.code}-{n}",
                    procedure="Thủ tục",
                    completed_on=datetime.date(2023, 3, 1),
                )
                for n in range(len(answers))
            )
            draw = Draw.objects.create(
                survey=survey,
                unit=unit,
                population=len(answers),
                sample_size=len(answers),
                reserve_size=0,
                margin=survey.margin,
                seed="seed003",
            )
            respondents = Respondent.objects.bulk_create(
                Respondent(
                    survey=survey,
                    unit=unit,
                    draw=draw,
                    case=case,
                    questionnaire=form,
                    code=f"{unit.pk:04d}{n:04d}",
                    position=n,
                    status=RespondentStatus.ANSWERED,
                )
                for n, case in enumerate(cases)
            )
            Response.objects.bulk_create(
                Response(
                    survey=survey,
                    unit=unit,
                    respondent=r,
                    questionnaire=form,
                    channel="paper",
                    answers=a,
                    submitted_at=now,
                )
                for r, a in zip(respondents, answers, strict=True)
            )
    return survey


def test_the_feed_reproduces_area_9_of_seed_003(cast):
    year, units = _year_2023(cast.admin)
    everyone = {u.pk: Decimal(0) for kind in KINDS for u in units[kind]}
    par_results.survey_indices_set(actor=cast.admin, year=year, indices=everyone, source="tay")
    survey = _survey_2023(units)

    fed = results_feed(actor=cast.admin, survey=survey, year=year)

    assert len(fed.fed) == 28 and not fed.without_answers and not fed.not_in_year
    current = par_results.current_indices(year)
    for kind in KINDS:
        for number, unit in enumerate(units[kind], start=1):
            assert current[unit.pk] == Decimal(seed003.rows(kind)[number - 1][-2])
    year.refresh_from_db()
    year = par_results.year_finalise(actor=cast.admin, year=year, version=year.version)
    for kind, unit_type in TYPES.items():
        summary = YearSummary.objects.get(year=year, unit_type=unit_type)
        published = seed003.PUBLISHED[kind]
        points, index, _, _ = published["areas"]["9"]
        area = summary.nodes["9"]
        assert AN_GIANG_2023.round(Decimal(area["average_points"])) == Decimal(points)
        assert AN_GIANG_2023.round(Decimal(area["index"])) == Decimal(index)
        assert AN_GIANG_2023.round(summary.average_total) == Decimal(published["average"])
        assert summary.group_counts == published["groups"]
