"""Period column headings: which period and which role a tracker's header names ("Q1 RAG",
"RAG Jun-17", "Progress 2016/17 Q3", "Update as at 30/06/17", "Quarter One update"), and the
financial year a quarter written without one ("Q2") is read in (`QuarterYear`).

importers.periods turns the columns so named into each row's dated history.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from importers.header_rows import JOIN
from importers.headers import normalise_header
from rulebook.dates import financial_year_label, financial_year_start
from rulebook.deadlines import read_deadline
from rulebook.periods import Period, PeriodKind, period_containing, read_period

# Role words in a period column's header, longest first so "rag status" beats "status".
_ROLES = (
    ("rag status", "rag"),
    ("rag rating", "rag"),
    ("rag", "rag"),
    ("rating", "rag"),
    ("status", "rag"),
    ("progress update", "progress"),
    ("progress report", "progress"),
    ("progress", "progress"),
    ("position statement", "progress"),
    ("position", "progress"),
    ("update", "progress"),
    ("updates", "progress"),
    ("commentary", "progress"),
    ("comments", "progress"),
    ("comment", "progress"),
    ("notes", "progress"),
)
_ROLE = re.compile(r"\b(" + "|".join(re.escape(word) for word, _ in _ROLES) + r")\b")
_ROLE_OF = dict(_ROLES)
_YEAR_THEN_QUARTER = re.compile(r"^(\d{4}) (\d{2}|\d{4}) q([1-4])$")
_BARE_QUARTER = re.compile(r"^q([1-4])$")
_MONTH_YEAR = re.compile(r"^([a-z]+)\s+(\d{2}|\d{4})$")
_MONTHS_YEAR = re.compile(r"^([a-z]+) (?:to )?([a-z]+) (\d{2}|\d{4})$")
# "Q1 (Apr-Jun)", "Q3 Oct to Dec 2017": a quarter with its months.
_QUARTER_MONTHS = re.compile(r"^q[1-4] ([a-z]{3,9}) (?:to )?([a-z]{3,9})(?: (\d{2}|\d{4}))?$")
# "Q3 2016/17 (Oct-Dec)": a quarter with its year needs no months.
_DATED_QUARTER_MONTHS = re.compile(r"^(q[1-4] \d{2,4} \d{2,4}) [a-z]{3,9} (?:to )?[a-z]{3,9}$")
# "Quarter 1", "Qtr 2", "Qtr3", "Quarter One", "First quarter": the same quarter as "Q1".
_QUARTER_WORD = re.compile(
    r"\b(?:(?:quarter|qtr) ?([1-4])|quarter (one|two|three|four)"
    r"|(first|second|third|fourth) quarter)\b"
)
_QUARTER_NUMBER = {"one": 1, "two": 2, "three": 3, "four": 4}
_QUARTER_NUMBER.update(first=1, second=2, third=3, fourth=4)
# Words before a period that say only that the column reports at it: "End of Q1 update",
# "Progress at end Sept 2018".
_AT_END = re.compile(r"^(?:at |as at )?end (?:of )?")
# A period named by the day it describes: "as at 30/06/17", "at 31 March 2018", a date cell.
_AS_AT = re.compile(r"^(?:as (?:at|of) |at )")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2}) (\d{1,2}) (\d{2}|\d{4})$")
_ISO_DAY = re.compile(r"^(\d{4}) (\d{1,2}) (\d{1,2})$")
_DAY_NAMED_MONTH = re.compile(r"^\d{1,2}(?:st|nd|rd|th)? [a-z]{3,9} (?:\d{2}|\d{4})$")


@dataclass(frozen=True)
class QuarterYear:
    """The financial year (its starting calendar year) a bare "Q2" is read in, and why."""

    start_year: int
    reason: str

    @classmethod
    def choose(
        cls,
        as_at: dt.date,
        plan_start: dt.date | None,
        plan_end: dt.date | None,
        title_years: Sequence[int] = (),
    ) -> QuarterYear:
        if plan_start is not None and plan_end is not None:
            first, last = financial_year_start(plan_start), financial_year_start(plan_end)
            if first == last:
                return cls(first, "the plan's period")
        if len(set(title_years)) == 1:
            return cls(title_years[0], "the year the file's title or name gives")
        return cls(financial_year_start(as_at), "the financial year of the import's as-at date")

    @property
    def label(self) -> str:
        return financial_year_label(dt.date(self.start_year, 4, 1))


@dataclass(frozen=True)
class PeriodColumn:
    header: str  # as written: the key of the row's extra fields
    role: str  # "rag" or "progress"
    period: Period
    bare: bool  # a quarter written without a year


def _quarter_words(text: str) -> str:
    return _QUARTER_WORD.sub(
        lambda m: f"q{m.group(1) or _QUARTER_NUMBER[m.group(2) or m.group(3)]}", text
    )


def period_column(header: str, year: QuarterYear) -> PeriodColumn | None:
    """The period and role a header names ("Q1 RAG", "Progress 2016/17 Q3"), or None."""
    text = _quarter_words(normalise_header(header))
    roles = _ROLE.findall(text)
    if len(roles) != 1 and JOIN in header:
        # A header over two rows, "Progress report Q2 2018/19 / RAG": the sub-header names
        # the role, the group row the period.
        roles = _ROLE.findall(normalise_header(header.rsplit(JOIN, 1)[1]))
    if len(roles) != 1:
        return None
    rest = " ".join(_ROLE.sub(" ", text).split())
    period, bare = _period_written(rest, year)
    if period is None:
        return None
    return PeriodColumn(header, _ROLE_OF[roles[0]], period, bare)


def roleless_period(header: str, year: QuarterYear) -> tuple[Period, bool] | None:
    """The period a header names and nothing else ("Q1", "Jun-17", "Quarter 2 2018/19", a
    date cell "2017-06-30"), with whether it is a quarter written without a year. What such a
    column holds, ratings or updates, is read from its cells (`with_period_history`)."""
    text = _quarter_words(normalise_header(header))
    if not text or _ROLE.search(text):
        return None
    period, bare = _period_written(text, year)
    return (period, bare) if period is not None else None


def _periods_named(labels: list[str]) -> dict[int, Period]:
    any_year = QuarterYear(2000, "")
    found = {i: c.period for i, label in enumerate(labels) if (c := period_column(label, any_year))}
    for i, label in enumerate(labels):
        if i not in found and (named := roleless_period(label, any_year)) is not None:
            found[i] = named[0]
    return found


def period_columns(labels: list[str]) -> set[int]:
    """The columns of a table's period groups ("Q1 RAG | Q1 update | Q2 RAG", "RAG Jun-17 |
    Progress 2016/17 Q3"), when its headers name two periods or more: none of them is the
    row's own RAG or update; they stay extra fields for `with_period_history`, which dates
    each filled period and gives the row the latest. One period alone ("RAG status Q2") is
    the row's own column."""
    found = _periods_named(labels)
    return set(found) if len(set(found.values())) > 1 else set()


