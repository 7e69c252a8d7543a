"""A sheet as every reader (xlsx, csv, docx) hands it over, and the issues found in it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from importers.rows import ReadResult, RowIssue
from rulebook.rag import Rag


@dataclass
class Sheet:
    """One sheet (or CSV file, or run of Word tables) as plain values, row 1 first."""

    name: str
    rows: list[list[object]]
    # (row index, column index) -> RAG read from the cell's fill colour.
    fill_rags: dict[tuple[int, int], Rag] = field(default_factory=dict)
    # Lazy fill lookup (xlsx): asked only for the RAG column's cells.
    fill_lookup: Callable[[int, int], Rag | None] | None = None
    # Merged ranges, 0-based and inclusive: (first row, first column, last row, last column).
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    # Rows whose filled cells are all bold (only rows with a single filled cell are needed).
    bold_rows: set[int] = field(default_factory=set)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)
    hidden: bool = False
    # Rows that are objective headings given outside the table (Word paragraphs):
    # row index -> (heading text, description or None).
    sections: dict[int, tuple[str, str | None]] = field(default_factory=dict)
    # Where each row is, when not (name, index + 1): Word tables are numbered separately.
    locations: list[tuple[str, int]] | None = None
    # Each row's number, when empty rows were left out (1 for the first row).
    numbers: Sequence[int] | None = None
    # A text file: a line with no delimiter at all is text around the table, not a row of it.
    text_lines: bool = False
    # Lines outside the table that print a RAG key (Word paragraphs), read for the whole file.
    key_lines: list[str] = field(default_factory=list)
    # Things the reader noticed: (row index or None, message).
    notes: list[tuple[int | None, str]] = field(default_factory=list)

    def fill_rag(self, index: int, column: int) -> Rag | None:
        if self.fill_lookup is not None:
            return self.fill_lookup(index, column)
        return self.fill_rags.get((index, column))

    def where(self, index: int) -> tuple[str, int]:
        if self.locations is not None and index < len(self.locations):
            return self.locations[index]
        if self.numbers is not None and index < len(self.numbers):
            return self.name, self.numbers[index]
        return self.name, index + 1


class TextPool:
    """Each distinct cell text held once while a sheet is read: a tracker repeats its
    objective, owners, RAG and status words on every row, and each cell read makes its own
    string (a workbook's shared strings are already one object per text)."""

    def __init__(self) -> None:
        self._texts: dict[str, str] = {}

    def held(self, text: str) -> str:
        return self._texts.setdefault(text, text)


class SheetIssues:
    """Adds issues about one sheet's rows to a result, each with the row's own label and number."""

    def __init__(self, sheet: Sheet, result: ReadResult) -> None:
        self.sheet = sheet
        self.result = result

    def add(
        self,
        index: int | None,
        message: str,
        field_name: str | None = None,
        *,
        skipped: bool = False,
    ) -> None:
        label, number = self.sheet.where(index) if index is not None else (self.sheet.name, None)
        self.result.issues.append(
            RowIssue(
                file=self.result.file,
                sheet=label,
                row=number,
                field=field_name,
                message=message,
                skipped=skipped,
            )
        )
