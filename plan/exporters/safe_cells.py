"""No exported cell starts a formula nobody wrote (CSV or formula injection).

Spreadsheet programs run a cell that starts with =, +, -, @, tab or carriage return. In CSV
such text gets a leading apostrophe; in a workbook it is a text cell with Excel's quote
prefix (what typing an apostrophe first does), shown as written and never run, even after the
cell is edited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from openpyxl.cell import Cell
from openpyxl.styles.cell_style import StyleArray

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


def xlsx_cell(sheet, value: Any, style: StyleArray | None) -> Cell:
    """A write-only cell; text that would start a formula is stored as quote-prefixed text."""
    made = Cell(sheet, row=1, column=1, value=None if value == "" else value, style_array=style)
    if starts_formula(value):
        made.data_type = "s"
        made.quotePrefix = True
    return made
