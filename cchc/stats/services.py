"""Counting visits: the beacon's one write path, plus salts and pruning.

The pieces live beside this module: ``targets`` (the signed target token a
page carries), ``visitors`` (bots, devices, referrers and visitor hashes, no
database) and ``upsert`` (the `INSERT … ON CONFLICT` SQL). Page loads are
written in batches (of one, by default, at beacon time; see
STATS_WRITE_BEHIND_SECONDS and writer.py, which is handed `visits_write`),
each batch in one transaction:

1. the visitor's de-duplication rows for the page, the unit and the province
   (bumping `hits` and `last_seen`; `hits == 1` means a new visitor there);
2. +1 view (and +1 visitor where new) on the page, unit and province rows;
3. for a new visit to a unit: +1 on its referrer host and device type.

Rows are always written in the same order, the province's hot rows last, so
that concurrent transactions on PostgreSQL cannot deadlock and hold the
shared rows' locks as briefly as possible.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Sequence
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from cchc.stats import writer as write_behind
from cchc.stats.models import (
    DailyCount,
    DailyDimension,
    DailySalt,
    Dimension,
    Level,
    VisitorDay,
)
from cchc.stats.targets import (  # noqa: F401 - the beacon's names, used through services
    Target,
    target_for_page,
    target_from_token,
    target_token,
)
from cchc.stats.upsert import upsert_add, visitor_days_add
from cchc.stats.visitors import (  # noqa: F401 - the beacon's names, used through services
    address_digest,
    device_type,
    is_bot,
    referrer_host,
    referrer_source,
    visitor_digest,
)

# A visitor's views of one page beyond this many in a day are not counted:
# a reload loop or a script must not inflate an article's readership.
MAX_VIEWS_PER_VISITOR_PAGE = 100
# De-duplication rows are kept this many days (today's and yesterday's are
# needed: the counter's "đang truy cập" spans midnight), then deleted.
KEEP_VISITOR_DAYS = 2
# How long the cache remembers an address's visitors (the day, and then some).
ADDRESS_MEMORY_SECONDS = 26 * 3600

_salts: dict[datetime.date, bytes] = {}


# Visitors ---------------------------------------------------------------


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
        _admitted.clear()
        _salts[day] = salt
        stale_delete(today=day)
    return salt


def visitor_hash(day: datetime.date, client_ip: str, user_agent: str) -> str:
    return visitor_digest(day_salt(day), client_ip, user_agent)


def bounded_visitor(day: datetime.date, client_ip: str, user_agent: str) -> str:
    """The visitor hash, with at most STATS_MAX_VISITORS_PER_ADDRESS per address a day.

    Offices share one address behind NAT, so one address is many visitors,
    but not without bound: past the limit, every further user agent from the
    address is one visitor (its views still count, up to the per-page cap).
    The address's visitors are remembered in the cache, under hashes salted
    for the day; with several workers the cache must be shared (REDIS_URL),
    else the bound applies per worker. A visitor once admitted (or refused)
    stays so for the day, so each process asks the cache once per visitor.
    """
    salt = day_salt(day)
    visitor = visitor_digest(salt, client_ip, user_agent)
    limit = settings.STATS_MAX_VISITORS_PER_ADDRESS
    if limit <= 0:
        return visitor
    address = address_digest(salt, client_ip)
    decided = _admitted.get((address, visitor))
    if decided is None:
        decided = _admit(day, address, visitor, limit)
        if decided is not None:
            if len(_admitted) >= ADMITTED_MEMORY:
                _admitted.clear()
            _admitted[(address, visitor)] = decided
    return address if decided is False else visitor


# (address hash, visitor hash) -> admitted; the hashes change with the day's salt.
_admitted: dict[tuple[str, str], bool] = {}
ADMITTED_MEMORY = 100_000


def _admit(day: datetime.date, address: str, visitor: str, limit: int) -> bool | None:
    """Whether the address's visitor is within the bound (None: not decided yet)."""
    marker = f"stats:visitor:{day:%Y%m%d}:{address}:{visitor}"
    counter = f"stats:address:{day:%Y%m%d}:{address}"
    if cache.add(marker, "", ADDRESS_MEMORY_SECONDS):
        cache.add(counter, 0, ADDRESS_MEMORY_SECONDS)
        try:
            admitted = cache.incr(counter) <= limit
        except ValueError:  # evicted in between: start again
            admitted = cache.add(counter, 1, ADDRESS_MEMORY_SECONDS)
        cache.set(marker, "ok" if admitted else "over", ADDRESS_MEMORY_SECONDS)
        return admitted
    # "" while a concurrent first load of this visitor is being admitted.
    state = cache.get(marker)
    return {"ok": True, "over": False}.get(state)


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
        write_behind.writer(visits_write).add(visit)
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
    after = visitor_days_add(seen)
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


# Housekeeping -------------------------------------------------------------


def stale_delete(*, today: datetime.date | None = None) -> tuple[int, int]:
    """Delete past days' salts and de-duplication rows older than KEEP_VISITOR_DAYS."""
    today = today or timezone.localdate()
    salts, _ = DailySalt.objects.filter(day__lt=today).delete()
    cutoff = today - datetime.timedelta(days=KEEP_VISITOR_DAYS - 1)
    visitors, _ = VisitorDay.objects.filter(day__lt=cutoff).delete()
    return salts, visitors
