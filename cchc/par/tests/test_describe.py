"""Scoring rules read as Vietnamese sentences, never as code."""

from decimal import Decimal

from cchc.par.describe import describe_formula, describe_rule

INPUTS = {
    "a": "Tổng số vấn đề phát hiện",
    "b": "Số vấn đề đã xử lý xong",
    "c": "Số vấn đề đang xử lý",
}


def test_a_conditional_formula_reads_as_if_then_otherwise_with_the_inputs_labels():
    rule = {
        "type": "formula",
        "expression": "a == 0 ? max : (b/a)*1 + (c/a)*0.5",
        "inputs": INPUTS,
    }
    text = describe_rule(rule, Decimal(1))
    assert text == (
        "Điểm: nếu Tổng số vấn đề phát hiện bằng 0 thì điểm tối đa, ngược lại "
        "Số vấn đề đã xử lý xong : Tổng số vấn đề phát hiện × 1 + "
        "Số vấn đề đang xử lý : Tổng số vấn đề phát hiện × 0,5"
    )
    for code in ("?", "==", "*", "/", "0.5", "max"):
        assert code not in text


def test_a_conditional_inside_a_sum_keeps_its_brackets():
    text = describe_formula("k*0.5 + (a == 0 ? 1 : b/a)", {"k": "Số kế hoạch", **INPUTS})
    assert text == (
        "Số kế hoạch × 0,5 + (nếu Tổng số vấn đề phát hiện bằng 0 thì 1, "
        "ngược lại Số vấn đề đã xử lý xong : Tổng số vấn đề phát hiện)"
    )


def test_brackets_that_change_the_result_are_kept():
    assert describe_formula("(a + b) * 2", {}) == "(a + b) × 2"
    assert describe_formula("a - (b - c)", {}) == "a − (b − c)"
    assert describe_formula("a * b + c", {}) == "a × b + c"


def test_comparisons_and_functions_in_words():
    assert describe_formula("a >= 80 and b < 5 ? 1 : 0", {}) == (
        "nếu a từ 80 trở lên và b nhỏ hơn 5 thì 1, ngược lại 0"
    )
    assert describe_formula("min(max, round(a / 3, 2))", {}) == (
        "số nhỏ nhất trong (điểm tối đa; (a : 3) làm tròn đến 2 chữ số thập phân)"
    )


def test_a_band_formula_is_read_too():
    rule = {
        "type": "percent_bands",
        "bands": [
            {"min": 100, "points": 2},
            {"min": 80, "max_exclusive": 100, "formula": "pct/100*max"},
            {"max_exclusive": 80, "points": 0},
        ],
    }
    text = describe_rule(rule, Decimal(2))
    assert "từ 80% đến dưới 100%: điểm = tỷ lệ (%) : 100 × điểm tối đa" in text
    assert "pct" not in text


def test_an_unreadable_formula_is_shown_as_written_rather_than_dropped():
    assert describe_formula("a ** 2", {}) == "công thức a ** 2"
