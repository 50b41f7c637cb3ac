"""Reporting periods: a month or a quarter, named as officials write them."""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from cchc.targets.models import PeriodKind


@dataclass(frozen=True, order=True)
class Period:
    start: datetime.date
    end: datetime.date
    kind: str

    @property
    def key(self) -> str:
        """What a form and a sheet write: '03/2025' for a month, 'Q1/2025' for a quarter."""
        if self.kind == PeriodKind.QUARTER:
            return f"Q{(self.start.month - 1) // 3 + 1}/{self.start.year}"
        return f"{self.start.month:02d}/{self.start.year}"

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.QUARTER:
            return f"Quý {(self.start.month - 1) // 3 + 1}/{self.start.year}"
        return f"Tháng {self.start.month:02d}/{self.start.year}"


def month(year: int, number: int) -> Period:
    last = calendar.monthrange(year, number)[1]
    return Period(
        datetime.date(year, number, 1), datetime.date(year, number, last), PeriodKind.MONTH
    )


def quarter(year: int, number: int) -> Period:
    first = 3 * (number - 1) + 1
    last = calendar.monthrange(year, first + 2)[1]
    return Period(
        datetime.date(year, first, 1), datetime.date(year, first + 2, last), PeriodKind.QUARTER
    )


_MONTH = re.compile(r"^(?:tháng\s*|t)?(\d{1,2})\s*[/.-]\s*(\d{4})$", re.IGNORECASE)
_QUARTER = re.compile(r"^(?:quý\s*|q)(\d)\s*[/.-]\s*(\d{4})$", re.IGNORECASE)


def parse(text: str) -> Period | None:
    """'03/2025', '3/2025', 'Tháng 3/2025', 'T3/2025', 'Q1/2025', 'Quý 1/2025'; else None."""
    text = " ".join(str(text).split())
    found = _QUARTER.match(text)
    if found and 1 <= int(found[1]) <= 4:
        return quarter(int(found[2]), int(found[1]))
    found = _MONTH.match(text)
    if found and 1 <= int(found[1]) <= 12:
        return month(int(found[2]), int(found[1]))
    return None


def of_year(year: int) -> list[Period]:
    """The year's months then quarters, as a form offers them."""
    return [month(year, m) for m in range(1, 13)] + [quarter(year, q) for q in range(1, 5)]


def last_ended_month(today: datetime.date) -> Period:
    first = today.replace(day=1) - datetime.timedelta(days=1)
    return month(first.year, first.month)
