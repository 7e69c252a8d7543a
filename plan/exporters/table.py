"""Write-only sheets, and the styled table every table sheet of an export is.

A table has one header row, frozen and filterable, then one row per item; it prints on A4
landscape, one page wide, with the header on every page and a footer naming the title, the
date and the page. Each column is declared once, with its heading, width, style and how its
value is read from an item, so a row is never a tuple that has to line up with the headings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, Protocol

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.dimensions import ColumnDimension, DimensionHolder
from openpyxl.worksheet.header_footer import HeaderFooterItem
from openpyxl.worksheet.page import PageMargins, PrintOptions, PrintPageSetup
from openpyxl.worksheet.properties import PageSetupProperties, WorksheetProperties
from openpyxl.worksheet.worksheet import Worksheet

from plan.exporters.safe_cells import SheetWriter
from plan.exporters.styles import Styles
from rulebook.dates import format_uk_date

# Line height of 10 pt Calibri, and how many characters fit in one unit of column width: used
# to give wrapped rows a height, so every viewer and printer shows the whole text.
LINE_POINTS = 13.0
CHARS_PER_WIDTH = 1.25
# A column's style: the name of one of Styles' styles, or RAG: coloured by the RAG it shows.
RAG = "rag"


class Column(NamedTuple):
    heading: str
    width: float
    style: str  # "text", "date", "number", ... (a Styles attribute) or RAG
    value: Callable[[Any], Any]  # the cell's value for one item
    hidden: bool = False


class Footer(NamedTuple):
    title: str  # printed at the left of every page's footer
    as_at: dt.date  # "As at 30 Nov 2026" in the middle
    what: str  # the page header: what the sheet lists


class PrintedSheet(Protocol):
    """What the page set-up below uses of a sheet, typed as openpyxl-stubs type a Worksheet's.

    The sheets are write-only ones (SheetWriter's), which set themselves up as a Worksheet
    does and so have all of it at run time; openpyxl-stubs declare only their headers.
    """

    page_setup: PrintPageSetup
    print_options: PrintOptions
    page_margins: PageMargins
    sheet_properties: WorksheetProperties
    column_dimensions: DimensionHolder[str, ColumnDimension]
    print_title_rows: str | None

    @property
    def oddHeader(self) -> HeaderFooterItem | None: ...

    @property
    def oddFooter(self) -> HeaderFooterItem | None: ...


def set_footer(sheet: PrintedSheet, footer: Footer) -> None:
    def escape(text: str) -> str:  # "&" starts a header/footer code
        return text.replace("&", "&&")

    page_header, page_footer = sheet.oddHeader, sheet.oddFooter
    # openpyxl makes every header and footer with the sheet; the stubs allow None.
    assert page_header is not None and page_footer is not None
    page_header.left.text = escape(footer.what)
    page_header.left.size = 9
    page_footer.left.text = escape(footer.title)
    page_footer.center.text = f"As at {format_uk_date(footer.as_at)}"
    page_footer.right.text = "Page &P of &N"
    for part in (page_footer.left, page_footer.center, page_footer.right):
        part.size = 9


def set_print_setup(sheet: PrintedSheet, *, repeat_header: bool) -> None:
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


def set_widths(sheet: PrintedSheet, widths: Sequence[float]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


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
    """A sheet of one header row and a row per item: frozen, filtered, printed with its header."""

    def __init__(
        self,
        workbook: Workbook,
        styles: Styles,
        name: str,
        columns: Sequence[Column],
        footer: Footer,
    ):
        self.writer = SheetWriter(workbook, name)
        self.sheet = sheet = self.writer.sheet
        self.styles = styles
        self.columns = columns
        self.widths = [column.width for column in columns]
        self.rows = 0
        set_widths(sheet, self.widths)
        for index, column in enumerate(columns, start=1):
            if column.hidden:
                sheet.column_dimensions[get_column_letter(index)].hidden = True
        sheet.freeze_panes = "A2"
        set_print_setup(sheet, repeat_header=True)
        set_footer(sheet, footer)
        headings = [column.heading for column in columns]
        self.writer.set_height(1, max(row_height(headings, self.widths) or 0, LINE_POINTS * 2 + 4))
        self.writer.append(headings, [styles.header] * len(columns))
        self._styles = [
            styles.text if column.style == RAG else getattr(styles, column.style)
            for column in columns
        ]
        self._rag_columns = [i for i, column in enumerate(columns) if column.style == RAG]

    def add(self, item: Any) -> None:
        """One row: each column's value read from the item."""
        values = [column.value(item) for column in self.columns]
        styles = self._styles
        if self._rag_columns:  # coloured by the RAG they show
            styles, by_label = styles.copy(), self.styles.rag_by_label
            for index in self._rag_columns:
                styles[index] = by_label.get(values[index], styles[index])
        self.rows += 1
        height = row_height(values, self.widths)
        if height is not None:
            self.writer.set_height(self.rows + 1, height)
        self.writer.append(values, styles)

    def add_section(self, label: str) -> None:
        """A bold band across the table (an objective heading)."""
        self.rows += 1
        self.writer.set_height(self.rows + 1, LINE_POINTS + 6)
        values = [label, *(None for _ in self.widths[1:])]
        self.writer.append(values, [self.styles.section] * len(values))

    def add_note(self, text: str) -> None:
        self.rows += 1
        self.writer.append([text], [self.styles.plain])

    def finish(self) -> None:
        """Autofilter over the header and every row written."""
        last = get_column_letter(len(self.widths))
        self.sheet.auto_filter.ref = f"A1:{last}{max(self.rows, 1) + 1}"
