"""Evidence for criterion 1.4: section URL, articles with dates and topics, visits per month."""

import datetime
import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cchc.stats import services

from .conftest import BROWSER_UA, PHONE_UA

pytestmark = pytest.mark.django_db


def download(client, unit, year):
    return client.get(reverse("cchc_stats_evidence", args=[unit.slug]), {"nam": year})


@pytest.fixture
def year_of_visits(news):
    year = news.article.first_published_at.year
    target = services.target_for_page(news.article)
    for month, ua in ((1, BROWSER_UA), (3, BROWSER_UA), (3, PHONE_UA)):
        services.visit_record(
            target=target,
            client_ip="203.0.113.5",
            user_agent=ua,
            now=timezone.make_aware(datetime.datetime(year, month, 15, 10)),
        )
    return year


def test_evidence_workbook_has_the_section_articles_and_visits_per_month(
    news, client_as, year_of_visits
):
    from cchc.org.models import Role, RoleAssignment

    officer = RoleAssignment.objects.get(role=Role.CCHC_OFFICER, unit=news.a.unit).user
    response = download(client_as(officer), news.a.unit, year_of_visits)
    assert response.status_code == 200
    assert (
        f"minh-chung-tieu-chi-1-4-xa-an-phu-{year_of_visits}.xlsx"
        in (response["Content-Disposition"])
    )
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Tiêu chí 1.4", "Tin bài", "Truy cập theo tháng"]

    summary = wb["Tiêu chí 1.4"]
    assert summary["A1"].value == f"TÀI LIỆU KIỂM CHỨNG TIÊU CHÍ 1.4 – NĂM {year_of_visits}"
    assert summary["B2"].value == "Xã An Phú"
    assert summary["B3"].value.endswith("/don-vi/xa-an-phu/cchc/")
    assert summary["B4"].value == 1  # articles
    assert summary["B5"].value == 3  # visits: one in January, two browsers in March
    assert summary["B6"].value == 3  # views

    articles = wb["Tin bài"]
    assert [c.value for c in articles[1]] == [
        "STT",
        "Tiêu đề",
        "Ngày đăng",
        "Chủ đề",
        "Địa chỉ",
        "Lượt xem",
        "Lượt truy cập",
    ]
    row = [c.value for c in articles[2]]
    published = timezone.localtime(news.article.first_published_at).date()
    assert row[0] == 1
    assert row[1] == "Mô hình “Một cửa số” ở xã An Phú"
    assert row[2].date() == published
    assert articles["C2"].number_format == "DD/MM/YYYY"
    assert row[3] == "Mô hình hay, sáng kiến cải cách hành chính"
    assert row[4].endswith(news.article.url)
    assert row[5:] == [3, 3]

    months = wb["Truy cập theo tháng"]
    assert [c.value for c in months[1]] == ["Tháng", "Lượt xem", "Lượt truy cập"]
    rows = [[c.value for c in r] for r in months.iter_rows(min_row=2, max_col=3)]
    assert len(rows) == 12
    assert rows[0] == [f"01/{year_of_visits}", 1, 1]
    assert rows[2] == [f"03/{year_of_visits}", 2, 2]
    assert rows[1] == [f"02/{year_of_visits}", 0, 0]
    assert len(months._images) == 1  # the chart


def test_evidence_of_another_unit_is_404(cast, client_as):
    assert download(client_as(cast.officer_a), cast.unit_b, 2026).status_code == 404


def test_evidence_needs_a_valid_year(cast, client_as):
    assert download(client_as(cast.officer_a), cast.unit_a, "abc").status_code == 400


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="libreoffice not installed")
def test_evidence_workbook_opens_in_libreoffice(news, client_as, year_of_visits, tmp_path):
    path = tmp_path / "minh-chung.xlsx"
    path.write_bytes(download(client_as(_officer(news)), news.a.unit, year_of_visits).content)
    subprocess.run(
        ["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        check=True,
        timeout=120,
    )
    assert (tmp_path / "minh-chung.pdf").stat().st_size > 1000


def _officer(news):
    from cchc.org.models import Role, RoleAssignment

    return RoleAssignment.objects.get(role=Role.CCHC_OFFICER, unit=news.a.unit).user
