"""Stream one worksheet's XML into a `Sheet`, keeping only what a plan table can use.

Rows are taken one at a time from lxml's incremental parser, and each element is dropped from
the tree once read, so memory follows what is kept, not the size of the XML. Empty rows are not
kept (each kept row remembers its number); cells right of MAX_COLUMNS are left out; rows and
cells are counted against the file's `ReadBudget` as they are read. Merged ranges, hidden rows
and columns, and formulas saved without a value come from the same single pass.
"""

from __future__ import annotations

import datetime as dt
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from typing import IO

from lxml import etree
from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter, range_boundaries
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS

from importers.cells import cell_text
from importers.errors import ImportFileError
from importers.limits import (
    MAX_COLUMNS,
    MAX_EMPTY_RUN,
    ReadBudget,
    empty_run_note,
    far_cells_note,
)
from importers.number_formats import month_year_text
from importers.sheet import Sheet, TextPool

_ROW = f"{{{SHEET_MAIN_NS}}}row"
_CELL = f"{{{SHEET_MAIN_NS}}}c"
_FORMULA = f"{{{SHEET_MAIN_NS}}}f"
_VALUE = f"{{{SHEET_MAIN_NS}}}v"
_INLINE = f"{{{SHEET_MAIN_NS}}}is"
_TEXT = f"{{{SHEET_MAIN_NS}}}t"
_RUN = f"{{{SHEET_MAIN_NS}}}r"
_COL = f"{{{SHEET_MAIN_NS}}}col"
_MERGE = f"{{{SHEET_MAIN_NS}}}mergeCell"
_TRUE = ("1", "true")
# The usual parts of a cell: its value, formula and inline text.
_CELL_PARTS = frozenset(f"{{{SHEET_MAIN_NS}}}{tag}" for tag in ("v", "f", "is", "t"))
# Rich text runs and the like inside one cell; a real cell has a handful.
MAX_CELL_PARTS = 1_000
_PROGRESS_EVERY = 2_000


class _Row:
    """The row being read: its number and the cells kept so far."""

    def __init__(self, element, number: int) -> None:
        self.element = element
        self.number = number
        self.values: list[object] = []
        self.styles = array("I")
        self.filled: list[int] = []  # style ids of the cells with a value
        self.cells = 0  # cell elements seen, kept or not
        self.formula_without_value = False

    def put(self, column: int, value: object, style: int) -> None:
        if column > len(self.values):
            self.values.extend([None] * (column - len(self.values)))
            self.styles.extend([0] * (column - len(self.styles)))
        self.values[column - 1] = value
        self.styles[column - 1] = style
        if value is not None and value != "":
            self.filled.append(style)


