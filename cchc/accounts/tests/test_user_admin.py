"""Wagtail's user and group screens: no one grants a right they do not hold,
no one below superuser touches a superuser, and every change is logged."""

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from cchc.accounts.user_admin import PRIVILEGE_REFUSED, SUPERUSER_REFUSED
from cchc.core.models import AuditEntry

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "Mat-khau-rat-dai-2026"


def user_form(user=None, **changes):
    data = {
        "username": user.username if user else "nguoimoi",
        "email": user.email if user else "nguoimoi@example.vn",
        "first_name": (user.first_name if user else "") or "Quản",
        "last_name": (user.last_name if user else "") or "Nguyễn Văn",
        "is_active": "on",
    }
    if user is None:
        data |= {"password1": PASSWORD, "password2": PASSWORD}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def edit_url(user):
    return reverse("wagtailusers_users:edit", args=[user.pk])


@pytest.fixture
def root(db):
    return User.objects.create_superuser(
        "hethong", "hethong@example.vn", PASSWORD, first_name="Hệ", last_name="Quản trị"
    )


def test_the_administrator_creates_a_user_and_it_is_logged(cast, client_as):
    response = client_as(cast.admin).post(reverse("wagtailusers_users:add"), user_form())
    assert response.status_code == 302
    created = User.objects.get(username="nguoimoi")
    assert not created.is_superuser
    entry = AuditEntry.objects.get(action="user.create", object_id=str(created.pk))
    assert entry.actor == cast.admin
    assert entry.data["after"]["email"] == "nguoimoi@example.vn"
    assert entry.data["password_set"] is True
    assert PASSWORD not in str(entry.data)


def test_the_administrator_cannot_make_a_user_superuser(cast, client_as):
    client = client_as(cast.admin)
    client.post(reverse("wagtailusers_users:add"), user_form())
    created = User.objects.get(username="nguoimoi")

    response = client.post(edit_url(created), user_form(created, is_superuser="on"))

    assert response.status_code == 200
    assert PRIVILEGE_REFUSED in response.content.decode()
    created.refresh_from_db()
    assert not created.is_superuser
    assert not AuditEntry.objects.filter(action="user.update").exists()


def test_the_administrator_cannot_create_a_superuser(cast, client_as):
    response = client_as(cast.admin).post(
        reverse("wagtailusers_users:add"), user_form(is_superuser="on")
    )
    assert response.status_code == 200
    assert PRIVILEGE_REFUSED in response.content.decode()
    assert not User.objects.filter(username="nguoimoi").exists()


@pytest.mark.parametrize("field", ["groups", "is_staff", "user_permissions"])
def test_the_administrator_cannot_hand_out_groups_or_permissions(cast, client_as, field):
    group = Group.objects.create(name="Nhóm thử")
    response = client_as(cast.admin).post(
        edit_url(cast.nobody), user_form(cast.nobody, **{field: str(group.pk)})
    )
    assert response.status_code == 200
    assert PRIVILEGE_REFUSED in response.content.decode()
    cast.nobody.refresh_from_db()
    assert not cast.nobody.is_staff
    assert not cast.nobody.groups.exists()
    assert not cast.nobody.user_permissions.exists()


def test_the_user_form_offers_no_groups_or_superuser_to_the_administrator(cast, client_as):
    Group.objects.create(name="Nhóm thử")
    body = client_as(cast.admin).get(edit_url(cast.nobody)).content.decode()
    assert 'name="is_superuser"' not in body
    assert 'name="groups"' not in body
    assert "Nhóm thử" not in body
    assert "Phân quyền" in body


@pytest.mark.parametrize(
    "changes",
    [
        {"password1": "Mat-khau-chiem-quyen-1", "password2": "Mat-khau-chiem-quyen-1"},
        {"email": "ke-gian@example.vn"},
        {"username": "doiten"},
        {"is_active": None},
    ],
)
def test_the_administrator_cannot_change_a_superusers_credentials(cast, client_as, root, changes):
    client = client_as(cast.admin)
    before = User.objects.get(pk=root.pk)

    assert client.get(edit_url(root)).status_code == 403
    response = client.post(edit_url(root), user_form(root, **changes))

    assert response.status_code == 403
    root.refresh_from_db()
    assert (root.password, root.email, root.username, root.is_active) == (
        before.password,
        before.email,
        before.username,
        True,
    )
    assert SUPERUSER_REFUSED


def test_the_administrator_cannot_deactivate_a_superuser_in_bulk(cast, client_as, root):
    url = reverse("wagtail_bulk_action", args=["auth", "user", "set_active_state"])
    client_as(cast.admin).post(f"{url}?id={root.pk}", {"mark_as_active": "False"})
    root.refresh_from_db()
    assert root.is_active


def test_the_administrator_cannot_put_users_in_groups_in_bulk(cast, client_as):
    group = Group.objects.create(name="Nhóm thử")
    url = reverse("wagtail_bulk_action", args=["auth", "user", "assign_role"])
    client_as(cast.admin).post(f"{url}?id={cast.nobody.pk}", {"role": group.pk})
    assert not cast.nobody.groups.exists()


def test_bulk_deactivation_is_logged(cast, client_as):
    url = reverse("wagtail_bulk_action", args=["auth", "user", "set_active_state"])
    client_as(cast.admin).post(f"{url}?id={cast.nobody.pk}", {"mark_as_active": "False"})
    cast.nobody.refresh_from_db()
    assert not cast.nobody.is_active
    entry = AuditEntry.objects.get(action="user.deactivate", object_id=str(cast.nobody.pk))
    assert entry.actor == cast.admin
    assert entry.data == {"before": {"is_active": True}, "after": {"is_active": False}}


