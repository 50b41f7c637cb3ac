"""Write-behind: batched page loads count exactly as the same loads one by one."""

import datetime

import pytest

from cchc.stats import services, writer
from cchc.stats.models import DailyCount, DailyDimension

from .conftest import BROWSER_UA, PHONE_UA

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 3, 10, 5, 0, tzinfo=datetime.UTC)
T = services.Target(5, 50, 51)
T2 = services.Target(5, 50, 52)


def loads():
    for ua, target, minute in (
        (BROWSER_UA, T, 0),
        (BROWSER_UA, T, 1),  # reload
        (BROWSER_UA, T2, 2),  # same visitor, another article
        (PHONE_UA, T, 3),  # another visitor
        (PHONE_UA, T, 4),
    ):
        yield dict(
            target=target,
            client_ip="203.0.113.7",
            user_agent=ua,
            referrer="https://zalo.me/x",
            now=NOON + datetime.timedelta(minutes=minute),
        )


def snapshot():
    return (
        sorted(
            DailyCount.objects.values_list("unit_id", "section_id", "page_id", "views", "visitors")
        ),
        sorted(DailyDimension.objects.values_list("unit_id", "dimension", "value", "visits")),
    )


def test_a_batch_gives_the_same_counts_as_single_writes(settings):
    for kwargs in loads():
        services.visit_record(**kwargs)
    one_by_one = snapshot()
    DailyCount.objects.all().delete()
    DailyDimension.objects.all().delete()
    services.VisitorDay.objects.all().delete()

    settings.STATS_WRITE_BEHIND_SECONDS = 3600  # only flushed by hand here
    w = writer.Writer(3600, services.visits_write)
    try:
        for kwargs in loads():
            w.add(_visit(**kwargs))
        assert not DailyCount.objects.exists()  # nothing written before the flush
        assert w.flush() == 5
    finally:
        w.stopped = True
        w.wake.set()
    assert snapshot() == one_by_one
    assert one_by_one[0][0] == (0, 0, 0, 5, 2)


def test_a_batch_continues_the_counts_already_written():
    first, *rest = list(loads())
    services.visit_record(**first)
    services.visits_write([_visit(**kwargs) for kwargs in rest])
    assert DailyCount.objects.get(unit_id=0).visitors == 2
    assert DailyCount.objects.get(page_id=51).views == 4


def test_the_cap_applies_across_batches(monkeypatch):
    monkeypatch.setattr(services, "MAX_VIEWS_PER_VISITOR_PAGE", 3)
    kwargs = next(loads())
    services.visits_write([_visit(**kwargs), _visit(**kwargs)])
    services.visits_write([_visit(**kwargs), _visit(**kwargs)])
    assert DailyCount.objects.get(page_id=51).views == 3


def test_the_beacon_hands_visits_to_the_writer_when_write_behind_is_on(settings, monkeypatch):
    added = []

    class FakeWriter:
        def add(self, visit):
            added.append(visit)

    given = []

    def fake_writer(write):
        given.append(write)
        return FakeWriter()

    monkeypatch.setattr(writer, "writer", fake_writer)
    settings.STATS_WRITE_BEHIND_SECONDS = 1
    services.visit_record(target=T, client_ip="203.0.113.7", user_agent=BROWSER_UA)
    assert len(added) == 1 and not DailyCount.objects.exists()
    assert given == [services.visits_write]  # the service hands the writer its write
    assert "203.0.113.7" not in repr(added[0]) and BROWSER_UA not in repr(added[0])


def _visit(*, target, client_ip, user_agent, referrer, now):
    day = services.timezone.localdate(now)
    return services.Visit(
        at=now,
        day=day,
        visitor=services.visitor_hash(day, client_ip, user_agent),
        target=target,
        referrer_host=services.referrer_host(referrer),
        device=services.device_type(user_agent),
    )


def test_the_writer_writes_through_the_function_it_is_given():
    batches = []
    w = writer.Writer(3600, lambda batch: batches.append(list(batch)) or len(batch))
    try:
        w.add("a")
        w.add("b")
        assert w.flush() == 2
        assert w.flush() == 0  # nothing pending: the function is not called
    finally:
        w.stopped = True
        w.wake.set()
    assert batches == [["a", "b"]]


def test_a_failed_write_keeps_the_batch_for_the_next_flush():
    calls = []

    def write(batch):
        calls.append(list(batch))
        if len(calls) == 1:
            raise RuntimeError("database down")
        return len(batch)

    w = writer.Writer(3600, write)
    try:
        w.add("a")
        assert w.flush() == 0
        w.add("b")
        assert w.flush() == 2
    finally:
        w.stopped = True
        w.wake.set()
    assert calls == [["a"], ["a", "b"]]
