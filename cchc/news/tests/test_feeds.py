"""RSS per section and per topic."""

import xml.etree.ElementTree as ET

import pytest

from cchc.news.models import Topic

pytestmark = pytest.mark.django_db


def items(response) -> list[dict]:
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")  # noqa: S314 - our own output
    return [
        {child.tag: child.text for child in item}
        | {"categories": [c.text for c in item.findall("category")]}
        for item in channel.findall("item")
    ]


def test_the_unit_feed_has_its_published_articles(cast, publish, client):
    article = publish(cast.unit_a, "Tin RSS của An Phú", Topic.MODELS, summary="Tóm tắt RSS.")
    publish(cast.unit_b, "Tin của Long Xuyên")
    found = items(client.get("/don-vi/xa-an-phu/cchc/rss/"))
    assert len(found) == 1
    item = found[0]
    assert item["title"] == "Tin RSS của An Phú"
    assert item["description"] == "Tóm tắt RSS."
    assert item["link"] == f"http://testserver{article.url}"
    assert item["categories"] == [Topic.MODELS.label]
    assert item["pubDate"]
    assert item["{http://purl.org/dc/elements/1.1/}creator"] == "Xã An Phú"


def test_the_province_feed_rolls_up_all_units(cast, publish, client):
    publish(cast.unit_a, "Tin một")
    publish(cast.unit_b, "Tin hai")
    titles = {i["title"] for i in items(client.get("/cchc/rss/"))}
    assert titles == {"Tin một", "Tin hai"}


def test_a_topic_feed_has_only_that_topic(cast, publish, client):
    publish(cast.unit_a, "Mô hình hay", Topic.MODELS)
    publish(cast.unit_a, "Hoạt động", Topic.ACTIVITIES)
    assert [i["title"] for i in items(client.get("/don-vi/xa-an-phu/cchc/mo-hinh-hay/rss/"))] == [
        "Mô hình hay"
    ]
    assert [i["title"] for i in items(client.get("/cchc/mo-hinh-hay/rss/"))] == ["Mô hình hay"]


def test_section_pages_advertise_their_feed(cast, client):
    html = client.get("/don-vi/xa-an-phu/cchc/").text
    assert 'type="application/rss+xml"' in html
    assert 'href="/don-vi/xa-an-phu/cchc/rss/"' in html
