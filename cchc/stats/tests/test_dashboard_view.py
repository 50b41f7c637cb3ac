"""The back-office statistics dashboard: who sees what, what it shows, how fast."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cchc.stats import services
from cchc.stats.history import history_generate

from .conftest import BROWSER_UA

pytestmark = pytest.mark.django_db


def url(unit, **query):
    from urllib.parse import urlencode

    base = reverse("cchc_stats_dashboard", args=[unit.slug])
    return f"{base}?{urlencode(query)}" if query else base


@pytest.mark.parametrize("who", ["admin", "leader"])
def test_province_roles_see_the_province_roll_up_and_the_ranking(cast, client_as, who):
    response = client_as(getattr(cast, who)).get(url(cast.province))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Toàn tỉnh An Giang" in html
    assert 'id="xep-hang-don-vi"' in html
    assert "Xã An Phú" in html and "Phường Long Xuyên" in html


@pytest.mark.parametrize("who", ["admin", "leader"])
def test_province_roles_see_every_unit(cast, client_as, who):
    assert client_as(getattr(cast, who)).get(url(cast.unit_b)).status_code == 200


@pytest.mark.parametrize("who", ["officer_a", "unit_leader_a", "editor_a", "approver_a"])
def test_a_units_staff_see_their_own_unit(cast, client_as, who):
    response = client_as(getattr(cast, who)).get(url(cast.unit_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Xã An Phú" in html
    assert 'id="xep-hang-don-vi"' not in html  # other units' figures are not theirs to see
    assert "hạng theo lượt truy cập" in html


@pytest.mark.parametrize("other", ["unit_b", "province"])
def test_a_units_staff_get_404_for_another_unit_or_the_province(cast, client_as, other):
    response = client_as(cast.officer_a).get(url(getattr(cast, other)))
    assert response.status_code == 404


def test_a_role_without_the_statistics_permission_gets_403(cast, client_as):
    assert client_as(cast.appraiser).get(url(cast.unit_a)).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(cast, client):
    response = client.get(url(cast.unit_a))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_an_unknown_unit_is_404(cast, client_as):
    assert client_as(cast.admin).get("/quan-tri/thong-ke/khong-co/").status_code == 404


def test_the_statistics_home_sends_each_role_to_its_dashboard(cast, client_as):
    home = reverse("cchc_stats_home")
    assert client_as(cast.admin).get(home)["Location"] == url(cast.province)
    assert client_as(cast.officer_a).get(home)["Location"] == url(cast.unit_a)
    assert client_as(cast.appraiser).get(home).status_code == 403


def test_the_menu_shows_statistics_to_allowed_roles_only(cast, client_as):
    # The sidebar is rendered from JSON; look for the menu item's address.
    home, item = reverse("wagtailadmin_home"), reverse("cchc_stats_home")
    assert item in client_as(cast.officer_a).get(home).content.decode()
    assert item not in client_as(cast.appraiser).get(home).content.decode()


def test_it_shows_views_visitors_chart_articles_referrers_and_devices(news, client_as):
    now = timezone.now()
    services.visit_record(
        target=services.target_for_page(news.article),
        client_ip="203.0.113.1",
        user_agent=BROWSER_UA,
        referrer="https://www.google.com.vn/search?q=x",
        now=now,
    )
    services.visit_record(
        target=services.target_for_page(news.article),
        client_ip="203.0.113.1",
        user_agent=BROWSER_UA,
        now=now,
    )
    html = client_as(cast_officer(news)).get(url(news.a.unit)).content.decode()
    assert '<span class="stats-cards__value" data-stat="views">2</span>' in html
    assert '<span class="stats-cards__value" data-stat="visitors">1</span>' in html
    assert '<span class="stats-cards__value" data-stat="articles">1</span>' in html
    assert "<svg" in html and 'role="img"' in html
    assert "Mô hình “Một cửa số” ở xã An Phú" in html
    assert "google.com.vn" in html and "search" not in html.split("google.com.vn")[1][:40]
    assert '<tr data-device="desktop"><td>Máy tính</td><td>1</td></tr>' in html


def cast_officer(news):
    from cchc.org.models import Role, RoleAssignment

    return RoleAssignment.objects.get(role=Role.CCHC_OFFICER, unit=news.a.unit).user


def test_the_date_range_filter_uses_dd_mm_yyyy(cast, client_as):
    response = client_as(cast.admin).get(
        url(cast.province, tu_ngay="01/03/2026", den_ngay="10/03/2026")
    )
    data = response.context["data"]
    assert (data.start, data.end) == (datetime.date(2026, 3, 1), datetime.date(2026, 3, 10))
    assert len(data.days) == 10
    assert 'value="01/03/2026"' in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"tu_ngay": "10/03/2026", "den_ngay": "01/03/2026"},
        {"tu_ngay": "31/02/2026"},
        {"tu_ngay": "01/01/2020", "den_ngay": "01/01/2026"},
    ],
)
def test_a_bad_date_range_shows_an_error_and_the_default_range(cast, client_as, query):
    response = client_as(cast.admin).get(url(cast.province, **query))
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    data = response.context["data"]
    assert data.end == timezone.localdate()
    assert len(data.days) == 30


def _generate(cast, *, days, views):
    end = timezone.localdate()
    units = [cast.unit_a.pk, cast.unit_b.pk, cast.snv.pk, cast.stp.pk]
    targets = [services.Target(u, 1000 + u, 1000 + u + k) for u in units for k in range(0, 8)]
    history_generate(
        unit_ids=units,
        targets=targets,
        start=end - datetime.timedelta(days=days),
        end=end,
        views_per_day=views,
    )


def _queries(client, path):
    client.get(path)  # warm the per-process caches (site root paths)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("who", ["admin", "officer_a"])
def test_the_dashboard_runs_the_same_number_of_queries_whatever_the_data(
    cast, client_as, who, django_assert_num_queries
):
    client = client_as(getattr(cast, who))
    unit = cast.province if who == "admin" else cast.unit_a
    path = url(unit)
    _generate(cast, days=5, views=100)
    small = _queries(client, path)
    _generate(cast, days=365, views=50_000)
    big = _queries(client, path)
    assert small == big
    # Pinned: a change here means a new query per request; look for N+1.
    expected = {"admin": 20, "officer_a": 21}[who]
    with django_assert_num_queries(expected):
        client.get(path)
