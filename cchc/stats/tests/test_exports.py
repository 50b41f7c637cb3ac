"""Dashboard exports: CSV and Excel with the same figures as the page."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cchc.stats import services

from .conftest import BROWSER_UA, PHONE_UA

pytestmark = pytest.mark.django_db
QUERY = {"tu_ngay": "01/03/2026", "den_ngay": "03/03/2026"}
MARCH_2 = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 0))


@pytest.fixture
def visits(cast):
    """Visits of a page deleted since; returns its id."""
    from wagtail.models import Page

    gone = Page.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1000
    target = services.Target(cast.unit_a.pk, gone - 1, gone)
    for ua in (BROWSER_UA, BROWSER_UA, PHONE_UA):
        services.visit_record(
            target=target,
            client_ip="203.0.113.9",
            user_agent=ua,
            referrer="https://zalo.me/abc",
            now=MARCH_2,
        )
    return gone


def test_csv_has_one_row_per_day_with_views_and_visits(cast, client_as, visits):
    response = client_as(cast.officer_a).get(
        reverse("cchc_stats_csv", args=[cast.unit_a.slug]), QUERY
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "thong-ke-xa-an-phu-20260301-20260303.csv" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows == [
        ["Phạm vi", "Xã An Phú"],
        ["Ngày", "Lượt xem", "Lượt truy cập"],
        ["01/03/2026", "0", "0"],
        ["02/03/2026", "3", "2"],
        ["03/03/2026", "0", "0"],
        ["Tổng", "3", "2"],
    ]


def test_excel_has_days_articles_referrers_and_devices(cast, client_as, visits):
    response = client_as(cast.officer_a).get(
        reverse("cchc_stats_xlsx", args=[cast.unit_a.slug]), QUERY
    )
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Theo ngày", "Tin bài xem nhiều", "Nguồn truy cập", "Thiết bị"]
    days = wb["Theo ngày"]
    assert days["A1"].value == "Thống kê truy cập – Xã An Phú"
    assert [c.value for c in days[2]] == ["Ngày", "Lượt xem", "Lượt truy cập"]
    assert days["A4"].value.date() == datetime.date(2026, 3, 2)
    assert days["A4"].number_format == "DD/MM/YYYY"
    assert (days["B4"].value, days["C4"].value) == (3, 2)
    assert [c.value for c in days[6]] == ["Tổng", 3, 2]
    assert [c.value for c in wb["Tin bài xem nhiều"][2]] == [f"Trang đã xóa (#{visits})", 3, 2]
    assert [c.value for c in wb["Nguồn truy cập"][2]] == ["zalo.me", 2]
    devices = {r[0]: r[1] for r in wb["Thiết bị"].iter_rows(min_row=2, values_only=True)}
    assert devices == {"Máy tính": 1, "Điện thoại": 1, "Máy tính bảng": 0}


def test_the_province_excel_has_the_unit_ranking(cast, client_as, visits):
    response = client_as(cast.leader).get(
        reverse("cchc_stats_xlsx", args=[cast.province.slug]), QUERY
    )
    ws = load_workbook(io.BytesIO(response.content))["Xếp hạng đơn vị"]
    first = [c.value for c in ws[2]]
    assert first == ["Xã An Phú", 0, 1, 2, 3, 1]


@pytest.mark.parametrize("name", ["cchc_stats_csv", "cchc_stats_xlsx"])
def test_exports_of_another_unit_are_404(cast, client_as, name):
    response = client_as(cast.officer_a).get(reverse(name, args=[cast.unit_b.slug]))
    assert response.status_code == 404
