"""Typing in last year's published figures: administrators only, checked, nothing lost."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from cchc.core.audit import AuditAction
from cchc.core.models import AuditEntry
from cchc.org.models import UnitType
from cchc.par.models import YearSummary
from cchc.par.selectors import report
from cchc.par.tests.test_public_results import _finalised

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(cast):
    return _finalised(cast, publish=False)


def _url(year):
    return reverse("par_previous_figures", args=[year.year])


def _post(client, year, unit_type, **values):
    summary = YearSummary.objects.get(year=year, unit_type=unit_type)
    data = {"unit_type": unit_type, f"{unit_type}-previous_year": values.pop("prev", "2025")}
    for code in summary.nodes:
        if "." not in code:
            data[f"{unit_type}-area_{code}"] = values.get(code, "88,5")
    if "average" in values:
        data[f"{unit_type}-average"] = values["average"]
    return client.post(_url(year), data)


def test_the_administrator_stores_last_years_figures_and_the_report_compares(cast, client_as, year):
    client = client_as(cast.admin)
    review = client.get(reverse("par_results_review", args=[year.year])).text
    assert f'href="{_url(year)}"' in review
    page = client.get(_url(year))
    assert page.status_code == 200 and "Số liệu đã công bố của năm trước" in page.text
    response = _post(client, year, UnitType.COMMUNE, average="86,25")
    assert response.status_code == 302
    summary = YearSummary.objects.get(year=year, unit_type=UnitType.COMMUNE)
    assert summary.previous_published["year"] == 2025
    assert summary.previous_published["average"] == "86.25"
    section = report.year_report(year).section(UnitType.COMMUNE)
    assert section.previous_year == 2025 and section.previous_average == Decimal("86.25")
    assert all(a.previous == Decimal("88.50") for a in section.areas)
    assert AuditEntry.objects.filter(action=AuditAction.PAR_PREVIOUS_SET).count() == 1
    assert "86,25" in client.get(_url(year)).text  # shown back the Vietnamese way


def test_bad_figures_are_refused_in_vietnamese_and_what_was_typed_stays(cast, client_as, year):
    client = client_as(cast.admin)
    response = _post(client, year, UnitType.COMMUNE, **{"1": "101", "2": "=1+1"}, prev="2026")
    assert response.status_code == 200
    body = response.text
    assert "Phải từ 0 đến 100 (%): 101." in body
    assert "Phải là một số, ví dụ 88,56." in body
    assert "Năm so sánh phải trước năm 2026." in body or "nhỏ hơn hoặc bằng 2025" in body
    assert 'value="=1+1"' in body  # nothing typed is lost
    summary = YearSummary.objects.get(year=year, unit_type=UnitType.COMMUNE)
    assert summary.previous_published == {}
    assert not AuditEntry.objects.filter(action=AuditAction.PAR_PREVIOUS_SET).exists()


def test_only_administrators_may_type_them(cast, client_as, year):
    assert client_as(cast.leader).get(_url(year)).status_code == 403
    assert client_as(cast.officer_a).get(_url(year)).status_code in (403, 404)
    response = _post(client_as(cast.leader), year, UnitType.COMMUNE)
    assert response.status_code == 403
    assert YearSummary.objects.get(year=year, unit_type=UnitType.COMMUNE).previous_published == {}
    assert Client().get(_url(year)).status_code == 302  # anonymous: sign in
    assert (
        client_as(cast.admin).get(reverse("par_previous_figures", args=[1999])).status_code == 404
    )
