"""How much of a file the readers will take in, counted while reading, before memory is spent.

A file can be small on disk and still ask for gigabytes: a cell in the last column makes every
row 16,384 cells wide, a million empty rows cost a million lists. So every reader counts rows and
cells as it goes and stops at these limits, in one sentence naming the file and the problem.
"""

from __future__ import annotations

from importers.errors import ImportFileError

MAX_FILE_BYTES = 50 * 1024 * 1024
# Rows with anything in them, in the whole file.
MAX_ROWS = 200_000
# Rows looked at, empty ones included: a million empty rows still take time to read.
MAX_SCANNED_ROWS = 1_048_576  # as many as one Excel sheet holds
# A plan table never needs more columns: cells further right are left out, with a warning.
MAX_COLUMNS = 200
# Cells kept, each row counted up to its last cell: rows x width is what costs memory.
MAX_CELLS = 4_000_000
# This many empty rows in a row end a sheet: what comes after is not read, with a warning.
MAX_EMPTY_RUN = 10_000
# A CSV record can run on over many lines; one longer than this is not a row of a plan.
MAX_RECORD_CHARS = 4 * 1024 * 1024


def column_letter(column: int) -> str:
    """ "A" for column 1, "GR" for 200."""
    letters = ""
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def far_cells_note(cell: str | None = None) -> str:
    """The warning for cells beyond MAX_COLUMNS, naming the first of them if it has a name."""
    first = f", the first at {cell}" if cell else ""
    return (
        f"cells right of column {column_letter(MAX_COLUMNS)} (the {MAX_COLUMNS}th) are not read"
        f"{first}: a plan table is narrower"
    )


def empty_run_note(last_row: int) -> str:
    """The warning for a sheet whose reading stopped at a long run of empty rows."""
    where = f"below row {last_row:,}" if last_row else "in this sheet"
    return (
        f"rows {where} are not read: more than {MAX_EMPTY_RUN:,} empty rows follow, "
        "so anything further down is left out"
    )


class ReadBudget:
    """The rows and cells one file has used so far; ImportFileError once it uses too many."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.rows = 0
        self.scanned = 0
        self.cells = 0

    def scan_row(self) -> None:
        """A row looked at, empty or not."""
        self.scanned += 1
        if self.scanned > MAX_SCANNED_ROWS:
            raise ImportFileError(
                self.filename,
                f"has more than {MAX_SCANNED_ROWS:,} rows, empty ones included; "
                "copy just the plan into a new file and import that",
            )

    def keep_row(self, width: int) -> None:
        """A row with something in it, kept `width` cells wide."""
        self.rows += 1
        self.cells += width
        if self.rows > MAX_ROWS:
            raise ImportFileError(self.filename, f"has more than {MAX_ROWS:,} rows; split the plan")
        self.keep_cells(0)

    def keep_cells(self, count: int) -> None:
        self.cells += count
        if self.cells > MAX_CELLS:
            raise ImportFileError(
                self.filename, f"has more than {MAX_CELLS:,} cells in its rows; split the plan"
            )
