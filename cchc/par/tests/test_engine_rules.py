from decimal import Decimal as D

import pytest

from cchc.par.engine import (
    FormulaError,
    InputError,
    apply_override,
    compute_points,
    parse_formula,
    rule_bounds,
    validate_rule,
)

BANDS = {
    "type": "percent_bands",
    "bands": [
        {"min": 30, "points": 1},
        {"min": 20, "max_exclusive": 30, "points": 0.5},
        {"max_exclusive": 20, "points": 0},
    ],
}
PROPORTIONAL = {
    "type": "percent_bands",
    "bands": [
        {"min": 100, "points": 2},
        {"min": 80, "max_exclusive": 100, "formula": "pct/100*max"},
        {"max_exclusive": 80, "points": 0},
    ],
}
LEVELS = {
    "type": "levels",
    "levels": [
        {"label": "Đúng hạn", "points": 1},
        {"label": "Trễ hạn", "points": 0.5},
        {"label": "Không ban hành", "points": -1},
    ],
}
DEDUCTION = {
    "type": "deduction",
    "per_occurrence": [
        {"event": "Báo cáo trễ hạn", "points": 0.25},
        {"event": "Không gửi báo cáo năm", "points": 1},
    ],
    "floor": -1,
}
WEIGHTED = {"type": "weighted_counts", "total": "a", "weights": {"b": 1, "c": 0.5}}
FORMULA = {
    "type": "formula",
    "inputs": {"a": "Tổng số", "b": "Đã xử lý", "c": "Đang xử lý"},
    "expression": "a == 0 ? max : (b/a)*1 + (c/a)*0.5",
}


def points(rule, max_points, **inputs):
    return compute_points(rule, D(max_points), inputs)


# -- binary -----------------------------------------------------------------------------


def test_binary_gives_max_when_passed_and_zero_when_not():
    assert points({"type": "binary"}, "0.5", passed=True) == D("0.5")
    assert points({"type": "binary"}, "0.5", passed=False) == 0


def test_binary_uses_configured_pass_points():
    assert points({"type": "binary", "pass_points": 0.25}, 1, passed=True) == D("0.25")


def test_it_rejects_a_binary_input_that_is_not_true_or_false():
    with pytest.raises(InputError, match="đúng hoặc sai"):
        points({"type": "binary"}, 1, passed="có")


def test_it_rejects_binary_pass_points_above_max():
    assert validate_rule({"type": "binary", "pass_points": 2}, D(1)) == [
        "Điểm khi đạt (2) vượt quá điểm tối đa (1)"
    ]


# -- levels -----------------------------------------------------------------------------


def test_levels_gives_the_points_of_the_chosen_level_even_negative():
    assert points(LEVELS, 1, level="Trễ hạn") == D("0.5")
    assert points(LEVELS, 1, level="Không ban hành") == D(-1)


def test_it_rejects_a_level_that_is_not_listed():
    with pytest.raises(InputError, match="Mức đánh giá không có trong danh sách"):
        points(LEVELS, 1, level="Xuất sắc")


def test_it_rejects_duplicate_and_over_max_levels():
    rule = {"type": "levels", "levels": [{"label": "X", "points": 1}, {"label": "X", "points": 3}]}
    assert validate_rule(rule, D(2)) == [
        "Mức đánh giá bị trùng tên: X",
        "Điểm của mức “X” (3) vượt quá điểm tối đa (2)",
    ]


def test_it_rejects_an_empty_level_list():
    assert validate_rule({"type": "levels", "levels": []}) == ["Danh sách mức đánh giá trống"]


# -- percentage bands -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pct", "expected"), [("30", "1"), ("45", "1"), ("29.99", "0.5"), ("20", "0.5"), ("19", "0")]
)
def test_percent_bands_pick_the_first_band_that_contains_the_percentage(pct, expected):
    assert points(BANDS, 1, pct=D(pct)) == D(expected)


def test_proportional_band_gives_pct_times_max_from_the_threshold():
    assert points(PROPORTIONAL, 2, pct=D("87.5")) == D("1.75")
    assert points(PROPORTIONAL, 2, pct=D("79.9")) == 0
    assert points(PROPORTIONAL, 2, pct=100) == 2


@pytest.mark.parametrize("pct", ["-1", "100.01"])
def test_it_rejects_a_percentage_outside_0_to_100(pct):
    with pytest.raises(InputError, match="0–100%"):
        points(BANDS, 1, pct=D(pct))


