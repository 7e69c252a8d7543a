"""The board paper: Summary, Actions, Exceptions, Changes, Indicators, Data quality and Key
sheets, ready to print.

Every figure comes from plan.queries for one `Selection`, so the workbook shows the dashboard's
numbers. The workbook is written in openpyxl's write-only (streaming) mode with named styles
made once per workbook, so 20,000 actions cost little more than writing the bare values.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles.cell_style import StyleArray
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from sqlalchemy import select
from sqlalchemy.orm import Session

from plan.exporters.indicator_sheet import indicators_sheet
from plan.exporters.quality_sheets import Quality, key_sheet, quality_sheet
from plan.exporters.safe_cells import SheetWriter
from plan.exporters.styles import Styles
from plan.exporters.table import (
    RAG,
    Column,
    Footer,
    Table,
    set_footer,
    set_print_setup,
    set_widths,
)
from plan.models import Objective, Plan
from plan.queries import (
    DUE_SOON_DAYS,
    ActionView,
    ChangeRow,
    Overview,
    RagCounts,
    Selection,
    changes_between,
    exceptions_of,
    plan_overview,
)
from plan.queries.flags import action_flags, flags_by_objective, flags_by_owner
from plan.queries.indicators import IndicatorRow, indicator_rows
from plan.queries.plan_settings import plan_settings, rag_keys_shown
from plan.queries.rounds import RoundChoice, round_choices
from rulebook.dates import format_uk_date, utc_date, written_deadline
from rulebook.movement import exception_reasons
from rulebook.rag import RAG_COLOURS, RAG_ORDER, Rag, rag_label
from rulebook.rag_key import RagKey

ALL_PLANS = "All plans"

SUMMARY, ACTIONS, EXCEPTIONS, CHANGES = "Summary", "Actions", "Exceptions", "Changes"
INDICATOR_RAGS = (Rag.RED, Rag.AMBER, Rag.GREEN, None)

DIRECTION_WORDS: dict[str | None, str] = {
    "improved": "↗ Improved",
    "worsened": "↘ Worsened",
    "new": "• New",
    "completed": "★ Completed",
    "unchanged": "→ No change",
    None: "",
}
CHANGE_WORDS = {
    "first rating": "• First rating",
    "improved": "↗ Improved",
    "worsened": "↘ Worsened",
    "unchanged": "→ No change",
    "rating removed": "– Rating removed",
    "cancelled": "✕ Cancelled",
}


# ----------------------------------------------------------------------------- the figures


@dataclass(frozen=True)
class BoardPaper:
    """Everything a board paper shows, read for one selection, as at one date."""

    title: str  # the plan's name, or "All plans"
    filters: tuple[str, ...]  # the objectives, owners and RAG chosen, in words
    selection: Selection
    as_at: dt.date
    compared_with: dt.date
    overview: Overview
    exceptions: list[ActionView]
    changes: list[ChangeRow]
    indicators: list[IndicatorRow]
    quality: Quality
    rag_keys: list[tuple[str, RagKey]]
    round: RoundChoice | None = None  # as at this round's period end

    @property
    def filters_text(self) -> str:
        return "; ".join(self.filters) if self.filters else "None: every action in the plan"

    def footer(self, what: str) -> Footer:
        return Footer(self.title, self.as_at, what)


def board_paper(
    session: Session,
    *,
    selection: Selection,
    as_at: dt.date,
    compared_with: dt.date,
    round_id: int | None = None,
) -> BoardPaper:
    """Read the board paper's figures (the dashboard's queries, for the same selection).

    With `round_id`, the round's checks (no update in this round, or in two) are included.
    """
    title, filters = describe_selection(session, selection)
    overview = plan_overview(session, selection=selection, as_at=as_at, compared_with=compared_with)
    keys = rag_keys_shown(
        [s for s in plan_settings(session) if selection.plan_id in (None, s.plan_id)]
    )
    return BoardPaper(
        title=title,
        filters=filters,
        selection=selection,
        as_at=as_at,
        compared_with=compared_with,
        overview=overview,
        # The same rule as the meeting view, applied to the list the Actions sheet shows.
        exceptions=exceptions_of(overview.actions),
        changes=changes_between(session, selection=selection, start=compared_with, end=as_at),
        indicators=indicator_rows(session, selection, as_at),
        quality=Quality(
            action_flags(session, selection, as_at, round_id=round_id),
            flags_by_owner(session, selection, as_at, round_id=round_id),
            flags_by_objective(session, selection, as_at, round_id=round_id),
        ),
        rag_keys=keys,
        round=next((r for r in round_choices(session) if r.id == round_id), None),
    )


def describe_selection(session: Session, selection: Selection) -> tuple[str, tuple[str, ...]]:
    """The plan's name (or "All plans") and each other filter in words."""
    title = ALL_PLANS
    if selection.plan_id is not None:
        title = session.scalar(select(Plan.name).where(Plan.id == selection.plan_id)) or title
    filters: list[str] = []
    if selection.objective_ids:
        names = session.scalars(
            select(Objective.title)
            .where(Objective.id.in_(selection.objective_ids))
            .order_by(Objective.position, Objective.id)
        )
        filters.append("Objectives: " + ", ".join(names))
    if selection.owners:
        filters.append("Owners: " + ", ".join(selection.owners))
    if selection.rags:
        filters.append("RAG: " + ", ".join(rag_label(r) for r in RAG_ORDER if r in selection.rags))
    return title, tuple(filters)


