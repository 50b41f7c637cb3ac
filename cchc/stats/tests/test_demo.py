"""The demo loader: 90 days of history in the daily tables, the same when run twice."""

import io

import pytest
from django.db.models import Sum
from wagtail import hooks

from cchc.core import hooks as cchc_hooks
from cchc.stats.demo import DEMO_DAYS, demo_load
from cchc.stats.models import DailyCount, DailyDimension
from cchc.stats.wagtail_hooks import load_demo_visits

pytestmark = pytest.mark.django_db


def totals():
    return (
        DailyCount.objects.count(),
        DailyCount.objects.aggregate(v=Sum("views"), u=Sum("visitors")),
        DailyDimension.objects.aggregate(n=Sum("visits")),
    )


def test_the_demo_loader_is_registered():
    assert load_demo_visits in hooks.get_hooks(cchc_hooks.DEMO_LOAD)


def test_demo_history_covers_every_section_and_is_idempotent(news):
    out = io.StringIO()
    demo_load(out)
    first = totals()
    demo_load(out)
    assert totals() == first
    days = DailyCount.objects.filter(unit_id=0).count()
    assert days == DEMO_DAYS
    units_with_rows = set(
        DailyCount.objects.filter(page_id=0, unit_id__gt=0).values_list("unit_id", flat=True)
    )
    assert {news.a.unit_id, news.b.unit_id, news.province.unit_id} <= units_with_rows
    assert DailyCount.objects.filter(page_id=news.article.pk).exists()
    # Consistent like real counts: page visitors never exceed views; devices add up.
    province = DailyCount.objects.filter(unit_id=0).aggregate(u=Sum("visitors"))["u"]
    devices = DailyDimension.objects.filter(unit_id=0, dimension="dev").aggregate(n=Sum("visits"))[
        "n"
    ]
    assert devices == province
    assert "Thống kê truy cập" in out.getvalue()
