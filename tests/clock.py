"""The test process's clock, moved by `--clock-offset-days=N` (see tests/conftest.py).

No test may depend on the day it runs. Running the suite with the clock a year ahead and a year
behind finds the ones that do: `./tracker test --ignore=tests/e2e --clock-offset-days=365`.
"""

from __future__ import annotations

import datetime as dt

OPTION = "--clock-offset-days"


def moved_now(real_now: dt.datetime, offset_days: int) -> dt.datetime:
    """Where the clock starts when it is moved by `offset_days` whole days from `real_now`.

    The time of day and time zone are kept, so only the date changes.
    """
    if real_now.tzinfo is None:
        raise ValueError("give an aware datetime: a naive one would be read as local time")
    return real_now + dt.timedelta(days=offset_days)


def start_moved_clock(offset_days: int):
    """Move datetime.now(), date.today() and time.time() by `offset_days`; the clock keeps ticking.

    Returns the started traveller (call `.stop()`), or None when the offset is 0. Only this
    process moves: subprocesses and the PostgreSQL server keep the real clock.
    """
    if offset_days == 0:
        return None
    import time_machine

    traveller = time_machine.travel(moved_now(dt.datetime.now(dt.UTC), offset_days), tick=True)
    traveller.start()
    return traveller


def real_today() -> dt.date:
    """Today by the real clock, whatever time-machine says."""
    import time_machine

    if not time_machine.escape_hatch.is_travelling():
        return dt.datetime.now(dt.UTC).date()
    return time_machine.escape_hatch.datetime.datetime.now(dt.UTC).date()
