"""The newsroom page of a unit in the back office (/quan-tri/tin-bai/<slug>/)."""

import pytest
from django.urls import reverse

from cchc.news.models import Topic

from .conftest import add_url, article_form, topic_of

pytestmark = pytest.mark.django_db


def desk(slug="xa-an-phu"):
    return reverse("cchc_news_desk", args=[slug])


def test_the_units_editor_sees_topics_and_articles_with_their_status(cast, client_as, publish):
    publish(cast.unit_a, "Tin đã đăng", Topic.MODELS)
    client = client_as(cast.editor_a)
    client.post(
        add_url(topic_of(cast.unit_a)), article_form("Tin chờ duyệt", **{"action-submit": "1"})
    )
    response = client.get(desk())
    assert response.status_code == 200
    html = response.text
    assert add_url(topic_of(cast.unit_a)) in html
    assert "Tin đã đăng" in html and "Đã xuất bản" in html
    assert "Tin chờ duyệt" in html and "Chờ duyệt" in html


def test_the_approver_may_use_it(cast, client_as):
    assert client_as(cast.approver_a).get(desk()).status_code == 200


def test_another_units_editor_gets_404(cast, client_as):
    assert client_as(cast.editor_b).get(desk()).status_code == 404


def test_the_read_only_leader_gets_403(cast, client_as):
    assert client_as(cast.leader).get(desk()).status_code == 403


def test_the_cchc_officer_without_news_role_gets_403(cast, client_as):
    assert client_as(cast.officer_a).get(desk()).status_code == 403


def test_anonymous_is_sent_to_sign_in(cast, client):
    assert client.get(desk())["Location"].startswith("/quan-tri/login/")


def test_the_index_sends_a_single_unit_editor_to_their_unit(cast, client_as):
    response = client_as(cast.editor_a).get(reverse("cchc_news_desk_index"))
    assert response["Location"] == desk()


def test_the_index_lists_every_section_for_the_admin(cast, client_as):
    html = client_as(cast.admin).get(reverse("cchc_news_desk_index")).text
    assert desk("phuong-long-xuyen") in html and desk("tinh-an-giang") in html


def test_the_desk_needs_a_fixed_number_of_queries(
    cast, client_as, publish, django_assert_max_num_queries
):
    for n in range(8):
        publish(cast.unit_a, f"Tin {n}")
    client = client_as(cast.editor_a)
    client.get(desk())
    with django_assert_max_num_queries(30):
        client.get(desk())
