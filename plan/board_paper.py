"""The board-paper workbook: Summary, Actions, Exceptions and Changes sheets, ready to print.

Every figure comes from plan.queries for one `Selection`, so the workbook shows the dashboard's
numbers. The workbook is written in openpyxl's write-only (streaming) mode with named styles
made once per workbook, so 20,000 actions cost little more than writing the bare values.

No cell starts a formula nobody wrote: text beginning with =, +, -, @, tab or carriage return
is stored as a text cell with Excel's "quote prefix" (what typing an apostrophe first does), so
Excel and LibreOffice show it as written and never run it, even after the cell is edited.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select
from sqlalchemy.orm import Session

from plan.exporting import (
    ACTION_SHEET_COLUMNS,
    DIRECTION_WORDS,
    action_sheet_values,
    utc_date,
    written_deadline,
)
from plan.models import Objective, Plan
from plan.queries import (
    DUE_SOON_DAYS,
    ActionView,
    ChangeRow,
    Overview,
    Selection,
    changes_between,
    exceptions_of,
    plan_overview,
)
from rulebook.dates import format_uk_date
from rulebook.rag import RAG_COLOURS, RAG_ORDER, RAG_TEXT_COLOURS, Rag, rag_label

UK_DATE_FORMAT = "d mmm yyyy"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ALL_PLANS = "All plans"

SUMMARY, ACTIONS, EXCEPTIONS, CHANGES = "Summary", "Actions", "Exceptions", "Changes"

ACTION_WIDTHS = (7, 42, 18, 12, 14, 12, 12, 14, 9, 50, 12)
EXCEPTION_COLUMNS = (
    "Ref",
    "Objective",
    "Action",
    "Owner",
    "Deadline",
    "RAG",
    "Previous RAG",
    "Direction of travel",
    "Days overdue",
    "Why it is here",
    "Updates",
    "Last updated",
)
EXCEPTION_WIDTHS = (7, 24, 36, 16, 12, 12, 12, 14, 9, 18, 56, 12)
CHANGE_COLUMNS = (
    "Date",
    "Ref",
    "Objective",
    "Action",
    "Owner",
    "Previous RAG",
    "New RAG",
    "Change",
    "Update",
    "By",
    "Source",
)
CHANGE_WIDTHS = (12, 7, 24, 36, 16, 12, 12, 13, 56, 16, 9)
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

    @property
    def filters_text(self) -> str:
        return "; ".join(self.filters) if self.filters else "None: every action in the plan"


def board_paper(
    session: Session, *, selection: Selection, as_at: dt.date, compared_with: dt.date
) -> BoardPaper:
    """Read the board paper's figures (the dashboard's queries, for the same selection)."""
    title, filters = describe_selection(session, selection)
    overview = plan_overview(session, selection=selection, as_at=as_at, compared_with=compared_with)
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


# ----------------------------------------------------------------------------- styles


def _hex(colour: str) -> str:
    return "FF" + colour.lstrip("#").upper()


_THIN = Side(style="thin", color="FFBFBFBF")
_GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_TOP = Alignment(vertical="top")
_WRAP = Alignment(vertical="top", wrap_text=True)
_BODY_FONT = Font(name="Calibri", size=10)
_HEADER_FILL = PatternFill("solid", fgColor="FF1F3864")
_SECTION_FILL = PatternFill("solid", fgColor="FFD9E1F2")
_RAG_NAMES = {
    Rag.RED: "Red",
    Rag.AMBER: "Amber",
    Rag.GREEN: "Green",
    Rag.BLUE: "Blue",
    None: "None",
}


class Styles:
    """Named styles made once per workbook; cells copy their style arrays (cheap)."""

    def __init__(self, workbook: Workbook):
        self._workbook = workbook
        self.title = self._add("BP Title", font=Font(name="Calibri", size=14, bold=True))
        self.label = self._add("BP Label", font=Font(name="Calibri", size=10, bold=True))
        self.header = self._add(
            "BP Header",
            font=Font(name="Calibri", size=10, bold=True, color="FFFFFFFF"),
            fill=_HEADER_FILL,
            alignment=Alignment(vertical="center", wrap_text=True),
            border=_GRID,
        )
        self.section = self._add(
            "BP Section",
            font=Font(name="Calibri", size=11, bold=True),
            fill=_SECTION_FILL,
            alignment=Alignment(vertical="center"),
            border=Border(top=_THIN, bottom=_THIN),
        )
        self.text = self._add("BP Text", font=_BODY_FONT, alignment=_WRAP, border=_GRID)
        self.plain = self._add("BP Plain", font=_BODY_FONT, alignment=_TOP)
        self.wrapped = self._add("BP Wrapped", font=_BODY_FONT, alignment=_WRAP)
        self.number = self._add(
            "BP Number", font=_BODY_FONT, alignment=_TOP, border=_GRID, number_format="0"
        )
        self.total = self._add(
            "BP Total",
            font=Font(name="Calibri", size=10, bold=True),
            alignment=_TOP,
            border=Border(left=_THIN, right=_THIN, top=Side(style="medium"), bottom=_THIN),
            number_format="0",
        )
        self.percent = self._add(
            "BP Percent", font=_BODY_FONT, alignment=_TOP, number_format="0.0%"
        )
        self.date = self._add(
            "BP Date", font=_BODY_FONT, alignment=_TOP, border=_GRID, number_format=UK_DATE_FORMAT
        )
        self.plain_date = self._add(
            "BP Plain date",
            font=_BODY_FONT,
            alignment=Alignment(horizontal="left"),
            number_format=UK_DATE_FORMAT,
        )
        entry_fill = PatternFill("solid", fgColor="FFFFF2CC")
        self.entry_text = self._add(
            "BP Entry", font=_BODY_FONT, alignment=_WRAP, border=_GRID, fill=entry_fill
        )
        self.entry_date = self._add(
            "BP Entry date",
            font=_BODY_FONT,
            alignment=_TOP,
            border=_GRID,
            fill=entry_fill,
            number_format=UK_DATE_FORMAT,
        )
        self.rag = {
            rag: self._add(
                f"BP RAG {_RAG_NAMES[rag]}",
                font=Font(name="Calibri", size=10, bold=True, color=_hex(RAG_TEXT_COLOURS[rag])),
                fill=PatternFill("solid", fgColor=_hex(RAG_COLOURS[rag])),
                alignment=Alignment(vertical="top", wrap_text=True),
                border=_GRID,
            )
            for rag in RAG_ORDER
        }
        self.rag_by_label = {rag_label(rag): self.rag[rag] for rag in RAG_ORDER}

    def _add(self, name: str, **parts: Any) -> StyleArray:
        style = NamedStyle(name=name, **parts)
        self._workbook.add_named_style(style)
        return style.as_tuple()


def cell(sheet, value: Any, style: StyleArray | None) -> Cell:
    """A write-only cell; text that would start a formula stays text."""
    made = Cell(sheet, row=1, column=1, value=None if value == "" else value, style_array=style)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        made.data_type = "s"
        made.quotePrefix = True
    return made


def styled_sheet(workbook: Workbook, name: str):
    """A write-only sheet that takes rows of ready-made styled cells without a detour.

    openpyxl's write-only `append` first tries each value as a plain value and only takes a
    Cell after catching the ValueError that raises (formatting the cell's repr for the
    message): over half the time of writing 20,000 styled rows. Rows made only of cells (or
    None) skip that; any other row goes the usual way.
    """
    sheet = workbook.create_sheet(name)
    usual = sheet._values_to_row

    def values_to_row(values, row_index):
        if not all(value is None or isinstance(value, Cell) for value in values):
            yield from usual(values, row_index)
            return
        for column_index, value in enumerate(values, 1):
            if value is not None:
                value.column = column_index
                value.row = row_index
                yield value

    sheet._values_to_row = values_to_row
    return sheet


def set_footer(sheet, title: str, as_at: dt.date, what: str) -> None:
    def escape(text: str) -> str:  # "&" starts a header/footer code
        return text.replace("&", "&&")

    sheet.oddHeader.left.text = escape(what)
    sheet.oddHeader.left.size = 9
    sheet.oddFooter.left.text = escape(title)
    sheet.oddFooter.center.text = f"As at {format_uk_date(as_at)}"
    sheet.oddFooter.right.text = "Page &P of &N"
    for part in (sheet.oddFooter.left, sheet.oddFooter.center, sheet.oddFooter.right):
        part.size = 9


def set_print_setup(sheet, *, repeat_header: bool) -> None:
    """A4 landscape, one page wide, header row on every page. Before the first row."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.page_margins.header = sheet.page_margins.footer = 0.3
    sheet.print_options.horizontalCentered = True
    if repeat_header:
        sheet.print_title_rows = "1:1"


