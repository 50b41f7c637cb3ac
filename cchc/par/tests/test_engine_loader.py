import copy
from decimal import Decimal as D

import pytest
import yaml

from cchc.par.engine import (
    DRAFT_CRITERIA_PATH,
    CriteriaError,
    criteria_set_from_dict,
    criteria_set_to_dict,
    load_criteria,
    load_criteria_yaml,
)


@pytest.fixture(scope="module")
def draft():
    return yaml.safe_load(DRAFT_CRITERIA_PATH.read_text(encoding="utf-8"))


def _messages(data):
    _, problems = load_criteria(data)
    return [(p.where, p.message) for p in problems]


def _department_set(draft):
    return copy.deepcopy(draft["sets"][0])


def test_the_draft_file_is_a_copy_inside_the_project():
    assert DRAFT_CRITERIA_PATH.is_file()
    assert "shared" not in DRAFT_CRITERIA_PATH.parts


def test_the_draft_loads_both_sets_without_problems():
    sets, problems = load_criteria_yaml(DRAFT_CRITERIA_PATH.read_text(encoding="utf-8"))
    assert problems == []
    assert [s.id for s in sets] == ["so-ban-nganh", "xa-phuong-dac-khu"]
    departments = sets[0]
    assert departments.total == 100
    assert [a.max for a in departments.areas] == [12, 6, 13, 6, 9, 6, 10, 6, 32]
    assert departments.adjustments.penalty_cap == 5
    assert departments.classification.classify(D("89.99")) == "B"


def test_the_draft_leaves_inherit_method_and_evaluator():
    sets, _ = load_criteria_yaml(DRAFT_CRITERIA_PATH.read_text(encoding="utf-8"))
    nodes = {n.code: n for n in sets[0].nodes()}
    assert nodes["9.1.1"].method == "survey"
    assert nodes["2.1.1"].evaluator == "STP"
    assert nodes["1.3.2"].rule["type"] == "formula"


def test_it_reports_children_that_do_not_sum_to_their_parent(draft):
    data = {"sets": [_department_set(draft)]}
    data["sets"][0]["areas"][0]["criteria"][0]["sub_criteria"][0]["max"] = 2
    assert ("1.1", "Tổng điểm tối đa của các tiêu chí con (4) khác điểm tối đa (3)") in _messages(
        data
    )


def test_it_reports_a_set_that_does_not_total_100_and_a_wrong_survey_part(draft):
    data = {"sets": [_department_set(draft)]}
    area_9 = data["sets"][0]["areas"][8]
    area_9["max"] = 30
    area_9["criteria"][0]["max"] = 30
    area_9["criteria"][0]["sub_criteria"][0]["max"] = 4.4
    messages = _messages(data)
    assert ("total", "Tổng điểm tối đa các lĩnh vực (98) khác tổng điểm bộ tiêu chí (100)") in (
        messages
    )
    assert (
        "survey_total",
        "Phần điều tra xã hội học (SIPAS) có tổng 30 điểm, cấu hình là 32",
    ) in messages


def test_it_reports_duplicate_and_non_hierarchical_codes(draft):
    data = {"sets": [_department_set(draft)]}
    subs = data["sets"][0]["areas"][0]["criteria"][0]["sub_criteria"]
    subs[1]["code"] = "1.1.1"
    data["sets"][0]["areas"][1]["criteria"][0]["code"] = "3.1"
    messages = _messages(data)
    assert ("1.1.1", "Mã tiêu chí bị trùng: 1.1.1") in messages
    assert ("3.1", "Mã “3.1” không nằm dưới mã cha “2”") in messages


def test_it_reports_leaves_without_a_valid_rule(draft):
    data = {"sets": [_department_set(draft)]}
    subs = data["sets"][0]["areas"][0]["criteria"][2]["sub_criteria"]
    del subs[0]["rule"]
    subs[1]["rule"]["expression"] = "(b/a)*1 + (d/a)*0.5"
    data["sets"][0]["areas"][1]["criteria"][0]["sub_criteria"][0]["rule"] = {"type": "magic"}
    messages = _messages(data)
    assert ("1.3.1", "Tiêu chí lá chưa có quy tắc chấm điểm (rule)") in messages
    assert ("1.3.2", "Công thức dùng biến không xác định: d") in messages
    assert ("2.1.1", "Loại quy tắc không hỗ trợ: magic") in messages


def test_it_reports_an_unknown_evaluator_and_method(draft):
    data = copy.deepcopy(draft)
    data["sets"] = [data["sets"][0]]
    data["sets"][0]["areas"][1]["evaluator"] = "SXYZ"
    data["sets"][0]["areas"][0]["criteria"][4]["method"] = "guess"
    messages = _messages(data)
    assert ("2", "Đơn vị thẩm định không xác định: SXYZ") in messages
    assert ("1.5", "Phương pháp đánh giá không hợp lệ: guess") in messages


def test_problems_carry_the_set_id(draft):
    data = {"sets": [_department_set(draft)]}
    data["sets"][0]["areas"][0]["max"] = 11
    _, problems = load_criteria(data)
    assert str(problems[0]).startswith("[so-ban-nganh] 1: ")


def test_it_reports_unreadable_yaml_with_its_line():
    _, problems = load_criteria_yaml("sets:\n  - id: [unclosed\n")
    assert problems[0].message == "Tệp YAML không đọc được"
    assert problems[0].where.startswith("dòng ")


def test_from_dict_raises_with_every_problem(draft):
    data = _department_set(draft)
    data["areas"][0]["max"] = 11
    with pytest.raises(CriteriaError) as caught:
        criteria_set_from_dict(data)
    assert len(caught.value.problems) == 2  # area 1 children and the set total


def test_the_draft_survives_export_and_import_through_yaml():
    sets, _ = load_criteria_yaml(DRAFT_CRITERIA_PATH.read_text(encoding="utf-8"))
    for criteria_set in sets:
        text = yaml.safe_dump(criteria_set_to_dict(criteria_set), allow_unicode=True)
        assert criteria_set_from_dict(yaml.safe_load(text)) == criteria_set


def test_every_problem_carries_a_stable_kind(draft):
    from cchc.par.engine.loader import SUM_KINDS

    data = _department_set(draft)
    area = data["areas"][0]
    area["max"] = area["max"] + 1  # the area no longer sums its criteria, nor the set its areas
    leaf = area["criteria"][0]["sub_criteria"][0]
    del leaf["rule"]
    data["areas"].append({"code": "x", "title": "", "max": "nhiều", "rule": {"type": "binary"}})
    _, problems = load_criteria({"sets": [data]})
    kinds = {(p.where, p.kind) for p in problems}
    assert (area["code"], "children_sum") in kinds
    assert ("total", "areas_sum") in kinds
    assert (leaf["code"], "missing_rule") in kinds
    assert {("x", "bad_area_code"), ("x", "no_title"), ("x", "not_a_number")} <= kinds
    assert all(p.kind for p in problems)
    assert {"children_sum", "areas_sum"} <= SUM_KINDS
    assert load_criteria({})[1][0].kind == "no_sets"
    assert load_criteria_yaml("sets: [\n")[1][0].kind == "yaml"
