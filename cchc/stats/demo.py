"""Demo visit history: the last 90 days, so the dashboard has content."""

from __future__ import annotations

import datetime

from django.utils import timezone

from cchc.news import selectors as news_selectors
from cchc.news.models import SectionPage
from cchc.org.models import Unit, UnitType
from cchc.stats.history import history_generate
from cchc.stats.services import target_for_page

DEMO_DAYS = 90
DEMO_VIEWS_PER_DAY = 6000


def demo_targets() -> tuple[list[int], list]:
    """Every unit with a CCHC section and each of its live pages' targets."""
    section_pages = list(SectionPage.objects.live())
    articles = list(news_selectors.live_articles())
    targets = [target_for_page(p) for p in [*section_pages, *articles]]
    unit_ids = [s.unit_id for s in section_pages]
    if not unit_ids:  # no news sections yet: unit-level history only
        unit_ids = list(
            Unit.objects.active().exclude(unit_type=UnitType.PROVINCE).values_list("pk", flat=True)
        )
    return unit_ids, targets


def demo_load(stdout) -> None:
    unit_ids, targets = demo_targets()
    today = timezone.localdate()
    views = history_generate(
        unit_ids=unit_ids,
        targets=targets,
        start=today - datetime.timedelta(days=DEMO_DAYS),
        end=today - datetime.timedelta(days=1),
        views_per_day=DEMO_VIEWS_PER_DAY,
    )
    stdout.write(
        f"Thống kê truy cập: đã tạo {views:,} lượt xem mẫu trong {DEMO_DAYS} ngày "
        f"cho {len(unit_ids)} đơn vị."
    )
