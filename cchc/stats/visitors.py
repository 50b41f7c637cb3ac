"""Who a page load comes from, in plain functions (no database, no cache).

Bots are told by their user agent, the device by a few patterns, a visitor by a keyed
hash of address and user agent (the key is the day's salt, which the service keeps),
and a referrer is reduced to a known host or "khác", so forged referrers cannot write
rows into dashboards and exports.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
from urllib.parse import urlsplit

import crawleruseragents
from crawlerdetect import CrawlerDetect
from django.conf import settings

from cchc.stats.models import Device

MAX_USER_AGENT_LENGTH = 512
# Distinct user agents remembered by the per-process caches below: real
# traffic repeats a few thousand browser strings, so the hot path costs a
# dictionary look-up (crawlerdetect alone takes ~1 ms per string).
USER_AGENT_CACHE_SIZE = 8192

_crawlers = CrawlerDetect()
# Every current browser (and in-app browser: Zalo, Facebook, TikTok…) sends
# "Mozilla/5.0 (platform) engine…"; scripts and tools mostly do not.
_BROWSER_SHAPE = re.compile(r"^Mozilla/5\.0 \([^)]{3,}\) ")


def is_bot(user_agent: str) -> bool:
    """A crawler, a script or a tool: not counted.

    Two maintained lists (crawlerdetect, and the crawler-user-agents patterns),
    then the shape every browser's user agent has. Cached per distinct user agent.
    """
    if not user_agent or not user_agent.strip():
        return True  # real browsers always send one
    return _is_bot(user_agent[:MAX_USER_AGENT_LENGTH])


@functools.lru_cache(maxsize=USER_AGENT_CACHE_SIZE)
def _is_bot(user_agent: str) -> bool:
    return (
        not _BROWSER_SHAPE.match(user_agent)
        or crawleruseragents.is_crawler(user_agent)
        or _crawlers.is_crawler(user_agent)
    )


def visitor_digest(salt: bytes, client_ip: str, user_agent: str) -> str:
    """One visitor for a day: address and user agent, keyed with the day's salt."""
    message = f"{client_ip}\n{user_agent[:MAX_USER_AGENT_LENGTH]}".encode()
    return hmac.new(salt, message, hashlib.sha256).hexdigest()[:32]


def address_digest(salt: bytes, client_ip: str) -> str:
    """An address for a day (the bound on visitors per address counts under it)."""
    return hmac.new(salt, f"address\n{client_ip}".encode(), hashlib.sha256).hexdigest()[:32]


_TABLET = re.compile(r"iPad|Tablet|PlayBook|Silk/|Kindle|Android(?!.*Mobile)", re.IGNORECASE)
_MOBILE = re.compile(
    r"Mobi|iPhone|iPod|Android|Windows Phone|Opera Mini|IEMobile|BlackBerry", re.IGNORECASE
)


def device_type(user_agent: str) -> str:
    return _device_type(user_agent[:MAX_USER_AGENT_LENGTH])


@functools.lru_cache(maxsize=USER_AGENT_CACHE_SIZE)
def _device_type(ua: str) -> str:
    if _TABLET.search(ua):
        return Device.TABLET
    if _MOBILE.search(ua):
        return Device.MOBILE
    return Device.DESKTOP


_HOST = re.compile(r"^[a-z0-9.-]{1,100}$")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_TLD = re.compile(r"^(?:[a-z]{2,24}|xn--[a-z0-9-]{1,59})$")
# Where CCHC readers come from: search engines, social networks and
# messaging, the press. With the portal's own hosts, *.gov.vn, *.edu.vn and
# STATS_REFERRER_HOSTS, the only hosts kept; any other is counted as OTHER,
# so forged referrers cannot write rows (spam) into dashboards and exports.
KNOWN_REFERRERS = (
    "google.com",
    "google.com.vn",
    "bing.com",
    "coccoc.com",
    "duckduckgo.com",
    "yahoo.com",
    "yandex.ru",
    "facebook.com",
    "fb.com",
    "zalo.me",
    "youtube.com",
    "tiktok.com",
    "x.com",
    "t.co",
    "linkedin.com",
    "instagram.com",
    "baoangiang.com.vn",
    "baochinhphu.vn",
    "vnexpress.net",
    "tuoitre.vn",
    "thanhnien.vn",
    "dantri.com.vn",
    "vietnamnet.vn",
    "nhandan.vn",
)
KNOWN_SUFFIXES = ("gov.vn", "edu.vn")
OTHER_REFERRER = "khác"


def referrer_host(referrer: str) -> str:
    """Host only ("" for a direct visit); paths and queries are never kept."""
    if not referrer:
        return ""
    try:
        host = (urlsplit(referrer[:2000]).hostname or "").lower()
    except ValueError:
        return ""
    host = host.removeprefix("www.")
    if host and not _HOST.match(host):
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return ""
    return host if _HOST.match(host) else ""


def _plausible(host: str) -> bool:
    labels = host.split(".")
    return (
        len(labels) >= 2 and all(_LABEL.match(x) for x in labels) and bool(_TLD.match(labels[-1]))
    )


def _own_hosts() -> set[str]:
    hosts = {h.lstrip(".").removeprefix("www.") for h in settings.ALLOWED_HOSTS if h != "*"}
    base = urlsplit(settings.BASE_URL).hostname
    if base:
        hosts.add(base.removeprefix("www."))
    return hosts


def referrer_source(host: str) -> str:
    """The referrer as counted: "" (direct), a known host, or OTHER_REFERRER."""
    if not host:
        return ""
    if not _plausible(host):
        return OTHER_REFERRER
    known = (*KNOWN_REFERRERS, *KNOWN_SUFFIXES, *settings.STATS_REFERRER_HOSTS, *_own_hosts())
    if any(host == k or host.endswith("." + k) for k in known):
        return host
    return OTHER_REFERRER
