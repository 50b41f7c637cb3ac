"""The engine reproduces every number of seed 003's area tables and text.

The unit rows are constructed (see seed003.py); the published numbers are not.
"""

from dataclasses import replace
from decimal import Decimal

import pytest

from cchc.par import seed003
from cchc.par.engine import (
    AN_GIANG_2023,
    RoundingPolicy,
    change,
    compute_points,
    compute_province,
    mean,
)

KINDS = ("so", "huyen")
AREA_CODES = tuple(code for code, _, _ in seed003.AREAS)


def _province(kind, policy=AN_GIANG_2023):
    return compute_province(
        {kind: seed003.criteria_set(kind)}, seed003.unit_inputs(kind), policy=policy
    )


@pytest.fixture(scope="module", params=KINDS)
def kind(request):
    return request.param


@pytest.fixture(scope="module")
def summary(kind):
    return _province(kind).summaries[kind]


def _published(kind, code):
    return tuple(Decimal(v) for v in seed003.PUBLISHED[kind]["areas"][code])


def test_the_constructed_data_has_the_published_number_of_units():
    assert len(seed003.unit_inputs("so")) == 17
    assert len(seed003.unit_inputs("huyen")) == 11


@pytest.mark.parametrize("code", AREA_CODES)
def test_it_reproduces_the_points_achieved_of_each_area(kind, summary, code):
    points, _, _, _ = _published(kind, code)
    assert AN_GIANG_2023.round(summary.nodes[code].average_points) == points


@pytest.mark.parametrize("code", AREA_CODES)
def test_it_reproduces_the_2023_index_of_each_area(kind, summary, code):
    _, index, _, _ = _published(kind, code)
    assert AN_GIANG_2023.round(summary.nodes[code].index) == index


@pytest.mark.parametrize("code", AREA_CODES)
def test_it_reproduces_the_change_from_the_published_2022_index(kind, summary, code):
    _, _, index_2022, published_change = _published(kind, code)
    assert change(summary.nodes[code].index, index_2022) == published_change


def test_it_reproduces_the_group_counts(kind, summary):
    assert summary.group_counts == seed003.PUBLISHED[kind]["groups"]


def test_it_reproduces_the_average_par_index(kind, summary):
    assert AN_GIANG_2023.round(summary.average_total) == Decimal(seed003.PUBLISHED[kind]["average"])


def test_it_groups_the_areas_as_the_text_does(kind, summary):
    bands = {}
    for code in AREA_CODES:
        index = AN_GIANG_2023.round(summary.nodes[code].index)
        bands.setdefault(seed003.BANDS_OF_THE_TEXT.classify(index), set()).add(code)
    published = seed003.PUBLISHED[kind]
    assert bands == {
        "over_90": published["areas_over_90"],
        "80_to_90": published["areas_80_to_90"],
        "under_80": published["areas_under_80"],
    }


def test_it_reproduces_the_mean_sipas_index_of_both_years(kind):
    indices = seed003.sipas_indices(kind).values()
    published = seed003.PUBLISHED[kind]
    assert AN_GIANG_2023.round(mean(now for now, _ in indices)) == Decimal(published["sipas_mean"])
    assert AN_GIANG_2023.round(mean(then for _, then in indices)) == Decimal(
        published["sipas_mean_2022"]
    )


def test_it_reproduces_the_sipas_counts_of_the_text(kind):
    indices = seed003.sipas_indices(kind).values()
    published = seed003.PUBLISHED[kind]
    assert sum(1 for now, _ in indices if now > 90) == published["sipas_over_90"]
    assert sum(1 for now, _ in indices if 80 <= now < 90) == published["sipas_80_to_90"]
    assert sum(1 for now, then in indices if now > then) == published["sipas_rose"]
    assert sum(1 for now, then in indices if now < then) == published["sipas_fell"]


def test_sipas_points_are_the_index_times_32():
    points = compute_points({"type": "survey_index"}, Decimal(32), {"index": Decimal("88.56")})
    assert points == Decimal("28.3392")
    assert AN_GIANG_2023.round(points) == Decimal("28.34")


# -- why each rounding point is set the way it is -------------------------------------


def test_rounded_area_averages_would_not_reproduce_the_district_table():
    summary = _province("huyen", replace(AN_GIANG_2023, area_average=True)).summaries["huyen"]
    # 5.45 / 6 = 90.83 %, but the report prints 90.91 % (= 5.4545… / 6)
    assert AN_GIANG_2023.round(summary.nodes["2"].index) == Decimal("90.83")


def test_exact_unit_totals_would_give_a_department_average_of_89_86():
    policy = replace(AN_GIANG_2023, unit_total=False)
    summary = _province("so", policy).summaries["so"]
    assert AN_GIANG_2023.round(summary.average_total) == Decimal("89.86")


def test_no_exact_area_averages_consistent_with_the_table_reach_89_87():
    # Each published index p of an area worth m points bounds its exact average below
    # (p + 0.005) % × m; the average PAR index is the sum of the area averages.
    upper = sum(
        (Decimal(index) + Decimal("0.005")) * max_points / 100
        for (_, _, max_points), (_, index, _, _) in zip(
            seed003.AREAS, (seed003.PUBLISHED["so"]["areas"][c] for c in AREA_CODES), strict=True
        )
    )
    assert upper < Decimal("89.865")


def test_exact_sipas_points_would_give_a_district_area_9_index_of_87_79():
    policy = replace(AN_GIANG_2023, survey_points=False)
    summary = _province("huyen", policy).summaries["huyen"]
    assert AN_GIANG_2023.round(summary.nodes["9"].index) == Decimal("87.79")


def test_the_default_policy_is_the_one_that_reproduces_seed_003():
    assert RoundingPolicy() == AN_GIANG_2023
    assert (AN_GIANG_2023.unit_total, AN_GIANG_2023.survey_points) == (True, True)
    assert (AN_GIANG_2023.area_average, AN_GIANG_2023.leaf_points) == (False, False)
