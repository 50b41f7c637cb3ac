"""The audit log screen (/quan-tri/nhat-ky/): Vietnamese labels, a filter by action."""

import pytest
from django.urls import reverse

from cchc.core.audit import AuditAction
from cchc.org.models import Role
from cchc.org.services import role_assign, unit_update

pytestmark = pytest.mark.django_db

URL = reverse("cchc_audit_log")


def _rename_unit_a(cast):
    unit = cast.unit_a
    unit.name = "Xã An Phú Mới"
    unit_update(actor=cast.admin, unit=unit, changed=["name"])


def test_the_log_shows_the_actions_label_not_its_code(cast, client_as):
    role_assign(actor=cast.admin, user=cast.nobody, role=Role.NEWS_EDITOR, unit=cast.unit_b)
    body = client_as(cast.admin).get(URL).content.decode()
    assert "<td>Giao vai trò</td>" in body
    assert "<td>role.assign</td>" not in body
    # The filter offers every declared action by its label.
    for value, label in AuditAction.choices:
        assert f'<option value="{value}">{label}</option>' in body


def test_the_filter_shows_only_that_action(cast, client_as):
    _rename_unit_a(cast)
    response = client_as(cast.admin).get(URL, {"thao-tac": "unit.rename"})
    body = response.content.decode()
    assert [e.action for e in response.context["page_obj"]] == ["unit.rename"]
    assert "<td>Đổi tên đơn vị</td>" in body and "<td>Thêm đơn vị</td>" not in body
    assert '<option value="unit.rename" selected>' in body


def test_an_unknown_filter_shows_everything(cast, client_as):
    response = client_as(cast.admin).get(URL, {"thao-tac": "khong.co"})
    assert response.status_code == 200
    assert response.context["action"] == ""
    assert len(response.context["page_obj"]) == 50


def test_the_filter_is_kept_across_pages(cast, client_as):
    body = client_as(cast.admin).get(URL, {"thao-tac": "unit.create"}).content.decode()
    assert "?thao-tac=unit.create&amp;p=2" in body


def test_the_provincial_leader_reads_the_log_and_a_unit_officer_is_refused(cast, client_as):
    assert client_as(cast.leader).get(URL).status_code == 200
    assert client_as(cast.officer_a).get(URL).status_code == 403


def test_the_log_runs_the_same_queries_whatever_the_filter(
    cast, client_as, django_assert_num_queries
):
    client = client_as(cast.admin)
    client.get(URL)  # session and permissions warmed
    with django_assert_num_queries(12):
        client.get(URL)
    with django_assert_num_queries(12):
        client.get(URL, {"thao-tac": "unit.create"})
