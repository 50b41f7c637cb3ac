"""Generated visit history, written straight into the daily tables.

Used by the demo loader (90 days, so the dashboard has something to show)
and by the benchmark (the aggregate rows that 10 million page views produce).
The figures are consistent the way real ones are: a page's visitors never
exceed its views, a unit's visitors are at least its busiest page's, and the
referrer and device splits add up to the unit's visits.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable

from django.db import transaction

from cchc.stats.models import DailyCount, DailyDimension, Device, Dimension
from cchc.stats.services import Target

REFERRERS = [
    ("google.com.vn", 0.34),
    ("", 0.24),
    ("facebook.com", 0.2),
    ("angiang.gov.vn", 0.12),
    ("zalo.me", 0.07),
    ("baoangiang.com.vn", 0.03),
]
DEVICES = [(Device.MOBILE, 0.62), (Device.DESKTOP, 0.33), (Device.TABLET, 0.05)]
BATCH = 5000


def _split(total: int, shares: list[tuple[str, float]]) -> list[tuple[str, int]]:
    """Integer parts of `total` in proportion to `shares`, adding up exactly."""
    parts = [(name, int(total * share)) for name, share in shares]
    rest = total - sum(n for _, n in parts)
    if rest:
        parts[0] = (parts[0][0], parts[0][1] + rest)
    return parts


@transaction.atomic
def history_generate(
    *,
    unit_ids: Iterable[int],
    targets: Iterable[Target],
    start: datetime.date,
    end: datetime.date,
    views_per_day: int,
    seed: int = 2026,
) -> int:
    """Replace the rows of [start, end] for these units with generated ones.

    Returns the number of page views generated. Idempotent: the same
    arguments give the same rows.
    """
    rng = random.Random(seed)  # noqa: S311 - made-up figures, not secrets
    unit_ids = sorted(set(unit_ids))
    pages: dict[int, list[Target]] = {u: [] for u in unit_ids}
    for target in targets:
        pages.setdefault(target.unit_id, []).append(target)
    unit_ids = sorted(pages)
    # Some units' sections are read far more than others (Zipf-like weights).
    order = unit_ids[:]
    rng.shuffle(order)
    unit_weight = {u: 1 / (rank + 1) ** 0.8 for rank, u in enumerate(order)}
    weight_sum = sum(unit_weight.values())

    DailyCount.objects.filter(day__gte=start, day__lte=end, unit_id__in=[0, *unit_ids]).delete()
    DailyDimension.objects.filter(day__gte=start, day__lte=end, unit_id__in=[0, *unit_ids]).delete()

    counts: list[DailyCount] = []
    dims: list[DailyDimension] = []
    generated = 0
    day = start
    while day <= end:
        weekday_factor = 0.55 if day.weekday() >= 5 else 1.0
        day_views = int(views_per_day * weekday_factor * rng.uniform(0.8, 1.2))
        province_views = province_visitors = 0
        max_unit_visitors = 0
        for unit_id in unit_ids:
            unit_views = int(day_views * unit_weight[unit_id] / weight_sum)
            unit_pages = pages[unit_id]
            page_visitors_max = page_visitors_sum = 0
            if unit_pages and unit_views:
                shares = [1 / (i + 1) for i in range(len(unit_pages))]
                total_share = sum(shares)
                views_left = unit_views
                for i, target in enumerate(unit_pages):
                    if i == len(unit_pages) - 1:
                        views = views_left
                    else:
                        views = min(views_left, int(unit_views * shares[i] / total_share))
                    views_left -= views
                    if not views:
                        continue
                    visitors = max(1, int(views * rng.uniform(0.55, 0.8)))
                    page_visitors_max = max(page_visitors_max, visitors)
                    page_visitors_sum += visitors
                    counts.append(
                        DailyCount(
                            day=day,
                            unit_id=unit_id,
                            section_id=target.section_id,
                            page_id=target.page_id,
                            views=views,
                            visitors=visitors,
                        )
                    )
            if not unit_views:
                continue
            if unit_pages:
                unit_visitors = max(page_visitors_max, int(page_visitors_sum * 0.85))
            else:
                unit_visitors = max(1, int(unit_views * 0.7))
            counts.append(
                DailyCount(
                    day=day,
                    unit_id=unit_id,
                    section_id=0,
                    page_id=0,
                    views=unit_views,
                    visitors=unit_visitors,
                )
            )
            dims.extend(_dimensions(day, unit_id, unit_visitors))
            province_views += unit_views
            province_visitors += unit_visitors
            max_unit_visitors = max(max_unit_visitors, unit_visitors)
            generated += unit_views
        if province_views:
            visitors = max(max_unit_visitors, int(province_visitors * 0.97))
            counts.append(
                DailyCount(
                    day=day,
                    unit_id=0,
                    section_id=0,
                    page_id=0,
                    views=province_views,
                    visitors=visitors,
                )
            )
            dims.extend(_dimensions(day, 0, visitors))
        if len(counts) >= BATCH:
            DailyCount.objects.bulk_create(counts, batch_size=BATCH)
            counts = []
        if len(dims) >= BATCH:
            DailyDimension.objects.bulk_create(dims, batch_size=BATCH)
            dims = []
        day += datetime.timedelta(days=1)
    DailyCount.objects.bulk_create(counts, batch_size=BATCH)
    DailyDimension.objects.bulk_create(dims, batch_size=BATCH)
    return generated


def _dimensions(day, unit_id, visits) -> list[DailyDimension]:
    rows = []
    for dimension, shares in ((Dimension.REFERRER, REFERRERS), (Dimension.DEVICE, DEVICES)):
        for value, n in _split(visits, shares):
            if n:
                rows.append(
                    DailyDimension(
                        day=day, unit_id=unit_id, dimension=dimension, value=value, visits=n
                    )
                )
    return rows
