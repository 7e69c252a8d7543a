"""A plan's period: read from its name, checked, and what a closed plan is shown as at.

A plan runs over whole financial years (April to March): "2011/14" is 1 April 2011 to
31 March 2014, "2013-14" is 1 April 2013 to 31 March 2014. A plan whose period ended before
today is closed, and a selection of closed plans is shown as it stood at the latest end.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

# "2011/14", "2013-14", "2013 – 14", "2007-2010", "2025/2028"; not part of a longer number.
_YEARS = re.compile(r"(?<![\d/.-])((?:19|20)\d{2})\s*[/\-\u2013\u2014]\s*(\d{4}|\d{2})(?![\d/.-])")
# A plan longer than this is more likely a date range written some other way.
_LONGEST_YEARS = 10


class PeriodError(ValueError):
    """A period that cannot be: the message says why in one sentence."""


def period_from_name(name: str) -> tuple[dt.date, dt.date] | None:
    """The financial years a plan's name says it covers, or None when it names none."""
    for match in _YEARS.finditer(name):
        start, written = int(match.group(1)), match.group(2)
        end = int(written) if len(written) == 4 else start // 100 * 100 + int(written)
        if len(written) == 2 and end < start:  # "1999/01"
            end += 100
        if 0 < end - start <= _LONGEST_YEARS:
            return dt.date(start, 4, 1), dt.date(end, 3, 31)
    return None


# A plan's (start, end); either may be unknown.
Period = tuple[dt.date | None, dt.date | None]
AS_GIVEN, FROM_NAME, AS_RECORDED = "as given", "from the plan's name", "as recorded"


def period_after_import(given: Period, recorded: Period, name: str) -> tuple[Period, str]:
    """The plan's period once an import has set it, and where it came from: the dates given
    with the import (each over the one recorded), else the recorded period, else the one the
    plan's name says; ((None, None), "") when none of them says."""
    start, end = given
    if start is not None or end is not None:
        return (start or recorded[0], end or recorded[1]), AS_GIVEN
    if recorded[0] is not None or recorded[1] is not None:
        return recorded, AS_RECORDED
    named = period_from_name(name)
    return (named, FROM_NAME) if named is not None else ((None, None), "")


def check_period(start: dt.date | None, end: dt.date | None) -> None:
    """Raise PeriodError when the period ends before it starts."""
    if start is not None and end is not None and end < start:
        raise PeriodError(
            f"the period cannot end ({end:%d/%m/%Y}) before it starts ({start:%d/%m/%Y})"
        )


def is_closed(period_end: dt.date | None, today: dt.date) -> bool:
    """A plan is closed once its period has ended: the day after its end date."""
    return period_end is not None and period_end < today


def closed_plans_as_at(period_ends: Iterable[dt.date | None], today: dt.date) -> dt.date | None:
    """The latest end of the selected plans when every one of them is closed, else None.

    None too for an empty selection, or when any plan has no recorded end (it may be running).
    """
    ends = list(period_ends)
    if not ends or not all(is_closed(end, today) for end in ends):
        return None
    return max(end for end in ends if end is not None)
