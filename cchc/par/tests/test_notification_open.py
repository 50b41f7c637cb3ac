"""A notification followed from the landing page is marked read and leaves the list."""

import pytest
from django.urls import reverse

from cchc.par.hooks_work import work_items
from cchc.par.models import Notification, NotificationKind
from cchc.par.services.notify import notify
from cchc.par.tests.year import open_year

pytestmark = pytest.mark.django_db


def _told(cast, user, url="/admin/chi-so-cchc/"):
    year = open_year(actor=cast.admin, units=[cast.unit_a])
    (note,) = notify(
        users=[user], year=year, kind=NotificationKind.SUBMITTED, key="k", text="Đã gửi", url=url
    )
    return note


def test_following_a_notification_marks_it_read_and_opens_its_page(cast, client_as):
    note = _told(cast, cast.leader)
    (item,) = [i for i in work_items(user=cast.leader) if i["title"] == "Thông báo"]
    assert item["url"] == reverse("par_notification_open", args=[note.pk])
    response = client_as(cast.leader).get(item["url"])
    assert response.status_code == 302 and response["Location"] == "/admin/chi-so-cchc/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert not [i for i in work_items(user=cast.leader) if i["title"] == "Thông báo"]
    first = note.read_at
    client_as(cast.leader).get(item["url"])  # again: the first reading time is kept
    note.refresh_from_db()
    assert note.read_at == first


def test_someone_elses_notification_is_404_and_stays_unread(cast, client_as):
    note = _told(cast, cast.leader)
    response = client_as(cast.admin).get(reverse("par_notification_open", args=[note.pk]))
    assert response.status_code == 404
    assert Notification.objects.get(pk=note.pk).read_at is None


def test_an_outside_address_is_never_followed(cast, client_as):
    note = _told(cast, cast.leader, url="https://evil.example/phish")
    response = client_as(cast.leader).get(reverse("par_notification_open", args=[note.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def test_anonymous_visitors_are_sent_to_sign_in(cast, client):
    note = _told(cast, cast.leader)
    response = client.get(reverse("par_notification_open", args=[note.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert Notification.objects.get(pk=note.pk).read_at is None
