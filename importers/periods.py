"""Period column groups: a tracker's "Q1 RAG | Q1 update | Q2 RAG | Q2 update" become history.

Trackers keep a column group per quarter or month ("RAG Jun-17 | RAG Sep-17", "Progress
2016/17 Q3", "RAG status Q2"). The table reader keeps such columns as extra fields (no header
word names them alone); this pass, run on a read file, finds the groups among those fields and
gives each row one `PeriodReport` per filled period, oldest first, taking the columns out of
the extra fields. A row with no RAG or progress of its own takes the latest filled period's
(an empty later period does not erase an earlier one).

A quarter written without a year ("Q2") takes its financial year from `QuarterYear`: the
plan's own financial year when the plan covers one, else the one year the file's title or
name gives ("Delivery Plan 2025/26"), else the year of the import's "as at" date, and the report
says which.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from importers.header_rows import JOIN
from importers.headers import normalise_header
from importers.rows import ActionRow, PeriodReport, ReadResult, RowIssue
from rulebook.dates import financial_year_label, financial_year_start
from rulebook.deadlines import read_deadline
from rulebook.periods import Period, PeriodKind, period_containing, read_period
from rulebook.rag import Rag, read_rag

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
# "Quarter 1", "Qtr 2", "Qtr3": the same quarter as "Q1".
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
class _Column:
    header: str  # as written: the key of the row's extra fields
    role: str  # "rag" or "progress"
    period: Period
    bare: bool  # a quarter written without a year


def _quarter_words(text: str) -> str:
    return _QUARTER_WORD.sub(
        lambda m: f"q{m.group(1) or _QUARTER_NUMBER[m.group(2) or m.group(3)]}", text
    )


def period_column(header: str, year: QuarterYear) -> _Column | None:
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
    return _Column(header, _ROLE_OF[roles[0]], period, bare)


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


def with_period_history(result: ReadResult, year: QuarterYear) -> ReadResult:
    """`result` with each row's filled period groups as `periods` (unchanged when there are
    none, or when this pass has run already)."""
    headers = {key for row in result.rows for key in (*row.extra, *row.fills)}
    columns = [c for h in sorted(headers) if (c := period_column(h, year)) is not None]
    columns += _roleless_columns(result, headers - {c.header for c in columns}, year)
    if any(row.periods for row in result.rows):
        return result
    if not columns:
        return _with_own_period(result, year)
    periods = sorted({c.period for c in columns})
    issues = list(result.issues)
    if any(c.bare for c in columns):
        issues.append(_no_year(result.file, year))
    rows = [_with_periods(row, columns, periods, result.rag_key) for row in result.rows]
    issues.extend(_colour_disagreements(result, columns))
    unmapped = [h for h in result.unmapped_columns if h not in {c.header for c in columns}]
    named = {c.header: f"{c.role} for {c.period.label}" for c in columns}
    return result.model_copy(
        update={
            "rows": rows,
            "issues": issues,
            "unmapped_columns": unmapped,
            "columns": {**result.columns, **named},
        }
    )


def _roleless_columns(result: ReadResult, headers: set[str], year: QuarterYear) -> list[_Column]:
    """Columns headed by a period alone ("Q1 | Q2 | Q3", "Jun-17 | Sep-17"), when two or more
    periods are so headed: each is the periods' RAG when its cells hold only ratings or fill
    colours, else their update when they hold words; figures or marks ("X") alone leave it an
    extra field."""
    named = {h: p for h in sorted(headers) if (p := roleless_period(h, year)) is not None}
    if len({period for period, _ in named.values()}) < 2:
        return []
    out = []
    for header, (period, bare) in named.items():
        if (role := _role_by_cells(result, header)) is not None:
            out.append(_Column(header, role, period, bare))
    return out


def _role_by_cells(result: ReadResult, header: str) -> str | None:
    texts = [text for row in result.rows if (text := row.extra.get(header, "").strip())]
    if not texts:
        return "rag" if any(header in row.fills for row in result.rows) else None
    if all(_is_rating(text, result.rag_key) for text in texts):
        return "rag"
    # Updates are words; a timeline's marks ("X", "Y") or figures leave the column extra.
    if all(any(ch.isalpha() for ch in text) for text in texts) and any(" " in t for t in texts):
        return "progress"
    return None


def _is_rating(text: str, key: dict[str, Rag]) -> bool:
    reading = read_rag(text, key)
    return reading.unrecognised is None and (reading.rag is not None or reading.status is not None)


def _no_year(file: str, year: QuarterYear) -> RowIssue:
    return RowIssue(
        file=file,
        message=f"quarter columns name no year: read as {year.label} ({year.reason}); "
        "give the as-at date or the plan period to read them as another year",
    )


def _with_own_period(result: ReadResult, year: QuarterYear) -> ReadResult:
    """A row's own RAG or update column that names one period ("RAG status Q2"): what it
    says is also that period's entry, dated at its end."""
    dated = {
        (role.sheet, role.role): column
        for role in result.column_roles
        if role.role in ("rag", "progress")
        and (column := period_column(role.header, year)) is not None
        and column.role == role.role
    }
    if len({c.period for c in dated.values()}) != 1:
        return result
    rows = [_own_period(row, dated) for row in result.rows]
    issues = list(result.issues)
    if any(c.bare for c in dated.values()):
        issues.append(_no_year(result.file, year))
    return result.model_copy(update={"rows": rows, "issues": issues})


