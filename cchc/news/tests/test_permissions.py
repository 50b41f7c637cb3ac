"""Editors and approvers touch their own unit's section only; read-only roles change nothing."""

import pytest
from django.urls import reverse
from wagtail.models import Page

from cchc.news.models import ArticlePage, SectionPage
from cchc.org.models import Role
from cchc.org.services import role_assign, role_revoke

from .conftest import add_url, article_form, topic_of

pytestmark = pytest.mark.django_db


def test_an_editor_of_unit_b_cannot_add_under_unit_a(cast, client_as):
    client = client_as(cast.editor_b)
    topic = topic_of(cast.unit_a)
    assert client.get(add_url(topic)).status_code == 403
    response = client.post(add_url(topic), article_form("Tin xâm nhập", **{"action-submit": "1"}))
    assert response.status_code == 403
    assert not ArticlePage.objects.filter(title="Tin xâm nhập").exists()


def test_an_editor_of_unit_b_cannot_edit_unit_as_article(cast, client_as, publish):
    article = publish(cast.unit_a, "Tin của An Phú")
    client = client_as(cast.editor_b)
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    assert client.get(url).status_code == 403
    client.post(url, article_form("Đã bị sửa", **{"action-submit": "1"}))
    assert ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object().title == (
        "Tin của An Phú"
    )


def test_an_editor_of_unit_a_can_write_in_unit_a(cast, client_as):
    assert client_as(cast.editor_a).get(add_url(topic_of(cast.unit_a))).status_code == 200


def test_page_permissions_follow_the_units(cast):
    section_a = SectionPage.objects.get(unit=cast.unit_a)
    section_b = SectionPage.objects.get(unit=cast.unit_b)
    topic_a = topic_of(cast.unit_a)
    assert topic_a.permissions_for_user(cast.editor_a).can_add_subpage()
    assert not topic_a.permissions_for_user(cast.editor_b).can_add_subpage()
    assert not section_b.permissions_for_user(cast.editor_a).can_edit()
    assert not topic_a.permissions_for_user(cast.editor_a).can_publish_subpage()
    assert topic_a.permissions_for_user(cast.approver_a).can_publish_subpage()
    assert not section_a.permissions_for_user(cast.leader).can_edit()


def test_the_provincial_leader_gets_403_on_edits(cast, client_as, publish):
    article = publish(cast.unit_a, "Tin để xem")
    client = client_as(cast.leader)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).status_code == 403
    assert client.get(add_url(topic_of(cast.unit_a))).status_code == 403
    assert client.get(reverse("cchc_news_desk", args=["xa-an-phu"])).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(cast, client, publish):
    article = publish(cast.unit_a, "Tin công khai")
    for url in (
        add_url(topic_of(cast.unit_a)),
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        reverse("cchc_news_desk", args=["xa-an-phu"]),
        reverse("cchc_news_desk_index"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/quan-tri/login/"), url


def test_sections_and_topics_cannot_be_deleted_by_approvers(cast, client_as):
    topic = topic_of(cast.unit_a)
    client_as(cast.approver_a).post(reverse("wagtailadmin_pages:delete", args=[topic.pk]))
    assert Page.objects.filter(pk=topic.pk).exists()


def test_role_assignments_keep_editorial_groups_in_step(cast):
    from conftest import make_user

    user = make_user("bientap.moi")
    assignment = role_assign(actor=None, user=user, role=Role.NEWS_EDITOR, unit=cast.unit_b)
    topic_b = topic_of(cast.unit_b)
    assert topic_b.permissions_for_user(user).can_add_subpage()
    role_revoke(actor=None, assignment=assignment)
    user = type(user).objects.get(pk=user.pk)  # permissions are cached on the instance
    assert not topic_of(cast.unit_b).permissions_for_user(user).can_add_subpage()
    assert not user.groups.exists()


def test_the_sở_nội_vụ_admin_edits_and_approves_every_section(cast):
    topic_b = topic_of(cast.unit_b)
    assert topic_b.permissions_for_user(cast.admin).can_add_subpage()
    assert topic_b.permissions_for_user(cast.admin).can_publish_subpage()
