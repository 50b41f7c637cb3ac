"""Counting visits: the beacon's one write path, plus salts and pruning.

A beacon names its target with a signed token rendered into the page, so a
forged section or article cannot be counted and the beacon needs no lookup.
Page loads are written in batches (of one, by default, at beacon time; see
STATS_WRITE_BEHIND_SECONDS and writer.py), each batch in one transaction:

1. the visitor's de-duplication rows for the page, the unit and the province
   (bumping `hits` and `last_seen`; `hits == 1` means a new visitor there);
2. +1 view (and +1 visitor where new) on the page, unit and province rows;
3. for a new visit to a unit: +1 on its referrer host and device type.

`INSERT … ON CONFLICT … DO UPDATE SET n = n + excluded.n` is the same SQL on
SQLite and PostgreSQL and adds atomically (no read-modify-write, no lost
count). Django's bulk_create(update_conflicts=True) can only overwrite a
column with the new value, not add to it, hence the few lines of SQL here.
Rows are always written in the same order, the province's hot rows last, so
that concurrent transactions on PostgreSQL cannot deadlock and hold the
shared rows' locks as briefly as possible.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable, Sequence
from typing import NamedTuple
from urllib.parse import urlsplit

from crawlerdetect import CrawlerDetect
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import connection, models, transaction
from django.utils import timezone

from cchc.stats.models import (
    DailyCount,
    DailyDimension,
    DailySalt,
    Device,
    Dimension,
    Level,
    VisitorDay,
)

TOKEN_SALT = "cchc.stats.target"  # noqa: S105 - a signing namespace, not a secret
MAX_TOKEN_LENGTH = 200
MAX_USER_AGENT_LENGTH = 512
# A visitor's views of one page beyond this many in a day are not counted:
# a reload loop or a script must not inflate an article's readership.
MAX_VIEWS_PER_VISITOR_PAGE = 100
# De-duplication rows are kept this many days (today's and yesterday's are
# needed: the counter's "đang truy cập" spans midnight), then deleted.
KEEP_VISITOR_DAYS = 2
# How long the cache remembers an address's visitors (the day, and then some).
ADDRESS_MEMORY_SECONDS = 26 * 3600
# Rows per INSERT statement (well under SQLite's limit on bound parameters).
UPSERT_CHUNK = 500

_signer = signing.Signer(salt=TOKEN_SALT)
_crawlers = CrawlerDetect()
_salts: dict[datetime.date, bytes] = {}


class Target(NamedTuple):
    unit_id: int
    section_id: int
    page_id: int  # the article, or the section page itself

    @property
    def is_article(self) -> bool:
        return self.page_id != self.section_id


# Targets and tokens -------------------------------------------------------


def target_for_page(page) -> Target:
    """The counting target of a news page (any object with `stats_target()`)."""
    unit_id, section_id, article_id = page.stats_target()
    return Target(int(unit_id), int(section_id), int(article_id or section_id))


def target_token(target: Target) -> str:
    return _signer.sign(f"{target.unit_id}.{target.section_id}.{target.page_id}")


def target_from_token(token: str) -> Target | None:
    """The target a token names, or None if it is malformed or forged."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        value = _signer.unsign(token)
    except signing.BadSignature:
        return None
    parts = value.split(".")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    target = Target(*(int(p) for p in parts))
    return target if min(target) > 0 else None


# Visitors ---------------------------------------------------------------


def is_bot(user_agent: str) -> bool:
    if not user_agent or not user_agent.strip():
        return True  # real browsers always send one
    return _crawlers.is_crawler(user_agent[:MAX_USER_AGENT_LENGTH])


def day_salt(day: datetime.date) -> bytes:
    """The day's random salt, shared by every worker through the database.

    The first request of a day in each process creates it (if no other
    worker has) and deletes the salts of earlier days and stale
    de-duplication rows, so nothing can link a visitor hash to an address
    once the day is over, even if no scheduled job runs.
    """
    salt = _salts.get(day)
    if salt is None:
        DailySalt.objects.bulk_create(
            [DailySalt(day=day, secret=secrets.token_bytes(32))], ignore_conflicts=True
        )
        salt = bytes(DailySalt.objects.get(day=day).secret)
        _salts.clear()
        _salts[day] = salt
        stale_delete(today=day)
    return salt


def visitor_hash(day: datetime.date, client_ip: str, user_agent: str) -> str:
    message = f"{client_ip}\n{user_agent[:MAX_USER_AGENT_LENGTH]}".encode()
    return hmac.new(day_salt(day), message, hashlib.sha256).hexdigest()[:32]


def _address_hash(day: datetime.date, client_ip: str) -> str:
    return hmac.new(day_salt(day), f"address\n{client_ip}".encode(), hashlib.sha256).hexdigest()[
        :32
    ]


