"""The Excel import of every unit's values: the template, a clean file, and bad files
reported by row with nothing stored."""

import io
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from cchc.core.models import AuditEntry
from cchc.targets import periods, selectors, services
from cchc.targets.models import Value

from .helpers import ONLINE_PAYMENT, TODAY, WORK_RECORDS, plan_2025, sheet

pytestmark = pytest.mark.django_db


def _import(plan, content, actor=None):
    return services.values_import(
        actor=actor, plan=plan, content=content, name="so-lieu.xlsx", today=TODAY
    )


def _problems(plan, rows, **kwargs) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        _import(plan, sheet(rows, **kwargs))
    return caught.value.messages


def test_the_template_has_a_row_for_every_unit_and_indicator_that_applies():
    plan = plan_2025()
    content = services.template(plan=plan, period=periods.month(2025, 6))
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert rows[1][:5] == ("Mã đơn vị", "Tên đơn vị", "Mã chỉ tiêu", "Tên chỉ tiêu", "Kỳ báo cáo")
    data = rows[2:]
    units = selectors.plan_units(plan)
    assert len(data) == len(selectors.applicable_pairs(plan, units)) == len(units) * 9
    assert {r[4] for r in data} == {"06/2025"}


def test_a_filled_template_imports_every_value_in_one_go(cast):
    plan = plan_2025()
    content = services.template(plan=plan, period=periods.month(2025, 6))
    book = load_workbook(io.BytesIO(content))
    ws = book.active
    filled = 0
    for row in ws.iter_rows(min_row=3):
        if row[2].value == ONLINE_PAYMENT:
            row[5].value, row[6].value = 30, 40
            filled += 1
    out = io.BytesIO()
    book.save(out)
    counts = _import(plan, out.getvalue(), actor=cast.admin)
    assert counts == {"stored": filled, "corrected": 0, "unchanged": 0}
    value = Value.objects.get(unit=cast.unit_a, indicator__code=ONLINE_PAYMENT)
    assert value.figure("percent") == D(75) and value.entered_by == cast.admin
    entry = AuditEntry.objects.get(action="target_value.import")
    assert entry.data["stored"] == filled and entry.data["file"] == "so-lieu.xlsx"
    # the same file again changes nothing; a changed figure is a new version
    assert _import(plan, out.getvalue())["unchanged"] == filled


def test_a_changed_figure_becomes_a_new_version(cast):
    plan = plan_2025()
    row = [cast.unit_a.code, "", ONLINE_PAYMENT, "", "06/2025", 30, 40, ""]
    _import(plan, sheet([row]))
    row[5] = 35
    assert _import(plan, sheet([row])) == {"stored": 1, "corrected": 1, "unchanged": 0}
    versions = Value.objects.filter(unit=cast.unit_a).order_by("version")
    assert [(v.version, v.current, v.numerator) for v in versions] == [
        (1, False, D(30)),
        (2, True, D(35)),
    ]


def test_every_bad_row_is_reported_by_row_and_nothing_is_stored(cast):
    plan = plan_2025()
    a, b = cast.unit_a.code, cast.unit_b.code
    rows = [
        [a, "", ONLINE_PAYMENT, "", "06/2025", 30, 40, "đúng"],  # 2: fine
        ["KHONGCO", "", ONLINE_PAYMENT, "", "06/2025", 30, 40, ""],  # 3
        [a, "", WORK_RECORDS, "", "06/2024", 30, 40, ""],  # 4: another year
        [a, "", WORK_RECORDS, "", "tháng sáu", 30, 40, ""],  # 5: not a period
        [b, "", ONLINE_PAYMENT, "", "06/2025", 50, 40, ""],  # 6: above denominator
        [b, "", WORK_RECORDS, "", "06/2025", "ba mươi", 40, ""],  # 7: text
        [b, "", "van-ban-dien-tu", "", "06/2025", 0, 40, ""],  # 8: formula below
        [a, "", ONLINE_PAYMENT, "", "06/2025", 31, 40, ""],  # 9: same as row 2
        [a, "", "khong-co", "", "06/2025", 1, 2, ""],  # 10: unknown indicator
        [a, "", WORK_RECORDS, "", "09/2025", 1, 2, ""],  # 11: not begun
    ]
    problems = _problems(plan, rows, formulas=[(6, 5, "=A1+1")])
    assert problems[0] == (
        "Tệp số liệu có 9 lỗi; chưa có gì được lưu. Hãy sửa tệp rồi tải lên lại."
    )
    a_name, b_name = cast.unit_a.name, cast.unit_b.name
    assert problems[1:] == [
        "Dòng 3: không có đơn vị mã «KHONGCO».",
        f"Dòng 4 ({a_name}): kỳ Tháng 06/2024 không thuộc năm 2025 của kế hoạch.",
        f"Dòng 5 ({a_name}): kỳ báo cáo «tháng sáu» không đúng dạng 03/2025 (tháng) "
        "hoặc Q1/2025 (quý).",
        f"Dòng 6 ({b_name}): tử số (50) không được lớn hơn mẫu số (40).",
        f"Dòng 7 ({b_name}): tử số «ba mươi» không phải là số.",
        "Dòng 8: ô «Tử số» có công thức; hãy ghi số hoặc chữ, không dùng công thức.",
        f"Dòng 9 ({a_name}): trùng với dòng 2 (cùng đơn vị, chỉ tiêu và kỳ báo cáo).",
        f"Dòng 10 ({a_name}): không có chỉ tiêu mã «khong-co» trong kế hoạch.",
        f"Dòng 11 ({a_name}): kỳ Tháng 09/2025 chưa bắt đầu.",
    ]
    assert not Value.objects.exists()
    assert not AuditEntry.objects.filter(action="target_value.import").exists()


def test_a_unit_named_without_its_code_is_found_by_name(cast):
    plan = plan_2025()
    _import(plan, sheet([["", cast.unit_a.name, ONLINE_PAYMENT, "", "Q2/2025", 3, 4, ""]]))
    value = Value.objects.get()
    assert value.unit == cast.unit_a and value.period_kind == "quarter"


def test_empty_rows_of_the_template_are_skipped_but_an_empty_file_is_refused(cast):
    plan = plan_2025()
    blank = [cast.unit_a.code, "", ONLINE_PAYMENT, "", "06/2025", None, None, ""]
    with pytest.raises(ValidationError, match="không có dòng số liệu nào"):
        _import(plan, sheet([blank]))


def test_a_sheet_without_the_columns_or_not_excel_is_refused():
    plan = plan_2025()
    assert _problems(plan, [], header=["Đơn vị", "Số"]) == [
        "Tệp số liệu có 1 lỗi; chưa có gì được lưu. Hãy sửa tệp rồi tải lên lại.",
        "Không tìm thấy dòng tiêu đề có cột «Mã đơn vị».",
    ]
    with pytest.raises(ValidationError):
        services.values_import(
            actor=None, plan=plan, content=b"not a workbook", name="x.xlsx", today=TODAY
        )
    assert not Value.objects.exists()
