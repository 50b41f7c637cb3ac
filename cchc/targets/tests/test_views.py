"""The targets screens: who may see and do what (allowed, another unit 404, read-only
403, anonymous to sign-in), and what they show."""

import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from cchc.targets.models import Plan, Value

from .helpers import NOW, ONLINE_PAYMENT, WORK_RECORDS, plan_2025, report, sheet

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _at_mid_2025():
    with time_machine.travel(NOW, tick=False):
        yield


def matrix_url(**params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("targets_matrix") + (f"?{query}" if query else "")


def detail_url(unit, code=ONLINE_PAYMENT):
    return reverse("targets_detail", args=[2025, unit.slug, code])


def report_url(unit):
    return reverse("targets_report", args=[2025, unit.slug])


# -- the matrix -------------------------------------------------------------------------


def test_the_province_sees_every_unit_in_the_matrix(cast, client_as):
    plan_2025()
    for user in (cast.admin, cast.leader):
        body = client_as(user).get(matrix_url()).text
        assert f'data-unit="{cast.unit_a.slug}"' in body
        assert f'data-unit="{cast.snv.slug}"' in body
        assert "Kế hoạch cải cách hành chính năm 2025 tỉnh An Giang" in body


def test_a_units_officer_sees_only_their_unit(cast, client_as):
    plan_2025()
    body = client_as(cast.officer_a).get(matrix_url()).text
    assert f'data-unit="{cast.unit_a.slug}"' in body
    assert f'data-unit="{cast.unit_b.slug}"' not in body
    assert "Nhập số liệu từ Excel" not in body


def test_the_matrix_is_refused_to_a_user_without_the_role_and_sends_visitors_to_sign_in(
    cast, client_as, client
):
    plan_2025()
    anonymous = client.get(matrix_url())
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("wagtailadmin_login"))
    assert client_as(cast.editor_a).get(matrix_url()).status_code == 403
    assert client_as(cast.admin).get(matrix_url(nam=2031)).status_code == 404


def test_the_matrix_filters_by_unit_type(cast, client_as):
    plan_2025()
    body = client_as(cast.admin).get(matrix_url(khoi="department")).text
    assert f'data-unit="{cast.snv.slug}"' in body
    assert f'data-unit="{cast.unit_a.slug}"' not in body


def test_each_cell_shows_its_status_in_colour_sign_and_words(cast, client_as):
    plan = plan_2025()
    payment = plan.indicators.get(code=ONLINE_PAYMENT)
    records = plan.indicators.get(code=WORK_RECORDS)
    report(cast.unit_a, payment, 6, 90, 100)  # 90 % ≥ 85 %: achieved
    report(cast.unit_a, records, 6, 20, 100)  # 20 % of 60 %: off track
    report(cast.unit_b, payment, 6, 0, 0)  # denominator 0: no value
    body = client_as(cast.admin).get(matrix_url(khoi="commune")).text
    row_a = body.split(f'data-unit="{cast.unit_a.slug}"')[1].split("</tr>")[0]
    assert (
        '<td data-status="achieved">' in row_a
        and '<span class="tg-cell tg-achieved"><span aria-hidden="true">✔</span> Đạt</span>'
        in row_a
    )
    assert "90 % / 85 %" in row_a and "(06/2025)" in row_a
    assert '<td data-status="off_track">' in row_a and "Chậm tiến độ" in row_a
    row_b = body.split(f'data-unit="{cast.unit_b.slug}"')[1].split("</tr>")[0]
    assert row_b.count('data-status="no_data"') == 9


# -- one indicator of one unit -------------------------------------------------------------


def test_the_drill_down_shows_the_series_with_the_target_line_and_the_history(cast, client_as):
    plan = plan_2025()
    payment = plan.indicators.get(code=ONLINE_PAYMENT)
    report(cast.unit_a, payment, 5, 60, 100, actor=cast.officer_a)
    report(cast.unit_a, payment, 6, 70, 100, actor=cast.officer_a)
    report(cast.unit_a, payment, 6, 72, 100, actor=cast.officer_a)  # a correction
    response = client_as(cast.officer_a).get(detail_url(cast.unit_a))
    assert response.status_code == 200
    body = response.text
    assert "<svg" in body and "Chỉ tiêu (85)" in body  # the target line's legend
    assert 'id="tg-target">≥ 85 %' in body
    assert 'id="tg-status"><span class="tg-cell tg-on_track">' in body  # 72 % rising 12 a month
    assert body.count('class="tg-old"') == 1 and "(đã được thay)" in body
    assert "72 %" in body and "70 %" in body  # both versions of June
    assert "Báo cáo số liệu" in body


def test_the_drill_down_is_the_units_own(cast, client_as, client):
    plan_2025()
    assert client_as(cast.officer_b).get(detail_url(cast.unit_a)).status_code == 404
    leader = client_as(cast.leader).get(detail_url(cast.unit_a))
    assert leader.status_code == 200 and "Báo cáo số liệu</a>" not in leader.text
    assert client_as(cast.admin).get(detail_url(cast.unit_a, "khong-co")).status_code == 404
    client.logout()
    assert client.get(detail_url(cast.unit_a)).status_code == 302


