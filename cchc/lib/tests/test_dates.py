"""Local days → aware ranges in Asia/Ho_Chi_Minh."""

import datetime

from cchc.lib.dates import day_range, year_range

UTC = datetime.UTC


def test_a_range_of_local_days_covers_them_whole_in_vietnam_time():
    lo, hi = day_range(datetime.date(2026, 3, 1), datetime.date(2026, 3, 10))
    # 00:00 in Việt Nam (UTC+7) is 17:00 UTC the evening before
    assert lo == datetime.datetime(2026, 2, 28, 17, 0, tzinfo=UTC)
    assert hi == datetime.datetime(2026, 3, 10, 17, 0, tzinfo=UTC)
    assert lo.tzinfo is not None and hi.tzinfo is not None


def test_an_article_published_at_23_59_local_is_still_in_its_day():
    lo, hi = day_range(datetime.date(2026, 3, 1), datetime.date(2026, 3, 1))
    late = datetime.datetime(2026, 3, 1, 16, 59, tzinfo=UTC)  # 23:59 in Việt Nam
    next_day = datetime.datetime(2026, 3, 1, 17, 0, tzinfo=UTC)
    assert lo <= late < hi
    assert not next_day < hi


def test_an_open_end_stays_open():
    assert day_range(None, None) == (None, None)
    lo, hi = day_range(datetime.date(2026, 3, 1), None)
    assert hi is None and lo is not None


def test_a_year_is_its_local_days():
    assert year_range(2026) == day_range(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
