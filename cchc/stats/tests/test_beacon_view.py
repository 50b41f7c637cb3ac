"""The public beacon (POST, from the page's script) and pixel (GET, <noscript>)."""

import pytest
from django.test import Client
from django.urls import reverse

from cchc.stats import services
from cchc.stats.models import DailyCount, DailyDimension, DailySalt, VisitorDay

from .conftest import BOT_UA, BROWSER_UA, TARGET, token_for

pytestmark = pytest.mark.django_db


def nothing_stored():
    return not (
        DailyCount.objects.exists()
        or VisitorDay.objects.exists()
        or DailyDimension.objects.exists()
    )


def page_counts(page_id):
    row = DailyCount.objects.filter(page_id=page_id).first()
    return (row.views, row.visitors) if row else (0, 0)


def test_a_beacon_counts_the_article_and_answers_204(news, send):
    response = send(news.article)
    assert response.status_code == 204
    assert response["Cache-Control"] == "no-store"
    assert page_counts(news.article.pk) == (1, 1)
    row = DailyCount.objects.get(unit_id=news.a.unit_id, section_id=0, page_id=0)
    assert (row.views, row.visitors) == (1, 1)


def test_the_beacon_needs_no_csrf_token_and_sets_no_cookie(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("stats:beacon"),
        f"t={token_for(TARGET)}",
        content_type="application/x-www-form-urlencoded",
        HTTP_USER_AGENT=BROWSER_UA,
    )
    assert response.status_code == 204
    assert not response.cookies
    assert page_counts(TARGET.page_id) == (1, 1)


def test_a_reload_counts_a_view_but_not_a_visitor(send):
    send(TARGET)
    send(TARGET)
    assert page_counts(TARGET.page_id) == (2, 1)


def test_the_pixel_counts_a_browser_without_javascript(client):
    response = client.get(
        reverse("stats:pixel"), {"t": token_for(TARGET)}, HTTP_USER_AGENT=BROWSER_UA
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "image/gif"
    assert page_counts(TARGET.page_id) == (1, 1)


def test_a_bot_gets_204_and_is_not_counted(send):
    assert send(TARGET, ua=BOT_UA).status_code == 204
    assert nothing_stored()


def test_a_bot_fetching_the_pixel_is_not_counted(client):
    client.get(reverse("stats:pixel"), {"t": token_for(TARGET)}, HTTP_USER_AGENT=BOT_UA)
    assert nothing_stored()


@pytest.mark.parametrize(
    "token",
    [
        "",
        "abc",
        "1.2.3",  # unsigned
        "1.2.3:not-the-signature",
        "x" * 5000,
        "\x00\x01",
    ],
)
def test_a_malformed_or_unsigned_token_is_refused_with_400(send, token):
    assert send(token=token).status_code == 400
    assert nothing_stored()


def test_a_forged_target_for_an_unknown_section_or_article_is_refused(news, send):
    # Only the server can sign a target; editing the ids breaks the signature.
    real = token_for(news.article)
    value, signature = real.rsplit(":", 1)
    forged_article = f"{news.a.unit_id}.{news.a.pk}.999999:{signature}"
    forged_section = f"{news.b.unit_id}.999999.{news.article.pk}:{signature}"
    assert send(token=forged_article).status_code == 400
    assert send(token=forged_section).status_code == 400
    assert nothing_stored()


def test_a_token_signed_for_zero_ids_is_refused(send):
    token = services.target_token(services.Target(0, 0, 0))
    assert send(token=token).status_code == 400
    assert nothing_stored()


def test_an_oversized_body_is_refused(client):
    body = f"t={token_for(TARGET)}&r=" + "a" * 5000
    response = client.post(
        reverse("stats:beacon"),
        body,
        content_type="application/x-www-form-urlencoded",
        HTTP_USER_AGENT=BROWSER_UA,
    )
    assert response.status_code == 400
    assert nothing_stored()


def test_a_body_that_is_not_utf8_is_refused(client):
    response = client.post(
        reverse("stats:beacon"),
        b"t=\xff\xfe",
        content_type="application/x-www-form-urlencoded",
        HTTP_USER_AGENT=BROWSER_UA,
    )
    assert response.status_code == 400
    assert nothing_stored()


def test_an_oversized_pixel_query_is_refused(client):
    response = client.get(
        reverse("stats:pixel"),
        {"t": token_for(TARGET), "r": "a" * 5000},
        HTTP_USER_AGENT=BROWSER_UA,
    )
    assert response.status_code == 400
    assert nothing_stored()


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("get", "stats:beacon"),
        ("put", "stats:beacon"),
        ("post", "stats:pixel"),
        ("delete", "stats:pixel"),
    ],
)
def test_only_post_for_the_script_and_get_for_the_pixel(client, method, name):
    response = getattr(client, method)(reverse(name), HTTP_USER_AGENT=BROWSER_UA)
    assert response.status_code == 405
    assert nothing_stored()


def test_an_empty_post_is_refused(client):
    response = client.post(
        reverse("stats:beacon"), "", content_type="text/plain", HTTP_USER_AGENT=BROWSER_UA
    )
    assert response.status_code == 400
    assert nothing_stored()


def _beacon_via(client, *, remote, forwarded):
    return client.post(
        reverse("stats:beacon"),
        f"t={token_for(TARGET)}",
        content_type="application/x-www-form-urlencoded",
        HTTP_USER_AGENT=BROWSER_UA,
        HTTP_X_FORWARDED_FOR=forwarded,
        REMOTE_ADDR=remote,
    )


def test_the_proxy_header_is_used_for_the_address_from_a_trusted_proxy(client, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for forwarded in ("203.0.113.7", "203.0.113.8"):
        _beacon_via(client, remote="127.0.0.1", forwarded=forwarded)
    assert page_counts(TARGET.page_id) == (2, 2)
    assert DailySalt.objects.count() == 1


def test_the_proxy_header_from_any_other_client_is_ignored(client, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    # One client claiming a new address with every load is one visitor.
    for n in range(5):
        _beacon_via(client, remote="203.0.113.50", forwarded=f"198.51.100.{n}")
    assert page_counts(TARGET.page_id) == (5, 1)