# -- a unit reports -------------------------------------------------------------------------


def test_the_officer_reports_a_month_for_their_unit(cast, client_as):
    plan_2025()
    client = client_as(cast.officer_a)
    form = client.get(report_url(cast.unit_a))
    assert form.status_code == 200 and "Tháng 06/2025" in form.text
    assert "Tháng 08/2025" not in form.text  # not begun
    response = client.post(
        report_url(cast.unit_a),
        {
            "indicator": ONLINE_PAYMENT,
            "period": "06/2025",
            "numerator": "42,5",
            "denominator": "50",
            "note": "Hệ thống một cửa",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == detail_url(cast.unit_a)
    value = Value.objects.get()
    assert (value.unit, value.entered_by, value.note) == (
        cast.unit_a,
        cast.officer_a,
        "Hệ thống một cửa",
    )
    assert str(value.numerator) == "42.50"


def test_a_bad_report_is_shown_in_vietnamese_and_stores_nothing(cast, client_as):
    plan_2025()
    response = client_as(cast.unit_leader_a).post(
        report_url(cast.unit_a),
        {"indicator": ONLINE_PAYMENT, "period": "06/2025", "numerator": "60", "denominator": "50"},
    )
    assert response.status_code == 422
    assert "Tử số (60) không được lớn hơn mẫu số (50)." in response.text
    assert not Value.objects.exists()


def test_reporting_is_refused_to_another_unit_404_and_to_the_read_only_leader_403(
    cast, client_as, client
):
    plan_2025()
    data = {"indicator": ONLINE_PAYMENT, "period": "06/2025", "numerator": "1", "denominator": "2"}
    assert client_as(cast.officer_b).get(report_url(cast.unit_a)).status_code == 404
    assert client_as(cast.officer_b).post(report_url(cast.unit_a), data).status_code == 404
    assert client_as(cast.leader).get(report_url(cast.unit_a)).status_code == 403
    assert client_as(cast.leader).post(report_url(cast.unit_a), data).status_code == 403
    client.logout()
    assert client.get(report_url(cast.unit_a)).status_code == 302
    assert not Value.objects.exists()


# -- Sở Nội vụ's import, template and new plan ----------------------------------------------------


def test_the_administrator_imports_a_sheet_and_a_bad_one_gets_the_report(cast, client_as):
    plan_2025()
    client = client_as(cast.admin)
    url = reverse("targets_import", args=[2025])
    assert client.get(url).status_code == 200
    bad = sheet([[cast.unit_a.code, "", ONLINE_PAYMENT, "", "06/2025", 9, 4, ""]])
    response = client.post(url, {"file": _upload(bad)})
    assert response.status_code == 422
    assert "chưa có gì được lưu" in response.text
    assert "Dòng 2 (Xã An Phú): tử số (9) không được lớn hơn mẫu số (4)." in response.text
    assert not Value.objects.exists()
    good = sheet([[cast.unit_a.code, "", ONLINE_PAYMENT, "", "06/2025", 3, 4, ""]])
    response = client.post(url, {"file": _upload(good)}, follow=True)
    assert "Đã nhập 1 số liệu (0 số liệu sửa lại), 0 số liệu không đổi." in response.text
    assert Value.objects.count() == 1


def _upload(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        "so-lieu.xlsx",
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def test_the_template_downloads_for_the_chosen_month(cast, client_as):
    plan_2025()
    response = client_as(cast.admin).get(reverse("targets_template", args=[2025]) + "?ky=05/2025")
    assert response.status_code == 200
    assert "so-lieu-chi-tieu-cchc-05-2025.xlsx" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[2][4] == "05/2025"


def test_only_the_administrator_imports_downloads_and_clones(cast, client_as):
    plan_2025()
    for user in (cast.leader, cast.officer_a):
        client = client_as(user)
        assert client.get(reverse("targets_import", args=[2025])).status_code == 403
        assert client.get(reverse("targets_template", args=[2025])).status_code == 403
        assert (
            client.post(reverse("targets_clone", args=[2025]), {"nam_moi": 2026}).status_code == 403
        )
    assert not Plan.objects.filter(year=2026).exists()
    response = client_as(cast.admin).post(
        reverse("targets_clone", args=[2025]), {"nam_moi": "2026"}, follow=True
    )
    assert "Đã tạo kế hoạch chỉ tiêu năm 2026 (dự thảo) từ năm 2025." in response.text
    assert Plan.objects.get(year=2026).indicators.count() == 9


def test_a_month_with_a_denominator_of_zero_is_listed_but_not_drawn_as_a_value(cast, client_as):
    plan = plan_2025()
    payment = plan.indicators.get(code=ONLINE_PAYMENT)
    report(cast.unit_a, payment, 5, 0, 0)
    report(cast.unit_a, payment, 6, 90, 100)
    body = client_as(cast.admin).get(detail_url(cast.unit_a)).text
    assert "Không tính được (mẫu số bằng 0)" in body
    assert "<svg" in body and 'id="tg-status"><span class="tg-cell tg-achieved">' in body
