"""The board paper's Indicators sheet: one row per indicator and period (value, target, RAG in
words and colour, direction of travel, note), grouped by objective, and below the table a
native Excel line chart per indicator (its values and targets, read from the table's cells,
so the charts follow edits in Excel).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.chart.marker import Marker
from openpyxl.chart.series import SeriesLabel
from openpyxl.worksheet.worksheet import Worksheet

from plan.exporters.styles import Styles
from plan.exporters.table import RAG, Column, Footer, Table
from plan.queries.indicators import Figure, IndicatorRow, figure_directions
from rulebook.indicators import ValueStatus, direction_text
from rulebook.rag import rag_label

INDICATORS = "Indicators"
# More charts than this would bury the table's readers: choose fewer with the filters.
CHART_LIMIT = 24
CHART_ROWS = 16  # rows a chart takes, with a gap below it
VALUE_LINE, TARGET_LINE = "1F3864", "7F7F7F"


@dataclass(frozen=True)
class _Line:
    """One period of one indicator, as a row of the sheet."""

    row: IndicatorRow
    figure: Figure


def _status(line: _Line) -> str | None:
    status = line.figure.status
    if status is None:
        return "No entry"
    return None if status is ValueStatus.VALUE else status.value.capitalize()


def _directions(line: _Line) -> tuple[str, str]:
    previous, last_year = figure_directions(line.row, line.figure)
    return direction_text(previous), direction_text(last_year)


INDICATOR_COLUMNS = (
    Column("Ref", 8, "text", lambda line: line.row.ref),
    Column(
        "Indicator", 36, "text", lambda line: line.row.name + (" (demo)" if line.row.demo else "")
    ),
    Column("Unit", 8, "text", lambda line: line.row.unit),
    Column("Period", 11, "text", lambda line: line.figure.period.label),
    Column("Period end", 12, "date", lambda line: line.figure.period.end),
    Column("Value", 10, "figure", lambda line: line.figure.value),
    Column("Status", 12, "text", _status),
    Column("Target", 10, "figure", lambda line: line.figure.target),
    Column("RAG", 12, RAG, lambda line: rag_label(line.figure.rag)),
    Column("vs last period", 14, "text", lambda line: _directions(line)[0] or None),
    Column("vs last year", 14, "text", lambda line: _directions(line)[1] or None),
    Column("Note (corrective action)", 44, "text", lambda line: line.figure.note),
)
_PERIOD, _VALUE, _TARGET = (
    [c.heading for c in INDICATOR_COLUMNS].index(h) + 1 for h in ("Period", "Value", "Target")
)


def indicators_sheet(
    workbook: Workbook, styles: Styles, rows: Sequence[IndicatorRow], footer: Footer
) -> None:
    """The sheet; each indicator's rows are contiguous, so its chart reads a block of them."""
    table = Table(workbook, styles, INDICATORS, INDICATOR_COLUMNS, footer)
    several_plans = len({row.plan for row in rows}) > 1
    current: tuple[str, str | None] | None = None
    blocks: list[tuple[IndicatorRow, int, int]] = []  # indicator, first and last sheet rows
    for row in rows:
        if (row.plan, row.objective) != current:
            current = (row.plan, row.objective)
            label = row.objective or "No objective"
            table.add_section(f"{row.plan}: {label}" if several_plans else label)
        first = table.rows + 2
        for figure in row.figures:
            table.add(_Line(row, figure))
        if row.figures:
            blocks.append((row, first, table.rows + 1))
    if not rows:
        table.add_note("No indicators match these filters.")
    table.finish()
    _charts(table, blocks)


def _charts(table: Table, blocks: list[tuple[IndicatorRow, int, int]]) -> None:
    """Two charts a row below the table, for the first CHART_LIMIT indicators with figures."""
    top = table.rows + 3
    if len(blocks) > CHART_LIMIT:
        table.add_note("")
        table.add_note(
            f"Charts for the first {CHART_LIMIT} of {len(blocks)} indicators: "
            "choose an objective or owner to chart the others."
        )
        top = table.rows + 3
    for index, (row, first, last) in enumerate(blocks[:CHART_LIMIT]):
        anchor_row = top + (index // 2) * CHART_ROWS
        anchor_column = "A" if index % 2 == 0 else "G"  # A-F are about 16 cm wide
        table.sheet.add_chart(
            line_chart(table.sheet, row, first, last), f"{anchor_column}{anchor_row}"
        )


def line_chart(sheet: Worksheet, row: IndicatorRow, first: int, last: int) -> LineChart:
    """The indicator's values and targets by period: an editable Excel line chart."""
    chart = LineChart()
    chart.title = f"{row.ref} {row.name}"[:120]
    chart.y_axis.title = row.unit
    chart.x_axis.title = "Period"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    if chart.legend is not None:
        chart.legend.position = "b"
    for column in (_VALUE, _TARGET):
        chart.add_data(
            Reference(sheet, min_col=column, min_row=first, max_row=last), titles_from_data=False
        )
    chart.set_categories(Reference(sheet, min_col=_PERIOD, min_row=first, max_row=last))
    value, target = chart.series
    for series, name, colour in ((value, "Value", VALUE_LINE), (target, "Target", TARGET_LINE)):
        series.tx = SeriesLabel(v=name)
        series.graphicalProperties.line.solidFill = colour
        series.graphicalProperties.line.width = 22000  # EMU: about 1.75 pt
        series.smooth = False
    target.graphicalProperties.line.dashStyle = "dash"
    target.marker = Marker(symbol="none")
    value.marker = Marker(symbol="circle", size=6)
    chart.width, chart.height = 15, 8  # cm
    return chart
