"""Local days as aware datetime ranges.

A day the reader picks (01/03/2026) is a day in the project's time zone
(TIME_ZONE, Asia/Ho_Chi_Minh); the database stores aware datetimes.
[start 00:00, the day after end 00:00) covers every instant of the days from
start to end, whatever the database's time zone.
"""

from __future__ import annotations

import datetime

from django.utils import timezone


def day_start(day: datetime.date) -> datetime.datetime:
    """The first instant of a local day."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def day_range(
    start: datetime.date | None, end: datetime.date | None
) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    """(lo, hi) with lo <= t < hi for every instant of the local days start..end.

    Either end may be None (an open range) and stays None.
    """
    lo = day_start(start) if start is not None else None
    hi = day_start(end + datetime.timedelta(days=1)) if end is not None else None
    return lo, hi


def year_range(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """(lo, hi) covering every instant of a local calendar year."""
    return day_start(datetime.date(year, 1, 1)), day_start(datetime.date(year + 1, 1, 1))
