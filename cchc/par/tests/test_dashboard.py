"""The leaders' dashboard and a criterion's page: seed 003's numbers for 2023, who may see
them, the filters, a year not finalised, and query counts that do not grow with units."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cchc.lib.formats import decimal_vi, number_vi
from cchc.org.models import Unit, UnitType
from cchc.par.demo import load_criteria_sets
from cchc.par.demo_2023 import load_year_2023
from cchc.par.models import UnitResult
from cchc.par.tests import seed003
from cchc.par.tests.test_public_results import _finalised
from cchc.par.tests.year import open_year

pytestmark = pytest.mark.django_db
KINDS = {"so": UnitType.DEPARTMENT, "huyen": UnitType.DISTRICT}
URL = "/quan-tri/chi-so-cchc/2023/tong-quan/"


@pytest.fixture
def year_2023(cast):
    load_criteria_sets()
    return load_year_2023(actor=cast.admin)


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def _vi(text):
    return decimal_vi(Decimal(text))


def _between(body, start, end="</table>"):
    return body.split(start, 1)[1].split(end, 1)[0]


def _cell(body, element_id):
    return _between(body, f'id="{element_id}">', "<")


def test_the_leader_and_the_administrator_see_seed_003s_numbers_for_2023(client, cast, year_2023):
    for user in (cast.leader, cast.admin):
        response = _get(client, user, URL)
        assert response.status_code == 200
        body = response.content.decode()
        for kind, unit_type in KINDS.items():
            published = seed003.PUBLISHED[kind]
            assert _cell(body, f"par-average-{unit_type}") == _vi(published["average"])
            assert _cell(body, f"par-count-{unit_type}") == str(len(seed003.rows(kind)))
            for group in ("A", "B", "C"):
                expected = str(published["groups"].get(group, 0))
                assert _cell(body, f"par-group-{unit_type}-{group}") == expected
            table = _between(body, f'id="par-areas-{unit_type}"')
            assert '<th scope="col" class="num">Năm 2022</th>' in table
            for code, (points, index, before, change) in published["areas"].items():
                row = _between(table, f">{code}</a></th>", "</tr>")
                cells = re.findall(r'<td class="num[^"]*">([^<]*)</td>', row)
                sign = "+" if Decimal(change) > 0 else ""
                assert cells[1:] == [_vi(points), _vi(index), _vi(before), sign + _vi(change)]
            # the chart beside the table shows both years
            chart = _between(body, f'id="par-area-chart-{unit_type}"', "</figure>")
            assert "Năm 2023" in chart and "Năm 2022" in chart and "<figcaption" in chart
            assert f'id="par-reconstructed-{unit_type}"' in body
        assert "<caption>Điểm bình quân và chỉ số thành phần (%) theo lĩnh vực" in body
        assert "89,87" in body and "88,58" in body

    # the spread, the distribution, and no movers: 2022 is only published figures
    totals = UnitResult.objects.filter(year=year_2023, unit_type=UnitType.DEPARTMENT)
    low = min(r.total for r in totals)
    high = max(r.total for r in totals)
    spread = _cell(body, f"par-spread-{UnitType.DEPARTMENT}")
    assert spread == f"{decimal_vi(low)} – {decimal_vi(high)}"
    bands = _between(body, f'id="par-bands-{UnitType.DEPARTMENT}"')
    counts = [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', bands)]
    assert sum(counts) == totals.count()
    assert f'id="par-distribution-chart-{UnitType.DEPARTMENT}"' in body
    # 2022 is only published figures: no unit's own last-year total to compare with
    assert f'id="par-no-movers-{UnitType.DEPARTMENT}"' in body

    # the year chooser goes to the chosen year, keeping the filters
    response = client.get("/quan-tri/chi-so-cchc/tong-quan/?nam=2023&nhom=A")
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?nhom=A"
    assert client.get("/quan-tri/chi-so-cchc/tong-quan/")["Location"] == URL
    assert client.get("/quan-tri/chi-so-cchc/2031/tong-quan/").status_code == 404


def test_losses_rank_criteria_drill_down_to_one_criterion_and_filter_by_group(
    client, cast, year_2023
):
    body = _get(client, cast.leader, URL).content.decode()
    losses = _between(body, f'id="par-losses-{UnitType.DISTRICT}"', "<h3")
    lost = [Decimal(x.replace(",", ".")) for x in re.findall(r"bị trừ ([\d,]+) điểm", losses)]
    assert lost and lost == sorted(lost, reverse=True)
    assert set(re.findall(r'data-group="(\w)"', losses)) > {"B"}

    filtered = _get(client, cast.leader, f"{URL}?nhom=B").content.decode()
    assert 'id="par-filter-note"' in filtered
    for unit_type in KINDS.values():
        part = _between(filtered, f'id="par-losses-{unit_type}"', "<h3")
        assert set(re.findall(r'data-group="(\w)"', part)) == {"B"}
        ranking = _between(filtered, f'id="par-ranking-{unit_type}"')
        assert set(re.findall(r"<td>(\w)</td>", ranking)) == {"B"}

    only = _get(client, cast.leader, f"{URL}?khoi={UnitType.DISTRICT}").content.decode()
    assert f'id="section-{UnitType.DISTRICT}"' in only
    assert f'id="section-{UnitType.DEPARTMENT}"' not in only

    bad = _get(client, cast.leader, f"{URL}?khoi=sao-hoa").content.decode()
    assert "lựa chọn hợp lệ" in bad
    assert f'id="section-{UnitType.DEPARTMENT}"' in bad  # shown unfiltered

    # one criterion's page: each unit's points, most lost first; the group filter
    code = "5.1"
    url = f"/quan-tri/chi-so-cchc/2023/tong-quan/{UnitType.DISTRICT}/tieu-chi/{code}/"
    response = _get(client, cast.leader, url)
    assert response.status_code == 200
    body = response.content.decode()
    table = _between(body, 'id="par-criterion-units"')
    rows = re.findall(r"<tr data-group=\"(\w)\">(.*?)</tr>", table, re.DOTALL)
    assert len(rows) == len(seed003.rows("huyen"))
    lost = [
        Decimal(re.findall(r'<td class="num">([\d,.]+)</td>', r)[-1].replace(",", "."))
        for _, r in rows
    ]
    assert lost == sorted(lost, reverse=True)
    results = UnitResult.objects.filter(year=year_2023, unit_type=UnitType.DISTRICT)
    expected = sum(Decimal(r.nodes[code][1]) - Decimal(r.nodes[code][0]) for r in results)
    assert _cell(body, "par-criterion-lost") == number_vi(expected)
    # drill down to a unit
    first = results.order_by("rank").first()
    assert f'href="/quan-tri/chi-so-cchc/2023/don-vi/{first.unit.slug}/ket-qua/"' in table

    group_b = _get(client, cast.leader, f"{url}?nhom=B").content.decode()
    table = _between(group_b, 'id="par-criterion-units"')
    assert set(re.findall(r'data-group="(\w)"', table)) == {"B"}
    assert len(re.findall(r"<tr data-group", table)) == seed003.PUBLISHED["huyen"]["groups"]["B"]

    assert _get(client, cast.leader, url.replace(code, "42.1")).status_code == 404
    assert _get(client, cast.leader, url.replace(UnitType.DISTRICT, "tinh")).status_code == 404


def test_who_may_see_the_dashboard(client, cast):
    _finalised(cast, publish=False)
    urls = [
        "/quan-tri/chi-so-cchc/2026/tong-quan/",
        f"/quan-tri/chi-so-cchc/2026/tong-quan/{UnitType.COMMUNE}/tieu-chi/1.1/",
        "/quan-tri/chi-so-cchc/tong-quan/",
    ]
    for url in urls:
        assert _get(client, cast.admin, url).status_code in (200, 302), url
        assert _get(client, cast.leader, url).status_code in (200, 302), url
        assert _get(client, cast.appraiser, url).status_code in (200, 302), url
        assert _get(client, cast.officer_a, url).status_code == 403, url
        assert _get(client, cast.unit_leader_a, url).status_code == 403, url
        assert _get(client, cast.editor_a, url).status_code == 403, url
        client.logout()
        anonymous = client.get(url)
        assert anonymous.status_code == 302 and "/login/" in anonymous["Location"], url


def test_a_year_not_finalised_says_so_and_links_the_councils_review(client, cast):
    open_year(actor=cast.admin, units=[cast.unit_a, cast.unit_b, cast.stp])
    response = _get(client, cast.leader, "/quan-tri/chi-so-cchc/2026/tong-quan/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Kết quả Chỉ số CCHC năm 2026 chưa được chốt." in body
    assert 'href="/quan-tri/chi-so-cchc/2026/ket-qua/"' in body
    assert _cell(body, "par-waiting") == "3"
    assert _cell(body, "par-open-units") == "3"
    assert cast.unit_a.name in _between(body, 'id="par-open-items"')
    criterion = f"/quan-tri/chi-so-cchc/2026/tong-quan/{UnitType.COMMUNE}/tieu-chi/1.1/"
    assert "chưa được chốt" in _get(client, cast.leader, criterion).content.decode()


# -- query counts -------------------------------------------------------------------------


def _queries(client, url) -> int:
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


N = 3  # unit A, unit B, Sở Tư pháp


def test_the_dashboard_criterion_and_unit_pages_keep_their_queries_with_ten_times_the_units(
    client, cast
):
    """2025 has N units, compared with 2024; 2026 has 10×N, compared with 2025."""
    few = [cast.unit_a, cast.unit_b, cast.stp]
    communes = list(
        Unit.objects.filter(unit_type=UnitType.COMMUNE)
        .exclude(pk__in=[cast.unit_a.pk, cast.unit_b.pk])
        .order_by("pk")[: 10 * N - len(few)]
    )
    many = [*few, *communes]
    assert len(many) == 10 * N
    _finalised(cast, year=2024, units=few, share="0.8")
    _finalised(cast, year=2025, units=few, share="0.85")
    _finalised(cast, year=2026, units=many, share="0.9")
    client.force_login(cast.leader)
    pages = {
        "dashboard": "/quan-tri/chi-so-cchc/{}/tong-quan/",
        "filtered": "/quan-tri/chi-so-cchc/{}/tong-quan/?nhom=B&khoi=commune",
        "criterion": "/quan-tri/chi-so-cchc/{}/tong-quan/commune/tieu-chi/1.1/",
        "unit": f"/quan-tri/chi-so-cchc/{{}}/don-vi/{cast.unit_a.slug}/ket-qua/",
    }
    counts = {}
    for name, url in pages.items():
        counts[name] = (_queries(client, url.format(2025)), _queries(client, url.format(2026)))
    print("queries (N units, 10×N units):", counts)  # noqa: T201 - the report's figures
    assert all(small == large for small, large in counts.values()), counts
    # the larger year really is ten times as many units, each compared with last year
    body = client.get(pages["dashboard"].format(2026)).content.decode()
    ranking = _between(body, f'id="par-ranking-{UnitType.COMMUNE}"')
    communes_ranked = sum(1 for u in many if u.unit_type == UnitType.COMMUNE)
    assert ranking.count("<tr>") == communes_ranked + 1  # the header and each commune