class SheetReader:
    """Reads one worksheet part (`read`), then gives it as a Sheet (`sheet`); ImportFileError
    as soon as the file goes over a limit."""

    def __init__(
        self,
        cells: WorkSheetParser,
        budget: ReadBudget,
        is_bold: Callable[[int], bool],
        month_format: Callable[[int], str | None] = lambda style: None,
    ) -> None:
        self.cells = cells  # openpyxl's cell reader: shared strings, dates, inline text
        self.budget = budget
        self.is_bold = is_bold
        # The number format of a style showing only a month and a year ("mmm-yy"), else None.
        self.month_format = month_format
        self.rows: list[list[object]] = []
        self.numbers = array("L")  # each kept row's number, 1 for the first
        self.styles: list[array] = []
        self.bold_rows: set[int] = set()
        self.hidden_rows: set[int] = set()
        self.hidden_columns: set[int] = set()
        self.merges: list[tuple[int, int, int, int]] = []  # by row number, not index
        self.notes: list[tuple[int | None, str]] = []
        self.row: _Row | None = None
        self.last_number = 0  # the last row's number, kept or not
        self.empty_run = 0
        self.far_cell_seen = False
        self.texts = TextPool()

    def read(self, source: IO[bytes], size: int, step: Callable[[float], None]) -> None:
        handlers = {_ROW: self._row, _COL: self._column, _MERGE: self._merge}
        parts = 0  # elements inside the cell being read
        for _, element in etree.iterparse(source, events=("end",), resolve_entities=False):
            tag = element.tag
            if tag == _CELL:
                self._cell(element)
                parts = 0
                continue
            if tag in _CELL_PARTS or (tag not in handlers and self._inside_cell(element)):
                parts += 1  # kept: its cell reads it when the cell ends
                if parts > MAX_CELL_PARTS:
                    raise ImportFileError(
                        self.budget.filename,
                        f"has a cell made of more than {MAX_CELL_PARTS:,} parts",
                    )
                continue
            handler = handlers.get(tag)
            if handler is None:
                _drop(element)
            elif not handler(element):
                return  # a long run of empty rows: the rest is not read
            if tag == _ROW and self.budget.scanned % _PROGRESS_EVERY == 0 and size:
                step(min(source.tell() / size, 1.0))

    @staticmethod
    def _inside_cell(element) -> bool:
        parent = element.getparent()
        while parent is not None and parent.tag not in (_CELL, _ROW):
            parent = parent.getparent()
        return parent is not None and parent.tag == _CELL

    def _cell(self, element) -> None:
        row_element = element.getparent()
        if self.row is None or self.row.element is not row_element:
            self._begin_row(row_element)
        row = self.row
        if row is None:  # a row out of order: skipped, as Excel's own readers do
            return
        row.cells += 1
        if row.cells > MAX_COLUMNS:
            _drop(element)  # more cells than columns: free them now, not with their row
        column, value, style = self._read_cell(element)
        if column > MAX_COLUMNS:
            if value is not None and value != "":
                self._far_cell(f"{get_column_letter(column)}{row.number}")
            return
        row.put(column, value, style)
        if (value is None or (isinstance(value, str) and not cell_text(value))) and (
            element.find(_FORMULA) is not None
        ):
            row.formula_without_value = True
            self.notes.append(
                (
                    len(self.rows),  # the index this row will have: it is kept for the note
                    f"cell {get_column_letter(column)}{row.number} holds a formula with no saved "
                    "value, so it reads as empty; open the file in Excel, save it and import "
                    "it again",
                )
            )

    def _read_cell(self, element) -> tuple[int, object, int]:
        """(column, value, style id). Text cells are read here, the rest by openpyxl: its
        reading of inline text builds objects for every run and was half the time."""
        kind = element.get("t")
        if kind != "s" and kind != "inlineStr":
            cell = self.cells.parse_cell(element)
            value, style = cell["value"], cell["style_id"] or 0
            if isinstance(value, dt.datetime) and style:
                value = month_year_text(self.month_format(style), value) or value
            return cell["column"], value, style
        reference = element.get("r")
        column = coordinate_to_tuple(reference)[1] if reference else self.cells.col_counter + 1
        self.cells.col_counter = column
        style = int(element.get("s") or 0)
        if kind == "inlineStr":
            found = element.find(_INLINE)
            return (
                column,
                (self.texts.held(_inline_text(found)) if found is not None else None),
                style,
            )
        index = element.findtext(_VALUE)
        return column, (self.cells.shared_strings[int(index)] if index else None), style

    def _begin_row(self, element) -> None:
        self.cells.col_counter = 0
        number = element.get("r")
        number = int(number) if number is not None else self.last_number + 1
        self.cells.row_counter = number
        if number <= self.last_number:
            self.row = None
            return
        # Rows left out of the XML cost nothing: only empty rows written out count as a run.
        self.last_number = number
        self.row = _Row(element, number)

    def _row(self, element) -> bool:
        if self.row is None or self.row.element is not element:
            self._begin_row(element)
        row, self.row = self.row, None
        _drop(element)
        self.budget.scan_row()
        if row is None:
            return True
        if not row.filled and not row.formula_without_value:
            self.empty_run += 1
            if self.empty_run > MAX_EMPTY_RUN:
                self.notes.append((None, empty_run_note(self.numbers[-1] if self.numbers else 0)))
                return False
            return True
        self.empty_run = 0
        self._keep(row, element.get("hidden") in _TRUE)
        return True

    def _keep(self, row: _Row, hidden: bool) -> None:
        self.budget.keep_row(len(row.values))
        index = len(self.rows)
        self.rows.append(row.values)
        self.styles.append(row.styles)
        self.numbers.append(row.number)
        if len(row.filled) == 1 and self.is_bold(row.filled[0]):
            self.bold_rows.add(index)
        if hidden:
            self.hidden_rows.add(index)

    def _far_cell(self, reference: str) -> None:
        if not self.far_cell_seen:
            self.far_cell_seen = True
            self.notes.append((None, far_cells_note(reference)))

    def _column(self, element) -> bool:
        _drop(element)
        if element.get("hidden") not in _TRUE:
            return True
        low, high = _number(element.get("min")), _number(element.get("max"))
        high = high if high is not None else low
        if low is not None:
            self.hidden_columns.update(range(max(low - 1, 0), min(high, low + 1000, MAX_COLUMNS)))
        return True

    def _merge(self, element) -> bool:
        _drop(element)
        try:
            first_col, first_row, last_col, last_row = range_boundaries(element.get("ref", ""))
        except (TypeError, ValueError):
            return True
        if None in (first_col, first_row, last_col, last_row) or first_col > MAX_COLUMNS:
            return True
        self.budget.keep_cells(1)
        self.merges.append((first_row, first_col - 1, last_row, min(last_col, MAX_COLUMNS) - 1))
        return True

    def merges_by_index(self) -> list[tuple[int, int, int, int]]:
        """The merged ranges in kept rows' indices: a range whose top row was empty is dropped
        (it has nothing to copy down, and an empty heading row is no heading)."""
        out = []
        for first_row, first_col, last_row, last_col in self.merges:
            first = bisect_left(self.numbers, first_row)
            if first == len(self.numbers) or self.numbers[first] != first_row:
                continue
            last = max(first, bisect_right(self.numbers, last_row) - 1)
            out.append((first, first_col, last, last_col))
        return out

    def sheet(self, name: str, **details) -> Sheet:
        return Sheet(
            name=name,
            rows=self.rows,
            numbers=self.numbers,
            bold_rows=self.bold_rows,
            hidden_rows=self.hidden_rows,
            hidden_columns=self.hidden_columns,
            merges=self.merges_by_index(),
            notes=self.notes,
            **details,
        )


def _inline_text(inline) -> str:
    """An inline string's text, as openpyxl reads it: the plain text, then each run's."""
    plain = inline.find(_TEXT)
    runs = [run.findtext(_TEXT) for run in inline.iterchildren(_RUN)]
    return (plain.text or "" if plain is not None else "") + "".join(t for t in runs if t)


def _drop(element) -> None:
    """Free an element once read: the tree never holds more than the row being read."""
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)


def _number(text: str | None) -> int | None:
    return int(text) if text is not None and text.isdigit() and len(text) < 10 else None
