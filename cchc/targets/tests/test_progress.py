"""The status rule (cchc.targets.progress), at its boundaries: plain data, no database."""

import datetime as dt
from decimal import Decimal as D

from cchc.targets.progress import AT_RISK_MARGIN, Status, projection, slope_per_day, status

DEADLINE = dt.date(2025, 12, 31)
TODAY = dt.date(2025, 7, 15)


def test_no_value_yet_is_no_data():
    assert status([], D(80), "higher", DEADLINE, TODAY) is Status.NO_DATA


def test_a_denominator_of_zero_gives_no_value_and_is_not_a_point():
    assert status([(dt.date(2025, 1, 31), None)], D(80), "higher", DEADLINE, TODAY) is (
        Status.NO_DATA
    )
    # the month with no value is skipped: the latest value is January's, which meets it
    series = [(dt.date(2025, 1, 31), D(85)), (dt.date(2025, 2, 28), None)]
    assert status(series, D(80), "higher", DEADLINE, TODAY) is Status.ACHIEVED


def test_exactly_on_target_is_achieved_both_ways():
    point = [(dt.date(2025, 6, 30), D(80))]
    assert status(point, D(80), "higher", DEADLINE, TODAY) is Status.ACHIEVED
    assert status(point, D(80), "lower", DEADLINE, TODAY) is Status.ACHIEVED


def test_just_below_target_without_a_trend_is_at_risk_within_the_margin():
    margin = D(80) * AT_RISK_MARGIN  # 8 points
    at_edge = [(dt.date(2025, 6, 30), D(80) - margin)]
    beyond = [(dt.date(2025, 6, 30), D(80) - margin - D("0.01"))]
    assert status(at_edge, D(80), "higher", DEADLINE, TODAY) is Status.AT_RISK
    assert status(beyond, D(80), "higher", DEADLINE, TODAY) is Status.OFF_TRACK


def test_a_rising_trend_that_reaches_the_target_by_the_deadline_is_on_track():
    series = [(dt.date(2025, 5, 31), D(50)), (dt.date(2025, 6, 30), D(55))]  # +5 a month
    # 55 + 5/30 a day × 184 days ≈ 85,7 by 31/12
    assert projection(series, DEADLINE) > D(85)
    assert status(series, D(85), "higher", DEADLINE, TODAY) is Status.ON_TRACK
    assert status(series, D(90), "higher", DEADLINE, TODAY) is Status.AT_RISK
    assert status(series, D(100), "higher", DEADLINE, TODAY) is Status.OFF_TRACK


def test_one_day_before_the_deadline_the_trend_still_counts_and_the_day_after_it_does_not():
    series = [(dt.date(2025, 12, 28), D(78)), (dt.date(2025, 12, 29), D(79))]  # +1 a day
    day_before = DEADLINE - dt.timedelta(days=1)
    assert status(series, D(80), "higher", DEADLINE, day_before) is Status.ON_TRACK
    assert status(series, D(80), "higher", DEADLINE, DEADLINE) is Status.ON_TRACK
    day_after = DEADLINE + dt.timedelta(days=1)
    assert status(series, D(80), "higher", DEADLINE, day_after) is Status.OFF_TRACK
    # met on the day after: achieved, the deadline no longer matters
    assert status(series, D(79), "higher", DEADLINE, day_after) is Status.ACHIEVED


def test_lower_is_better_reads_the_target_as_a_ceiling():
    falling = [(dt.date(2025, 5, 31), D(30)), (dt.date(2025, 6, 30), D(25))]
    rising = [(dt.date(2025, 5, 31), D(20)), (dt.date(2025, 6, 30), D(25))]
    assert status(falling, D(10), "lower", DEADLINE, TODAY) is Status.ON_TRACK
    assert status(rising, D(10), "lower", DEADLINE, TODAY) is Status.OFF_TRACK
    assert status([(dt.date(2025, 6, 30), D(9))], D(10), "lower", DEADLINE, TODAY) is (
        Status.ACHIEVED
    )
    # a rank: 16th for a target of 15th is within 10 % (1,5 places)
    assert status([(dt.date(2025, 6, 30), D(16))], D(15), "lower", DEADLINE, TODAY) is (
        Status.AT_RISK
    )


def test_a_falling_series_below_its_target_is_never_on_track():
    series = [(dt.date(2025, 5, 31), D(79)), (dt.date(2025, 6, 30), D(78))]
    assert status(series, D(80), "higher", DEADLINE, TODAY) is Status.OFF_TRACK


def test_the_series_order_does_not_matter():
    series = [(dt.date(2025, 6, 30), D(55)), (dt.date(2025, 5, 31), D(50))]
    assert status(series, D(85), "higher", DEADLINE, TODAY) is Status.ON_TRACK


def test_the_slope_is_per_day_and_zero_for_one_point():
    assert slope_per_day([(dt.date(2025, 1, 1), D(1))]) == 0
    assert slope_per_day([(dt.date(2025, 1, 1), D(0)), (dt.date(2025, 1, 11), D(10))]) == 1


def test_every_status_has_a_vietnamese_label_and_a_sign():
    for s in Status:
        assert s.label and s.label[0].isupper()
        assert s.icon
    assert len({s.icon for s in Status}) == len(Status)
