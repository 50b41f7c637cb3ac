"""Public results pages: published years only, stored numbers, change from last year."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cchc.lib.formats import decimal_vi
from cchc.par.models import UnitResult
from cchc.par.services import results
from cchc.par.tests.test_results_helpers import appraise_all
from cchc.par.tests.year import WINDOWS, open_year

pytestmark = pytest.mark.django_db


def _shift(windows, years):
    return {
        k: (a.replace(year=a.year - years), b.replace(year=b.year - years))
        for k, (a, b) in windows.items()
    }


def _finalised(cast, year=2026, units=None, share="0.9", publish=True):
    from decimal import Decimal

    units = units or [cast.unit_a, cast.unit_b, cast.stp]
    y = open_year(actor=cast.admin, year=year, units=units, windows=_shift(WINDOWS, 2026 - year))
    appraise_all(y, share=Decimal(share))
    y = results.year_finalise(actor=cast.admin, year=y, version=y.version)
    if publish:
        y = results.year_publish(actor=cast.admin, year=y)
    return y


def test_a_year_not_published_is_not_found_even_for_the_administrator(client, cast):
    _finalised(cast, publish=False)
    assert client.get("/chi-so-cchc/2026/").status_code == 404
    assert client.get(f"/chi-so-cchc/2026/{cast.unit_a.slug}/").status_code == 404
    client.force_login(cast.admin)
    assert client.get("/chi-so-cchc/2026/").status_code == 404
    assert "2026" not in client.get("/chi-so-cchc/").content.decode().split("<main")[1]


def test_the_published_year_shows_ranking_groups_components_and_each_unit(client, cast):
    year = _finalised(cast)
    body = client.get("/chi-so-cchc/2026/").content.decode()
    a = UnitResult.objects.get(year=year, unit=cast.unit_a)
    assert cast.unit_a.name in body and decimal_vi(a.total) in body
    assert "<caption>Chỉ số thành phần (%) theo lĩnh vực" in body
    assert 'scope="col"' in body and 'scope="row"' in body
    assert "dữ liệu dựng lại" not in body
    unit = client.get(f"/chi-so-cchc/2026/{cast.unit_a.slug}/")
    assert unit.status_code == 200 and unit.has_header("Last-Modified")
    text = unit.content.decode()
    assert f'id="par-unit-total">{decimal_vi(a.total)}<' in text
    assert f'id="par-unit-rank">{a.rank}/2 ' in text
    assert client.get(f"/chi-so-cchc/2026/{cast.snv.slug}/").status_code == 404
    assert client.get("/chi-so-cchc/").status_code == 200


def test_the_change_from_the_previous_published_year_is_shown(client, cast):
    _finalised(cast, year=2025, share="0.8")
    year = _finalised(cast, year=2026, share="0.9")
    now = UnitResult.objects.get(year=year, unit=cast.unit_a).total
    before = UnitResult.objects.get(year__year=2025, unit=cast.unit_a).total
    body = client.get(f"/chi-so-cchc/2026/{cast.unit_a.slug}/").content.decode()
    assert "Thay đổi so với năm 2025" in body
    assert f"+{decimal_vi(now - before)}" in body


def _queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_year_page_queries_do_not_grow_with_units(client, cast):
    from cchc.org.models import Unit

    year = _finalised(cast)
    few = _queries(client, "/chi-so-cchc/2026/")
    UnitResult.objects.filter(year=year).delete()
    year.summaries.all().delete()
    year.delete()
    communes = list(Unit.objects.filter(unit_type="commune").order_by("pk")[:10])
    _finalised(cast, units=[*communes, cast.stp])
    assert _queries(client, "/chi-so-cchc/2026/") == few


def test_a_published_units_page_shows_where_it_lost_points(client, cast):
    from cchc.lib.formats import number_vi
    from cchc.par.selectors import report

    year = _finalised(cast)
    body = client.get(f"/chi-so-cchc/2026/{cast.unit_a.slug}/").content.decode()
    section, row = report.year_report(year).unit(cast.unit_a.pk)
    table = body.split('id="par-unit-losses"')[1].split("</table>")[0]
    assert "<caption>Các tiêu chí đơn vị bị trừ điểm" in table
    code, title, lost = report.unit_losses(section, row)[0]
    first = table.split("<tbody>")[1].split("</tr>")[0]
    assert f'<th scope="row">{code}</th><td>{title}</td><td>{number_vi(lost)}</td>' in first
