from dataclasses import replace
from decimal import Decimal as D

import pytest

from cchc.par.engine import (
    AN_GIANG_2023,
    DRAFT_CRITERIA_PATH,
    Adjustments,
    CriteriaSet,
    InputError,
    Node,
    Override,
    UnitInput,
    change,
    compute_province,
    compute_unit,
    load_criteria_yaml,
    rank_units,
    sets_by_unit_type,
)


def _set(**changes):
    areas = (
        Node(
            "1",
            "Chỉ đạo",
            D(60),
            children=(
                Node("1.1", "Kế hoạch", D(20), rule={"type": "binary"}),
                Node("1.2", "Báo cáo", D(40), rule={"type": "ratio"}),
            ),
        ),
        Node(
            "2",
            "Thủ tục hành chính",
            D(20),
            children=(Node("2.1", "Công khai", D(20), rule={"type": "binary"}),),
        ),
        Node(
            "3",
            "SIPAS",
            D(20),
            method="survey",
            children=(
                Node(
                    "3.1", "Chỉ số hài lòng", D(20), method="survey", rule={"type": "survey_index"}
                ),
            ),
        ),
    )
    values = {
        "id": "t",
        "title": "Thử",
        "areas": areas,
        "unit_types": ("so",),
        "self_assessed_total": D(80),
        "survey_total": D(20),
    }
    return CriteriaSet(**{**values, **changes})


def _unit(unit_id="u", **changes):
    inputs = {
        "1.1": {"passed": True},
        "1.2": {"pct": 50},
        "2.1": {"passed": False},
        "3.1": {"index": D("88.888")},
    }
    return UnitInput(**{"unit_id": unit_id, "unit_type": "so", "inputs": inputs, **changes})


def test_it_sums_leaves_into_criteria_areas_and_total():
    result = compute_unit(_set(), _unit())
    assert result.nodes["1"].points == 40
    assert result.nodes["1"].index == D("66.66666666666666666666666667")
    assert result.appraised == 40
    assert result.survey == D("17.78")  # 17.7776 rounded as entered SIPAS points
    assert result.total == D("57.78")
    assert result.group == "C"


def test_an_exempt_unit_is_scored_over_its_applicable_max():
    result = compute_unit(_set(), _unit(exempt=frozenset({"2"})))
    assert result.nodes["2"].applicable is False
    assert result.nodes["2"].index is None
    assert result.applicable_max == 80
    assert result.total == D("72.23")  # 57.78 / 80 × 100 = 72.225


def test_exempting_a_criterion_reduces_its_areas_applicable_max():
    result = compute_unit(_set(), _unit(exempt=frozenset({"1.2"})))
    assert result.nodes["1"].applicable_max == 20
    assert result.nodes["1"].index == 100


def test_bonus_and_penalty_apply_outside_the_100_with_caps():
    cs = _set(adjustments=Adjustments(enabled=True, bonus_cap=D(2), penalty_cap=D(5)))
    assert compute_unit(cs, _unit(bonus=D(3))).total == D("59.78")
    assert compute_unit(cs, _unit(penalty=D(9))).total == D("52.78")


def test_it_rejects_bonus_points_when_the_set_has_none():
    with pytest.raises(InputError, match="không áp dụng điểm thưởng"):
        compute_unit(_set(), _unit(bonus=D(1)))


def test_an_override_with_a_reason_replaces_the_leaf_points():
    unit = _unit(overrides={"2.1": Override(D(10), "Công khai một phần")})
    assert compute_unit(_set(), unit).nodes["2"].points == 10


def test_it_rejects_an_override_without_a_reason_at_unit_level():
    with pytest.raises(ValueError, match="lý do"):
        compute_unit(_set(), _unit(overrides={"2.1": Override(D(10), "")}))


def test_a_leaf_without_input_scores_zero_and_is_listed_as_missing():
    unit = _unit(inputs={"1.1": {"passed": True}})
    result = compute_unit(_set(), unit)
    assert result.missing == ("1.2", "2.1", "3.1")
    assert result.total == 20


def test_it_rejects_inputs_for_unknown_codes_and_names_the_leaf_on_bad_input():
    with pytest.raises(InputError, match="không có trong bộ tiêu chí t: 9.9"):
        compute_unit(_set(), _unit(inputs={"9.9": {}}))
    with pytest.raises(InputError, match="Tiêu chí 1.2: Tỷ lệ phải nằm"):
        compute_unit(_set(), _unit(inputs={"1.2": {"pct": 140}}))


def test_ranking_shares_ranks_on_ties_and_skips_after_them():
    results = [
        compute_unit(_set(), _unit("b")),
        compute_unit(_set(), _unit("a")),
        compute_unit(_set(), _unit("c", inputs={**_unit().inputs, "2.1": {"passed": True}})),
        compute_unit(_set(), _unit("d", inputs={**_unit().inputs, "1.1": {"passed": False}})),
    ]
    ranked = rank_units(results)
    assert [(r.unit_id, r.rank) for r in ranked] == [("c", 1), ("a", 2), ("b", 2), ("d", 4)]


def test_ranking_groups_are_configurable():
    xa = compute_unit(_set(), _unit("xa-1", unit_type="xa"))
    phuong = compute_unit(_set(), _unit("phuong-1", unit_type="phuong"))
    apart = rank_units([xa, phuong])
    together = rank_units([xa, phuong], ranking_groups={"xa": "xa_phuong", "phuong": "xa_phuong"})
    assert [r.rank for r in apart] == [1, 1]
    assert [(r.unit_id, r.rank) for r in together] == [("phuong-1", 1), ("xa-1", 1)]


def test_change_can_use_displayed_or_exact_values():
    exact = replace(AN_GIANG_2023, change_from_displayed=False)
    assert change(D("90.914"), D("90.905")) == D("0.00")
    assert change(D("90.914"), D("90.905"), exact) == D("0.01")


def test_a_province_of_116_units_over_the_draft_sets_computes_in_one_pass():
    sets, _ = load_criteria_yaml(DRAFT_CRITERIA_PATH.read_text(encoding="utf-8"))
    by_type = sets_by_unit_type(sets)
    units = []
    for i in range(116):
        unit_type = "so" if i < 14 else ("xa", "phuong", "dac_khu")[i % 3]
        criteria_set = by_type[unit_type].criteria_set
        inputs = {}
        for node in criteria_set.nodes():
            if node.is_leaf and node.rule["type"] == "survey_index":
                inputs[node.code] = {"index": 80 + i % 20}
            elif node.is_leaf and node.rule["type"] in ("ratio", "percent_bands"):
                inputs[node.code] = {"pct": 60 + (i * 7) % 41}
        units.append(UnitInput(f"u{i:03d}", unit_type, inputs))
    province = compute_province(by_type, units)
    assert len(province.units) == 116
    assert sum(s.unit_count for s in province.summaries.values()) == 116
    assert all(0 <= r.total <= 100 for r in province.units.values())
