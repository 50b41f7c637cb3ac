"""services.visit_record: what one page load adds to the daily tables."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from cchc.stats import services
from cchc.stats.models import DailyCount, DailyDimension, DailySalt, Level, VisitorDay

from .conftest import BOT_UA, BROWSER_UA, PHONE_UA, TABLET_UA

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC)
DAY = timezone.localdate(NOON)


def record(target, *, ip="203.0.113.7", ua=BROWSER_UA, referrer="", now=NOON):
    return services.visit_record(
        target=target, client_ip=ip, user_agent=ua, referrer=referrer, now=now
    )


def counts(day=DAY):
    return {
        (r.unit_id, r.section_id, r.page_id): (r.views, r.visitors)
        for r in DailyCount.objects.filter(day=day)
    }


T = services.Target(unit_id=5, section_id=50, page_id=51)
T_SECTION = services.Target(unit_id=5, section_id=50, page_id=50)
T_OTHER_UNIT = services.Target(unit_id=6, section_id=60, page_id=61)


def test_a_page_load_adds_a_view_and_a_visitor_to_page_unit_and_province():
    assert record(T) is True
    assert counts() == {(5, 50, 51): (1, 1), (5, 0, 0): (1, 1), (0, 0, 0): (1, 1)}


def test_a_reload_adds_a_view_but_not_a_visitor():
    record(T)
    record(T, now=NOON + datetime.timedelta(minutes=1))
    assert counts() == {(5, 50, 51): (2, 1), (5, 0, 0): (2, 1), (0, 0, 0): (2, 1)}


def test_a_second_page_of_the_same_unit_is_a_new_visitor_of_that_page_only():
    record(T)
    record(T_SECTION)
    assert counts() == {
        (5, 50, 51): (1, 1),
        (5, 50, 50): (1, 1),
        (5, 0, 0): (2, 1),
        (0, 0, 0): (2, 1),
    }


def test_another_units_section_is_a_new_visitor_of_that_unit_not_of_the_province():
    record(T)
    record(T_OTHER_UNIT)
    got = counts()
    assert got[(6, 0, 0)] == (1, 1)
    assert got[(0, 0, 0)] == (2, 1)


def test_another_address_or_browser_is_another_visitor():
    record(T)
    record(T, ip="198.51.100.4")
    record(T, ua=PHONE_UA)
    assert counts()[(5, 50, 51)] == (3, 3)


def test_the_same_visitor_counts_again_the_next_day():
    record(T)
    record(T, now=NOON + datetime.timedelta(days=1))
    assert counts(DAY)[(5, 50, 51)] == (1, 1)
    assert counts(DAY + datetime.timedelta(days=1))[(5, 50, 51)] == (1, 1)


@pytest.mark.parametrize(
    "ua",
    [
        BOT_UA,
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "curl/8.5.0",
        "python-requests/2.32.3",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "HeadlessChrome/124.0.0.0 Safari/537.36",
        "",
        "   ",
    ],
)
def test_bots_and_missing_user_agents_are_not_counted(ua):
    assert record(T, ua=ua) is False
    assert not DailyCount.objects.exists()
    assert not VisitorDay.objects.exists()


def test_views_beyond_the_daily_cap_per_visitor_and_page_are_not_counted(monkeypatch):
    monkeypatch.setattr(services, "MAX_VIEWS_PER_VISITOR_PAGE", 3)
    for _ in range(5):
        record(T)
    assert counts()[(5, 50, 51)] == (3, 1)


def test_referrer_is_kept_as_host_only_and_once_per_visit():
    record(T, referrer="https://www.Google.com.vn/search?q=cai+cach+hanh+chinh&uid=42")
    record(T_SECTION, referrer="https://angiang.gov.vn/cchc/")
    rows = {(r.unit_id, r.value): r.visits for r in DailyDimension.objects.filter(dimension="ref")}
    assert rows == {(5, "google.com.vn"): 1, (0, "google.com.vn"): 1}
    assert not DailyDimension.objects.filter(value__contains="search").exists()


@pytest.mark.parametrize(
    ("ua", "device"),
    [(BROWSER_UA, "desktop"), (PHONE_UA, "mobile"), (TABLET_UA, "tablet")],
)
def test_device_type_comes_from_the_user_agent(ua, device):
    record(T, ua=ua)
    assert set(DailyDimension.objects.filter(dimension="dev").values_list("value", flat=True)) == {
        device
    }


@pytest.mark.parametrize(
    ("referrer", "host"),
    [
        ("", ""),
        ("not a url", ""),
        ("https://m.facebook.com/story.php?id=1", "m.facebook.com"),
        ("https://www.zalo.me/", "zalo.me"),
        ("http://[::1", ""),
        ("https://xn--nng-2iz.vn/a", "xn--nng-2iz.vn"),
        ("https://nẵng.vn/a", "xn--nng-2iz.vn"),
        ("https://" + "a" * 300 + ".vn/", ""),
    ],
)
def test_referrer_host(referrer, host):
    assert services.referrer_host(referrer) == host


def test_fifty_user_agents_from_one_address_count_at_most_the_bound(settings):
    settings.STATS_MAX_VISITORS_PER_ADDRESS = 10
    for n in range(50):
        record(T, ip="203.0.113.7", ua=f"{BROWSER_UA} Build/{n}")
    views, visitors = counts()[(5, 50, 51)]
    assert views == 50
    # Ten distinct visitors, and every further one is the address's one overflow visitor.
    assert visitors == 11
    assert counts()[(0, 0, 0)] == (50, 11)


def test_an_admitted_visitor_stays_themselves_past_the_bound(settings):
    settings.STATS_MAX_VISITORS_PER_ADDRESS = 2
    record(T, ua=BROWSER_UA)
    record(T, ua=PHONE_UA)
    record(T, ua=TABLET_UA)  # over the bound
    record(T_SECTION, ua=PHONE_UA)  # admitted earlier: still its own visitor
    record(T_SECTION, ua=BROWSER_UA + " Other/1")  # over: the overflow visitor
    assert counts()[(5, 0, 0)] == (5, 3)
    assert counts()[(5, 50, 50)] == (2, 2)


def test_an_office_behind_one_address_is_still_many_visitors(settings):
    settings.STATS_MAX_VISITORS_PER_ADDRESS = 20
    for n in range(15):
        record(T, ip="203.0.113.7", ua=f"{BROWSER_UA} Build/{n}")
    assert counts()[(5, 50, 51)] == (15, 15)


@pytest.mark.parametrize(
    ("referrer", "stored"),
    [
        ("", ""),
        ("https://www.google.com.vn/search?q=x", "google.com.vn"),
        ("https://m.facebook.com/story.php?id=1", "m.facebook.com"),
        ("https://sonoivu.angiang.gov.vn/tin", "sonoivu.angiang.gov.vn"),
        ("https://casino-bonus-spam.xyz/win", "khác"),
        ("https://buy-cheap-followers.com/", "khác"),
        ("http://203.0.113.9/", "khác"),
        ("https://google.com.evil.example/", "khác"),
        ("https://a..b/", "khác"),
        ("https://-x-.com/", "khác"),
    ],
)
def test_only_plausible_referrers_are_kept_by_name(referrer, stored):
    record(T, referrer=referrer)
    values = set(DailyDimension.objects.filter(dimension="ref").values_list("value", flat=True))
    assert values == {stored}


def test_configured_and_own_hosts_are_kept_by_name(settings):
    settings.STATS_REFERRER_HOSTS = ["vienthong.example.com"]
    settings.BASE_URL = "https://cchc.example.org"
    record(T, referrer="https://vienthong.example.com/a", ua=BROWSER_UA)
    record(T, referrer="https://cchc.example.org/cchc/", ua=PHONE_UA)
    values = set(DailyDimension.objects.filter(dimension="ref").values_list("value", flat=True))
    assert values == {"vienthong.example.com", "cchc.example.org"}


def test_spam_referrers_add_no_rows_to_the_dashboard():
    for n in range(30):
        record(
            T, ua=f"{BROWSER_UA} Build/{n}", ip=f"203.0.113.{n}", referrer=f"https://spam{n}.top/"
        )
    rows = DailyDimension.objects.filter(dimension="ref", unit_id=5)
    assert list(rows.values_list("value", "visits")) == [("khác", 30)]


def test_no_raw_address_or_user_agent_is_stored_anywhere():
    ip, ua = "203.0.113.77", BROWSER_UA + " Unique/9.9"
    record(T, ip=ip, ua=ua, referrer="https://google.com/?q=x")
    record(T, ip=ip, ua=ua)
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                text = " ".join(
                    bytes(v).hex() + bytes(v).decode("latin-1")
                    if isinstance(v, bytes | memoryview)
                    else str(v)
                    for v in row
                )
                if ip in text or "Unique/9.9" in text:
                    found.append((table, row))
    assert found == []
    assert VisitorDay.objects.count() == 3  # only hashes


def test_the_visitor_hash_is_salted_per_day_and_the_old_salt_is_deleted():
    record(T)
    first = VisitorDay.objects.get(level=Level.PAGE).visitor
    next_day = NOON + datetime.timedelta(days=1)
    record(T, now=next_day)
    second = VisitorDay.objects.filter(level=Level.PAGE).exclude(visitor=first).get().visitor
    assert first != second
    assert list(DailySalt.objects.values_list("day", flat=True)) == [
        DAY + datetime.timedelta(days=1)
    ]


def test_the_salt_is_random_and_shared_through_the_database():
    services.day_salt(DAY)
    stored = bytes(DailySalt.objects.get(day=DAY).secret)
    assert len(stored) == 32
    services._salts.clear()  # as another worker process would start
    assert services.day_salt(DAY) == stored


def test_old_deduplication_rows_are_pruned_on_the_first_beacon_of_a_day():
    record(T)
    record(T, now=NOON + datetime.timedelta(days=1))
    record(T, now=NOON + datetime.timedelta(days=2))
    days = set(VisitorDay.objects.values_list("day", flat=True))
    assert days == {DAY + datetime.timedelta(days=1), DAY + datetime.timedelta(days=2)}
    # The daily figures themselves are kept.
    assert DailyCount.objects.filter(day=DAY).exists()


def test_stats_prune_command_deletes_past_salts(capsys):
    from django.core.management import call_command

    services.day_salt(DAY)
    call_command("stats_prune")
    assert not DailySalt.objects.filter(day=DAY).exists()
