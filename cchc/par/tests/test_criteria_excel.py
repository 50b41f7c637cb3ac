"""Excel import and export: the officials' layout, every problem with its row."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from cchc.org.models import UnitType
from cchc.par.io.convert import criteria_set_to_engine
from cchc.par.io.excel import COLUMNS, INFO_SHEET, MAIN_SHEET, export_xlsx, parse_xlsx
from cchc.par.services.criteria import criteria_set_import
from cchc.par.tests.helpers import draft_set, node_rows, row_of, save, totals, workbook

pytestmark = pytest.mark.django_db

COL = {key: i for i, (key, _, _) in enumerate(COLUMNS, start=1)}


@pytest.fixture
def stored():
    return draft_set()


@pytest.fixture
def exported(stored):
    return export_xlsx(stored, list(stored.nodes.order_by("position")))


def _problems(content):
    result = parse_xlsx(content)
    assert not result.ok and result.criteria_set is None
    return [(p.row, p.message) for p in result.problems]


def test_the_export_has_the_officials_columns_in_order(exported):
    sheet = workbook(exported)[MAIN_SHEET]
    headers = [sheet.cell(4, c).value for c in range(1, 7)]
    assert headers == [
        "STT",
        "Lĩnh vực / Tiêu chí / Tiêu chí thành phần",
        "Điểm tối đa",
        "Cách chấm",
        "Phương pháp",
        "Cơ quan thẩm định",
    ]
    row = row_of(sheet, "1.3.1")
    assert sheet.cell(row, COL["max"]).value == 1
    assert sheet.cell(row, COL["guidance"]).value.startswith("Theo tỷ lệ: từ 30% trở lên: 1 điểm")
    assert sheet.cell(row, COL["method"]).value == "Tự đánh giá, thẩm định"
    assert sheet.cell(row_of(sheet, "2"), COL["evaluator"]).value == "Sở Tư pháp"
    assert sheet.cell(row, COL["rule"]).value.startswith("{type: percent_bands")


def test_export_then_import_gives_an_identical_set_and_identical_results(stored, exported):
    result = parse_xlsx(exported)
    assert result.ok, result.problems
    again = criteria_set_import(
        actor=None,
        year=2027,
        unit_type=UnitType.DEPARTMENT,
        criteria=result.criteria_set,
        evaluators=result.evaluators,
    )
    assert node_rows(again) == node_rows(stored)
    for field in (
        "code",
        "title",
        "total",
        "self_assessed_total",
        "survey_total",
        "classification",
        "adjustments_enabled",
        "bonus_cap",
        "penalty_cap",
        "evaluators",
        "meta",
    ):
        assert getattr(again, field) == getattr(stored, field), field
    assert criteria_set_to_engine(again) == criteria_set_to_engine(stored)
    assert totals(criteria_set_to_engine(again), seed=7) == totals(
        criteria_set_to_engine(stored), seed=7
    )


def test_it_reports_children_that_do_not_sum_to_their_parent(exported):
    book = workbook(exported)
    sheet = book[MAIN_SHEET]
    sheet.cell(row_of(sheet, "1.1.1"), COL["max"]).value = 2
    problems = _problems(save(book))
    assert (
        row_of(sheet, "1.1"),
        "Tổng điểm tối đa của các tiêu chí con (4) khác điểm tối đa (3)",
    ) in problems
    assert (
        None,
        "Tổng điểm: Tổng điểm tối đa các lĩnh vực (100) khác tổng điểm bộ tiêu chí (100)",
    ) not in problems


def test_it_reports_a_set_that_does_not_total_100_with_68_and_32(exported):
    book = workbook(exported)
    sheet = book[MAIN_SHEET]
    for code in ("9", "9.1"):
        sheet.cell(row_of(sheet, code), COL["max"]).value = 30.4
    sheet.cell(row_of(sheet, "9.1.5"), COL["max"]).value = 4.8
    messages = [m for _, m in _problems(save(book))]
    assert "Tổng điểm: Tổng điểm tối đa các lĩnh vực (98,4) khác tổng điểm bộ tiêu chí (100)" in (
        messages
    )
    assert (
        "Điểm điều tra xã hội học: Phần điều tra xã hội học (SIPAS) có tổng 30,4 điểm, "
        "cấu hình là 32" in messages
    )


def test_it_reports_missing_and_duplicated_codes_with_their_rows(exported):
    book = workbook(exported)
    sheet = book[MAIN_SHEET]
    missing = row_of(sheet, "1.2.2")
    sheet.cell(missing, COL["code"]).value = None
    duplicate = row_of(sheet, "1.3.2")
    sheet.cell(duplicate, COL["code"]).value = "1.3.1"
    problems = _problems(save(book))
    assert (missing, "Thiếu mã tiêu chí (cột STT)") in problems
    assert (duplicate, f"Mã tiêu chí bị trùng: 1.3.1 (đã có ở dòng {duplicate - 1})") in problems


def test_it_reports_codes_that_do_not_fit_the_hierarchy(exported):
    book = workbook(exported)
    sheet = book[MAIN_SHEET]
    orphan = row_of(sheet, "2.1.1")
    sheet.cell(orphan, COL["code"]).value = "2.7.1"
    wrong = row_of(sheet, "2.1.2")
    sheet.cell(wrong, COL["code"]).value = "hai"
    problems = _problems(save(book))
    assert (orphan, "Không có tiêu chí cha “2.7” ở phía trên cho mã “2.7.1”") in problems
    assert (wrong, "Mã tiêu chí không hợp lệ: “hai” (ví dụ đúng: 1, 1.4, 1.4.2)") in problems


def test_it_reports_text_in_a_points_cell(exported):
    book = workbook(exported)
    sheet = book[MAIN_SHEET]
    row = row_of(sheet, "1.4.1")
    sheet.cell(row, COL["max"]).value = "nửa điểm"
    problems = _problems(save(book))
    assert problems == [(row, "Điểm tối đa không phải là số: “nửa điểm”")]


def test_it_accepts_a_decimal_comma_typed_as_text(exported):
    book = workbook(exported)
    sheet = book[MAIN_SHEET]
    sheet.cell(row_of(sheet, "1.4.1"), COL["max"]).value = "0,5"
    assert parse_xlsx(save(book)).ok


def test_it_reports_a_formula_naming_an_unknown_input_and_a_missing_rule(exported):
    book = workbook(exported)
    sheet = book[MAIN_SHEET]
    formula = row_of(sheet, "1.3.2")
    cell = sheet.cell(formula, COL["rule"])
    cell.value = cell.value.replace("(c/a)*0.5", "(d/a)*0.5")
    no_rule = row_of(sheet, "1.2.2")
    sheet.cell(no_rule, COL["rule"]).value = None
    unreadable = row_of(sheet, "2.2.1")
    sheet.cell(unreadable, COL["rule"]).value = "{type: binary"
    problems = _problems(save(book))
    assert (formula, "Công thức dùng biến không xác định: d") in problems
    assert (no_rule, "Tiêu chí lá chưa có quy tắc chấm điểm (rule)") in problems
    assert (unreadable, "Cột Quy tắc (YAML) không đọc được; ví dụ đúng: {type: binary}") in (
        problems
    )
    assert len(problems) == 3


def test_it_reports_an_unknown_method_and_evaluator(exported):
    book = workbook(exported)
    sheet = book[MAIN_SHEET]
    row = row_of(sheet, "2")
    sheet.cell(row, COL["evaluator"]).value = "Sở Không Có"
    sheet.cell(row_of(sheet, "1.5"), COL["method"]).value = "Đoán"
    problems = _problems(save(book))
    assert (row, "Cơ quan thẩm định không xác định: “Sở Không Có”") in problems
    assert any(
        r == row_of(sheet, "1.5") and m.startswith("Phương pháp không hợp lệ: “Đoán”")
        for r, m in problems
    )


def test_it_reports_every_problem_of_a_sheet_at_once(exported):
    book = workbook(exported)
    sheet = book[MAIN_SHEET]
    sheet.cell(row_of(sheet, "1.4.1"), COL["max"]).value = "x"
    sheet.cell(row_of(sheet, "1.2.2"), COL["code"]).value = None
    sheet.cell(row_of(sheet, "3.1.1"), COL["rule"]).value = "{type: magic}"
    sheet.cell(row_of(sheet, "6"), COL["max"]).value = 7
    problems = _problems(save(book))
    assert len(problems) >= 4
    assert all(row is not None for row, _ in problems)


def test_an_uncomputed_sum_formula_takes_the_sum_of_the_children(exported):
    book = workbook(exported)
    sheet = book[MAIN_SHEET]
    row = row_of(sheet, "1.1")
    sheet.cell(row, COL["max"]).value = f"=SUM(C{row + 1}:C{row + 2})"
    assert parse_xlsx(save(book)).ok


def test_an_empty_sheet_is_reported():
    assert _problems(save(Workbook())) == [(None, "Trang tính trống: chưa có tiêu chí nào")]


def test_a_sheet_without_the_header_row_is_reported():
    book = Workbook()
    book.active.append(["Bộ tiêu chí"])
    book.active.append(["1", "Lĩnh vực", 100])
    problems = _problems(save(book))
    assert problems[0][1].startswith("Không tìm thấy dòng tiêu đề")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"STT;Tieu chi;Diem\n1;Chi dao;12\n",
            "Tệp là văn bản thường đổi đuôi, không phải tệp Excel (.xlsx)",
        ),
        (
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff",
            "Tệp là một chương trình (.exe) đổi đuôi, không phải tệp Excel",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
            "Tệp Excel 97–2003 (.xls) không được hỗ trợ; hãy mở bằng Excel và lưu lại dưới dạng "
            ".xlsx",
        ),
        (b"", "Tệp trống"),
    ],
)
def test_a_file_that_is_not_excel_is_reported(content, message):
    assert _problems(content) == [(None, message)]


def test_a_zip_that_is_not_a_workbook_is_reported():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "không phải Excel")
    assert _problems(buffer.getvalue()) == [
        (
            None,
            "Nội dung tệp không phải là tệp Excel hợp lệ (tệp có thể đã bị đổi tên phần mở "
            "rộng). Vui lòng tải lên tệp gốc.",
        )
    ]


def test_a_set_without_an_information_sheet_uses_68_plus_32(exported):
    book = workbook(exported)
    del book[INFO_SHEET]
    result = parse_xlsx(save(book))
    assert result.ok, result.problems
    assert (result.criteria_set.total, result.criteria_set.survey_total) == (100, 32)


def test_a_skipped_row_does_not_also_fail_the_sums_above_it(exported):
    book = workbook(exported)
    sheet = book[MAIN_SHEET]
    sheet.cell(row_of(sheet, "1.2.2"), COL["code"]).value = None
    sheet.cell(row_of(sheet, "3.1.2"), COL["code"]).value = "3.1.1"
    problems = _problems(save(book))
    assert len(problems) == 2
    assert not any("Tổng" in message for _, message in problems)


def test_problems_are_listed_in_row_order(exported):
    book = workbook(exported)
    sheet = book[MAIN_SHEET]
    sheet.cell(row_of(sheet, "8.1"), COL["max"]).value = "x"
    sheet.cell(row_of(sheet, "1.3.2"), COL["rule"]).value = "{type: magic}"
    sheet.cell(row_of(sheet, "2"), COL["evaluator"]).value = "Không rõ"
    rows = [row for row, _ in _problems(save(book))]
    assert rows == sorted(rows) and len(rows) == 3


def test_the_report_places_engine_problems_by_kind_not_by_wording():
    from cchc.par import engine
    from cchc.par.io.excel import _place_problems, _Tree
    from cchc.par.io.importing import ImportResult

    tree = _Tree(line_of={"1": 5, "1.1": 6, "1.2": 7})
    tree.quiet.add(("1.1", "missing_max"))  # the row already said so in its own words
    tree.skip("1.2.3")  # a row under 1.2 was unreadable: the sums of 1 and 1.2 are unjudged
    result = ImportResult()
    _place_problems(
        [
            engine.Problem("1.1", "any wording", kind="missing_max"),
            engine.Problem("1.2", "any wording", kind="children_sum"),
            engine.Problem("total", "any wording", kind="areas_sum"),
            engine.Problem("1.2", "Tổng quát: another kind", kind="rule"),
            engine.Problem("1", "Thiếu điểm tối đa?", kind="bad_method"),
        ],
        tree,
        {},
        result,
    )
    assert [(p.row, p.message) for p in result.problems] == [
        (7, "Tổng quát: another kind"),
        (5, "Thiếu điểm tối đa?"),
    ]
