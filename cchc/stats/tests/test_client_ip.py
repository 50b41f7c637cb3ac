"""cchc.lib.client_ip: the forwarding header counts only from a trusted proxy."""

import pytest
from django.test import RequestFactory

from cchc.lib.client_ip import client_ip


def request(remote, forwarded=None, **meta):
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", REMOTE_ADDR=remote, **meta)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request("203.0.113.5", "198.51.100.1")) == "203.0.113.5"


def test_from_a_trusted_proxy_the_address_it_forwarded_is_the_client(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_ip(request("127.0.0.1", "198.51.100.1")) == "198.51.100.1"


def test_a_value_the_client_put_before_the_proxy_is_not_believed(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    # The client sent "X-Forwarded-For: 1.2.3.4"; two proxies appended what they saw.
    forwarded = "1.2.3.4, 198.51.100.7, 10.0.0.2"
    assert client_ip(request("10.0.0.3", forwarded)) == "198.51.100.7"


@pytest.mark.parametrize("forwarded", ["", "not-an-address", "127.0.0.1"])
def test_a_missing_or_bad_header_from_the_proxy_leaves_the_proxy_address(settings, forwarded):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_ip(request("127.0.0.1", forwarded)) == "127.0.0.1"


def test_the_header_is_configurable(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    req = request("127.0.0.1", "198.51.100.1", HTTP_X_REAL_IP="198.51.100.2")
    assert client_ip(req) == "198.51.100.2"
