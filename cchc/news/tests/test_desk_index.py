"""The list of newsrooms (/quan-tri/tin-bai/): counts per unit, search, filters."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.news.review import article_counts_by_unit
from cchc.news.services import article_create

from .conftest import topic_of
from .test_review_queue import submit

pytestmark = pytest.mark.django_db

INDEX = reverse("cchc_news_desk_index")


def desk(unit):
    return reverse("cchc_news_desk", args=[unit.slug])


def draft(unit, title, editor):
    return article_create(
        actor=editor, topic_page=topic_of(unit), title=title, summary="Tóm tắt.", body="<p>x</p>"
    )


def row_of(html, unit):
    """The cells of the unit's row: name, kind, drafts, waiting, published."""
    match = re.search(rf'<tr>\s*<td><a href="{re.escape(desk(unit))}">.*?</tr>', html, re.S)
    assert match, f"no row for {unit.name}"
    return [
        re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", match[0], re.S)
    ]


def unit_order(html):
    return re.findall(r'<td><a href="/quan-tri/tin-bai/([^/]+)/">', html)


def test_each_unit_shows_its_drafts_waiting_and_published_articles(cast, client_as, publish):
    publish(cast.unit_a, "Tin đã đăng")
    draft(cast.unit_a, "Bản nháp", cast.editor_a)
    submit(cast.unit_a, "Tin chờ duyệt 1", cast.editor_a)
    submit(cast.unit_a, "Tin chờ duyệt 2", cast.editor_a)
    html = client_as(cast.admin).get(INDEX).text
    assert row_of(html, cast.unit_a)[2:] == ["1", "2", "1"]
    assert row_of(html, cast.unit_b)[2:] == ["0", "0", "0"]
    assert article_counts_by_unit()[cast.unit_a.pk] == {"drafts": 1, "waiting": 2, "published": 1}


def test_a_published_article_with_a_change_in_review_counts_as_waiting_and_published(cast, publish):
    article = publish(cast.unit_a, "Tin đã đăng, đang sửa")
    article.save_revision(user=cast.editor_a)
    article.get_workflow().start(article, cast.editor_a)
    assert article_counts_by_unit()[cast.unit_a.pk] == {"drafts": 0, "waiting": 1, "published": 1}


def test_units_with_articles_waiting_come_first(cast, client_as):
    submit(cast.unit_b, "Tin chờ duyệt", cast.editor_b)
    order = unit_order(client_as(cast.admin).get(INDEX).text)
    assert order[0] == cast.unit_b.slug
    assert set(order) >= {cast.unit_a.slug, cast.snv.slug, cast.province.slug}


def test_the_search_finds_a_unit_by_name_without_accents(cast, client_as):
    html = client_as(cast.admin).get(INDEX, {"tu_khoa": "long xuyen"}).text
    assert unit_order(html) == [cast.unit_b.slug]
    assert 'value="long xuyen"' in html


def test_the_unit_type_filter(cast, client_as):
    html = client_as(cast.admin).get(INDEX, {"loai_don_vi": "department"}).text
    order = unit_order(html)
    assert cast.snv.slug in order and cast.stp.slug in order
    assert cast.unit_a.slug not in order and cast.province.slug not in order


def test_only_units_with_articles_waiting(cast, client_as):
    submit(cast.unit_a, "Tin chờ duyệt", cast.editor_a)
    html = client_as(cast.admin).get(INDEX, {"cho_duyet": "on"}).text
    assert unit_order(html) == [cast.unit_a.slug]


def test_a_search_that_matches_nothing_says_so(cast, client_as):
    html = client_as(cast.admin).get(INDEX, {"tu_khoa": "không có đơn vị này"}).text
    assert "Không có đơn vị nào khớp bộ lọc." in html


def test_the_read_only_leader_gets_403(cast, client_as):
    assert client_as(cast.leader).get(INDEX).status_code == 403


def test_the_queries_do_not_grow_with_units_or_articles(cast, client_as, publish):
    client = client_as(cast.admin)
    client.get(INDEX)
    with CaptureQueriesContext(connection) as few:
        client.get(INDEX)
    for unit in (cast.unit_a, cast.unit_b, cast.snv, cast.stp):
        publish(unit, f"Tin của {unit.name}")
        submit(unit, f"Tin chờ duyệt của {unit.name}", cast.editor_a)
    with CaptureQueriesContext(connection) as many:
        assert client.get(INDEX).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
