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
    for url, _route in urls:
        response = client.get(url)
        location = response.get("Location", "")
        if not (response.status_code == 302 and location.startswith("/quan-tri/login/")):
            wrong.append((url, response.status_code, location))
    assert wrong == [], "\n".join(map(str, wrong))


# Routes whose names look like changes but whose answer to these methods
# changes nothing.
NOT_CHANGES = {
    "editing-sessions/release/": ("post",),  # releases the user's own "editing now" marker
    "embeds/chooser/upload/": ("get", "post"),  # looks up an embed URL, stores nothing
    "move/<int:destination_id>/confirm/": ("get",),  # a confirmation page; POST is checked
    "workflow/confirm_cancellation/": ("get", "post"),  # read-only summary of a cancellation
    "workflows/task_chooser/create/": ("get",),  # lists tasks; POST is refused with 400
}
REFUSED_WITH_400 = ("workflows/task_chooser/create/",)


def test_the_provincial_leader_gets_403_on_every_change(cast, client_as):
    client = client_as(cast.leader)
    changes = [(u, r) for u, r in backoffice_urls(ids_for(cast)) if CHANGE_WORDS.search(r)]
    assert len(changes) > 40
    wrong = []
    for url, route in changes:
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if any(part in route and method in m for part, m in NOT_CHANGES.items()):
                continue
            refused = {403, 404, 405}  # 404: id does not fit the route; 405: no such method
            if any(part in route for part in REFUSED_WITH_400):
                refused.add(400)
            if response.status_code not in refused:
                wrong.append((method, url, response.status_code))
    assert wrong == [], "\n".join(map(str, wrong))