def test_it_rejects_a_band_with_both_points_and_formula():
    rule = {"type": "percent_bands", "bands": [{"min": 0, "points": 1, "formula": "pct"}]}
    assert validate_rule(rule, D(1)) == [
        "Khung tỷ lệ thứ 1 phải có đúng một trong hai: points hoặc formula"
    ]


def test_it_rejects_a_band_formula_with_an_unknown_variable():
    rule = {"type": "percent_bands", "bands": [{"min": 0, "formula": "x/100*max"}]}
    assert validate_rule(rule, D(1)) == ["Công thức dùng biến không xác định: x"]


def test_it_rejects_a_band_whose_lower_bound_is_not_below_its_upper_bound():
    rule = {"type": "percent_bands", "bands": [{"min": 50, "max_exclusive": 50, "points": 1}]}
    assert validate_rule(rule, D(1)) == [
        "Khung tỷ lệ thứ 1: cận dưới (50) phải nhỏ hơn cận trên (50)"
    ]


# -- ratio (proportional above a threshold) ---------------------------------------------


def test_ratio_gives_pct_times_max_above_the_threshold_and_zero_below():
    rule = {"type": "ratio", "threshold": 80}
    assert points(rule, "1.5", pct=90) == D("1.35")
    assert points(rule, "1.5", pct=D("79.99")) == 0


def test_it_rejects_a_ratio_threshold_above_100():
    assert validate_rule({"type": "ratio", "threshold": 120}) == [
        "Ngưỡng tỷ lệ (threshold) phải nằm trong khoảng 0–100"
    ]


def test_it_rejects_a_missing_percentage():
    with pytest.raises(InputError, match="Thiếu dữ liệu đầu vào: pct"):
        points({"type": "ratio"}, 1)


# -- count with a cap -------------------------------------------------------------------


def test_count_capped_stops_at_the_cap():
    rule = {"type": "count_capped", "per_item": 0.25, "cap": 0.5}
    assert points(rule, "0.5", count=1) == D("0.25")
    assert points(rule, "0.5", count=7) == D("0.5")


@pytest.mark.parametrize("count", [-1, "1.5"])
def test_it_rejects_a_count_that_is_not_a_non_negative_integer(count):
    with pytest.raises(InputError, match="số nguyên không âm"):
        points({"type": "count_capped", "per_item": 1}, 2, count=count)


def test_it_rejects_a_cap_above_max_and_a_zero_step():
    assert validate_rule({"type": "count_capped", "per_item": 0, "cap": 3}, D(2)) == [
        "Điểm cho mỗi đơn vị đếm (per_item) phải lớn hơn 0",
        "Mức trần (cap) (3) vượt quá điểm tối đa (2)",
    ]


# -- deductions -------------------------------------------------------------------------


def test_deduction_subtracts_per_occurrence_down_to_a_floor_below_zero():
    assert points(DEDUCTION, 1, counts=[2, 0]) == D("0.5")
    assert points(DEDUCTION, 1, counts={"Không gửi báo cáo năm": 1, "Báo cáo trễ hạn": 3}) == D(
        "-0.75"
    )
    assert points(DEDUCTION, 1, counts=[20, 5]) == D(-1)


def test_it_rejects_an_unknown_deduction_event():
    with pytest.raises(InputError, match="không có trong danh sách: Đi muộn"):
        points(DEDUCTION, 1, counts={"Đi muộn": 1})


def test_it_rejects_a_floor_above_the_start():
    rule = {**DEDUCTION, "floor": 2}
    assert validate_rule(rule, D(1)) == [
        "Mức sàn (floor) phải nhỏ hơn hoặc bằng điểm khởi đầu (start)"
    ]


def test_deduction_bounds_reach_below_zero():
    assert rule_bounds(DEDUCTION, D(1)) == (D(-1), D(1))


# -- weighted counts --------------------------------------------------------------------


def test_weighted_counts_weigh_done_and_in_progress_items():
    assert points(WEIGHTED, 1, a=4, b=2, c=1) == D("0.625")
    assert points({**WEIGHTED, "scale": 2}, 2, a=4, b=2, c=1) == D("1.25")


def test_weighted_counts_give_max_when_there_is_nothing_to_handle():
    assert points(WEIGHTED, "1.5", a=0, b=0, c=0) == D("1.5")


def test_it_rejects_parts_that_exceed_the_total():
    with pytest.raises(InputError, match="vượt quá tổng số"):
        points(WEIGHTED, 1, a=2, b=2, c=1)


