import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    cache.clear()
    settings.PUBLIC_PAGE_CACHE_SECONDS = 30
    yield
    cache.clear()


def rename_section(title):
    from cchc.news.models import SectionPage

    section = SectionPage.objects.get(unit__slug="tinh-an-giang")
    section.title = title
    section.save_revision().publish()


def test_anonymous_visitors_get_a_recent_copy_of_a_section(cast, client, page_cache):
    first = client.get("/cchc/")
    assert first.status_code == 200
    rename_section("Tiêu đề mới của chuyên mục")
    assert client.get("/cchc/").content == first.content
    assert "Tiêu đề mới" not in client.get("/cchc/").content.decode()


def test_signed_in_users_always_get_a_fresh_page(cast, client_as, page_cache):
    client = client_as(cast.editor_a)
    client.get("/cchc/")
    rename_section("Tiêu đề mới của chuyên mục")
    assert "Tiêu đề mới của chuyên mục" in client.get("/cchc/").content.decode()


def test_pages_outside_the_cchc_sections_are_not_cached(cast, client, page_cache):
    client.get("/don-vi/")
    cast.unit_a.name = "Xã An Phú Mới"
    from cchc.org.services import unit_update

    unit_update(actor=None, unit=cast.unit_a, changed=["name"])
    assert "Xã An Phú Mới" in client.get("/don-vi/").content.decode()


def test_the_cache_is_off_when_set_to_zero(cast, client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    client.get("/cchc/")
    rename_section("Tiêu đề mới của chuyên mục")
    assert "Tiêu đề mới của chuyên mục" in client.get("/cchc/").content.decode()


def test_each_host_and_scheme_gets_its_own_copy(cast, client, page_cache):
    first = client.get("/cchc/", HTTP_HOST="localhost")
    assert first.status_code == 200
    rename_section("Tiêu đề mới của chuyên mục")
    # Another host, or the same host over https, is rendered afresh...
    assert "Tiêu đề mới" in client.get("/cchc/", HTTP_HOST="127.0.0.1").content.decode()
    assert (
        "Tiêu đề mới" in client.get("/cchc/", HTTP_HOST="localhost", secure=True).content.decode()
    )
    # ...while the first host keeps its own recent copy.
    assert client.get("/cchc/", HTTP_HOST="localhost").content == first.content


def test_a_host_that_is_not_allowed_is_refused_not_cached(cast, client, page_cache):
    assert client.get("/cchc/", HTTP_HOST="evil.example").status_code == 400
