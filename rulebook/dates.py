"""UK date formatting and financial-year arithmetic (the financial year runs April to March)."""

from __future__ import annotations

import calendar
import datetime

# Fixed English names: strftime("%b") would follow the process locale.
_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_uk_date(d: datetime.date | None) -> str:
    """date(2026, 3, 31) -> "31 Mar 2026"; None -> ""."""
    if d is None:
        return ""
    return f"{d.day} {_MONTH_ABBR[d.month - 1]} {d.year}"


def financial_year_start(d: datetime.date) -> int:
    """The calendar year in which d's financial year starts (2026-03-31 -> 2025)."""
    return d.year if d.month >= 4 else d.year - 1


def financial_year_label(d: datetime.date) -> str:
    """The financial year containing d, e.g. "2025/26"."""
    start = financial_year_start(d)
    return f"{start}/{(start + 1) % 100:02d}"


def financial_quarter(d: datetime.date) -> int:
    """Financial quarter 1-4: Apr-Jun 1, Jul-Sep 2, Oct-Dec 3, Jan-Mar 4."""
    return (d.month - 4) % 12 // 3 + 1


def end_of_month(year: int, month: int) -> datetime.date:
    """The last day of the given month."""
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def quarter_end(d: datetime.date) -> datetime.date:
    """The last day of the quarter containing d."""
    return end_of_month(d.year, (d.month - 1) // 3 * 3 + 3)


def previous_quarter_end(d: datetime.date) -> datetime.date:
    """The last quarter end strictly before d."""
    first_month = (d.month - 1) // 3 * 3 + 1
    return datetime.date(d.year, first_month, 1) - datetime.timedelta(days=1)


def quarter_label(d: datetime.date) -> str:
    """The financial quarter containing d, e.g. "Q3 2026/27"."""
    return f"Q{financial_quarter(d)} {financial_year_label(d)}"


def deadline_display(deadline: datetime.date | None, text: str | None) -> str:
    """UK date, with the text as written beside it when that says something else."""
    if deadline is None:
        return text or ""
    shown = format_uk_date(deadline)
    if text and text not in (shown, deadline.isoformat()):
        return f"{shown} ({text})"
    return shown


def year_earlier(day: datetime.date) -> datetime.date:
    """The same day a year before (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def written_deadline(deadline: datetime.date | None, text: str | None) -> str | None:
    """The deadline as written, when it says something its UK date does not; else None."""
    text = (text or "").strip()
    if not text:
        return None
    if deadline is not None and text in (format_uk_date(deadline), deadline.isoformat()):
        return None
    return text


def utc_date(moment: datetime.datetime | None) -> datetime.date | None:
    """The calendar date of a moment in UTC (a naive moment is taken as UTC already)."""
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.UTC)
    return moment.date()


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The first instant after `day` (UTC): what was recorded before it was known on `day`."""
    return datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time(), tzinfo=datetime.UTC
    )
