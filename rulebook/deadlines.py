"""Deadlines read from text as written in UK plans (day first; financial year April to March)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from rulebook.dates import end_of_month


@dataclass(frozen=True)
class DeadlineReading:
    """What a deadline cell says.

    ``text`` is the text as written with whitespace collapsed (ISO date for date input).
    ``recognised`` is False when the text could not be read and the caller should warn;
    blank, Ongoing and TBC are recognised even though they carry no date.
    """

    date: datetime.date | None
    ongoing: bool
    text: str
    recognised: bool


_MONTHS: dict[str, int] = {
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}

# The longest text the patterns below can read is about 70 characters ("from the end of
# september 2025 until september 2026, and on-going"). Longer text is not a date, and some
# patterns (a month range) take time growing with the square of the length to find that out.
_LONGEST_DEADLINE = 100

_ONGOING_WORDS = frozenset({"ongoing", "on going", "on-going", "continuous"})
_NO_DATE_WORDS = frozenset({"", "tbc", "tba", "n/a"})

# Word processors turn hyphens into en/em dashes; they all mean the same here.
_DASHES = re.compile("[\u2010-\u2015\u2212]")

_ONGOING_SUFFIX = re.compile(
    r"(?:from\s+)?(?P<rest>.+?),?\s+(?:and\s+)?(?:on\s*-?\s*going|onwards)"
)
# "By end of …", and "w/c 12 March 2018" (week commencing: the day written is the deadline).
_BY_END_OF = re.compile(
    r"(?:by\s+)?(?:the\s+)?(?:end\s+(?:of\s+)?)?"
    r"(?:(?:w/c|w/b|wc|week\s+(?:commencing|beginning))\s+)?(?P<rest>.+)"
)

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{2}|\d{4})")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]+)\.?,?\s+(\d{4})")
# "October 31, 2018", "March 31 2019": the month in words first, as some systems export it
# (unambiguous, unlike "10/31/2018", which is never read month first).
_MONTH_DAY_YEAR = re.compile(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
# "30-Nov-2017", "30-Nov-17", "30 Nov 17": Excel's dd-mmm-yy and web systems' exports.
_DAY_MONTH_SHORT = re.compile(r"(\d{1,2})[ /-]([a-z]{3,9})\.?[ /-](\d{2}|\d{4})")
# A time of day after a date: what a spreadsheet, SharePoint or web export adds to the day
# ("31/03/2018 00:00", "2016-03-31T00:00:00Z", "3/4/2018 9:30 am"). The day is the deadline.
# A time with a zone ("…T23:00:00Z", "+01:00") is an instant: the deadline is the UK day it falls
# on, so SharePoint's "2018-06-30T23:00:00Z" (midnight on 1 July, summer time) is 1 July.
_TIME_OF_DAY = re.compile(
    r"(?:[ t]|, )(?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d)(?::[0-5]\d(?:\.\d{1,9})?)?"
    r"(?: ?(?P<half>[ap])m)?(?P<zone> ?z| ?[+-]\d{2}:?\d{2})?$"
)
_MONTH_YEAR = re.compile(r"([a-z]+)\.?,?\s*(\d{4})")
# "Mar-17", "Mar 17", "March '17", "Mar/2017": Excel's mmm-yy and its kin, a month and a year.
_MONTH_SHORT_YEAR = re.compile(r"([a-z]+)\.?[ /'-]{1,2}(\d{2}|\d{4})")
# "March-June 2014", "Apr 17 - Mar 18": the last day of the last month.
_MONTH_RANGE = re.compile(
    r"([a-z]+)\.?(?:\s*(\d{4}|\d{2}))?\s*(?:-|to|until)\s*([a-z]+)\.?,?\s*(\d{4}|\d{2})"
)
_FY = r"(?:fy\s*)?(\d{2}|\d{4})\s*[/-]\s*(\d{2}|\d{4})"
_QUARTER_FIRST = re.compile(rf"q\s*([1-4])\s*{_FY}")
_QUARTER_LAST = re.compile(rf"{_FY}\s*q\s*([1-4])")
_FINANCIAL_YEAR = re.compile(r"(?:fy\s*)?(\d{4})\s*[/-]\s*(\d{2}|\d{4})")


def _year(digits: str) -> int:
    """Two-digit years are 20xx."""
    return int(digits) + 2000 if len(digits) == 2 else int(digits)


def _fy_start(first: str, second: str) -> int | None:
    """The start year of a financial year written "2019/20", "19/20" or "2019/2020"."""
    start = _year(first)
    expected = start + 1 if len(second) == 4 else (start + 1) % 100
    return start if int(second) == expected else None


def _quarter_end(quarter: int, fy_start: int) -> datetime.date:
    if quarter == 4:
        return end_of_month(fy_start + 1, 3)
    return end_of_month(fy_start, 3 + 3 * quarter)


def _month_year(s: str) -> datetime.date | None:
    """The end of the month in "March 2026", "Mar-17", "Mar 17": a month means its last day."""
    m = _MONTH_YEAR.fullmatch(s) or _MONTH_SHORT_YEAR.fullmatch(s)
    if m is None or m[1] not in _MONTHS:
        return None
    return end_of_month(_year(m[2]), _MONTHS[m[1]])


def _day(s: str) -> datetime.date | None:
    """One day from normalised text: ISO, numeric day first, or with the month in words."""
    if m := _ISO.fullmatch(s):
        return datetime.date(int(m[1]), int(m[2]), int(m[3]))
    if m := _NUMERIC.fullmatch(s):
        return datetime.date(_year(m[4]), int(m[3]), int(m[1]))
    if (m := _DAY_MONTH_YEAR.fullmatch(s)) and m[2] in _MONTHS:
        return datetime.date(int(m[3]), _MONTHS[m[2]], int(m[1]))
    if (m := _DAY_MONTH_SHORT.fullmatch(s)) and m[2] in _MONTHS:
        return datetime.date(_year(m[3]), _MONTHS[m[2]], int(m[1]))
    if (m := _MONTH_DAY_YEAR.fullmatch(s)) and m[1] in _MONTHS:
        return datetime.date(int(m[3]), _MONTHS[m[1]], int(m[2]))
    return None


def _last_sunday(year: int, month: int) -> datetime.date:
    last = end_of_month(year, month)
    return last - datetime.timedelta(days=(last.weekday() + 1) % 7)


def _uk_day_of(day: datetime.date, time: re.Match[str]) -> datetime.date:
    """The UK calendar day of an instant written with a zone.

    UK summer time (UTC+1) runs from 01:00 UTC on the last Sunday of March to 01:00 UTC on
    the last Sunday of October; written out so the result needs no time-zone database.
    """
    zone = time["zone"].strip()
    offset = 0
    if zone != "z":
        digits = zone[1:].replace(":", "")
        offset = (int(digits[:2]) * 60 + int(digits[2:])) * (-1 if zone[0] == "-" else 1)
    hour = (
        int(time["hour"]) % 12 + (12 if time["half"] == "p" else 0)
        if time["half"]
        else int(time["hour"])
    )
    clock = datetime.datetime.combine(day, datetime.time(hour, int(time["minute"])))
    utc = clock - datetime.timedelta(minutes=offset)
    summer_start = datetime.datetime.combine(_last_sunday(utc.year, 3), datetime.time(1))
    summer_end = datetime.datetime.combine(_last_sunday(utc.year, 10), datetime.time(1))
    summer = summer_start <= utc < summer_end
    return (utc + datetime.timedelta(hours=1 if summer else 0)).date()


def _parse_date(s: str) -> datetime.date | None:
    """One date from normalised (lower-case, single-spaced, plain-hyphen) text, or None."""
    if (day := _day(s)) is not None:
        return day
    if (time := _TIME_OF_DAY.search(s)) is not None:
        day = _day(s[: time.start()])  # only a day can have a time: "Mar 2014 09:00" is not
        return day if day is None or time["zone"] is None else _uk_day_of(day, time)
    if (month := _month_year(s)) is not None:
        return month
    if (m := _MONTH_RANGE.fullmatch(s)) and m[1] in _MONTHS and m[3] in _MONTHS:
        last_year, last_month = _year(m[4]), _MONTHS[m[3]]
        # A range that ends before it starts is a typo we will not guess at.
        if m[2] is not None and (_year(m[2]), _MONTHS[m[1]]) > (last_year, last_month):
            return None
        # Two digits after each month are years only a year apart at most ("Apr 17 – Mar 18"):
        # "May 17 - June 30" and "Jan 15 to Mar 31" are days, not 2017 to 2030.
        if m[2] is not None and len(m[2]) == 2 and not 0 <= int(m[4]) - int(m[2]) <= 1:
            return None
        return end_of_month(last_year, last_month)
    if m := _QUARTER_FIRST.fullmatch(s):
        start = _fy_start(m[2], m[3])
        return None if start is None else _quarter_end(int(m[1]), start)
    if m := _QUARTER_LAST.fullmatch(s):
        start = _fy_start(m[1], m[2])
        return None if start is None else _quarter_end(int(m[3]), start)
    if m := _FINANCIAL_YEAR.fullmatch(s):
        start = _fy_start(m[1], m[2])
        return None if start is None else datetime.date(start + 1, 3, 31)
    return None


def _parse_by(s: str) -> datetime.date | None:
    """A date, allowing a leading "by", "end of", "by end of"."""
    m = _BY_END_OF.fullmatch(s)
    assert m is not None  # the pattern matches any non-empty text
    try:
        return _parse_date(m["rest"])
    except ValueError:  # impossible day or month, e.g. 31/02/2020
        return None


def read_deadline(value: datetime.date | datetime.datetime | str | None) -> DeadlineReading:
    """Read a deadline from a cell value; unreadable text is kept and flagged, never guessed."""
    if value is None:
        return DeadlineReading(None, False, "", True)
    # datetime is a subclass of date, so test it first.
    if isinstance(value, datetime.datetime):
        day = value.date()
        return DeadlineReading(day, False, day.isoformat(), True)
    if isinstance(value, datetime.date):
        return DeadlineReading(value, False, value.isoformat(), True)

    text = " ".join(str(value).split())
    key = _DASHES.sub("-", text.lower()).rstrip(" .,")
    if key in _NO_DATE_WORDS:
        return DeadlineReading(None, False, text, True)
    if key in _ONGOING_WORDS:
        return DeadlineReading(None, True, text, True)
    if len(key) > _LONGEST_DEADLINE:
        return DeadlineReading(None, False, text, False)
    if (parsed := _parse_by(key)) is not None:
        return DeadlineReading(parsed, False, text, True)
    if (m := _ONGOING_SUFFIX.fullmatch(key)) and (parsed := _parse_by(m["rest"])) is not None:
        return DeadlineReading(parsed, True, text, True)
    return _before_note(key, text)


def _before_note(key: str, text: str) -> DeadlineReading:
    """A deadline with a note in brackets after it ("March 2017 (revised)", "Dec-17 (was
    Sep-17)", "Ongoing (annual)") is the deadline before the note, when that gives a date or
    says ongoing; the text as written is kept."""
    if key.endswith(")") and (start := key.rfind("(")) > 0:
        before = read_deadline(key[:start])
        if before.date is not None or before.ongoing:
            return DeadlineReading(before.date, before.ongoing, text, True)
    return DeadlineReading(None, False, text, False)
