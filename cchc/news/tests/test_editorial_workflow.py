"""Editor drafts and submits, the unit's approver publishes or sends it back."""

import pytest
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState

from cchc.news.models import ArticlePage, Topic

from .conftest import add_url, article_form, topic_of

pytestmark = pytest.mark.django_db


def _errors(response):
    form = response.context and response.context.get("form")
    return form.errors.as_json() if form else response.status_code


def submit(client, unit, title, **extra) -> ArticlePage:
    response = client.post(
        add_url(topic_of(unit)), article_form(title, **extra, **{"action-submit": "1"})
    )
    assert response.status_code == 302, _errors(response)
    return ArticlePage.objects.get(title=title)


def task_state(article) -> TaskState:
    return TaskState.objects.get(
        workflow_state__object_id=str(article.pk), status=TaskState.STATUS_IN_PROGRESS
    )


def act(client, article, action, comment=""):
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=[article.pk, action, task_state(article).pk]
    )
    return client.post(url, {"comment": comment})


def test_an_editor_submits_and_the_approver_publishes(cast, client_as, client):
    article = submit(client_as(cast.editor_a), cast.unit_a, "Xã An Phú họp giao ban CCHC")
    assert not article.live
    assert article.unit == cast.unit_a
    assert article.topic == Topic.ACTIVITIES
    assert WorkflowState.objects.get(object_id=str(article.pk)).status == "in_progress"

    response = act(client_as(cast.approver_a), article, "approve")
    assert response.status_code in (200, 302)
    article.refresh_from_db()
    assert article.live
    assert article.first_published_at is not None

    client.logout()
    assert "Xã An Phú họp giao ban CCHC" in client.get("/don-vi/xa-an-phu/cchc/").text
    assert "Xã An Phú họp giao ban CCHC" in client.get("/cchc/").text
    assert "Xã An Phú họp giao ban CCHC" in client.get("/cchc/rss/").text
    assert "Xã An Phú họp giao ban CCHC" in client.get("/don-vi/xa-an-phu/cchc/nhung/").text


def test_the_approver_sends_it_back_with_a_comment(cast, client_as):
    article = submit(client_as(cast.editor_a), cast.unit_a, "Tin cần sửa")
    state = task_state(article)
    act(client_as(cast.approver_a), article, "reject", "Bổ sung số liệu quý III.")
    state.refresh_from_db()
    assert state.status == TaskState.STATUS_REJECTED
    assert state.comment == "Bổ sung số liệu quý III."
    assert WorkflowState.objects.get(object_id=str(article.pk)).status == "needs_changes"
    article.refresh_from_db()
    assert not article.live


def test_an_editor_cannot_publish_directly(cast, client_as):
    client = client_as(cast.editor_a)
    client.post(
        add_url(topic_of(cast.unit_a)), article_form("Tự xuất bản", **{"action-publish": "1"})
    )
    assert not ArticlePage.objects.filter(title="Tự xuất bản", live=True).exists()


def test_another_units_approver_cannot_approve(cast, client_as):
    from cchc.org.models import Role
    from cchc.org.services import role_assign
    from conftest import make_user

    approver_b = make_user("duyettin.b")
    role_assign(actor=None, user=approver_b, role=Role.NEWS_APPROVER, unit=cast.unit_b)
    article = submit(client_as(cast.editor_a), cast.unit_a, "Tin của xã An Phú")
    act(client_as(approver_b), article, "approve")
    article.refresh_from_db()
    assert not article.live
    assert task_state(article).status == TaskState.STATUS_IN_PROGRESS


def test_a_scheduled_article_goes_live_later(cast, client_as, client):
    article = submit(
        client_as(cast.editor_a), cast.unit_a, "Tin hẹn giờ", go_live_at="2099-01-01 08:00"
    )
    act(client_as(cast.approver_a), article, "approve")
    article.refresh_from_db()
    assert not article.live
    assert article.go_live_at is not None
    client.logout()
    assert "Tin hẹn giờ" not in client.get("/don-vi/xa-an-phu/cchc/").text


def test_revisions_are_kept(cast, client_as):
    client = client_as(cast.editor_a)
    article = submit(client, cast.unit_a, "Tin có nhiều bản")
    assert article.revisions.count() == 1


def test_moving_an_article_to_another_topic_updates_its_topic(cast, client_as, publish):
    article = publish(cast.unit_a, "Tin chuyển chủ đề")
    target = topic_of(cast.unit_a, Topic.MODELS)
    response = client_as(cast.approver_a).post(
        reverse("wagtailadmin_pages:move_confirm", args=[article.pk, target.pk])
    )
    assert response.status_code == 302
    article = ArticlePage.objects.get(pk=article.pk)
    assert article.topic == Topic.MODELS
    assert article.url.startswith("/don-vi/xa-an-phu/cchc/mo-hinh-hay/")
