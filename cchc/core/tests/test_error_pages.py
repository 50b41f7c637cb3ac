"""Under DEBUG (make run) a missing page or a crash shows the product's pages, not Django's."""

import pytest
from django.urls import include, path


def crash(request):
    raise RuntimeError("lỗi thử nghiệm")


urlpatterns = [path("thu-loi/", crash), path("", include("cchc.urls"))]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture
def debug(settings):
    settings.DEBUG = True
    settings.DEBUG_PAGES = False
    return settings


@pytest.fixture
def quiet_client(client):
    client.raise_request_exception = False
    return client


def test_a_missing_public_page_is_the_products_404(cast, debug, client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.text
    assert "Page not found" not in response.text and "URLconf" not in response.text


def test_an_address_no_pattern_matches_is_the_products_404(cast, debug, client):
    response = client.get("/khong-co.txt")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.text
    assert "URLconf" not in response.text


def test_a_crash_is_the_products_500_and_the_traceback_goes_to_the_log(
    cast, debug, quiet_client, caplog
):
    response = quiet_client.get("/thu-loi/")
    assert response.status_code == 500
    assert "Hệ thống đang gặp sự cố" in response.text
    assert "Traceback" not in response.text and "RuntimeError" not in response.text
    assert any(r.exc_info and r.exc_info[0] is RuntimeError for r in caplog.records)


def test_a_developer_asks_for_djangos_pages(cast, debug, quiet_client):
    debug.DEBUG_PAGES = True
    assert "URLconf" in quiet_client.get("/khong-co.txt").text
    assert "RuntimeError" in quiet_client.get("/thu-loi/").text


def test_forbidden_stays_the_products_403(cast, debug, client_as):
    response = client_as(cast.leader).get("/quan-tri/tin-bai/")
    assert response.status_code == 403
