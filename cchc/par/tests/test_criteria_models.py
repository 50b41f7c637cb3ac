"""Invariants the database keeps, and the conversion of stored sets to the engine."""

from dataclasses import replace
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from cchc.org.models import UnitType
from cchc.par import engine
from cchc.par.engine import DRAFT_CRITERIA_PATH, load_criteria_yaml
from cchc.par.io.convert import criteria_set_problems, criteria_set_to_engine
from cchc.par.models import CriteriaNode, CriteriaSet, SetStatus
from cchc.par.tests.helpers import draft_set, totals

pytestmark = pytest.mark.django_db


def _set(**fields):
    values = {"year": 2026, "unit_type": UnitType.DEPARTMENT, "code": "s", "title": "Bộ"}
    return CriteriaSet.objects.create(**{**values, **fields})


def _node(criteria_set, code="1", position=1, **fields):
    values = {"depth": 1, "title": "Lĩnh vực", "max_points": Decimal(1)}
    return CriteriaNode.objects.create(
        criteria_set=criteria_set, code=code, position=position, **{**values, **fields}
    )


def test_it_refuses_a_second_set_with_the_same_year_unit_type_and_version():
    _set(status=SetStatus.FROZEN, frozen_at="2026-01-01T00:00:00Z")
    with pytest.raises(IntegrityError), transaction.atomic():
        _set(status=SetStatus.FROZEN, frozen_at="2026-01-01T00:00:00Z")


def test_it_refuses_two_drafts_for_one_year_and_unit_type():
    _set(version=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        _set(version=2)
    _set(version=1, unit_type=UnitType.COMMUNE)  # another unit type is fine


def test_it_refuses_a_frozen_set_without_a_freeze_time():
    with pytest.raises(IntegrityError), transaction.atomic():
        _set(status=SetStatus.FROZEN)


def test_codes_are_unique_within_a_set_but_not_across_sets():
    first, second = _set(), _set(unit_type=UnitType.COMMUNE)
    _node(first)
    _node(second)
    with pytest.raises(IntegrityError), transaction.atomic():
        _node(first, position=2)


def test_it_refuses_negative_max_points():
    with pytest.raises(IntegrityError), transaction.atomic():
        _node(_set(), max_points=Decimal("-0.5"))


def test_an_area_has_no_parent_and_a_criterion_has_one():
    criteria_set = _set()
    with pytest.raises(IntegrityError), transaction.atomic():
        _node(criteria_set, code="1.1", depth=2)
    area = _node(criteria_set)
    with pytest.raises(IntegrityError), transaction.atomic():
        _node(criteria_set, code="2", position=2, parent=area)


def test_it_refuses_an_unknown_method():
    with pytest.raises(IntegrityError), transaction.atomic():
        _node(_set(), method="guess")


def test_the_stored_draft_converts_to_the_engine_set_it_came_from():
    stored = draft_set()
    sets, _ = load_criteria_yaml(DRAFT_CRITERIA_PATH.read_text(encoding="utf-8"))
    assert criteria_set_to_engine(stored) == replace(sets[0], unit_types=(UnitType.DEPARTMENT,))
    assert totals(criteria_set_to_engine(stored)) == totals(sets[0])


def test_a_stored_set_that_no_longer_adds_up_is_reported_by_the_engine():
    stored = draft_set()
    CriteriaNode.objects.filter(criteria_set=stored, code="1.1.1").update(max_points=2)
    messages = [(p.where, p.message) for p in criteria_set_problems(stored)]
    assert ("1.1", "Tổng điểm tối đa của các tiêu chí con (4) khác điểm tối đa (3)") in messages
    with pytest.raises(engine.CriteriaError):
        criteria_set_to_engine(stored)


def test_groups_read_as_officials_write_them():
    from cchc.par.selectors.criteria import groups_text

    bands = [{"group": "A", "min": 90}, {"group": "B", "min": 80}, {"group": "C"}]
    assert groups_text(bands) == "A: từ 90 điểm; B: từ 80 đến dưới 90 điểm; C: dưới 80 điểm"
