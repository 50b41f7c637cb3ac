"""The embeddable widget a unit's own website includes."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_widget_lists_the_units_latest_articles_with_absolute_links(cast, publish, client):
    article = publish(cast.unit_a, "Tin trong khung nhúng")
    publish(cast.unit_b, "Tin của đơn vị khác")
    response = client.get("/don-vi/xa-an-phu/cchc/nhung/")
    assert response.status_code == 200
    assert "Tin trong khung nhúng" in response.text
    assert "Tin của đơn vị khác" not in response.text
    assert f'href="http://testserver{article.url}"' in response.text
    assert 'target="_blank"' in response.text


def test_the_widget_may_be_framed_by_other_sites(cast, client):
    response = client.get("/don-vi/xa-an-phu/cchc/nhung/")
    assert "X-Frame-Options" not in response
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors *" in policy
    # Framing is opened; the rest of the policy still holds inside the frame.
    assert "script-src 'self'" in policy and "object-src 'none'" in policy
    # ...while ordinary pages still refuse to be framed elsewhere
    assert client.get("/don-vi/xa-an-phu/cchc/")["X-Frame-Options"] == "SAMEORIGIN"


def test_the_widget_shows_the_visit_counter(cast, client):
    from cchc.news.views import stats_tags_available

    html = client.get("/don-vi/xa-an-phu/cchc/nhung/").text
    if stats_tags_available():
        assert "Thống kê truy cập" in html
    assert "<h1" in html and 'lang="vi"' in html


def test_the_script_inserts_an_iframe_of_the_widget(cast, client):
    response = client.get("/don-vi/xa-an-phu/cchc/nhung.js")
    assert response["Content-Type"].startswith("text/javascript")
    body = response.text
    assert 'createElement("iframe")' in body
    assert "http://testserver/don\\u002Dvi/xa\\u002Dan\\u002Dphu/cchc/nhung/" in body
    assert client.get("/cchc/nhung.js").status_code == 200
    assert client.get("/don-vi/khong-co/cchc/nhung.js").status_code == 404


def test_the_unit_section_shows_the_embed_code(cast, client):
    html = client.get("/don-vi/xa-an-phu/cchc/").text
    assert "/don-vi/xa-an-phu/cchc/nhung.js" in html
