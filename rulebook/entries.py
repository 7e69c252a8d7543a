"""Which entry of an action's history is current as at a day.

Every history entry keeps two dates: when it was recorded (a moment) and the day it
describes. An update typed into the form describes the day it is recorded; a file imported
"as at 30 Jun 2017" describes 30 Jun 2017 whenever it is loaded, and a tracker's "Q1 RAG"
column describes the end of Q1. Every "as at" figure follows the day described, so last
quarter's file loaded after this quarter's lands in its place in the history.

As at day D an action's current entry is the one describing the latest day on or before D;
among entries describing the same day the one recorded last wins (then the higher id, for
two recorded in the same instant). With no day, the newest of all by the same order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, SQLColumnExpression, UnaryExpression

from rulebook.dates import utc_date

T = TypeVar("T")

# (day described, moment recorded, id): larger is newer.
EntryKey = tuple[dt.date, dt.datetime, int]


def described_day_of(recorded_at: dt.datetime) -> dt.date:
    """The day an entry describes when nothing else is said: the (UTC) day it was recorded."""
    day = utc_date(recorded_at)
    assert day is not None
    return day


def entry_key(described_on: dt.date, recorded_at: dt.datetime, entry_id: int) -> EntryKey:
    if recorded_at.tzinfo is None:  # SQLite hands back naive UTC
        recorded_at = recorded_at.replace(tzinfo=dt.UTC)
    return (described_on, recorded_at, entry_id)


def describes_by(described_on: dt.date, as_at: dt.date | None) -> bool:
    """Whether an entry counts as at `as_at`: it describes that day or an earlier one."""
    return as_at is None or described_on <= as_at


def current_entry(
    entries: Iterable[T], as_at: dt.date | None, key: Callable[[T], EntryKey]
) -> T | None:
    """The entry current as at `as_at` (None: the newest of all), or None if there is none."""
    counted = [entry for entry in entries if describes_by(key(entry)[0], as_at)]
    return max(counted, key=key, default=None)


def is_history(described_on: dt.date, newest_described_on: dt.date | None) -> bool:
    """An entry describing a day before the action's newest described day goes into the
    history behind the current entry: it cannot conflict with (or replace) the current state."""
    return newest_described_on is not None and described_on < newest_described_on


# --- SQL twins -------------------------------------------------------------------------------


def describes_by_sql(
    described_on: SQLColumnExpression[Any], as_at: dt.date | None
) -> ColumnElement[bool]:
    """SQL twin of `describes_by`."""
    if as_at is None:
        return described_on.is_not(None)
    return described_on <= as_at


def newest_first_sql(
    described_on: SQLColumnExpression[Any],
    recorded_at: SQLColumnExpression[Any],
    entry_id: SQLColumnExpression[Any],
) -> tuple[UnaryExpression[Any], ...]:
    """ORDER BY terms putting the current entry first (SQL twin of `entry_key`, descending)."""
    return (described_on.desc(), recorded_at.desc(), entry_id.desc())