def bounded_visitor(day: datetime.date, client_ip: str, user_agent: str) -> str:
    """The visitor hash, with at most STATS_MAX_VISITORS_PER_ADDRESS per address a day.

    Offices share one address behind NAT, so one address is many visitors,
    but not without bound: past the limit, every further user agent from the
    address is one visitor (its views still count, up to the per-page cap).
    The address's visitors are remembered in the cache, under hashes salted
    for the day; with several workers the cache must be shared (REDIS_URL),
    else the bound applies per worker.
    """
    visitor = visitor_hash(day, client_ip, user_agent)
    limit = settings.STATS_MAX_VISITORS_PER_ADDRESS
    if limit <= 0:
        return visitor
    address = _address_hash(day, client_ip)
    marker = f"stats:visitor:{day:%Y%m%d}:{address}:{visitor}"
    counter = f"stats:address:{day:%Y%m%d}:{address}"
    if cache.add(marker, "", ADDRESS_MEMORY_SECONDS):
        cache.add(counter, 0, ADDRESS_MEMORY_SECONDS)
        try:
            admitted = cache.incr(counter) <= limit
        except ValueError:  # evicted in between: start again
            admitted = cache.add(counter, 1, ADDRESS_MEMORY_SECONDS)
        cache.set(marker, "ok" if admitted else "over", ADDRESS_MEMORY_SECONDS)
        return visitor if admitted else address
    # "" while a concurrent first load of this visitor is being admitted.
    return address if cache.get(marker) == "over" else visitor


_TABLET = re.compile(r"iPad|Tablet|PlayBook|Silk/|Kindle|Android(?!.*Mobile)", re.IGNORECASE)
_MOBILE = re.compile(
    r"Mobi|iPhone|iPod|Android|Windows Phone|Opera Mini|IEMobile|BlackBerry", re.IGNORECASE
)


def device_type(user_agent: str) -> str:
    ua = user_agent[:MAX_USER_AGENT_LENGTH]
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


# Counting ---------------------------------------------------------------


class Visit(NamedTuple):
    """One counted page load, as kept until it is written (no address, no user agent)."""

    at: datetime.datetime
    day: datetime.date
    visitor: str
    target: Target
    referrer_host: str
    device: str


def visit_record(
    *,
    target: Target,
    client_ip: str,
    user_agent: str,
    referrer: str = "",
    now: datetime.datetime | None = None,
) -> bool:
    """Count one page load (unless a bot's). Returns whether it was accepted.

    Written at once, or with STATS_WRITE_BEHIND_SECONDS > 0 by this process's
    writer within that many seconds, in one transaction per batch.
    """
    if is_bot(user_agent):
        return False
    now = now or timezone.now()
    day = timezone.localdate(now)
    visit = Visit(
        at=now,
        day=day,
        visitor=bounded_visitor(day, client_ip, user_agent),
        target=target,
        referrer_host=referrer_source(referrer_host(referrer)),
        device=device_type(user_agent),
    )
    if getattr(settings, "STATS_WRITE_BEHIND_SECONDS", 0) > 0:
        from cchc.stats.writer import writer

        writer().add(visit)
    else:
        visits_write([visit])
    return True


def _levels(target: Target) -> list[tuple[int, int]]:
    return [(Level.PAGE, target.page_id), (Level.UNIT, target.unit_id), (Level.PROVINCE, 0)]


@transaction.atomic
def visits_write(visits: Sequence[Visit]) -> int:
    """Add a batch of page loads to the daily tables; returns the views counted.

    For each visitor the de-duplication rows tell how many loads came before
    this batch, so the batch is the same as the loads one by one: a visitor
    is new at a level on its first load of the day there, and a view counts
    up to MAX_VIEWS_PER_VISITOR_PAGE loads of a page.
    """
    if not visits:
        return 0
    if connection.vendor == "postgresql":
        # A visit counter need not wait for the disk: a server crash may lose
        # the last fraction of a second of counts, never their consistency.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
    seen: dict[tuple, list] = {}  # (day, visitor, level, ref) -> [loads in batch, last seen]
    for v in visits:
        for level, ref in _levels(v.target):
            entry = seen.setdefault((v.day, v.visitor, int(level), ref), [0, v.at])
            entry[0] += 1
            entry[1] = max(entry[1], v.at)
    after = _visitors_seen(seen)
    before = {key: after[key] - n for key, (n, _) in seen.items()}

    counts: dict[tuple, list[int]] = {}
    dims: dict[tuple, int] = {}
    counted = 0
    for v in visits:
        t = v.target
        hits = {}
        for level, ref in _levels(t):
            key = (v.day, v.visitor, int(level), ref)
            before[key] += 1
            hits[level] = before[key]
        if hits[Level.PAGE] > MAX_VIEWS_PER_VISITOR_PAGE:
            continue
        counted += 1
        new = {level: int(n == 1) for level, n in hits.items()}
        for key, is_new in (
            ((v.day, t.unit_id, t.section_id, t.page_id), new[Level.PAGE]),
            ((v.day, t.unit_id, 0, 0), new[Level.UNIT]),
            ((v.day, 0, 0, 0), new[Level.PROVINCE]),
        ):
            row = counts.setdefault(key, [0, 0])
            row[0] += 1
            row[1] += is_new
        if new[Level.UNIT]:
            for unit_id in [t.unit_id] + ([0] if new[Level.PROVINCE] else []):
                for dimension, value in (
                    (Dimension.REFERRER, v.referrer_host),
                    (Dimension.DEVICE, v.device),
                ):
                    key = (v.day, unit_id, str(dimension), value)
                    dims[key] = dims.get(key, 0) + 1
    # Every beacon updates the province's rows (unit_id 0): written last, in
    # reverse key order, so their row locks are held only until the commit
    # (a consistent order also rules out deadlocks between batches).
    upsert_add(
        DailyDimension,
        keys=("day", "unit_id", "dimension", "value"),
        adds=("visits",),
        rows=[(*key, n) for key, n in sorted(dims.items(), reverse=True)],
    )
    upsert_add(
        DailyCount,
        keys=("day", "unit_id", "section_id", "page_id"),
        adds=("views", "visitors"),
        rows=[(*key, v, u) for key, (v, u) in sorted(counts.items(), reverse=True)],
    )
    return counted