def test_an_edit_is_logged_with_before_and_after(cast, client_as):
    response = client_as(cast.admin).post(
        edit_url(cast.nobody),
        user_form(cast.nobody, email="moi@example.vn", password1=PASSWORD, password2=PASSWORD),
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="user.update", object_id=str(cast.nobody.pk))
    assert entry.actor == cast.admin
    assert entry.data["before"] == {"email": "khongvaitro@example.vn"}
    assert entry.data["after"] == {"email": "moi@example.vn"}
    assert entry.data["password_set"] is True
    assert "đặt mật khẩu mới" in entry.summary


def test_deactivating_in_the_form_is_logged_as_such(cast, client_as):
    client_as(cast.admin).post(edit_url(cast.nobody), user_form(cast.nobody, is_active=None))
    cast.nobody.refresh_from_db()
    assert not cast.nobody.is_active
    assert AuditEntry.objects.filter(action="user.deactivate").count() == 1


def test_the_audit_log_screen_shows_user_changes(cast, client_as):
    client = client_as(cast.admin)
    client.post(edit_url(cast.nobody), user_form(cast.nobody, email="moi@example.vn"))
    body = client.get(reverse("cchc_audit_log")).content.decode()
    assert "Sửa tài khoản khongvaitro" in body


def test_a_superuser_may_grant_superuser_and_change_a_superuser(cast, client_as, root):
    client = client_as(root)
    other = User.objects.create_superuser("hethong2", "hethong2@example.vn", PASSWORD)
    response = client.post(edit_url(cast.nobody), user_form(cast.nobody, is_superuser="on"))
    assert response.status_code == 302
    response = client.post(edit_url(other), user_form(other, email="moi@example.vn"))
    assert response.status_code == 302
    cast.nobody.refresh_from_db()
    other.refresh_from_db()
    assert cast.nobody.is_superuser
    assert other.email == "moi@example.vn"
    entry = AuditEntry.objects.get(action="user.update", object_id=str(cast.nobody.pk))
    assert entry.data == {
        "before": {"is_superuser": False},
        "after": {"is_superuser": True},
        "password_set": False,
    }


def test_read_only_and_unit_roles_cannot_open_user_screens(cast, client_as):
    for user in (cast.leader, cast.editor_a, cast.officer_a):
        client = client_as(user)
        assert client.get(reverse("wagtailusers_users:index")).status_code in (302, 403)
        response = client.post(edit_url(cast.nobody), user_form(cast.nobody, email="x@example.vn"))
        assert response.status_code in (302, 403)
    cast.nobody.refresh_from_db()
    assert cast.nobody.email == "khongvaitro@example.vn"


def test_deleting_a_user_is_logged(cast, client_as, root):
    response = client_as(root).post(reverse("wagtailusers_users:delete", args=[cast.nobody.pk]))
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="user.delete")
    assert entry.data["before"]["username"] == "khongvaitro"
    assert not User.objects.filter(pk=cast.nobody.pk).exists()


def empty_formsets():
    prefixes = ("page", "collection", "document", "image")
    return {
        f"{prefix}_permissions-{field}": value
        for prefix in prefixes
        for field, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))
    }


def test_group_changes_are_logged(client_as, root):
    client = client_as(root)
    response = client.post(
        reverse("wagtailusers_groups:add"),
        {"name": "Nhóm thử"} | empty_formsets(),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    group = Group.objects.get(name="Nhóm thử")
    assert AuditEntry.objects.get(action="group.create").data["after"]["name"] == "Nhóm thử"
    client.post(
        reverse("wagtailusers_groups:edit", args=[group.pk]),
        {"name": "Nhóm đổi tên"} | empty_formsets(),
    )
    entry = AuditEntry.objects.get(action="group.update")
    assert entry.data == {"before": {"name": "Nhóm thử"}, "after": {"name": "Nhóm đổi tên"}}
    assert entry.actor == root
    client.post(reverse("wagtailusers_groups:delete", args=[group.pk]))
    assert not Group.objects.filter(pk=group.pk).exists()
    assert AuditEntry.objects.get(action="group.delete").data["before"]["name"] == "Nhóm đổi tên"


def account_form_data(response) -> dict:
    """What the account screen would post back unchanged: every panel's fields."""
    data = {}
    for panels in response.context["panels_by_tab"].values():
        for panel in panels:
            for field in panel.get_form():
                if isinstance(field.field, forms.FileField):
                    continue
                value = field.value()
                if value in (None, False):
                    continue
                data[field.html_name] = "on" if value is True else value
    return data


def test_changing_ones_own_account_is_logged(cast, client_as):
    client = client_as(cast.editor_a)
    data = account_form_data(client.get(reverse("wagtailadmin_account")))
    data["name_email-email"] = "moi@example.vn"
    data["name_email-last_name"] = "Trần"
    response = client.post(reverse("wagtailadmin_account"), data)
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="user.update", object_id=str(cast.editor_a.pk))
    assert entry.actor == cast.editor_a
    assert entry.data["after"]["email"] == "moi@example.vn"


def test_a_password_set_through_the_reset_link_is_logged(cast, client):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(cast.editor_a.pk))
    token = default_token_generator.make_token(cast.editor_a)
    url = reverse("wagtailadmin_password_reset_confirm", args=[uid, token])
    set_password = client.get(url)["Location"]
    response = client.post(set_password, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="user.set_password")
    assert entry.object_id == str(cast.editor_a.pk)
    assert entry.data["password_set"] is True


def test_a_superuser_is_still_offered_superuser_and_groups(cast, client_as, root):
    Group.objects.create(name="Nhóm thử")
    body = client_as(root).get(edit_url(cast.nobody)).content.decode()
    assert 'name="is_superuser"' in body
    assert "Nhóm thử" in body
    assert client_as(root).get(reverse("wagtailusers_users:add")).status_code == 200
