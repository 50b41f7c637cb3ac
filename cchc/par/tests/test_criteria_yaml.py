"""YAML (the engine's format) import and export, and the committed data files."""

from collections import Counter

import pytest
import yaml

from cchc.org.models import UnitType
from cchc.par.demo import CRITERIA_2023_PATH
from cchc.par.engine import DRAFT_CRITERIA_PATH, criteria_set_to_dict, load_criteria_yaml
from cchc.par.io.convert import criteria_set_to_engine, yaml_document
from cchc.par.io.importing import dump_yaml, parse_yaml
from cchc.par.services.criteria import criteria_set_import
from cchc.par.tests.helpers import draft_set, node_rows, totals

SEED_003 = {
    # area: (title, max) as printed in seed 003, for both unit types
    "1": ("Công tác chỉ đạo, điều hành cải cách hành chính", 12),
    "2": ("Cải cách thể chế", 6),
    "3": ("Cải cách thủ tục hành chính", 13),
    "4": ("Cải cách tổ chức bộ máy hành chính", 9),
    "5": ("Cải cách chế độ công vụ", 6),
    "6": ("Cải cách tài chính công", 6),
    "7": ("Xây dựng và phát triển chính quyền điện tử, chính quyền số", 10),
    "8": ("Công tác văn thư, lưu trữ", 6),
    "9": (
        "Mức độ hài lòng của người dân, tổ chức đối với sự phục vụ hành chính (SIPAS)",
        32,
    ),
}


@pytest.mark.django_db
def test_export_then_import_through_yaml_gives_an_identical_set_and_results():
    stored = draft_set()
    text = dump_yaml(yaml_document(stored))
    result = parse_yaml(text.encode(), unit_type=UnitType.DEPARTMENT)
    assert result.ok, result.problems
    again = criteria_set_import(
        actor=None,
        year=2027,
        unit_type=UnitType.DEPARTMENT,
        criteria=result.criteria_set,
        evaluators=result.evaluators,
    )
    assert node_rows(again) == node_rows(stored)
    assert again.evaluators == stored.evaluators
    assert criteria_set_to_engine(again) == criteria_set_to_engine(stored)
    assert totals(criteria_set_to_engine(again), seed=3) == totals(
        criteria_set_to_engine(stored), seed=3
    )


def test_the_exported_yaml_reads_back_with_the_engine_loader():
    result = parse_yaml(DRAFT_CRITERIA_PATH.read_bytes(), set_id="xa-phuong-dac-khu")
    assert result.ok
    sets, problems = load_criteria_yaml(
        dump_yaml({"sets": [{**criteria_set_to_dict(result.criteria_set), "id": "x", "areas": []}]})
    )
    assert sets == [] and problems  # an empty tree is refused, with a message
    assert problems[0].message == "Bộ tiêu chí chưa có lĩnh vực nào (areas)"


def test_a_document_with_several_sets_is_matched_by_unit_type_or_asks_which():
    content = DRAFT_CRITERIA_PATH.read_bytes()
    assert parse_yaml(content, unit_type=UnitType.COMMUNE).criteria_set.id == "xa-phuong-dac-khu"
    result = parse_yaml(content, unit_type=UnitType.DISTRICT)
    assert [p.message for p in result.problems] == [
        "Tệp có 2 bộ tiêu chí (so-ban-nganh, xa-phuong-dac-khu); hãy nhập mã bộ tiêu chí cần lấy"
    ]


def test_yaml_problems_carry_the_line_of_the_criterion():
    text = DRAFT_CRITERIA_PATH.read_text(encoding="utf-8")
    broken = text.replace(
        'expression: "a == 0 ? max : (b/a)*1 + (c/a)*0.5"',
        'expression: "a == 0 ? max : (b/a)*1 + (d/a)*0.5"',
        1,
    )
    result = parse_yaml(broken.encode(), set_id="so-ban-nganh")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if 'code: "1.3.2"' in row)
    assert [(p.row, p.code, p.message) for p in result.problems] == [
        (line, "1.3.2", "Công thức dùng biến không xác định: d")
    ]
    assert str(result.problems[0]) == (
        f"Dòng {line}, mã 1.3.2: Công thức dùng biến không xác định: d"
    )


def test_unreadable_yaml_and_binary_files_are_reported():
    assert [p.message for p in parse_yaml(b"sets: [\n  {id: x\n").problems] == [
        "Tệp YAML không đọc được"
    ]
    assert [p.message for p in parse_yaml(b"MZ\x90\x00\xff\xfe").problems] == [
        "Tệp là một chương trình (.exe) đổi đuôi, không phải tệp YAML"
    ]
    assert [p.message for p in parse_yaml(b"\x00\x01\xff\xfe").problems] == [
        "Nội dung tệp không phải là tệp YAML hợp lệ (tệp có thể đã bị đổi tên phần mở rộng). "
        "Vui lòng tải lên tệp gốc."
    ]


@pytest.mark.parametrize(
    ("set_id", "unit_type", "shape"),
    [("so-ban-nganh-2023", "department", (9, 29, 53)), ("huyen-2023", "district", (9, 28, 52))],
)
def test_the_2023_sets_have_the_published_structure(set_id, unit_type, shape):
    result = parse_yaml(CRITERIA_2023_PATH.read_bytes(), set_id=set_id)
    assert result.ok, result.problems
    cs = result.criteria_set
    depth = Counter(n.code.count(".") + 1 for n in cs.nodes())
    assert (depth[1], depth[2], depth[3]) == shape
    assert {a.code: (a.title, int(a.max)) for a in cs.areas} == SEED_003
    assert (cs.total, cs.self_assessed_total, cs.survey_total) == (100, 68, 32)
    assert [a.evaluator for a in cs.areas] == [
        "SNV",
        "STP",
        "VPUBND",
        "SNV",
        "SNV",
        "STC",
        "STTTT",
        "SNV",
        "SNV",
    ]
    assert cs.unit_types == (unit_type,)
    # everything below the areas is reconstructed and says so
    assert all(n.meta.get("inferred") for a in cs.areas for n in a.walk() if n is not a)
    assert all(a.meta.get("source") == "an_giang_2023_report" for a in cs.areas)


def test_the_2023_file_states_what_is_reconstructed():
    text = CRITERIA_2023_PATH.read_text(encoding="utf-8")
    assert "RECONSTRUCTED" in text
    assert yaml.safe_load(text)["year"] == 2023
