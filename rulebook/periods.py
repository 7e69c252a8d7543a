"""Reporting periods as UK councils write them: months ("Apr 2016"), financial-year quarters
("Q1 2016/17") and financial years ("2016/17"), April to March.

A period is its first and last day; its kind and label follow from those, so a period is
stored as two dates and always reads back the same way.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from rulebook.dates import end_of_month, financial_quarter, financial_year_start

_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTHS = {name.lower(): number for number, name in enumerate(_MONTH_ABBR, start=1)}
_MONTHS.update(
    {
        "january": 1,
        "february": 2,
        "march": 3,
        "april": 4,
        "june": 6,
        "july": 7,
        "august": 8,
        "sept": 9,
        "september": 9,
        "october": 10,
        "november": 11,
        "december": 12,
    }
)


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


_LENGTH_MONTHS = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period: from `start` to `end`, both days included."""

    start: dt.date
    end: dt.date

    @property
    def kind(self) -> PeriodKind:
        months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
        return {1: PeriodKind.MONTH, 3: PeriodKind.QUARTER}.get(months, PeriodKind.YEAR)

    @property
    def label(self) -> str:
        """ "Apr 2016", "Q1 2016/17" or "2016/17"."""
        fy = financial_year_start(self.start)
        year = f"{fy}/{(fy + 1) % 100:02d}"
        if self.kind is PeriodKind.MONTH:
            return f"{_MONTH_ABBR[self.start.month - 1]} {self.start.year}"
        if self.kind is PeriodKind.QUARTER:
            return f"Q{financial_quarter(self.start)} {year}"
        return year

    def __str__(self) -> str:
        return self.label


def period_containing(kind: PeriodKind, day: dt.date) -> Period:
    """The month, financial quarter or financial year that `day` falls in."""
    if kind is PeriodKind.MONTH:
        return Period(day.replace(day=1), end_of_month(day.year, day.month))
    if kind is PeriodKind.QUARTER:
        first = day.month - (day.month - 4) % 3
        year = day.year
        start = dt.date(year, first, 1)
        end_year, end_month = _add_months(year, first, 2)
        return Period(start, end_of_month(end_year, end_month))
    fy = financial_year_start(day)
    return Period(dt.date(fy, 4, 1), dt.date(fy + 1, 3, 31))


def shifted(period: Period, steps: int) -> Period:
    """The period `steps` periods of the same kind later (negative: earlier)."""
    months = _LENGTH_MONTHS[period.kind] * steps
    year, month = _add_months(period.start.year, period.start.month, months)
    return period_containing(period.kind, dt.date(year, month, 1))


def previous_period(period: Period) -> Period:
    return shifted(period, -1)


def same_period_last_year(period: Period) -> Period:
    year, month = _add_months(period.start.year, period.start.month, -12)
    return period_containing(period.kind, dt.date(year, month, 1))


# --- Reading a period as written --------------------------------------------------------------

_SPACES = re.compile(r"\s+")
_QUARTER = re.compile(r"^q([1-4])\s*(?:fy\s*)?(\d{4})\s*[/\-]\s*(\d{2}|\d{4})$")
_QUARTER_SHORT = re.compile(r"^q([1-4])\s*(?:fy\s*)?(\d{2})\s*[/\-]\s*(\d{2})$")
_YEAR = re.compile(r"^(?:fy\s*)?(\d{4})\s*[/\-]\s*(\d{2}|\d{4})$")
_MONTH = re.compile(r"^([a-z]+)\.?\s*[\s\-']\s*(\d{2}|\d{4})$")
# "Apr-Jun 2017", "July to September 17": a quarter written as its months.
_MONTHS_OF_QUARTER = re.compile(r"^([a-z]+)\.?\s*(?:-|to)\s*([a-z]+)\.?\s*[\s\-']\s*(\d{2}|\d{4})$")


def _full_year(text: str) -> int:
    number = int(text)
    return number + 2000 if number < 100 else number


def _consecutive(start: int, end_text: str) -> bool:
    end = int(end_text)
    return end == start + 1 if len(end_text) == 4 else end == (start + 1) % 100


def read_period(written: object) -> Period | None:
    """A period as written in a column heading or cell, or None when it is not one.

    "Q1 2016/17", "Q1 16/17", "Q1 2016-17" (financial quarters); "2016/17", "2016-17",
    "FY 2016/17" (financial years); "Apr-Jun 2016" (a quarter by its months); "Apr-16",
    "Apr 2016", "April 2016", "Apr'16" and a date cell (months). A leading "Target" or
    "Actual" is not part of the period.
    """
    if isinstance(written, dt.datetime):
        written = written.date()
    if isinstance(written, dt.date):
        return period_containing(PeriodKind.MONTH, written)
    if not isinstance(written, str):
        return None
    text = _SPACES.sub(" ", written.strip().lower().replace("–", "-").replace("—", "-"))
    text = re.sub(r"^(target|actual|value)\s*:?\s*", "", text)
    return (
        _quarter_written(text)
        or _year_written(text)
        or _month_written(text)
        or _quarter_of_months(text)
    )


def _quarter_written(text: str) -> Period | None:
    """ "q1 2016/17", "q1 16/17"."""
    if match := _QUARTER.match(text):
        quarter, year_text, end_text = match.groups()
        start_year = int(year_text)
    elif match := _QUARTER_SHORT.match(text):
        quarter, year_text, end_text = match.groups()
        start_year = _full_year(year_text)
    else:
        return None
    return _quarter(start_year, int(quarter)) if _consecutive(start_year, end_text) else None


def _year_written(text: str) -> Period | None:
    """ "2016/17", "fy 2016-17"."""
    match = _YEAR.match(text)
    if match is None or not _consecutive(int(match.group(1)), match.group(2)):
        return None
    return period_containing(PeriodKind.YEAR, dt.date(int(match.group(1)), 4, 1))


def _month_written(text: str) -> Period | None:
    """ "apr-16", "april 2016", "apr'16"."""
    match = _MONTH.match(text)
    if match is None or match.group(1) not in _MONTHS:
        return None
    month = _MONTHS[match.group(1)]
    return period_containing(PeriodKind.MONTH, dt.date(_full_year(match.group(2)), month, 1))


def _quarter_of_months(text: str) -> Period | None:
    """ "apr-jun 2017", "oct to dec 17": three months that make one quarter (Jan-Mar, Apr-Jun,
    Jul-Sep, Oct-Dec); any other run of months is not a period we report in."""
    match = _MONTHS_OF_QUARTER.match(text)
    if match is None or match.group(1) not in _MONTHS or match.group(2) not in _MONTHS:
        return None
    first, last = _MONTHS[match.group(1)], _MONTHS[match.group(2)]
    if first % 3 != 1 or last != first + 2:
        return None
    return period_containing(PeriodKind.QUARTER, dt.date(_full_year(match.group(3)), first, 1))


def _quarter(financial_year: int, quarter: int) -> Period:
    year, month = _add_months(financial_year, 4, (quarter - 1) * 3)
    return period_containing(PeriodKind.QUARTER, dt.date(year, month, 1))


def is_target_heading(written: object) -> bool:
    """ "Target 2016/17", "Target Q1 2016/17": a column of targets, not of values."""
    return isinstance(written, str) and written.strip().lower().startswith("target")
