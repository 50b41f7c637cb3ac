"""The province's rankings: the seeds' figures on the page, who may read and enter
them, bad input stores nothing, and the page's queries do not grow with the years."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from cchc.core.models import AuditEntry
from cchc.targets import demo, services
from cchc.targets.models import ProvinceRanking, RankingIndex

from .helpers import TZ

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=TZ)
PAGE_QUERIES = 13  # session, user, permissions, roles, profile; province (2); rankings; menu (4)
URL = reverse("targets_rankings")
EDIT = reverse("targets_ranking_edit")


@pytest.fixture(autouse=True)
def _late_2026():
    with time_machine.travel(NOW, tick=False):
        yield


def _form(**overrides):
    data = {
        "year": "2024",
        "index": "sipas",
        "score": "82,75",
        "rank": "20",
        "out_of": "63",
        "target_rank": "",
        "target_score": "",
        "source": "Bộ Nội vụ",
    }
    return data | overrides


def _row(body: str, index: str, year: int) -> str:
    table = body.split(f'id="xh-{index}-table"')[1].split("</table>")[0]
    return table.split(f'data-year="{year}"')[1].split("</tr>")[0]


# -- what the page shows ------------------------------------------------------------------


def test_the_page_shows_the_2025_par_index_and_the_2026_target(cast, client_as):
    demo.load_rankings()
    response = client_as(cast.leader).get(URL)
    assert response.status_code == 200
    body = response.text
    row_2025 = _row(body, "par_index", 2025)
    assert "86,50" in row_2025 and "31/34" in row_2025
    assert "Quyết định số 430/QĐ-BNV" in row_2025
    row_2026 = _row(body, "par_index", 2026)
    assert "Hạng 15/34" in row_2026 and row_2026.count("Chưa có") == 2
    papi = _row(body, "papi", 2023)
    assert "41,85" in papi and "35/63" in papi
    # a chart with its text alternative: the caption says which way is better
    assert '<figure class="tg-chart" id="xh-par_index-chart">' in body and "<svg" in body
    assert "đường càng thấp là thứ hạng càng tốt" in body
    sipas = body.split('id="xh-sipas"')[1].split("</section>")[0]
    assert "Chưa có số liệu." in sipas and "<table" not in sipas  # nothing invented
    assert "Nhập số liệu một năm" not in body  # the leader reads only


def test_the_demo_loads_the_seeds_rankings_once(cast):
    assert demo.load_rankings() == 3
    assert demo.load_rankings() == 0
    par = ProvinceRanking.objects.get(year=2025, index=RankingIndex.PAR_INDEX)
    assert (par.score, par.rank, par.out_of, par.target_rank) == (Decimal("86.50"), 31, 34, None)
    target = ProvinceRanking.objects.get(year=2026, index=RankingIndex.PAR_INDEX)
    assert (target.score, target.rank, target.target_rank) == (None, None, 15)
    assert not ProvinceRanking.objects.filter(index__in=["sipas", "pci"]).exists()


# -- who may see and enter ------------------------------------------------------------------


def test_the_matrix_links_to_the_rankings_for_the_province_only(cast, client_as):
    link = 'id="tg-rankings-link"'
    assert link in client_as(cast.leader).get(reverse("targets_matrix")).text
    assert link not in client_as(cast.officer_a).get(reverse("targets_matrix")).text


def test_units_people_do_not_see_the_province_and_visitors_sign_in(cast, client_as, client):
    demo.load_rankings()
    assert client_as(cast.officer_a).get(URL).status_code == 404
    assert client_as(cast.unit_leader_a).get(URL).status_code == 404
    assert client_as(cast.appraiser).get(URL).status_code == 403  # sees the province, no role
    client.logout()
    anonymous = client.get(URL)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("wagtailadmin_login"))


def test_only_the_administrator_enters_figures(cast, client_as):
    for user in (cast.leader, cast.officer_a):
        client = client_as(user)
        assert client.get(EDIT).status_code == 403
        assert client.post(EDIT, _form()).status_code == 403
    assert not ProvinceRanking.objects.exists()


def test_the_administrator_adds_a_year_and_corrects_it(cast, client_as):
    client = client_as(cast.admin)
    assert "Nhập số liệu một năm" in client.get(URL).text
    response = client.post(EDIT, _form(), follow=True)
    assert "Đã lưu Chỉ số hài lòng (SIPAS) năm 2024." in response.text
    assert "82,75" in _row(response.text, "sipas", 2024)
    saved = ProvinceRanking.objects.get()
    assert (saved.score, saved.rank, saved.out_of, saved.entered_by) == (
        Decimal("82.75"),
        20,
        63,
        cast.admin,
    )
    form = client.get(f"{EDIT}?nam=2024&chi_so=sipas").text
    assert 'value="82,75"' in form and 'value="63"' in form
    client.post(EDIT, _form(rank="18"))
    assert ProvinceRanking.objects.get().rank == 18
    entries = AuditEntry.objects.filter(action="province_ranking.set").order_by("pk")
    assert [e.data["after"]["rank"] for e in entries] == [20, 18]
    assert entries[1].data["before"]["rank"] == 20
    assert entries[1].summary == "Chỉ số hài lòng (SIPAS) năm 2024: điểm 82,75, hạng 18/63"


# -- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"rank": "64"},
            "Thứ hạng (64) không được lớn hơn số tỉnh, thành phố được xếp hạng (63).",
        ),
        (
            {"target_rank": "35", "out_of": "34", "rank": ""},
            "Thứ hạng mục tiêu (35) không được lớn hơn số tỉnh, thành phố được xếp hạng (34).",
        ),
        ({"score": "-1"}, "Điểm không được âm."),
        ({"year": "2028"}, "Năm 2028 còn quá xa: chỉ nhập được đến năm 2027"),
        ({"score": "tám mươi"}, "Điểm phải là một số, ví dụ 86,50."),
        ({"score": "", "rank": ""}, "Hãy nhập ít nhất điểm, thứ hạng hoặc mục tiêu."),
    ],
)
def test_bad_figures_are_shown_in_vietnamese_keep_what_was_typed_and_store_nothing(
    cast, client_as, overrides, message
):
    data = _form(**overrides)
    response = client_as(cast.admin).post(EDIT, data)
    assert response.status_code == 422
    assert message in response.text
    assert f'value="{data["source"]}"' in response.text
    if data["score"]:
        assert f'value="{data["score"]}"' in response.text
    assert not ProvinceRanking.objects.exists()
    assert not AuditEntry.objects.filter(action="province_ranking.set").exists()


def test_the_service_checks_its_figures_and_the_database_holds_them_too(cast):
    with pytest.raises(ValidationError) as caught:
        services.ranking_set(
            actor=None,
            year=2025,
            index="par_index",
            score=Decimal("-0.5"),
            rank=0,
            out_of=34,
            target_rank=None,
            target_score=None,
        )
    assert caught.value.message_dict == {
        "score": ["Điểm không được âm."],
        "rank": ["Thứ hạng phải từ 1 trở lên."],
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        ProvinceRanking.objects.create(
            year=2025, index="par_index", rank=35, out_of=34, entered_at=NOW
        )
    assert not ProvinceRanking.objects.exists()


# -- queries --------------------------------------------------------------------------------


def _page_queries(client, django_assert_num_queries) -> str:
    with django_assert_num_queries(PAGE_QUERIES):
        return client.get(URL).text


def test_the_page_reads_the_same_queries_for_few_years_and_many(
    cast, client_as, django_assert_num_queries
):
    demo.load_rankings()
    client = client_as(cast.admin)
    client.get(URL)  # warm caches (site root, sessions)
    few = _page_queries(client, django_assert_num_queries)
    ProvinceRanking.objects.bulk_create(
        ProvinceRanking(year=year, index=index, score=70, rank=30, out_of=63, entered_at=NOW)
        for year in range(2012, 2023)
        for index in RankingIndex.values
    )
    many = _page_queries(client, django_assert_num_queries)
    assert many.count("data-year=") - few.count("data-year=") == 11 * 4
