"""The news pages carry the beacon and the counter; their beacons count."""

import re

import pytest

from cchc.stats import selectors

from .conftest import BROWSER_UA

pytestmark = pytest.mark.django_db


def beacon_token(html: str) -> str:
    match = re.search(r'data-t="([^"]+)"', html)
    assert match, "no beacon on the page"
    return match.group(1)


def test_the_province_section_shows_the_beacon_the_pixel_and_the_counter(news, client):
    html = client.get("/cchc/").content.decode()
    assert 'src="/static/stats/beacon.js"' in html
    assert "<noscript><img" in html and "/thong-ke/luot-xem.gif?t=" in html
    assert "Tổng lượt truy cập" in html
    assert beacon_token(html)


def test_an_articles_beacon_counts_the_article_in_its_unit(news, client, send):
    html = client.get(news.article.url).content.decode()
    assert send(token=beacon_token(html)).status_code == 204
    assert selectors.counter_numbers(news.a.unit_id).today == 1
    assert selectors.counter_numbers(news.b.unit_id).today == 0
    assert selectors.counter_numbers(news.province.unit_id).today == 1


def test_the_province_section_counter_shows_the_roll_up(news, client, send):
    send(news.article)
    send(news.b, ua=BROWSER_UA + " Other")
    html = client.get("/cchc/").content.decode()
    assert '<dd data-stat="today">2</dd>' in html
    unit_html = client.get(news.a.url).content.decode()
    assert '<dd data-stat="today">1</dd>' in unit_html


def test_a_topic_page_counts_as_its_section(news, client, send):
    topic = news.a.get_children().first()
    html = client.get(topic.url).content.decode()
    send(token=beacon_token(html))
    assert selectors.counter_numbers(news.a.unit_id).today == 1
