"""The SIPAS engine: shares, elements, index, rates, margins, formula settings."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import pytest

from cchc.sipas import engine
from cchc.sipas.engine import Element, Form, Formula, FormulaError, UnitInput

FORM = Form((Element("1", "A", ("1.1", "1.2")), Element("2", "B", ("2.1",))))


def _unit(tallies, responses=10, sample=20, population=None, unit_type="department"):
    return UnitInput("u", unit_type, FORM, tallies, responses, sample, population)


def test_an_empty_formula_is_the_default():
    assert Formula.from_json({}) == Formula() == Formula.from_json(None)
    assert Formula() == Formula(4, "elements", 2, Decimal(32))
    assert Formula.from_json(Formula().to_json()) == Formula()


def test_it_lists_every_problem_of_a_formula_in_vietnamese():
    with pytest.raises(FormulaError) as caught:
        Formula.from_json(
            {"satisfied_from": 7, "aggregation": "median", "places": -1, "points_max": "0", "x": 1}
        )
    assert len(caught.value.problems) == 5
    assert "Thiết lập không có: x." in caught.value.problems
    assert Formula.from_json({"satisfied_from": "5", "points_max": "30,5"}) == Formula(
        5, "elements", 2, Decimal("30.5")
    )


def test_blank_and_out_of_scale_answers_are_not_valid():
    answers = [{"1.1": 5, "1.2": None, "2.1": 3}, {"1.1": 4, "1.2": 0, "2.1": True}, {}]
    assert engine.count_answers(FORM, answers) == {"1.1": [2, 2], "1.2": [0, 0], "2.1": [1, 0]}
    assert engine.count_answers(FORM, answers, Formula(satisfied_from=5))["1.1"] == [2, 1]


def test_the_index_is_the_mean_of_elements_each_the_mean_of_its_items():
    result = engine.compute_unit(_unit({"1.1": (10, 9), "1.2": (10, 6), "2.1": (8, 2)}))
    assert [i.share for i in result.items] == [Decimal("0.9"), Decimal("0.6"), Decimal("0.25")]
    assert [e.share for e in result.elements] == [Decimal("0.75"), Decimal("0.25")]
    assert result.index == Decimal(50)
    assert result.points == Decimal(16)
    assert result.rate == Decimal(50)


def test_the_alternative_is_the_mean_over_all_items():
    result = engine.compute_unit(
        _unit({"1.1": (10, 9), "1.2": (10, 6), "2.1": (8, 2)}), Formula(aggregation="items")
    )
    assert result.index == Decimal(175) / 3  # (90 + 60 + 25) / 3
    assert result.exact_index == Fraction(175, 3)


def test_items_without_a_valid_answer_are_left_out():
    result = engine.compute_unit(_unit({"1.1": (10, 9), "1.2": (0, 0), "2.1": (0, 0)}))
    assert result.items[1].share is None and result.elements[1].share is None
    assert result.index == Decimal(90)


def test_a_unit_without_answers_has_no_index_points_or_margin():
    result = engine.compute_unit(_unit({}, responses=0, sample=0))
    assert (result.index, result.points, result.margin, result.rate) == (None,) * 4


def test_the_margin_is_z_sqrt_pq_over_n_with_the_finite_population_correction():
    tallies = {"1.1": (100, 80), "1.2": (100, 80), "2.1": (100, 80)}
    plain = engine.compute_unit(_unit(tallies, responses=100))
    assert plain.margin == Decimal(str(round(1.96 * math.sqrt(0.8 * 0.2 / 100) * 100, 4)))
    corrected = engine.compute_unit(_unit(tallies, responses=100, population=400))
    fpc = math.sqrt(300 / 399)
    assert corrected.margin == Decimal(str(round(1.96 * math.sqrt(0.0016) * fpc * 100, 4)))
    census = engine.compute_unit(_unit(tallies, responses=100, population=100))
    assert census.margin == 0


def test_a_types_mean_comes_from_unrounded_indices():
    # 1/3 and 2/3 of 100 %: displayed 33.33 and 66.67, exact mean 50
    units = [
        UnitInput("a", "t", FORM, {"1.1": (3, 1), "1.2": (3, 1), "2.1": (3, 1)}, 3, 3),
        UnitInput("b", "t", FORM, {"1.1": (3, 2), "1.2": (3, 2), "2.1": (3, 2)}, 3, 3),
    ]
    result = engine.compute(units)
    assert [Formula().display(r.index) for r in result.units.values()] == [
        Decimal("33.33"),
        Decimal("66.67"),
    ]
    summary = result.summaries["t"]
    assert summary.mean == Decimal(50) and summary.units == 2 and summary.rate == Decimal(100)
    assert summary.elements == {"1": Decimal("0.5"), "2": Decimal("0.5")}


def test_display_rounds_half_up_to_the_formulas_places():
    assert Formula().display(Decimal("88.555")) == Decimal("88.56")
    assert Formula(places=1).display(Decimal("88.55")) == Decimal("88.6")


def test_bands_follow_the_report():
    assert [engine.band(Decimal(v)) for v in ("90.01", "90", "80", "79.99")] == [
        "over_90",
        "80_to_90",
        "80_to_90",
        "under_80",
    ]


def test_a_form_comes_from_a_questionnaire_definition():
    form = Form.from_definition(
        {"elements": [{"code": 1, "title": "A", "items": [{"code": "1.1", "text": "x"}]}]}
    )
    assert form.item_codes == ("1.1",) and form.elements[0].code == "1"
