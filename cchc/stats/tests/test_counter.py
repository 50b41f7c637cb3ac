"""The public counter: selectors.counter_numbers and {% visit_counter %}."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone

from cchc.org.models import CommuneKind, Unit, UnitType
from cchc.org.services import unit_merge
from cchc.stats import selectors, services
from cchc.stats.history import history_generate
from cchc.stats.selectors import Counter

from .conftest import BROWSER_UA, PHONE_UA

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 3, 10, 15, 0))


def visit(unit, *, page_id=900, when=NOW, ip="203.0.113.7", ua=BROWSER_UA):
    services.visit_record(
        target=services.Target(unit.pk, 800 + unit.pk, page_id),
        client_ip=ip,
        user_agent=ua,
        now=when,
    )


def test_counter_counts_visits_today_yesterday_this_month_and_in_total(cast):
    visit(cast.unit_a)
    visit(cast.unit_a)  # a reload: no new visit
    visit(cast.unit_a, ua=PHONE_UA)
    visit(cast.unit_a, when=NOW - datetime.timedelta(days=1))
    visit(cast.unit_a, when=NOW - datetime.timedelta(days=9))
    visit(cast.unit_a, when=NOW - datetime.timedelta(days=40))  # February
    assert selectors.counter_numbers(cast.unit_a.pk, now=NOW) == Counter(
        online=2, today=2, yesterday=1, month=4, total=5
    )


def test_online_counts_visitors_seen_in_the_last_five_minutes(cast):
    visit(cast.unit_a, when=NOW - datetime.timedelta(minutes=3))
    visit(cast.unit_a, ua=PHONE_UA, when=NOW - datetime.timedelta(minutes=6))
    assert selectors.counter_numbers(cast.unit_a.pk, now=NOW).online == 1


def test_a_units_counter_shows_only_that_unit(cast):
    visit(cast.unit_a)
    visit(cast.unit_b, ua=PHONE_UA)
    assert selectors.counter_numbers(cast.unit_a.pk, now=NOW).today == 1


def test_the_provinces_counter_rolls_up_every_section_once_per_visitor(cast):
    visit(cast.unit_a)
    visit(cast.unit_b)  # same visitor in another unit: one province visit
    visit(cast.province, ua=PHONE_UA)
    numbers = selectors.counter_numbers(cast.province.pk, now=NOW)
    assert (numbers.online, numbers.today, numbers.total) == (2, 2, 2)


def test_a_merged_units_counter_includes_its_predecessors_history(cast):
    visit(cast.unit_a, when=NOW - datetime.timedelta(days=1))
    visit(cast.unit_b, ua=PHONE_UA, when=NOW - datetime.timedelta(days=1))
    merged = unit_merge(
        actor=cast.admin,
        predecessors=[cast.unit_a, cast.unit_b],
        successor=Unit(
            name="Phường Long Xuyên mới",
            code="P900",
            slug="phuong-long-xuyen-moi",
            unit_type=UnitType.COMMUNE,
            commune_kind=CommuneKind.PHUONG,
            parent=cast.province,
        ),
        effective_date=timezone.localdate(NOW),
    )
    visit(merged)
    numbers = selectors.counter_numbers(merged.pk, now=NOW)
    assert (numbers.today, numbers.yesterday, numbers.total) == (1, 2, 3)


def test_the_counter_is_cached_for_a_few_seconds(cast, settings, django_assert_num_queries):
    settings.STATS_COUNTER_CACHE_SECONDS = 10
    selectors.counter_numbers(cast.unit_a.pk)
    with django_assert_num_queries(0):
        selectors.counter_numbers(cast.unit_a.pk)


def test_counter_for_an_unknown_unit_is_zero(db):
    assert selectors.counter_numbers(987654, now=NOW) == Counter()


def render_counter(page):
    return Template("{% load stats_tags %}{% visit_counter page %}").render(Context({"page": page}))


def test_the_counter_box_has_the_five_labelled_numbers_with_dot_separators(cast):
    history_generate(
        unit_ids=[cast.unit_a.pk],
        targets=[],
        start=timezone.localdate() - datetime.timedelta(days=400),
        end=timezone.localdate() - datetime.timedelta(days=1),
        views_per_day=20000,
    )
    visit(cast.unit_a, when=timezone.now())

    class Section:
        pk = 4242

        def stats_target(self):
            return (cast.unit_a.pk, 4242, None)

    html = render_counter(Section())
    for label in ("Đang truy cập", "Hôm nay", "Hôm qua", "Tháng này", "Tổng lượt truy cập"):
        assert f"<dt>{label}</dt>" in html
    assert 'aria-labelledby="dem-truy-cap-4242"' in html
    assert 'id="dem-truy-cap-4242"' in html
    assert '<dd data-stat="today">1</dd>' in html
    total = selectors.counter_numbers(cast.unit_a.pk).total
    assert total > 1_000_000
    assert f'<dd data-stat="total">{total:,}</dd>'.replace(",", ".") in html
