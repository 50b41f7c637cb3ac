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