def _columns(model: type[models.Model], names: Iterable[str]) -> list[str]:
    qn = connection.ops.quote_name
    return [qn(model._meta.get_field(name).column) for name in names]


def _adapt(value):
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    return value


def _visitors_seen(seen: dict[tuple, list]) -> dict[tuple, int]:
    """Upsert de-duplication rows; return each key's hits today including this batch."""
    table = connection.ops.quote_name(VisitorDay._meta.db_table)
    cols = _columns(VisitorDay, ("day", "visitor", "level", "ref", "hits", "last_seen"))
    day_c, visitor_c, level_c, ref_c, hits_c, seen_c = cols
    result: dict[tuple, int] = {}
    # Sorted, so that concurrent batches lock rows in the same order (no deadlock).
    items = sorted(seen.items())
    for chunk in range(0, len(items), UPSERT_CHUNK):
        part = items[chunk : chunk + UPSERT_CHUNK]
        values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(part))
        params: list = []
        for (day, visitor, level, ref), (n, last_seen) in part:
            params += [_adapt(day), visitor, level, ref, n, _adapt(last_seen)]
        sql = (
            f"INSERT INTO {table} ({', '.join(cols)}) VALUES {values} "  # noqa: S608 - names only
            f"ON CONFLICT ({day_c}, {visitor_c}, {level_c}, {ref_c}) DO UPDATE SET "
            f"{hits_c} = {table}.{hits_c} + excluded.{hits_c}, "
            f"{seen_c} = CASE WHEN excluded.{seen_c} > {table}.{seen_c} "
            f"THEN excluded.{seen_c} ELSE {table}.{seen_c} END "
            f"RETURNING {day_c}, {visitor_c}, {level_c}, {ref_c}, {hits_c}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        convert = _day_converter()
        for day, visitor, level, ref, hits in rows:
            result[(convert(day), visitor, level, ref)] = hits
    return result


def _day_converter():
    """The database returns dates from raw SQL as date (PostgreSQL) or text (SQLite)."""

    def convert(value):
        if isinstance(value, datetime.date):
            return value
        return datetime.date.fromisoformat(str(value))

    return convert


def upsert_add(
    model: type[models.Model],
    *,
    keys: Sequence[str],
    adds: Sequence[str],
    rows: Sequence[Sequence],
    replace: bool = False,
) -> None:
    """Insert rows, or add their `adds` columns to the existing rows' values.

    With replace=True the existing values are overwritten instead (idempotent
    loads such as the demo history).
    """
    if not rows:
        return
    if len(rows) > UPSERT_CHUNK:
        for chunk in range(0, len(rows), UPSERT_CHUNK):
            upsert_add(
                model,
                keys=keys,
                adds=adds,
                rows=rows[chunk : chunk + UPSERT_CHUNK],
                replace=replace,
            )
        return
    table = connection.ops.quote_name(model._meta.db_table)
    key_cols, add_cols = _columns(model, keys), _columns(model, adds)
    row_sql = "(" + ", ".join(["%s"] * (len(keys) + len(adds))) + ")"
    if replace:
        updates = ", ".join(f"{c} = excluded.{c}" for c in add_cols)
    else:
        updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in add_cols)
    sql = (
        f"INSERT INTO {table} ({', '.join(key_cols + add_cols)}) "  # noqa: S608 - names only
        f"VALUES {', '.join([row_sql] * len(rows))} "
        f"ON CONFLICT ({', '.join(key_cols)}) DO UPDATE SET {updates}"
    )
    params = [_adapt(value) for row in rows for value in row]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


# Housekeeping -------------------------------------------------------------


def stale_delete(*, today: datetime.date | None = None) -> tuple[int, int]:
    """Delete past days' salts and de-duplication rows older than KEEP_VISITOR_DAYS."""
    today = today or timezone.localdate()
    salts, _ = DailySalt.objects.filter(day__lt=today).delete()
    cutoff = today - datetime.timedelta(days=KEEP_VISITOR_DAYS - 1)
    visitors, _ = VisitorDay.objects.filter(day__lt=cutoff).delete()
    return salts, visitors
