"""Importing the completed cases: all or nothing, every problem named by its row."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cchc.core.models import AuditEntry
from cchc.sipas import cases_io
from cchc.sipas.models import Case
from cchc.sipas.services import sampling
from cchc.sipas.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(db):
    return f.make_survey(2026)


def _import(survey, content, name="hs.xlsx"):
    return sampling.cases_import(actor=None, survey=survey, content=content, name=name)


def _problems(survey, content, name="hs.xlsx") -> list[str]:
    with pytest.raises(ValidationError) as caught:
        _import(survey, content, name)
    assert not Case.objects.filter(survey=survey).exists()
    return caught.value.messages


def test_an_excel_file_and_a_csv_file_are_stored_with_their_contacts(cast, survey):
    rows = f.case_rows(survey, cast.unit_a, 3)
    assert _import(survey, f.xlsx(rows)) == 3
    csv_rows = f.case_rows(survey, cast.snv, 2)
    assert _import(survey, f.csv_bytes(csv_rows), "hs.csv") == 2
    case = Case.objects.get(case_id=rows[0][0])
    assert (case.unit, case.field, case.contact_phone) == (cast.unit_a, rows[0][3], rows[0][7])
    assert case.completed_on.strftime("%d/%m/%Y") == rows[0][4]
    assert AuditEntry.objects.filter(action="sipas_cases.import").count() == 2


def test_a_csv_with_semicolons_is_read(cast, survey):
    rows = f.case_rows(survey, cast.unit_a, 2)
    text = "\n".join(";".join(map(str, r)) for r in [cases_io.HEADERS, *rows])
    assert _import(survey, text.encode("utf-8"), "hs.csv") == 2


def test_duplicate_case_ids_in_the_file_are_refused_with_both_rows(cast, survey):
    rows = f.case_rows(survey, cast.unit_a, 3)
    rows[2][0] = rows[0][0]
    assert _problems(survey, f.xlsx(rows)) == [f"Dòng 4: mã hồ sơ {rows[0][0]} trùng với dòng 2."]


def test_case_ids_already_stored_are_refused(cast, survey):
    rows = f.case_rows(survey, cast.unit_a, 3)
    _import(survey, f.xlsx(rows[:1]))
    with pytest.raises(ValidationError) as caught:
        _import(survey, f.xlsx(rows))
    assert caught.value.messages == [f"Dòng 2: mã hồ sơ {rows[0][0]} đã có trong đợt khảo sát."]
    assert Case.objects.filter(survey=survey).count() == 1


def test_missing_columns_are_named(cast, survey):
    header = [h for h in cases_io.HEADERS if h not in ("Mã đơn vị", "Ngày trả kết quả")]
    messages = _problems(survey, f.xlsx([["HS1", "x"]], header=header))
    assert messages == [
        "Tệp thiếu cột: Mã đơn vị, Ngày trả kết quả. Hãy dùng tệp mẫu tải về (dòng đầu là tên cột)."
    ]


def test_unknown_units_dates_out_of_the_period_and_bad_dates_are_listed_per_row(cast, survey):
    rows = f.case_rows(survey, cast.unit_a, 4)
    rows[0][1] = "KHONGCO"
    rows[1][4] = "15/12/2026"
    rows[2][4] = "2026-13-45"
    rows[3][8] = "khong-phai-thu"
    messages = _problems(survey, f.xlsx(rows))
    assert messages == [
        "Dòng 2: không có đơn vị mã KHONGCO tham gia khảo sát.",
        "Dòng 3: ngày trả kết quả 15/12/2026 ngoài kỳ khảo sát (01/10/2025 – 30/09/2026).",
        "Dòng 4: ngày trả kết quả “2026-13-45” không đúng dạng dd/mm/yyyy.",
        "Dòng 5: thư điện tử khong-phai-thu không hợp lệ.",
    ]


def test_formula_cells_are_refused(cast, survey):
    rows = f.case_rows(survey, cast.unit_a, 2)
    rows[1][0] = '=HYPERLINK("http://x","y")'
    messages = _problems(survey, f.xlsx(rows))
    assert messages == ["Dòng 3: cột Mã hồ sơ là công thức, hãy nhập giá trị."]


def test_an_oversized_or_renamed_file_is_refused(cast, survey, monkeypatch):
    monkeypatch.setattr(cases_io, "MAX_BYTES", 100)
    messages = _problems(survey, f.xlsx(f.case_rows(survey, cast.unit_a, 5)))
    assert "Tệp quá lớn" in messages[0]
    monkeypatch.setattr(cases_io, "MAX_BYTES", 10 * 1024 * 1024)
    assert _problems(survey, b"MZ\x90\x00 not excel", "hs.xlsx")
    assert _problems(survey, b"a,b", "hs.exe")


def test_a_unit_already_drawn_takes_no_more_cases(cast, survey):
    f.make_cases(survey, [cast.unit_a], count=10)
    f.draw(survey, [cast.unit_a])
    rows = f.case_rows(survey, cast.unit_a, 2, start=100)
    with pytest.raises(ValidationError) as caught:
        _import(survey, f.xlsx(rows))
    assert "đã chọn mẫu" in caught.value.messages[0]
    assert Case.objects.filter(survey=survey).count() == 10


# -- the page -----------------------------------------------------------------------------


def test_the_admin_imports_through_the_page_and_downloads_the_template(cast, client_as, survey):
    client = client_as(cast.admin)
    url = reverse("sipas_cases_import", args=[2026])
    assert client.get(url).status_code == 200
    template = client.get(reverse("sipas_cases_template", args=[2026]))
    assert template.status_code == 200
    rows, problems = cases_io.read(template.content, name="mau.xlsx")
    assert not problems
    assert rows[0].unit_code == "SNV"
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("hs.xlsx", f.xlsx(f.case_rows(survey, cast.unit_a, 4)))
    assert client.post(url, {"file": upload}).status_code == 302
    assert Case.objects.filter(survey=survey).count() == 4


def test_a_bad_file_on_the_page_shows_its_rows_and_stores_nothing(cast, client_as, survey):
    from django.core.files.uploadedfile import SimpleUploadedFile

    rows = f.case_rows(survey, cast.unit_a, 3)
    rows[1][1] = "KHONGCO"
    response = client_as(cast.admin).post(
        reverse("sipas_cases_import", args=[2026]),
        {"file": SimpleUploadedFile("hs.xlsx", f.xlsx(rows))},
    )
    assert response.status_code == 422
    assert "Dòng 3: không có đơn vị mã KHONGCO" in response.text
    assert "chưa lưu hồ sơ nào" in response.text
    assert not Case.objects.filter(survey=survey).exists()


def test_only_the_admin_may_import(cast, client_as, survey):
    url = reverse("sipas_cases_import", args=[2026])
    template = reverse("sipas_cases_template", args=[2026])
    assert client_as(cast.officer_a).get(url).status_code == 404
    assert client_as(cast.leader).get(url).status_code == 403
    assert client_as(cast.leader).get(template).status_code == 403
    assert client_as(f.make_operator()).post(url).status_code == 403
