import pytest

from cchc.core.tests.backoffice import CHANGE_WORDS, backoffice_urls

pytestmark = pytest.mark.django_db


def ids_for(cast):
    return {
        "int": str(cast.unit_a.page.pk),
        "pk": str(cast.unit_a.pk),
        "slug": cast.unit_a.slug,
        "str": "1",
        "app_label": "org",
        "model_name": "unit",
    }


def test_anonymous_visitors_are_sent_to_sign_in_for_every_back_office_page(cast, client):
    urls = backoffice_urls(ids_for(cast))
    assert len(urls) > 150  # the walk really covers Wagtail's admin and ours
    wrong = []
    for url, route in urls:
        response = client.get(url)
        location = response.get("Location", "")
        if not (response.status_code == 302 and location.startswith("/quan-tri/login/")):
            wrong.append((url, response.status_code, location))
    assert wrong == []


def test_the_provincial_leader_gets_403_on_every_change(cast, client_as):
    client = client_as(cast.leader)
    changes = [(u, r) for u, r in backoffice_urls(ids_for(cast)) if CHANGE_WORDS.search(r)]
    assert len(changes) > 40
    wrong = []
    for url, _route in changes:
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            # 404: the object id does not fit this route; 405: method not offered.
            if response.status_code not in (403, 404, 405):
                wrong.append((method, url, response.status_code))
    assert wrong == []