def period_rag_columns(labels: list[str]) -> list[int]:
    """The RAG columns of a table's period groups ("Q1 RAG", "Q2 RAG"), and those whose header
    names only the period ("Q1"): their cells' fill colours are read as ratings, for trackers
    that colour the cell and type nothing."""
    any_year = QuarterYear(2000, "")
    return [
        i
        for i in sorted(period_columns(labels))
        if (column := period_column(labels[i], any_year)) is None or column.role == "rag"
    ]


def _period_written(text: str, year: QuarterYear) -> tuple[Period | None, bool]:
    if (day := _day_written(text)) is not None:
        return day, False
    text = _months_of_quarter(_AT_END.sub("", text))
    if match := _DATED_QUARTER_MONTHS.match(text):
        text = match.group(1)
    if match := _YEAR_THEN_QUARTER.match(text):
        text = f"q{match.group(3)} {match.group(1)} {match.group(2)}"
    if match := _BARE_QUARTER.match(text):
        first_month = 4 + 3 * (int(match.group(1)) - 1)
        start = dt.date(year.start_year + (first_month - 1) // 12, (first_month - 1) % 12 + 1, 1)
        return period_containing(PeriodKind.QUARTER, start), True
    # normalise_header made "2016/17" "2016 17" and "Jun-17" "jun 17": put the marks back.
    text = re.sub(r"(\d{4}) (\d{2,4})$", r"\1/\2", text)
    text = re.sub(r"^(q[1-4]) (\d{2}) (\d{2})$", r"\1 \2/\3", text)  # "Q1 18/19"
    if match := _MONTH_YEAR.match(text):
        text = f"{match.group(1)}-{match.group(2)}"
    elif match := _MONTHS_YEAR.match(text):  # "apr jun 2017" was "Apr-Jun 2017"
        text = f"{match.group(1)}-{match.group(2)} {match.group(3)}"
    period = read_period(text)
    if period is None or period.kind is PeriodKind.YEAR:
        return None, False  # "Progress 2016/17" is a year's column, not a period group
    return period, False


def _months_of_quarter(text: str) -> str:
    """ "q1 apr jun" as the quarter its months make: the months decide, whether the file counts
    quarters from April or from January ("Q1 (Jan-Mar)"); with a year they date it ("apr jun
    2017"), without one it is a bare quarter ("q1"). Other text is returned unchanged."""
    match = _QUARTER_MONTHS.match(text)
    if match is None:
        return text
    first, last, year = match.groups()
    if year:
        return f"{first} {last} {year}"
    quarter = read_period(f"{first}-{last} 2000")
    if quarter is None or quarter.kind is not PeriodKind.QUARTER:
        return text
    return f"q{(quarter.start.month - 4) % 12 // 3 + 1}"


def _day_written(text: str) -> Period | None:
    """A header naming the last day of a month ("as at 30/06/17", "31 March 2018", a date cell
    "2017-06-30") names that month: its entry describes that day. Another day names no period
    (an entry is dated at its period's end)."""
    text = _AS_AT.sub("", text)
    if match := _DAY_MONTH_YEAR.match(text):
        written = "/".join(match.groups())
    elif match := _ISO_DAY.match(text):
        written = "-".join(match.groups())
    elif _DAY_NAMED_MONTH.match(text):
        written = text
    else:
        return None
    day = read_deadline(written).date
    if day is None or (day + dt.timedelta(days=1)).day != 1:
        return None
    return period_containing(PeriodKind.MONTH, day)