def file_name(paper: BoardPaper, extension: str = "xlsx") -> str:
    """e.g. "VAWG Action Plan - board paper 2026-11-30.xlsx" (safe on every system)."""
    safe = "".join(c if c.isalnum() or c in " -_" else "-" for c in paper.title).strip()
    return f"{safe or 'plan'} - board paper {paper.as_at.isoformat()}.{extension}"


# ----------------------------------------------------------------------------- the workbook


def board_paper_xlsx(paper: BoardPaper) -> bytes:
    """The board paper as .xlsx bytes."""
    workbook = Workbook(write_only=True)
    workbook.properties.title = f"{paper.title}: board paper as at {format_uk_date(paper.as_at)}"
    workbook.properties.creator = "Delivery Plan Tracker"
    styles = Styles(workbook)
    _summary_sheet(workbook, styles, paper)
    _actions_sheet(workbook, styles, paper)
    _exceptions_sheet(workbook, styles, paper)
    _changes_sheet(workbook, styles, paper)
    what = f"Indicators: each period's value, target and RAG known on {format_uk_date(paper.as_at)}"
    indicators_sheet(workbook, styles, paper.indicators, paper.footer(what))
    actions = paper.overview.actions
    quality_sheet(workbook, styles, paper.quality, actions, paper.footer(_quality_what(paper)))
    key_sheet(workbook, styles, paper.rag_keys, paper.footer("Key: what each rating means"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _quality_what(paper: BoardPaper) -> str:
    return f"Data quality: {paper.quality.flagged} actions with automatic checks" + (
        f" (round {paper.round.name})" if paper.round else ""
    )


# ----------------------------------------------------------------------------- Summary


def _objective_label(ref: str | None, title: str, plan: str, several_plans: bool) -> str:
    label = f"{ref}. {title}" if ref else title
    return f"{plan}: {label}" if several_plans and plan else label


class _Rows:
    """The Summary's rows, gathered before writing (the chart needs their numbers)."""

    def __init__(self, writer: SheetWriter, styles: Styles):
        self.writer, self.styles = writer, styles
        self.rows: list[tuple[list[Any], list[StyleArray]]] = []

    def add(self, *cells: tuple[Any, str | StyleArray]) -> int:
        """A row of (value, style) pairs, the style a Styles name or array; its row number."""
        styles = [getattr(self.styles, s) if isinstance(s, str) else s for _, s in cells]
        self.rows.append(([value for value, _ in cells], styles))
        return len(self.rows)

    def heading(self, label: str, width: int = 2) -> None:
        self.add((label, "section"), *((None, "section") for _ in range(width - 1)))

    def write(self) -> None:
        for values, styles in self.rows:
            self.writer.append(values, styles)


def _summary_sheet(workbook: Workbook, styles: Styles, paper: BoardPaper) -> None:
    writer = SheetWriter(workbook, SUMMARY)
    sheet = writer.sheet
    set_widths(sheet, (46, 11, 11, 11, 11, 11, 10, 10, 11))
    set_print_setup(sheet, repeat_header=False)
    sheet.page_setup.fitToHeight = 1
    set_footer(sheet, paper.footer("Summary"))
    rows = _Rows(writer, styles)
    _summary_heading(rows, paper)
    _key_figures(rows, paper.overview)
    _movement(rows, paper)
    _indicator_counts(rows, paper.overview)
    header, last = _rag_by_objective(rows, paper.overview)
    if paper.overview.by_objective:
        sheet.add_chart(_rag_chart(sheet, header, last - 1), f"A{last + 2}")
    rows.write()


def _summary_heading(rows: _Rows, paper: BoardPaper) -> None:
    rows.add((f"{paper.title}: progress report", "title"))
    rows.add()
    rows.add(("Plan", "label"), (paper.title, "plain"))
    rows.add(("As at", "label"), (paper.as_at, "plain_date"))
    rows.add(("Compared with", "label"), (paper.compared_with, "plain_date"))
    if paper.round is not None:
        rows.add(("Update round", "label"), (f"{paper.round.name}, as at its period end", "plain"))
    rows.add(("Filters", "label"), (paper.filters_text, "plain"))
    rows.add(("Actions with automatic checks", "label"), (paper.quality.flagged, "plain"))
    rows.add()


def _key_figures(rows: _Rows, overview: Overview) -> None:
    complete = (overview.rag.percent_complete or 0) / 100 if overview.rag.total else None
    rows.heading("Key figures")
    for label, value, style in (
        ("Actions (cancelled left out)", overview.rag.total, "number"),
        ("Overdue", overview.overdue, "number"),
        (f"Due in the next {DUE_SOON_DAYS} days", overview.due_soon, "number"),
        ("Complete (Blue)", complete, "percent"),
        ("Cancelled (not counted)", overview.rag.cancelled, "number"),
    ):
        rows.add((label, "plain"), (value, style))
    rows.add()


def _movement(rows: _Rows, paper: BoardPaper) -> None:
    rows.heading(f"Movement since {format_uk_date(paper.compared_with)}")
    movement = paper.overview.movement
    for label, value in (
        ("↗ Improved", movement.improved),
        ("↘ Worsened", movement.worsened),
        ("★ Completed", movement.completed),
        ("• New", movement.new),
        ("→ No change", movement.unchanged),
        ("Progress updates recorded", paper.overview.updates_since),
    ):
        rows.add((label, "plain"), (value, "number"))
    rows.add()


def _indicator_counts(rows: _Rows, overview: Overview) -> None:
    """The selected indicators by the RAG of their latest figure (the Overview's counts)."""
    rows.heading("RAG of the indicators' latest figures")
    rows.add(("Indicators", "plain"), (overview.indicators, "number"))
    for rag in INDICATOR_RAGS:
        style = rows.styles.rag[rag]
        rows.add((f"Indicators {rag_label(rag)}", style), (overview.indicator_rag[rag], "number"))
    rows.add()


def _rag_by_objective(rows: _Rows, overview: Overview) -> tuple[int, int]:
    """The RAG counts per objective and their totals; the header's and the totals' rows."""
    styles = rows.styles
    rows.heading("RAG by objective", width=1)
    header = rows.add(
        ("Objective", "header"),
        *((rag_label(rag), styles.rag[rag]) for rag in RAG_ORDER),
        *((heading, "header") for heading in ("Total", "Overdue", "Cancelled")),
    )
    several_plans = len({r.plan for r in overview.by_objective}) > 1
    for rollup in overview.by_objective:
        label = _objective_label(rollup.ref, rollup.title, rollup.plan, several_plans)
        rows.add((label, "text"), *_counts(rollup.rag, rollup.overdue, "number"))
    last = rows.add(("Total", "total"), *_counts(overview.rag, overview.overdue, "total"))
    return header, last


def _counts(rag: RagCounts, overdue: int, style: str) -> list[tuple[Any, str]]:
    """A RAG-by-objective row's numbers: each RAG, the total, overdue and cancelled."""
    return [
        *((rag.of(r), style) for r in RAG_ORDER),
        (rag.total, style),
        (overdue, style),
        (rag.cancelled, style),
    ]


def _rag_chart(sheet: WriteOnlyWorksheet, header_row: int, last_row: int) -> BarChart:
    """Stacked bars, one per objective, coloured by RAG: a native, editable Excel chart."""
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.gapWidth = 60
    chart.title = "Actions by RAG and objective"
    chart.y_axis.title = "Actions"
    chart.x_axis.scaling.orientation = "maxMin"  # the first objective at the top
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.majorGridlines = None
    chart.legend.position = "b"
    data = Reference(
        sheet, min_col=2, max_col=1 + len(RAG_ORDER), min_row=header_row, max_row=last_row
    )
    categories = Reference(sheet, min_col=1, min_row=header_row + 1, max_row=last_row)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(categories)
    for series, rag in zip(chart.series, RAG_ORDER, strict=True):
        series.graphicalProperties.solidFill = RAG_COLOURS[rag].lstrip("#").upper()
        series.graphicalProperties.line.solidFill = "FFFFFF"
    chart.width = 24
    chart.height = max(7.5, 1.2 * (last_row - header_row) + 4)
    return chart


# ----------------------------------------------------------------------------- Actions


def previous_rag(view: ActionView) -> str | None:
    """The RAG at the comparison date, unless the action is new since then."""
    return rag_label(view.previous_rag) if view.movement != "new" else None


def _rag(view: ActionView | ChangeRow) -> str:
    return rag_label(view.rag)


def _direction(view: ActionView) -> str | None:
    return DIRECTION_WORDS[view.movement] or None


def _days_overdue(view: ActionView) -> int | None:
    return view.days_overdue or None


def _written(view: ActionView) -> str | None:
    return written_deadline(view.deadline, view.deadline_text)


def _last_updated(view: ActionView) -> dt.date | None:
    return utc_date(view.updated_at)


ACTION_COLUMNS = (
    Column("Ref", 7, "text", attrgetter("ref")),
    Column("Action", 42, "text", attrgetter("action")),
    Column("Owner", 18, "text", attrgetter("owner")),
    Column("Deadline", 12, "date", attrgetter("deadline")),
    Column("Deadline as written", 14, "text", _written),
    Column("RAG", 12, RAG, _rag),
    Column("Previous RAG", 12, RAG, previous_rag),
    Column("Direction of travel", 14, "text", _direction),
    Column("Days overdue", 9, "number", _days_overdue),
    Column("Latest update", 50, "text", attrgetter("latest_update")),
    Column("Last updated", 12, "date", _last_updated),
)


def _actions_sheet(workbook: Workbook, styles: Styles, paper: BoardPaper) -> None:
    what = (
        f"Actions as at {format_uk_date(paper.as_at)}, compared with "
        f"{format_uk_date(paper.compared_with)}"
    )
    table = Table(workbook, styles, ACTIONS, ACTION_COLUMNS, paper.footer(what))
    actions = paper.overview.actions
    several_plans = len({view.plan for view in actions}) > 1
    current: tuple[str, str | None] | None = None
    for view in actions:
        group = (view.plan, view.objective)
        if group != current:
            current = group
            label = view.objective or "No objective"
            table.add_section(f"{view.plan}: {label}" if several_plans else label)
        table.add(view)
    if not actions:
        table.add_note("No actions match these filters on this date.")
    table.finish()


# ----------------------------------------------------------------------------- Exceptions


def _why(view: ActionView) -> str:
    reasons = exception_reasons(view.rag, view.overdue, view.days_overdue, view.movement)
    return "; ".join(reasons).capitalize()


def _updates_text(changes: Iterable[ChangeRow], view: ActionView, since: str) -> str:
    """The action's updates in the period, newest first; else its latest update."""
    lines = [
        f"{format_uk_date(change.day)}, {rag_label(change.rag)}, "
        f"{change.author}: {change.progress or '(no text)'}"
        for change in sorted(changes, key=lambda c: (c.day, c.recorded_at), reverse=True)
    ]
    if lines:
        return "\n".join(lines)
    if view.latest_update:
        return f"No update since {since}. Latest: {view.latest_update}"
    return f"No update since {since}."


def _exception_columns(paper: BoardPaper) -> tuple[Column, ...]:
    since = format_uk_date(paper.compared_with)
    by_action: dict[int, list[ChangeRow]] = {}
    for change in paper.changes:
        by_action.setdefault(change.action_id, []).append(change)

    def updates(view: ActionView) -> str:
        return _updates_text(by_action.get(view.id, ()), view, since)

    return (
        Column("Ref", 7, "text", attrgetter("ref")),
        Column("Objective", 24, "text", attrgetter("objective")),
        Column("Action", 36, "text", attrgetter("action")),
        Column("Owner", 16, "text", attrgetter("owner")),
        Column("Deadline", 12, "date", lambda view: view.deadline or _written(view)),
        Column("RAG", 12, RAG, _rag),
        Column("Previous RAG", 12, RAG, previous_rag),
        Column("Direction of travel", 14, "text", _direction),
        Column("Days overdue", 9, "number", _days_overdue),
        Column("Why it is here", 18, "text", _why),
        Column("Checks", 24, "text", lambda view: paper.quality.reasons(view.id) or None),
        Column("Updates", 56, "text", updates),
        Column("Last updated", 12, "date", _last_updated),
    )


def _exceptions_sheet(workbook: Workbook, styles: Styles, paper: BoardPaper) -> None:
    since = format_uk_date(paper.compared_with)
    what = f"Exceptions: Red, overdue or worse than at {since}"
    table = Table(workbook, styles, EXCEPTIONS, _exception_columns(paper), paper.footer(what))
    for view in paper.exceptions:
        table.add(view)
    if not paper.exceptions:
        table.add_note(f"No exceptions: nothing is Red, overdue or worse than at {since}.")
    table.finish()


# ----------------------------------------------------------------------------- Changes


def _change_previous_rag(change: ChangeRow) -> str | None:
    return None if change.change == "first rating" else rag_label(change.previous_rag)


CHANGE_COLUMNS = (
    Column("Date", 12, "date", attrgetter("day")),
    Column("Ref", 7, "text", attrgetter("ref")),
    Column("Objective", 24, "text", attrgetter("objective")),
    Column("Action", 36, "text", attrgetter("action")),
    Column("Owner", 16, "text", attrgetter("owner")),
    Column("Previous RAG", 12, RAG, _change_previous_rag),
    Column("New RAG", 12, RAG, _rag),
    Column("Change", 13, "text", lambda change: CHANGE_WORDS.get(change.change, change.change)),
    Column("Update", 56, "text", attrgetter("progress")),
    Column("By", 16, "text", attrgetter("author")),
    Column("Source", 9, "text", attrgetter("source")),
)


def _changes_sheet(workbook: Workbook, styles: Styles, paper: BoardPaper) -> None:
    since, until = format_uk_date(paper.compared_with), format_uk_date(paper.as_at)
    what = f"Changes: every update and RAG change after {since} up to {until}"
    table = Table(workbook, styles, CHANGES, CHANGE_COLUMNS, paper.footer(what))
    for change in paper.changes:
        table.add(change)
    if not paper.changes:
        table.add_note(f"No updates were recorded after {since} up to {until}.")
    table.finish()
