"""`--clock-offset-days=N` moves the test process's clock by N days, and nothing else."""

import datetime as dt
import time

import pytest
import time_machine

from tests.clock import OPTION, moved_now, real_today, start_moved_clock

NOON = dt.datetime(2026, 12, 4, 12, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (365, dt.datetime(2027, 12, 4, 12, 30, tzinfo=dt.UTC)),
        (-365, dt.datetime(2025, 12, 4, 12, 30, tzinfo=dt.UTC)),
        (0, NOON),
        (28, dt.datetime(2027, 1, 1, 12, 30, tzinfo=dt.UTC)),  # across a year end
        (-1, dt.datetime(2026, 12, 3, 12, 30, tzinfo=dt.UTC)),
    ],
)
def test_the_offset_moves_the_date_and_keeps_the_time_of_day(offset, expected):
    assert moved_now(NOON, offset) == expected


def test_a_leap_day_is_one_of_the_days_moved():
    assert moved_now(dt.datetime(2028, 2, 28, 9, tzinfo=dt.UTC), 2).date() == dt.date(2028, 3, 1)


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError, match="aware"):
        moved_now(dt.datetime(2026, 12, 4, 12), 1)


def test_no_offset_leaves_the_clock_alone():
    assert start_moved_clock(0) is None


def test_started_clock_moves_today_now_and_time_then_stops():
    # Nested inside whatever --clock-offset-days set: moves relative to the clock it finds.
    with time_machine.travel(NOON, tick=False):
        traveller = start_moved_clock(-400)
        try:
            assert dt.date.today() == dt.date(2025, 10, 30)
            # The moved clock ticks, so allow the few microseconds this test takes.
            moved = dt.datetime(2025, 10, 30, 12, 30, tzinfo=dt.UTC)
            assert abs(dt.datetime.now(dt.UTC) - moved) < dt.timedelta(seconds=5)
            assert time.time() == pytest.approx(moved.timestamp(), abs=5)
        finally:
            traveller.stop()
        assert dt.date.today() == NOON.date()


def test_this_process_runs_offset_days_from_the_real_date(pytestconfig):
    """Passes with and without the option: with it, today really is N days off."""
    offset = pytestconfig.getoption(OPTION)
    before, today, after = real_today(), dt.date.today(), real_today()
    assert today - dt.timedelta(days=offset) in {before, after}  # {..} in case midnight passed
    from_time = dt.datetime.fromtimestamp(time.time(), dt.UTC)
    assert abs(from_time - dt.datetime.now(dt.UTC)) < dt.timedelta(seconds=5)  # time.time() too
