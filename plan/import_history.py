"""What an imported file adds to each action's history, dated by the day it describes.

A row says what it says "as at" the import's date, and a tracker's period column groups
(importers.periods) say what each period said, as at that period's end. Each becomes an
update request describing its day (rulebook.entries). A request that says nothing new
compared with the entry current as at its day (one already stored, or one this import
adds before it) is left out: so re-importing any file, in any order, adds nothing, and
loading last quarter's file after this quarter's puts its entries behind the current ones.

`with_history` and `period_entries` are pure: the import page previews with them exactly the
period history the import writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from importers import ActionRow, ReadResult
from importers.periods import QuarterYear, with_period_history
from plan.models import ProgressUpdate
from plan.queries.state import latest_updates
from plan.services.validation import ProgressInput
from rulebook.plan_periods import Period
from rulebook.rag import DeliveryStatus, Rag


@dataclass(frozen=True, slots=True)  # one per entry an import adds: 20k at once
class Dated:
    """One thing a row says about progress, and the day it describes."""

    day: dt.date
    entry: ProgressInput


# (RAG, RAG as written, status, progress): what two entries must share to say the same.
Said = tuple[Rag | None, str | None, DeliveryStatus, str | None]


def _said_by_update(update: ProgressUpdate) -> Said:
    return (update.rag, update.rag_text, update.status, update.progress or None)


def _said_by_entry(entry: ProgressInput) -> Said:
    return (entry.rag, entry.rag_text, entry.delivery_status, entry.progress or None)


def _entry(
    rag: Rag | None,
    status: DeliveryStatus | None,
    rag_text: str | None,
    progress: str | None,
    period: str,
) -> ProgressInput | None:
    if rag is None and status is None and rag_text is None and not progress:
        return None
    return ProgressInput(
        rag=rag,
        progress=progress or "",
        status=status or (DeliveryStatus.IN_PROGRESS if rag else DeliveryStatus.NOT_STARTED),
        rag_text=rag_text,
        reporting_period=period,
    )


def with_history(result: ReadResult, as_at: dt.date, plan_period: Period) -> ReadResult:
    """`result` with each row's filled period column groups as its dated reports, the latest
    as its current RAG and update (importers.periods); a quarter written without a year is
    read in the plan's financial year, else the one the file's title names, else the as-at
    day's. Pure: the import page previews what the import writes with it."""
    return with_period_history(
        result, QuarterYear.choose(as_at, *plan_period, title_years=result.title_years)
    )


def period_entries(row: ActionRow, as_at: dt.date) -> list[Dated]:
    """The row's period reports, each as at its period's end (or the as-at day if that comes
    first), oldest first."""
    out: list[Dated] = []
    for report in row.periods:
        entry = _entry(report.rag, report.status, report.rag_text, report.progress, report.label)
        if entry is not None:
            out.append(Dated(min(report.end, as_at), entry))
    return sorted(out, key=lambda dated: dated.day)


def dated_entries(row: ActionRow, as_at: dt.date, period: str) -> list[Dated]:
    """The row's period reports (`period_entries`), then what the row says as at `as_at`
    (labelled `period`), oldest first."""
    out = period_entries(row, as_at)
    entry = _entry(row.rag, row.status, row.rag_text, row.progress, period)
    if entry is not None:
        out.append(Dated(as_at, entry))
    return sorted(out, key=lambda dated: dated.day)


class CurrentEntries:
    """Each action's entry current as at a day, fetched once per distinct day."""

    def __init__(self, session: Session, plan_id: int, newest: dict[int, ProgressUpdate]):
        self._session = session
        self._plan_id = plan_id
        self._newest = newest
        newest_days = [update.described_on for update in newest.values()]
        self._latest_day = max(newest_days, default=None)
        self._by_day: dict[dt.date, dict[int, ProgressUpdate]] = {}

    def at(self, day: dt.date) -> dict[int, ProgressUpdate]:
        if self._latest_day is None or day >= self._latest_day:
            return self._newest  # no stored entry describes a later day
        if day not in self._by_day:
            self._by_day[day] = latest_updates(self._session, self._plan_id, as_at=day)
        return self._by_day[day]


def new_entries(
    dated: Sequence[Dated], stored: CurrentEntries | None, action_id: int
) -> list[Dated]:
    """The dated entries that say something new compared with the entry current at their day
    (`stored` None: the action is new and has no history)."""
    added: list[Dated] = []
    for item in dated:
        before = _current_before(item.day, added, stored, action_id)
        if before is None or before != _said_by_entry(item.entry):
            added.append(item)
    return added


def _current_before(
    day: dt.date, added: list[Dated], stored: CurrentEntries | None, action_id: int
) -> Said | None:
    existing = stored.at(day).get(action_id) if stored is not None else None
    mine = added[-1] if added else None  # added in day order, each on or before `day`
    # An entry this import adds is recorded after every stored one: on the same day it wins.
    if mine is not None and (existing is None or mine.day >= existing.described_on):
        return _said_by_entry(mine.entry)
    return _said_by_update(existing) if existing is not None else None
