"""A role assignment changes only through role_assign / role_revoke, which log it."""

import pytest
from django.urls import reverse

from cchc.core.models import AuditEntry
from cchc.org.models import Role, RoleAssignment

pytestmark = pytest.mark.django_db


def test_editing_a_role_assignment_is_logged_and_moves_the_groups(cast, client_as):
    assignment = RoleAssignment.objects.get(user=cast.editor_a, role=Role.NEWS_EDITOR)
    url = reverse("wagtailsnippets_org_roleassignment:edit", args=[assignment.pk])
    response = client_as(cast.admin).post(
        url, {"user": cast.editor_a.pk, "role": Role.NEWS_EDITOR, "unit": cast.unit_b.pk}
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user=cast.editor_a, unit=cast.unit_b).exists()
    assert not RoleAssignment.objects.filter(user=cast.editor_a, unit=cast.unit_a).exists()
    logged = list(AuditEntry.objects.order_by("pk").values_list("action", "actor"))
    assert logged[-2:] == [("role.revoke", cast.admin.pk), ("role.assign", cast.admin.pk)]
    groups = set(cast.editor_a.groups.values_list("pk", flat=True))
    assert cast.unit_b.newsroom.editors_id in groups
    assert cast.unit_a.newsroom.editors_id not in groups


def test_assigning_and_revoking_a_role_is_logged_with_who_and_what(cast, client_as):
    client = client_as(cast.admin)
    response = client.post(
        reverse("wagtailsnippets_org_roleassignment:add"),
        {"user": cast.nobody.pk, "role": Role.CCHC_OFFICER, "unit": cast.unit_a.pk},
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=cast.nobody)
    entry = AuditEntry.objects.get(action="role.assign", object_id=str(assignment.pk))
    assert entry.actor == cast.admin
    assert "khongvaitro" in entry.summary
    client.post(reverse("wagtailsnippets_org_roleassignment:delete", args=[assignment.pk]))
    assert not RoleAssignment.objects.filter(user=cast.nobody).exists()
    assert AuditEntry.objects.filter(action="role.revoke", actor=cast.admin).exists()