def _own_period(row: ActionRow, dated: dict[tuple[str, str], _Column]) -> ActionRow:
    rag, progress = dated.get((row.sheet, "rag")), dated.get((row.sheet, "progress"))
    rated = rag is not None and bool(row.rag or row.rag_text or row.status)
    written = progress is not None and bool(row.progress)
    column = rag or progress
    if column is None or not (rated or written):
        return row
    report = PeriodReport(
        label=column.period.label,
        start=column.period.start,
        end=column.period.end,
        rag=row.rag if rated else None,
        status=row.status if rated else None,
        rag_text=row.rag_text if rated else None,
        progress=row.progress if written else None,
    )
    return dataclasses.replace(row, periods=(report,))


def _with_periods(
    row: ActionRow, columns: list[_Column], periods: list[Period], key: dict[str, Rag]
) -> ActionRow:
    reports = [r for p in periods if (r := _report(row, columns, p, key)) is not None]
    extra = {k: v for k, v in row.extra.items() if k not in {c.header for c in columns}}
    changes: dict[str, object] = {"periods": tuple(reports), "extra": extra, "fills": {}}
    rated = [r for r in reports if r.rag or r.rag_text or r.status]
    if rated and row.rag is None and row.rag_text is None and row.status is None:
        latest = rated[-1]
        changes.update(rag=latest.rag, rag_text=latest.rag_text, status=latest.status)
    written = [r for r in reports if r.progress]
    if written and not row.progress:
        changes["progress"] = written[-1].progress
    return dataclasses.replace(row, **changes)  # type: ignore[arg-type]


def _report(
    row: ActionRow, columns: list[_Column], period: Period, key: dict[str, Rag]
) -> PeriodReport | None:
    """What one period's cells say; a RAG cell with no text but a red, amber, green or blue
    fill is rated by its colour (typed text wins), so a coloured cell alone fills the period."""
    group = [c for c in columns if c.period == period]
    cells = {c.role: row.extra.get(c.header, "").strip() for c in group}
    rag_text, progress = cells.get("rag", ""), cells.get("progress", "")
    reading = read_rag(rag_text, key)  # the file's own key, as for the row's own RAG cell
    rag, status = reading.rag, reading.status
    fill = next(
        (row.fills[c.header] for c in group if c.role == "rag" and c.header in row.fills), None
    )
    if not rag_text and fill is not None:
        rag, status = fill, read_rag(str(fill)).status
    if not rag_text and not progress and fill is None:
        return None
    return PeriodReport(
        label=period.label,
        start=period.start,
        end=period.end,
        rag=rag,
        status=status,
        rag_text=reading.unrecognised,
        progress=progress or None,
    )


def _colour_disagreements(result: ReadResult, columns: list[_Column]) -> list[RowIssue]:
    """A period RAG cell whose text and fill colour give different ratings: the text is used
    (as for the row's own RAG cell), and the file is told."""
    rag_columns = [c for c in columns if c.role == "rag"]
    out = []
    for row in result.rows:
        for column in rag_columns:
            fill = row.fills.get(column.header)
            said = read_rag(row.extra.get(column.header, ""), result.rag_key).rag
            if fill is not None and said is not None and said != fill:
                out.append(
                    RowIssue(
                        file=result.file,
                        sheet=row.sheet,
                        row=row.row,
                        field=column.header,
                        message=f"RAG text says {said} but the cell is coloured {fill}: "
                        "used the text",
                    )
                )
    return out
