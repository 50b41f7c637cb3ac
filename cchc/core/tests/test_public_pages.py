import pytest

pytestmark = pytest.mark.django_db


def test_the_home_page_has_the_portal_layout(cast, client):
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in body
    assert 'href="#noi-dung"' in body and 'id="noi-dung"' in body  # skip link and target
    assert 'role="banner"' in body and 'role="contentinfo"' in body
    assert 'aria-label="Điều hướng chính"' in body
    assert "Ủy ban nhân dân tỉnh An Giang" in body
    assert "Sở Nội vụ tỉnh An Giang" in body  # footer contact
    assert 'name="viewport"' in body


def test_the_units_page_lists_units_by_kind(cast, client):
    body = client.get("/don-vi/").content.decode()
    assert "Xã An Phú" in body and "Phường Long Xuyên" in body and "Sở Tư pháp" in body


def test_a_units_public_page_shows_its_predecessors(cast, client):
    import datetime

    from cchc.org.models import CommuneKind, Unit, UnitType
    from cchc.org.services import unit_merge

    merged = unit_merge(
        actor=None,
        predecessors=[cast.unit_a, cast.unit_b],
        successor=Unit(
            name="Phường Mới",
            code="P100",
            slug="phuong-moi",
            unit_type=UnitType.COMMUNE,
            commune_kind=CommuneKind.PHUONG,
        ),
        effective_date=datetime.date(2026, 1, 1),
    )
    body = client.get(merged.page.url).content.decode()
    assert "Đơn vị tiền thân" in body
    assert 'href="/don-vi/xa-an-phu/"' in body and 'href="/don-vi/phuong-long-xuyen/"' in body
    old = client.get("/don-vi/xa-an-phu/").content.decode()
    assert "đã ngừng hoạt động từ ngày 31/12/2025" in old
    assert 'href="/don-vi/phuong-moi/"' in old


def test_unknown_pages_answer_404_in_vietnamese(cast, client):
    response = client.get("/khong-ton-tai/")
    assert response.status_code == 404


def test_the_home_page_shows_the_newest_cchc_articles(cast, client):
    from cchc.news.models import Topic, TopicPage
    from cchc.news.selectors import section_for_unit
    from cchc.news.services import article_create

    assert "Chưa có tin, bài." in client.get("/").content.decode()
    topic = TopicPage.objects.child_of(section_for_unit(cast.unit_a)).get(topic=Topic.ACTIVITIES)
    article_create(
        actor=None,
        topic_page=topic,
        title="Xã An Phú rút ngắn thời gian giải quyết hồ sơ",
        summary="Tóm tắt.",
        body="<p>Nội dung.</p>",
        publish=True,
    )
    body = client.get("/").content.decode()
    assert "Xã An Phú rút ngắn thời gian giải quyết hồ sơ" in body
    assert "Xã An Phú, " in body


def test_the_home_intro_is_sanitised_like_article_bodies(cast, client):
    from cchc.core import site_version
    from cchc.core.models import HomePage

    # Stored past the form (an old database, a script): it must still neither
    # run a script nor break the page.
    HomePage.objects.update(
        intro=(
            "<p>Giới thiệu<script>alert(1)</script></p>"
            '<p><a linktype="page" id="1&quot; onmouseover=&quot;x">liên kết hỏng</a></p>'
        )
    )
    # Written past Wagtail's signals, so the script raises the site's version
    # itself, or the page kept with the route is served (cchc/core/site_version.py).
    site_version.bump()
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Giới thiệu" in body and "liên kết hỏng" in body
    assert "<script>alert" not in body and "onmouseover" not in body
