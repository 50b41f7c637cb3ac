"""The client's address, taken from a forwarding header only when a trusted proxy sent it.

Behind nginx every request comes from the proxy's address, so the real one is
in the header nginx sets (CLIENT_IP_HEADER, X-Forwarded-For by default). A
client that talks to the application directly could send that header too, so
it is read only when the request comes from one of TRUSTED_PROXIES (addresses
or networks, e.g. 127.0.0.1 or 10.0.0.0/24). With no trusted proxy (the
default) the header is ignored and REMOTE_ADDR is the client.

Used by sign-in throttling (django-axes, AXES_CLIENT_IP_CALLABLE) and by the
visitor statistics (hashed only), so both see the same address.
"""

from __future__ import annotations

import functools
import ipaddress

from django.conf import settings

MAX_ADDRESS_LENGTH = 64
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.cache
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip()[:MAX_ADDRESS_LENGTH])
    except ValueError:
        return None


def is_trusted_proxy(address: str) -> bool:
    ip = _address(address)
    if ip is None:
        return False
    return any(ip in net for net in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request) -> str:
    """The address of the client that made the request ("" if unknown)."""
    remote = (request.META.get("REMOTE_ADDR") or "").strip()[:MAX_ADDRESS_LENGTH]
    if not is_trusted_proxy(remote):
        return remote
    forwarded = request.META.get(settings.CLIENT_IP_HEADER) or ""
    # Each proxy appends the address it received from: walking from the right,
    # the first address that is not one of our proxies is the client. Anything
    # further left was written by the client itself and proves nothing.
    for part in reversed(forwarded.split(",")[-10:]):
        ip = _address(part)
        if ip is None:
            break
        if not is_trusted_proxy(str(ip)):
            return str(ip)
    return remote
