import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from cchc.accounts.views import RESET_MAILS_PER_ACCOUNT, RESET_MAILS_PER_ADDRESS

pytestmark = pytest.mark.django_db
LOGIN = "/quan-tri/login/"
RESET = "/quan-tri/password_reset/"
ATTACKER = "203.0.113.66"
OFFICE = "198.51.100.20"
PROXY = "127.0.0.1"


@pytest.fixture(autouse=True)
def _fresh_counters():
    # Sign-in and reset counters live in the cache, which outlives a test's
    # database transaction.
    cache.clear()
    yield
    cache.clear()


def sign_in(client, username, password, ip="127.0.0.1", **headers):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, **headers
    )


def test_a_commune_officer_lands_on_their_communes_page(cast, client):
    response = sign_in(client, cast.officer_a.username, cast.officer_a.raw_password)
    assert response.status_code == 302
    assert response["Location"] == reverse("cchc_landing")
    landing = client.get(response["Location"])
    assert landing.status_code == 302
    assert landing["Location"] == reverse("cchc_unit_workspace", args=[cast.unit_a.slug])


def test_a_province_wide_user_lands_on_the_list_of_what_they_can_do(cast, client):
    sign_in(client, cast.admin.username, cast.admin.raw_password)
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
    sign_in(client, cast.nobody.username, cast.nobody.raw_password)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_sign_in_is_throttled_after_repeated_failures(cast, client):
    username = cast.officer_a.username
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        response = sign_in(client, username, "sai-mat-khau")
        assert response.status_code == 200
    response = sign_in(client, username, "sai-mat-khau")
    assert response.status_code == 429
    # Even the right password is refused while the account is locked here.
    response = sign_in(client, username, cast.officer_a.raw_password)
    body = response.content.decode()
    assert response.status_code == 429
    assert "Tài khoản tạm thời bị khóa do đăng nhập sai nhiều lần" in body
    assert f"{settings.LOGIN_LOCKOUT_MINUTES} phút" in body
    assert "_auth_user_id" not in client.session


def test_a_lockout_from_one_address_does_not_lock_the_user_out_elsewhere(cast, client):
    username = cast.officer_a.username
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(client, username, "sai-mat-khau", ip=ATTACKER)
    assert sign_in(client, username, cast.officer_a.raw_password, ip=ATTACKER).status_code == 429
    response = sign_in(client, username, cast.officer_a.raw_password, ip=OFFICE)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.officer_a.pk)


def test_another_user_at_the_same_address_can_still_sign_in(cast, client):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(client, cast.officer_a.username, "sai-mat-khau", ip=OFFICE)
    response = sign_in(client, cast.officer_b.username, cast.officer_b.raw_password, ip=OFFICE)
    assert response.status_code == 302


def test_guesses_spread_over_many_usernames_from_one_address_are_throttled(cast, client, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT - 1):
        assert sign_in(client, f"khong-ton-tai-{n}", "sai", ip=ATTACKER).status_code == 200
    assert sign_in(client, "khong-ton-tai-x", "sai", ip=ATTACKER).status_code == 429
    # A real account is refused from that address now, even with its password...
    response = sign_in(client, cast.officer_a.username, cast.officer_a.raw_password, ip=ATTACKER)
    assert response.status_code == 429
    # ...but not from any other.
    response = sign_in(client, cast.officer_a.username, cast.officer_a.raw_password, ip=OFFICE)
    assert response.status_code == 302


def test_the_lockout_ends_after_the_cool_off(cast, client, settings):
    username = cast.officer_a.username
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(client, username, "sai-mat-khau")
    assert sign_in(client, username, cast.officer_a.raw_password).status_code == 429
    cache.clear()  # what the cool-off's expiry does to the counters
    assert sign_in(client, username, cast.officer_a.raw_password).status_code == 302


def test_a_forwarded_address_from_an_untrusted_client_is_ignored(cast, client, settings):
    settings.TRUSTED_PROXIES = []
    username = cast.officer_a.username
    # Claiming a new address with each guess does not reset the count.
    for n in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(client, username, "sai", ip=ATTACKER, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    response = sign_in(
        client,
        username,
        cast.officer_a.raw_password,
        ip=ATTACKER,
        HTTP_X_FORWARDED_FOR="198.51.100.99",
    )
    assert response.status_code == 429


def test_a_forwarded_address_from_a_trusted_proxy_is_the_client(cast, client, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    username = cast.officer_a.username
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(client, username, "sai", ip=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER)
    locked = sign_in(
        client, username, cast.officer_a.raw_password, ip=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER
    )
    assert locked.status_code == 429
    # Everyone behind the proxy is not the attacker.
    response = sign_in(
        client, username, cast.officer_a.raw_password, ip=PROXY, HTTP_X_FORWARDED_FOR=OFFICE
    )
    assert response.status_code == 302


def test_throttling_stores_no_username_or_ip_address(cast, client):
    address = "203.0.113.219"
    for _ in range(settings.LOGIN_FAILURE_LIMIT + 1):
        sign_in(client, "ten-dang-nhap-go-sai", "sai-mat-khau", ip=address)
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                text = " ".join(str(v) for v in row)
                if address in text or "ten-dang-nhap-go-sai" in text:
                    found.append((table, row))
    assert found == []


def test_a_successful_sign_in_clears_the_failures_of_that_user_and_address(cast, client):
    username = cast.officer_a.username
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        sign_in(client, username, "sai-mat-khau")
    assert sign_in(client, username, cast.officer_a.raw_password).status_code == 302
    client.logout()
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        assert sign_in(client, username, "sai-mat-khau").status_code == 200


def test_password_reset_sends_an_email(cast, client):
    response = client.post(RESET, {"email": cast.officer_a.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert cast.officer_a.email in mail.outbox[0].to


def test_password_reset_mails_to_one_account_are_capped(cast, client):
    for n in range(10):
        response = client.post(RESET, {"email": cast.officer_a.email}, REMOTE_ADDR=f"10.0.0.{n}")
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_password_reset_done")
    assert len(mail.outbox) == RESET_MAILS_PER_ACCOUNT


def test_password_reset_mails_from_one_address_are_capped(cast, client):
    people = [
        cast.officer_a,
        cast.officer_b,
        cast.editor_a,
        cast.approver_a,
        cast.leader,
        cast.admin,
    ]
    for person in people + people:
        response = client.post(RESET, {"email": person.email}, REMOTE_ADDR=ATTACKER)
        assert response.status_code == 302
    assert len(mail.outbox) == RESET_MAILS_PER_ADDRESS


def test_password_reset_answers_the_same_for_an_unknown_address(cast, client):
    known = client.post(RESET, {"email": cast.officer_a.email})
    unknown = client.post(RESET, {"email": "khong-co-ai@example.vn"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])


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
