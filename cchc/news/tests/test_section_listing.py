"""Section and topic pages: a unit's own list, the province's roll-up and its filters."""

import datetime

import pytest
from django.utils import timezone

from cchc.news.models import ArticlePage, Topic
from cchc.news.views import PER_PAGE
from cchc.org.models import SuccessionKind, UnitSuccession

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles(cast, publish):
    return {
        "a_activity": publish(cast.unit_a, "An Phú cải cách thủ tục", days_ago=2),
        "a_model": publish(cast.unit_a, "An Phú mô hình một cửa", Topic.MODELS, days_ago=40),
        "b_two_level": publish(cast.unit_b, "Long Xuyên hai cấp", Topic.TWO_LEVEL, days_ago=5),
        "snv_policy": publish(cast.snv, "Sở Nội vụ phổ biến luật", Topic.POLICIES, days_ago=9),
        "province": publish(cast.province, "Tỉnh ban hành kế hoạch", Topic.POLICIES, days_ago=1),
    }


def titles(response) -> list[str]:
    return [a.title for a in response.context["articles"]]


def test_a_unit_section_lists_only_its_own_articles_newest_first(articles, client):
    response = client.get("/don-vi/xa-an-phu/cchc/")
    assert titles(response) == ["An Phú cải cách thủ tục", "An Phú mô hình một cửa"]


def test_the_province_section_rolls_up_every_units_articles(articles, client):
    response = client.get("/cchc/")
    assert titles(response) == [
        "Tỉnh ban hành kế hoạch",
        "An Phú cải cách thủ tục",
        "Long Xuyên hai cấp",
        "Sở Nội vụ phổ biến luật",
        "An Phú mô hình một cửa",
    ]
    assert "Phường Long Xuyên" in response.text  # the author unit is shown


def test_the_roll_up_filters_by_unit(articles, client):
    assert titles(client.get("/cchc/?don_vi=phuong-long-xuyen")) == ["Long Xuyên hai cấp"]


def test_the_roll_up_filters_by_unit_type(articles, client):
    assert titles(client.get("/cchc/?loai_don_vi=department")) == ["Sở Nội vụ phổ biến luật"]
    assert set(titles(client.get("/cchc/?loai_don_vi=commune"))) == {
        "An Phú cải cách thủ tục",
        "An Phú mô hình một cửa",
        "Long Xuyên hai cấp",
    }


def test_the_roll_up_filters_by_topic(articles, client):
    assert titles(client.get("/cchc/?chu_de=chu-truong-chinh-sach")) == [
        "Tỉnh ban hành kế hoạch",
        "Sở Nội vụ phổ biến luật",
    ]


def test_the_roll_up_filters_by_dates_in_dd_mm_yyyy(articles, client):
    today = timezone.localdate()
    start = (today - datetime.timedelta(days=10)).strftime("%d/%m/%Y")
    end = (today - datetime.timedelta(days=3)).strftime("%d/%m/%Y")
    response = client.get(f"/cchc/?tu_ngay={start}&den_ngay={end}")
    assert titles(response) == ["Long Xuyên hai cấp", "Sở Nội vụ phổ biến luật"]


def test_an_invalid_date_is_explained_and_ignored(articles, client):
    response = client.get("/cchc/?tu_ngay=32/13/2026")
    assert "Nhập ngày theo dạng dd/mm/yyyy." in response.text
    assert len(titles(response)) == 5


def test_the_province_topic_page_rolls_up_that_topic(articles, client):
    assert titles(client.get("/cchc/mo-hinh-hay/")) == ["An Phú mô hình một cửa"]


def test_a_unit_topic_page_lists_its_topic_only(articles, client):
    assert titles(client.get("/don-vi/xa-an-phu/cchc/mo-hinh-hay/")) == ["An Phú mô hình một cửa"]
    assert titles(client.get("/don-vi/phuong-long-xuyen/cchc/mo-hinh-hay/")) == []


def test_expired_and_draft_articles_are_not_listed(cast, publish, client):
    expired = publish(cast.unit_a, "Tin đã hết hạn")
    ArticlePage.objects.filter(pk=expired.pk).update(
        expire_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    draft = publish(cast.unit_a, "Tin nháp")
    draft.unpublish()
    assert titles(client.get("/don-vi/xa-an-phu/cchc/")) == []


def test_a_successor_unit_lists_its_predecessors_articles(cast, publish, client):
    publish(cast.unit_b, "Tin của đơn vị tiền thân")
    UnitSuccession.objects.create(
        predecessor=cast.unit_b,
        successor=cast.unit_a,
        kind=SuccessionKind.MERGE,
        effective_date=datetime.date(2026, 1, 1),
    )
    assert "Tin của đơn vị tiền thân" in titles(client.get("/don-vi/xa-an-phu/cchc/"))


def test_lists_are_paginated(cast, publish, client):
    for n in range(PER_PAGE + 2):
        publish(cast.unit_a, f"Tin số {n}", days_ago=n + 1)
    first = client.get("/don-vi/xa-an-phu/cchc/")
    assert len(titles(first)) == PER_PAGE
    assert "Trang 1/2" in first.text
    second = client.get("/don-vi/xa-an-phu/cchc/?trang=2")
    assert titles(second) == ["Tin số 10", "Tin số 11"]


def test_dates_are_shown_as_dd_mm_yyyy(articles, client):
    day = timezone.localtime(articles["a_activity"].first_published_at).strftime("%d/%m/%Y")
    assert day in client.get("/don-vi/xa-an-phu/cchc/").text


def _queries(client, url, django_assert_max_num_queries, limit):
    client.get(url)  # first view makes image renditions; count the steady state
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("count", [3, 12])
def test_the_unit_section_needs_a_fixed_number_of_queries(
    cast, publish, client, django_assert_max_num_queries, count
):
    for n in range(count):
        publish(cast.unit_a, f"Tin {n}", days_ago=n + 1)
    # Most of these are Wagtail's routing (one query per URL level).
    _queries(client, "/don-vi/xa-an-phu/cchc/", django_assert_max_num_queries, 18)


@pytest.mark.parametrize("count", [3, 12])
def test_the_roll_up_needs_a_fixed_number_of_queries(
    cast, publish, client, django_assert_max_num_queries, count
):
    units = [cast.unit_a, cast.unit_b, cast.snv, cast.stp]
    for n in range(count):
        publish(units[n % 4], f"Tin {n}", Topic.values[n % 5], days_ago=n + 1)
    _queries(client, "/cchc/?loai_don_vi=commune&tu_khoa=tin", django_assert_max_num_queries, 16)
