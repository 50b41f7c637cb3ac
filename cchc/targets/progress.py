"""Where an indicator stands for a unit: a pure function over plain data (no ORM).

``status(series, target, direction, deadline, today)`` reads a series of
``(period end, value)`` points, where a value of ``None`` (a denominator of zero:
no percentage can be computed) is no point at all, and answers:

1. **Chưa có số liệu** (no data): no point with a value.
2. **Đạt** (achieved): the latest value meets the target (``>=`` when higher is
   better, ``<=`` when lower is better; exactly on target is met).
3. **Không đạt / chậm tiến độ** (off track): the deadline has passed
   (``today > deadline``) without the latest value meeting it. On the deadline
   day itself the unit still has that day.
4. Otherwise the value is projected to the deadline: from the latest value along
   the least-squares trend (value per day) of every point of the series, over the
   days from the latest period's end to the deadline. One point has no trend, so
   its projection is the value itself.
   - **Đúng tiến độ** (on track): the projection meets the target;
   - **Có nguy cơ** (at risk): it misses by no more than ``AT_RISK_MARGIN`` of
     the target (10 %: 8 points for an 80 % target, 1,5 places for a rank of 15);
   - **Chậm tiến độ** (off track): it misses by more.

A worsening trend is projected the same way, so a unit at 79 % of an 80 % target
whose figures fall is at risk or off track, not on track.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum

AT_RISK_MARGIN = Decimal("0.10")


class Status(StrEnum):
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NO_DATA = "no_data"

    @property
    def label(self) -> str:
        return LABELS[self]

    @property
    def icon(self) -> str:
        """A sign beside the colour, so the status never depends on colour alone."""
        return ICONS[self]


LABELS = {
    Status.ACHIEVED: "Đạt",
    Status.ON_TRACK: "Đúng tiến độ",
    Status.AT_RISK: "Có nguy cơ",
    Status.OFF_TRACK: "Chậm tiến độ",
    Status.NO_DATA: "Chưa có số liệu",
}
ICONS = {
    Status.ACHIEVED: "✔",
    Status.ON_TRACK: "↗",
    Status.AT_RISK: "⚠",
    Status.OFF_TRACK: "✖",
    Status.NO_DATA: "–",
}
WARNING_STATUSES = (Status.AT_RISK, Status.OFF_TRACK)

Point = tuple[datetime.date, Decimal | None]


def _meets(value: Decimal, target: Decimal, direction: str) -> bool:
    return value <= target if direction == "lower" else value >= target


def slope_per_day(points: list[tuple[datetime.date, Decimal]]) -> Decimal:
    """Least-squares slope of value over days; 0 with fewer than two distinct days."""
    if len(points) < 2:
        return Decimal(0)
    origin = points[0][0]
    xs = [Decimal((day - origin).days) for day, _ in points]
    ys = [value for _, value in points]
    n = Decimal(len(points))
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    spread = sum((x - mean_x) ** 2 for x in xs)
    if not spread:
        return Decimal(0)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread


def projection(points: Iterable[Point], deadline: datetime.date) -> Decimal | None:
    """The latest value carried along the trend to the deadline; None without data."""
    known = sorted((day, Decimal(v)) for day, v in points if v is not None)
    if not known:
        return None
    last_day, last_value = known[-1]
    days = Decimal(max((deadline - last_day).days, 0))
    return last_value + slope_per_day(known) * days


def status(
    series: Iterable[Point],
    target: Decimal,
    direction: str,
    deadline: datetime.date,
    today: datetime.date,
) -> Status:
    """The status of one indicator for one unit (the module docstring gives the rule)."""
    known = sorted((day, Decimal(v)) for day, v in series if v is not None)
    if not known:
        return Status.NO_DATA
    target = Decimal(target)
    latest = known[-1][1]
    if _meets(latest, target, direction):
        return Status.ACHIEVED
    if today > deadline:
        return Status.OFF_TRACK
    projected = projection(known, deadline)
    if _meets(projected, target, direction):
        return Status.ON_TRACK
    if abs(target - projected) <= abs(target) * AT_RISK_MARGIN:
        return Status.AT_RISK
    return Status.OFF_TRACK
