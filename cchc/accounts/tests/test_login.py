import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from cchc.accounts.models import LoginFailure

pytestmark = pytest.mark.django_db
LOGIN = "/quan-tri/login/"


def sign_in(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_a_commune_officer_lands_on_their_communes_page(cast, client):
    response = sign_in(client, "canbo.a", cast.officer_a.raw_password)
    assert response.status_code == 302
    assert response["Location"] == reverse("cchc_landing")
    landing = client.get(response["Location"])
    assert landing.status_code == 302
    assert landing["Location"] == reverse("cchc_unit_workspace", args=["xa-an-phu"])


def test_a_province_wide_user_lands_on_the_list_of_what_they_can_do(cast, client):
    sign_in(client, "quantri", cast.admin.raw_password)
    response = client.get(reverse("cchc_landing"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Quản trị viên Sở Nội vụ" in body
    assert "Quản lý đơn vị" in body


def test_the_read_only_leader_is_not_offered_changes(cast, client_as):
    body = client_as(cast.leader).get(reverse("cchc_landing")).content.decode()
    assert "Xem danh sách đơn vị" in body
    assert "Quản lý đơn vị" not in body


def test_a_user_without_roles_cannot_enter_the_back_office(cast, client):
    sign_in(client, "khongvaitro", cast.nobody.raw_password)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_sign_in_is_throttled_after_repeated_failures(cast, client):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        response = sign_in(client, "canbo.a", "sai-mat-khau")
        assert response.status_code == 200
    # Even the right password is refused while the account is locked.
    response = sign_in(client, "canbo.a", cast.officer_a.raw_password)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Tài khoản tạm thời bị khóa do đăng nhập sai nhiều lần" in body
    assert "_auth_user_id" not in client.session


def test_throttling_stores_no_username_or_ip_address(cast, client):
    sign_in(client, "canbo.a", "sai-mat-khau")
    keys = list(LoginFailure.objects.values_list("key", flat=True))
    assert len(keys) == 2  # one per account, one per client
    for key in keys:
        assert "canbo" not in key and "127.0.0.1" not in key
        assert len(key) == 64


def test_a_successful_sign_in_clears_the_accounts_failures(cast, client):
    sign_in(client, "canbo.a", "sai-mat-khau")
    sign_in(client, "canbo.a", cast.officer_a.raw_password)
    assert LoginFailure.objects.count() == 1  # the client's count remains


def test_password_reset_sends_an_email(cast, client):
    response = client.post("/quan-tri/password_reset/", {"email": "canbo.a@example.vn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "canbo.a@example.vn" in mail.outbox[0].to


def test_sessions_expire():
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_passwords_are_hashed_with_argon2_outside_tests():
    from cchc import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_the_sign_in_page_speaks_vietnamese(client):
    body = client.get(LOGIN).content.decode()
    assert "Mật khẩu" in body and "Tên đăng nhập" in body and "Quên mật khẩu?" in body
    assert ">Password" not in body
