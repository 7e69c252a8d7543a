"""No exported cell starts a formula nobody wrote (CSV or formula injection).

Spreadsheet programs run a cell that starts with =, +, -, @, tab or carriage return. In CSV
such text gets a leading apostrophe; in a workbook it is a text cell with Excel's quote
prefix (what typing an apostrophe first does), shown as written and never run, even after the
cell is edited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any, Protocol, cast

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles.cell_style import StyleArray
from openpyxl.styles.numbers import is_date_format
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.dimensions import RowDimension

from rulebook.text import writable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def starts_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def neutralise(text: str) -> str:
    """Text as a spreadsheet shows it literally: a leading apostrophe stops a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(value: Any) -> str:
    """A value as one CSV cell: empty for None, yes/no, a list joined by "; ", ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        value = "; ".join(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return neutralise(str(value))


def _cell_of_its_own(sheet: WriteOnlyWorksheet, value: Any, style: StyleArray | None) -> Cell:
    """A cell not reused: one whose value changes its style (a date given a date format)."""
    made = Cell(sheet, row=1, column=1, value=None if value == "" else value, style_array=style)
    if starts_formula(value):
        made.data_type = "s"
        made.quotePrefix = True
    return made


class _Reused(Cell):
    """A cell written again and again, its style id in the workbook worked out once."""

    __slots__ = ("_style_id", "takes_dates")
    _style_id: int
    takes_dates: bool
    # Slots of Cell and StyleableObject that openpyxl-stubs leave out (this class writes them).
    _value: object
    _style: StyleArray

    @property
    def style_id(self) -> int:
        return self._style_id


class _StyledWorkbook(Protocol):
    """A Workbook's table of cell styles, a style's id its index (openpyxl-stubs leave it out)."""

    _cell_styles: IndexedList[StyleArray]


class SheetWriter:
    """A write-only sheet written as rows of values, each with its cell style.

    openpyxl writes each cell of an appended row before it asks for the next one, so, as it
    does itself for unstyled values, one cell per style (and per quote prefix) is reused for
    every value with that style, its style id worked out once. Making a cell per value, and
    copying and hashing its style twice, took a tenth of the time of writing a board paper.
    """

    def __init__(self, workbook: Workbook, name: str):
        self.sheet = workbook.create_sheet(name)
        self.sheet._values_to_row = self._cells
        self._style_ids = cast(_StyledWorkbook, workbook)._cell_styles
        self._reused: dict[tuple[int, bool], _Reused] = {}
        self._kept: list[StyleArray | None] = []  # so no style's id is reused while cached
        self._styles: Sequence[StyleArray | None] = ()
        self._heights: dict[float, dict[str, str]] = {}

    def append(self, values: Sequence[Any], styles: Sequence[StyleArray | None]) -> None:
        """One row; a value None is an empty cell, kept (with borders, fill) if it has a style."""
        self._styles = styles
        self.sheet.append(values)

    def set_height(self, row: int, points: float) -> None:
        """The height of a row not written yet.

        openpyxl would keep a RowDimension per row and turn it into the row's XML attributes
        when the row is written (a sixth of the time of writing a board paper, whose long
        texts make most rows taller); these are those attributes, worked out once per height.
        """
        attributes = self._heights.get(points)
        if attributes is None:
            attributes = self._heights[points] = dict(RowDimension(self.sheet, ht=points))
        self.sheet.row_dimensions[row] = attributes

    def _cells(self, values: Sequence[Any], row: int) -> Iterator[Cell]:
        for column, (value, style) in enumerate(zip(values, self._styles, strict=True), 1):
            if value is None and style is None:
                continue
            cell = self._cell(value, style)
            cell.row, cell.column = row, column
            yield cell

    def _cell(self, value: Any, style: StyleArray | None) -> Cell:
        if isinstance(value, str):
            value = writable(value)  # text from anywhere: never an IllegalCharacterError
        quoted = starts_formula(value)
        cell = self._reused.get((id(style), quoted)) or self._reuse(style, quoted)
        if value is None or value == "":
            cell._value, cell.data_type = None, "n"
        elif isinstance(value, dt.date) and not cell.takes_dates:
            return _cell_of_its_own(self.sheet, value, style)
        else:
            cell.value = value
            if quoted:
                cell.data_type = "s"
        return cell

    def _reuse(self, style: StyleArray | None, quoted: bool) -> _Reused:
        cell = _Reused(self.sheet, row=1, column=1, style_array=style or StyleArray())
        cell.quotePrefix = quoted
        cell._style_id = self._style_ids.add(cell._style)
        cell.takes_dates = is_date_format(cell.number_format)
        self._reused[(id(style), quoted)] = cell
        self._kept.append(style)
        return cell
