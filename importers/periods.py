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

from importers.period_headers import (
    PeriodColumn,
    QuarterYear,
    period_column,
    period_columns,
    period_rag_columns,
    roleless_period,
)
from importers.roles import PERIOD_COLUMN
from importers.rows import ActionRow, ColumnRole, PeriodReport, ReadResult, RowIssue
from rulebook.periods import Period
from rulebook.rag import Rag, read_rag

__all__ = [
    "QuarterYear",
    "period_column",
    "period_columns",
    "period_rag_columns",
    "with_period_history",
]


def with_period_history(result: ReadResult, year: QuarterYear) -> ReadResult:
    """`result` with each row's filled period groups as `periods` (unchanged when there are
    none, or when this pass has run already)."""
    headers = {key for row in result.rows for key in (*row.extra, *row.fills)}
    columns = _rated_updates(
        result, [c for h in sorted(headers) if (c := period_column(h, year)) is not None]
    )
    roleless = _roleless_columns(result, headers - {c.header for c in columns}, year)
    columns += [c for c in roleless if c.role == "rag"]
    if any(row.periods for row in result.rows):
        return result
    issues = list(result.issues)
    written = [c.header for c in roleless if c.role == "progress"]
    if written:
        issues.append(_plans_or_updates(result.file, written))
    used = {c.header for c in columns}
    result = result.model_copy(update={"column_roles": _unused_kept(result, used, written)})
    if not columns:
        return _with_own_period(result.model_copy(update={"issues": issues}), year)
    periods = sorted({c.period for c in columns})
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


def _rated_updates(result: ReadResult, columns: list[PeriodColumn]) -> list[PeriodColumn]:
    """A period's update column that holds only ratings ("Q1 position": Green, Amber) is that
    period's RAG, unless the period has a RAG column of its own."""
    rated = {c.period for c in columns if c.role == "rag"}
    return [
        dataclasses.replace(c, role="rag")
        if c.role == "progress"
        and c.period not in rated
        and _role_by_cells(result, c.header) == "rag"
        else c
        for c in columns
    ]


def _plans_or_updates(file: str, headers: list[str]) -> RowIssue:
    return RowIssue(
        file=file,
        message="columns headed by a period alone hold text ("
        + ", ".join(f"'{h}'" for h in headers)
        + "): kept as extra fields, not history, as they may be what is planned for each "
        "period; head them with the period and 'update' ('Q1 update') to import them as "
        "progress updates",
    )


def _unused_kept(result: ReadResult, used: set[str], written: list[str]) -> list[ColumnRole]:
    """The column roles, saying of each period column that gives no history that it is kept
    as an extra field, and why."""
    out = []
    for role in result.column_roles:
        if role.reason == PERIOD_COLUMN and role.header not in used:
            why = (
                "a period's text with no role word: kept as an extra field (see the warning)"
                if role.header in written
                else "a period's column with no ratings or updates: kept as an extra field"
            )
            role = role.model_copy(update={"reason": why})
        out.append(role)
    return out


def _roleless_columns(
    result: ReadResult, headers: set[str], year: QuarterYear
) -> list[PeriodColumn]:
    """Columns headed by a period alone ("Q1 | Q2 | Q3", "Jun-17 | Sep-17"), when two or more
    periods are so headed: each is the periods' RAG when its cells hold only ratings or fill
    colours; words there may as well be each period's plan as its update, so the caller keeps
    them as extra fields and says so; figures or marks ("X") alone leave them extra fields."""
    named = {h: p for h in sorted(headers) if (p := roleless_period(h, year)) is not None}
    if len({period for period, _ in named.values()}) < 2:
        return []
    out = []
    for header, (period, bare) in named.items():
        if (role := _role_by_cells(result, header)) is not None:
            out.append(PeriodColumn(header, role, period, bare))
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


def _own_period(row: ActionRow, dated: dict[tuple[str, str], PeriodColumn]) -> ActionRow:
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
    row: ActionRow, columns: list[PeriodColumn], periods: list[Period], key: dict[str, Rag]
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
    row: ActionRow, columns: list[PeriodColumn], period: Period, key: dict[str, Rag]
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


def _colour_disagreements(result: ReadResult, columns: list[PeriodColumn]) -> list[RowIssue]:
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