def test_it_rejects_a_weight_above_one():
    assert validate_rule({"type": "weighted_counts", "weights": {"b": 2}}) == [
        "Trọng số của b phải lớn hơn 0 và không quá 1"
    ]


# -- formula ----------------------------------------------------------------------------


def test_formula_evaluates_the_c_style_conditional_lazily():
    assert points(FORMULA, 1, a=0, b=0, c=0) == 1  # no division by zero
    assert points(FORMULA, 1, a=4, b=2, c=1) == D("0.625")


def test_formula_is_clamped_to_its_bounds():
    rule = {"type": "formula", "inputs": ["x"], "expression": "x * 2", "min": -1}
    assert points(rule, 1, x=5) == 1
    assert points(rule, 1, x=-5) == -1


def test_formula_supports_functions_comparisons_and_nested_conditionals():
    formula = parse_formula("max(0, min(x, 2)) + (x > 1 ? (x > 3 ? 1 : 0.5) : 0) + round(1/3, 2)")
    assert formula.evaluate({"x": D(4)}) == D("3.33")
    assert formula.evaluate({"x": D("1.5")}) == D("2.33")
    assert parse_formula("abs(-x) + -1").evaluate({"x": D(2)}) == 1


def test_formula_literals_are_exact_decimals():
    assert parse_formula("0.1 + 0.2").evaluate({}) == D("0.3")


def test_it_rejects_a_formula_naming_an_unknown_input():
    rule = {**FORMULA, "expression": "b/a + x"}
    assert validate_rule(rule, D(1)) == ["Công thức dùng biến không xác định: x"]


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("__import__('os').system('id')", "Hàm không được phép"),
        ("a.real", "Cú pháp không được phép"),
        ("a ** 2", "Phép toán không được phép trong công thức: \\*\\*"),
        ("[a][0]", "Cú pháp không được phép"),
        ("'text'", "Hằng số không hợp lệ"),
        ("lambda: 1", "Cú pháp không được phép"),
        ("(a + 1", "Thiếu dấu ngoặc đóng"),
        ("a ? 1", "Biểu thức điều kiện"),
        ("a +", "Công thức không hợp lệ"),
    ],
)
def test_it_rejects_formulas_outside_the_whitelist(expression, message):
    with pytest.raises(FormulaError, match=message):
        parse_formula(expression)


def test_it_rejects_a_division_by_zero_in_a_formula():
    rule = {"type": "formula", "inputs": ["a"], "expression": "1/a"}
    with pytest.raises(FormulaError, match="Phép chia cho 0"):
        points(rule, 1, a=0)


def test_it_rejects_a_formula_input_named_max():
    rule = {"type": "formula", "inputs": ["max"], "expression": "max"}
    assert validate_rule(rule, D(1)) == ["Tên biến đầu vào không hợp lệ: max"]


# -- survey index, direct score, unknown types ----------------------------------------


def test_survey_index_gives_index_times_max():
    assert points({"type": "survey_index"}, "6.4", index=D("87.5")) == D("5.6")


def test_it_rejects_a_direct_score_above_max():
    with pytest.raises(InputError, match="Điểm phải nằm trong khoảng 0–2: 2,5"):
        points({"type": "score"}, 2, points=D("2.5"))


def test_it_rejects_an_unknown_rule_type():
    assert validate_rule({"type": "lucky_draw"}) == ["Loại quy tắc không hỗ trợ: lucky_draw"]
    assert validate_rule({}) == ["Thiếu loại quy tắc chấm điểm (type)"]


def test_it_rejects_float_noise_and_booleans_as_numbers():
    assert points({"type": "ratio"}, 1, pct=0.1) == D("0.001")  # 0.1 read as written
    with pytest.raises(InputError, match="không phải là số"):
        points({"type": "ratio"}, 1, pct=True)


# -- appraiser override -----------------------------------------------------------------


def test_override_replaces_the_computed_points():
    assert apply_override(D("0.5"), D("0.25"), "Thiếu tài liệu kiểm chứng trang 3") == D("0.25")


def test_no_override_keeps_the_computed_points():
    assert apply_override(D("0.5"), None, None) == D("0.5")


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_it_rejects_an_override_without_a_reason(reason):
    with pytest.raises(ValueError, match="phải ghi lý do"):
        apply_override(D("0.5"), D(0), reason)


def test_it_rejects_an_override_outside_the_rule_bounds():
    with pytest.raises(ValueError, match="nằm trong khoảng 0–1"):
        apply_override(D("0.5"), D(2), "Lý do", bounds=(D(0), D(1)))
