"""The public article page."""

import pytest
from django.utils import timezone

from cchc.news.models import Topic

pytestmark = pytest.mark.django_db


def test_an_article_shows_its_unit_topic_date_and_related_articles(cast, publish, client):
    article = publish(cast.unit_a, "Tin chính", Topic.MODELS, summary="Tóm tắt tin chính.")
    publish(cast.unit_a, "Tin cùng chủ đề", Topic.MODELS)
    publish(cast.unit_b, "Tin cùng chủ đề ở đơn vị khác", Topic.MODELS)
    publish(cast.unit_a, "Tin khác chủ đề", Topic.POLICIES)
    response = client.get(article.url)
    assert response.status_code == 200
    html = response.text
    assert timezone.localtime(article.first_published_at).strftime("%d/%m/%Y") in html
    assert "Xã An Phú" in html and Topic.MODELS.label in html
    assert [r.title for r in response.context["related"]] == [
        "Tin cùng chủ đề",
        "Tin cùng chủ đề ở đơn vị khác",
    ]


def test_an_article_has_landmarks_and_one_h1(cast, publish, client):
    html = client.get(publish(cast.unit_a, "Tin").url).text
    assert html.count("<h1") == 1
    assert 'lang="vi"' in html
    assert "<main" in html and 'aria-label="Đường dẫn"' in html


def test_the_article_and_section_pages_carry_the_visit_beacon(cast, publish, client):
    from cchc.news.views import stats_tags_available

    if not stats_tags_available():
        pytest.skip("the statistics app's template library is not installed")
    article = publish(cast.unit_a, "Tin")
    assert "stats/beacon.js" in client.get(article.url).text
    section_html = client.get("/don-vi/xa-an-phu/cchc/").text
    assert "stats/beacon.js" in section_html
    assert "Tổng lượt truy cập" in section_html


def test_the_public_navigation_links_to_the_section(cast, client):
    assert 'href="/cchc/"' in client.get("/").text