def set_widths(sheet, widths: Sequence[float]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


# Line height of 10 pt Calibri, and how many characters fit in one unit of column width: used
# to give wrapped rows a height, so every viewer and printer shows the whole text.
LINE_POINTS = 13.0
CHARS_PER_WIDTH = 1.25
RAG_COLUMN = "rag"


def text_lines(text: str, width: float) -> int:
    per_line = max(1, int(width * CHARS_PER_WIDTH) - 3)
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


def row_height(values: Sequence[Any], widths: Sequence[float]) -> float | None:
    """Points for a row of wrapped text cells; None when one line is enough."""
    lines = 1
    for value, width in zip(values, widths, strict=False):
        if isinstance(value, str) and (len(value) > width or "\n" in value):
            lines = max(lines, text_lines(value, width))
    return None if lines == 1 else round(lines * LINE_POINTS + 4, 1)


class Table:
    """A sheet of one header row and data rows: frozen, filtered, printed with its header."""

    def __init__(
        self,
        workbook: Workbook,
        styles: Styles,
        paper: BoardPaper | Any,  # anything with a title and an as_at date
        name: str,
        columns: Sequence[tuple[str, float, StyleArray | str]],
        what: str,
        hidden: Sequence[int] = (),
    ):
        self.sheet = sheet = styled_sheet(workbook, name)
        self.styles = styles
        self.widths = [width for _, width, _ in columns]
        self.column_styles = [style for _, _, style in columns]
        self.rows = 0
        set_widths(sheet, self.widths)
        for index in hidden:
            sheet.column_dimensions[get_column_letter(index + 1)].hidden = True
        sheet.freeze_panes = "A2"
        set_print_setup(sheet, repeat_header=True)
        set_footer(sheet, paper.title, paper.as_at, what)
        headings = [heading for heading, _, _ in columns]
        sheet.row_dimensions[1].height = max(
            row_height(headings, self.widths) or 0, LINE_POINTS * 2 + 4
        )
        sheet.append([cell(sheet, heading, styles.header) for heading in headings])

    def add(self, values: Sequence[Any]) -> None:
        sheet, rag_styles, text = self.sheet, self.styles.rag_by_label, self.styles.text
        self.rows += 1
        height = row_height(values, self.widths)
        if height is not None:
            sheet.row_dimensions[self.rows + 1].height = height
        sheet.append(
            [
                cell(sheet, value, rag_styles.get(value, text) if style == RAG_COLUMN else style)
                for value, style in zip(values, self.column_styles, strict=True)
            ]
        )

    def add_section(self, label: str) -> None:
        """A bold band across the table (an objective heading)."""
        section, sheet = self.styles.section, self.sheet
        self.rows += 1
        sheet.row_dimensions[self.rows + 1].height = LINE_POINTS + 6
        sheet.append(
            [cell(sheet, label, section), *(cell(sheet, None, section) for _ in self.widths[1:])]
        )

    def add_note(self, text: str) -> None:
        self.rows += 1
        self.sheet.append([cell(self.sheet, text, self.styles.plain)])

    def finish(self) -> None:
        """Autofilter over the header and every row written."""
        last = get_column_letter(len(self.widths))
        self.sheet.auto_filter.ref = f"A1:{last}{max(self.rows, 1) + 1}"


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
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _objective_label(ref: str | None, title: str, plan: str, several_plans: bool) -> str:
    label = f"{ref}. {title}" if ref else title
    return f"{plan}: {label}" if several_plans and plan else label


def _summary_sheet(workbook: Workbook, styles: Styles, paper: BoardPaper) -> None:
    sheet = styled_sheet(workbook, SUMMARY)
    set_widths(sheet, (46, 11, 11, 11, 11, 11, 10, 10, 11))
    set_print_setup(sheet, repeat_header=False)
    sheet.page_setup.fitToHeight = 1
    set_footer(sheet, paper.title, paper.as_at, "Summary")
    overview, since = paper.overview, format_uk_date(paper.compared_with)
    rows: list[list[Any]] = []

    def add(*values: Any) -> int:
        rows.append(list(values))
        return len(rows)

    add(cell(sheet, f"{paper.title}: progress report", styles.title))
    add()
    add(cell(sheet, "Plan", styles.label), cell(sheet, paper.title, styles.plain))
    add(cell(sheet, "As at", styles.label), cell(sheet, paper.as_at, styles.plain_date))
    add(
        cell(sheet, "Compared with", styles.label),
        cell(sheet, paper.compared_with, styles.plain_date),
    )
    add(cell(sheet, "Filters", styles.label), cell(sheet, paper.filters_text, styles.plain))
    add()
    figures = [
        ("Actions (cancelled left out)", overview.rag.total, styles.number),
        ("Overdue", overview.overdue, styles.number),
        (f"Due in the next {DUE_SOON_DAYS} days", overview.due_soon, styles.number),
        (
            "Complete (Blue)",
            (overview.rag.percent_complete or 0) / 100 if overview.rag.total else None,
            styles.percent,
        ),
        ("Cancelled (not counted)", overview.rag.cancelled, styles.number),
    ]
    add(cell(sheet, "Key figures", styles.section), cell(sheet, None, styles.section))
    for label, value, style in figures:
        add(cell(sheet, label, styles.plain), cell(sheet, value, style))
    add()
    add(cell(sheet, f"Movement since {since}", styles.section), cell(sheet, None, styles.section))
    movement = overview.movement
    for label, value in (
        ("↗ Improved", movement.improved),
        ("↘ Worsened", movement.worsened),
        ("★ Completed", movement.completed),
        ("• New", movement.new),
        ("→ No change", movement.unchanged),
        ("Progress updates recorded", overview.updates_since),
    ):
        add(cell(sheet, label, styles.plain), cell(sheet, value, styles.number))
    add()
    add(cell(sheet, "RAG by objective", styles.section))
    header = add(
        cell(sheet, "Objective", styles.header),
        *(cell(sheet, rag_label(rag), styles.rag[rag]) for rag in RAG_ORDER),
        cell(sheet, "Total", styles.header),
        cell(sheet, "Overdue", styles.header),
        cell(sheet, "Cancelled", styles.header),
    )
    several_plans = len({r.plan for r in overview.by_objective}) > 1
    for rollup in overview.by_objective:
        add(
            cell(
                sheet,
                _objective_label(rollup.ref, rollup.title, rollup.plan, several_plans),
                styles.text,
            ),
            *(cell(sheet, rollup.rag.of(rag), styles.number) for rag in RAG_ORDER),
            cell(sheet, rollup.rag.total, styles.number),
            cell(sheet, rollup.overdue, styles.number),
            cell(sheet, rollup.rag.cancelled, styles.number),
        )
    last = add(
        cell(sheet, "Total", styles.total),
        *(cell(sheet, overview.rag.of(rag), styles.total) for rag in RAG_ORDER),
        cell(sheet, overview.rag.total, styles.total),
        cell(sheet, overview.overdue, styles.total),
        cell(sheet, overview.rag.cancelled, styles.total),
    )
    if overview.by_objective:
        sheet.add_chart(_rag_chart(sheet, header, last - 1), f"A{last + 2}")
    for row in rows:
        sheet.append(row)


def _rag_chart(sheet, header_row: int, last_row: int) -> BarChart:
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


def _previous(rag: Rag | None, movement: str | None) -> str | None:
    return rag_label(rag) if movement != "new" else None


def _actions_sheet(workbook: Workbook, styles: Styles, paper: BoardPaper) -> None:
    text, date, number = styles.text, styles.date, styles.number
    column_styles = (text, text, text, date, text, RAG_COLUMN, RAG_COLUMN, text, number, text, date)
    table = Table(
        workbook,
        styles,
        paper,
        ACTIONS,
        list(zip(ACTION_SHEET_COLUMNS, ACTION_WIDTHS, column_styles, strict=True)),
        f"Actions as at {format_uk_date(paper.as_at)}, compared with "
        f"{format_uk_date(paper.compared_with)}",
    )
    actions = paper.overview.actions
    several_plans = len({view.plan for view in actions}) > 1
    current: tuple[str, str | None] | None = None
    for view in actions:
        group = (view.plan, view.objective)
        if group != current:
            current = group
            label = view.objective or "No objective"
            table.add_section(f"{view.plan}: {label}" if several_plans else label)
        table.add(action_sheet_values(view, compared=True))
    if not actions:
        table.add_note("No actions match these filters on this date.")
    table.finish()


def _why(view: ActionView) -> str:
    reasons = []
    if view.rag == Rag.RED:
        reasons.append("Red")
    if view.overdue:
        reasons.append(f"Overdue {view.days_overdue} days")
    if view.movement == "worsened":
        reasons.append("Worsened")
    return "; ".join(reasons)


def _updates_text(changes: Iterable[ChangeRow], view: ActionView, since: str) -> str:
    """The action's updates in the period, newest first; else its latest update."""
    lines = [
        f"{format_uk_date(utc_date(change.recorded_at))}, {rag_label(change.rag)}, "
        f"{change.author}: {change.progress or '(no text)'}"
        for change in sorted(changes, key=lambda c: c.recorded_at, reverse=True)
    ]
    if lines:
        return "\n".join(lines)
    if view.latest_update:
        return f"No update since {since}. Latest: {view.latest_update}"
    return f"No update since {since}."


def _exceptions_sheet(workbook: Workbook, styles: Styles, paper: BoardPaper) -> None:
    since = format_uk_date(paper.compared_with)
    text, date, number = styles.text, styles.date, styles.number
    column_styles = (
        text,
        text,
        text,
        text,
        date,
        RAG_COLUMN,
        RAG_COLUMN,
        text,
        number,
        text,
        text,
        date,
    )
    table = Table(
        workbook,
        styles,
        paper,
        EXCEPTIONS,
        list(zip(EXCEPTION_COLUMNS, EXCEPTION_WIDTHS, column_styles, strict=True)),
        f"Exceptions: Red, overdue or worse than at {since}",
    )
    by_action: dict[int, list[ChangeRow]] = {}
    for change in paper.changes:
        by_action.setdefault(change.action_id, []).append(change)
    for view in paper.exceptions:
        table.add(
            (
                view.ref,
                view.objective,
                view.action,
                view.owner,
                view.deadline or written_deadline(view),
                rag_label(view.rag),
                _previous(view.previous_rag, view.movement),
                DIRECTION_WORDS[view.movement] or None,
                view.days_overdue or None,
                _why(view),
                _updates_text(by_action.get(view.id, ()), view, since),
                utc_date(view.updated_at),
            )
        )
    if not paper.exceptions:
        table.add_note(f"No exceptions: nothing is Red, overdue or worse than at {since}.")
    table.finish()


def _changes_sheet(workbook: Workbook, styles: Styles, paper: BoardPaper) -> None:
    since, until = format_uk_date(paper.compared_with), format_uk_date(paper.as_at)
    text, date = styles.text, styles.date
    column_styles = (date, text, text, text, text, RAG_COLUMN, RAG_COLUMN, text, text, text, text)
    table = Table(
        workbook,
        styles,
        paper,
        CHANGES,
        list(zip(CHANGE_COLUMNS, CHANGE_WIDTHS, column_styles, strict=True)),
        f"Changes: every update and RAG change after {since} up to {until}",
    )
    for change in paper.changes:
        first = change.change == "first rating"
        table.add(
            (
                utc_date(change.recorded_at),
                change.ref,
                change.objective,
                change.action,
                change.owner,
                None if first else rag_label(change.previous_rag),
                rag_label(change.rag),
                CHANGE_WORDS.get(change.change, change.change),
                change.progress,
                change.author,
                change.source,
            )
        )
    if not paper.changes:
        table.add_note(f"No updates were recorded after {since} up to {until}.")
    table.finish()
