"""Wagtail page screens that asked nothing about the page or the user (cchc/news/page_access.py).

The workflow cancellation summary, the workflow task chooser and the page
types report each showed another unit's page or task; the page chooser
offered pages to people who edit none.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from cchc.news.models import Newsroom
from cchc.news.tests.conftest import topic_of
from cchc.news.tests.test_page_access import SECRET, _draft, _text, _unit_a_roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("sieu.h9", "sieu.h9@example.vn", "x")


def test_the_cancellation_summary_of_another_units_page_is_404(cast, client_as):
    draft_b = _draft(cast.editor_b, cast.unit_b, SECRET)
    url = reverse("wagtailadmin_pages:confirm_workflow_cancellation", args=[draft_b.pk])
    assert client_as(cast.editor_b).get(url).status_code == 200
    for user in [*_unit_a_roles(cast), cast.leader]:
        response = client_as(user).get(url)
        assert response.status_code == 404, user
        assert SECRET not in _text(response), user


def test_the_workflow_task_chooser_is_for_workflow_managers_only(cast, client_as, superuser):
    task = Newsroom.objects.get(unit=cast.unit_b).workflow.tasks.first()
    urls = [
        reverse("wagtailadmin_workflows:task_chooser"),
        reverse("wagtailadmin_workflows:task_chooser_results"),
        reverse("wagtailadmin_workflows:task_chosen", args=[task.pk]),
    ]
    for url in urls:
        assert client_as(superuser).get(url).status_code == 200, url
        for user in [*_unit_a_roles(cast), cast.editor_b, cast.admin, cast.leader]:
            response = client_as(user).get(url)
            assert response.status_code == 403, (url, user)
            assert task.name not in _text(response), (url, user)


def test_the_page_types_report_is_for_those_who_see_every_page(cast, client_as):
    _draft(cast.editor_b, cast.unit_b, SECRET)
    urls = [
        reverse("wagtailadmin_reports:page_types_usage"),
        reverse("wagtailadmin_reports:page_types_usage_results"),
    ]
    for url in urls:
        assert client_as(cast.admin).get(url).status_code == 200, url
        for user in [cast.editor_a, cast.approver_a, cast.editor_b, cast.leader]:
            response = client_as(user).get(url)
            assert response.status_code == 403, (url, user)
            assert SECRET not in _text(response), (url, user)


def test_the_reports_menu_offers_the_page_types_report_only_to_them(cast, client_as):
    reports = reverse("wagtailadmin_reports:page_types_usage")
    assert reports in client_as(cast.admin).get(reverse("wagtailadmin_home")).text
    assert reports not in client_as(cast.editor_a).get(reverse("wagtailadmin_home")).text


def test_the_page_chooser_is_404_to_those_who_edit_no_page(cast, client_as):
    urls = [
        reverse("wagtailadmin_choose_page"),
        reverse("wagtailadmin_choose_page_child", args=[topic_of(cast.unit_b).pk]),
        reverse("wagtailadmin_choose_page_search") + "?q=tin",
    ]
    for url in urls:
        assert client_as(cast.editor_a).get(url).status_code == 200, url
        for user in (cast.officer_a, cast.unit_leader_a, cast.appraiser, cast.leader):
            assert client_as(user).get(url).status_code == 404, (url, user)
