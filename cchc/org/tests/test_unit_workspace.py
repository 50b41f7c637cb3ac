import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def workspace(unit):
    return reverse("cchc_unit_workspace", args=[unit.slug])


def test_an_officer_sees_their_units_workspace_with_what_they_can_do(cast, client_as):
    response = client_as(cast.officer_a).get(workspace(cast.unit_a))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Xã An Phú" in body
    assert "Vai trò của bạn tại đơn vị: <strong>Cán bộ CCHC</strong>" in body
    assert 'data-action="news.view_stats"' in body
    # The officer fills in the self-assessment; only the leader submits it.
    assert 'data-action="par.self_assess"' in body
    assert "Tự đánh giá Chỉ số CCHC, nộp tài liệu kiểm chứng" in body
    assert 'data-action="par.submit_assessment"' not in body
    # Unit dashboards have no screen yet: not promised.
    assert 'data-action="dashboards.view"' not in body
    assert cast.officer_a.username in body and cast.unit_leader_a.username in body


def test_an_officer_of_another_unit_gets_404(cast, client_as):
    assert client_as(cast.officer_b).get(workspace(cast.unit_a)).status_code == 404


def test_an_unknown_unit_is_404(cast, client_as):
    response = client_as(cast.admin).get(reverse("cchc_unit_workspace", args=["khong-co"]))
    assert response.status_code == 404


def test_the_unit_leader_submits_the_assessment_and_is_not_promised_dashboards(cast, client_as):
    body = client_as(cast.unit_leader_a).get(workspace(cast.unit_a)).text
    assert 'data-action="unit.view_workspace"' in body
    for action in ("par.self_assess", "par.submit_assessment", "par.view_assessment"):
        assert f'data-action="{action}"' in body
    assert "Phê duyệt và gửi kết quả tự đánh giá" in body
    assert 'data-action="dashboards.view"' not in body
    assert 'data-action="par.appraise"' not in body


def test_the_provincial_leader_may_read_any_workspace(cast, client_as):
    response = client_as(cast.leader).get(workspace(cast.unit_b))
    assert response.status_code == 200
    assert 'data-action="org.manage"' not in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(cast, client):
    response = client.get(workspace(cast.unit_a))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_the_workspace_runs_a_fixed_number_of_queries(cast, client_as, django_assert_num_queries):
    from cchc.org.models import Role
    from cchc.org.services import role_assign
    from conftest import make_user

    client = client_as(cast.officer_a)
    client.get(workspace(cast.unit_a))  # warm caches (site root, sessions)
    with django_assert_num_queries(17):
        assert client.get(workspace(cast.unit_a)).status_code == 200
    for n in range(5):
        role_assign(actor=None, user=make_user(f"them{n}"), role=Role.NEWS_EDITOR, unit=cast.unit_a)
    with django_assert_num_queries(17):
        assert client.get(workspace(cast.unit_a)).status_code == 200


def test_every_action_offered_has_a_vietnamese_label():
    from django.template.loader import render_to_string

    from cchc.accounts.worklist import ACTIONS_WITH_SCREENS

    for action in ACTIONS_WITH_SCREENS:
        label = render_to_string("org/includes/action_label.html", {"action": action.value})
        assert label.strip() and label.strip() != action.value, action
