"""Read action plans from CSV: UTF-8 (with or without BOM), Windows-1252, Mac Roman (CR line
endings, as Excel for Mac saves) or UTF-16 with a BOM; any common delimiter.

The text is decoded and parsed a line at a time, never as one string: a 50 MB file of empty
lines once took 870 MB as a list of empty rows. Empty rows are not kept (each kept row remembers
its number), cells right of MAX_COLUMNS are left out, and rows and cells are counted against
the file's limits as they are read.
"""

from __future__ import annotations

import codecs
import csv
import io
from array import array
from collections import Counter
from collections.abc import Iterator

from importers.errors import ImportFileError
from importers.limits import (
    MAX_COLUMNS,
    MAX_EMPTY_RUN,
    MAX_RECORD_CHARS,
    ReadBudget,
    column_letter,
    empty_run_note,
    far_cells_note,
)
from importers.sheet import Sheet, TextPool

_DELIMITERS = ",;\t|"
_SAMPLE_CHARS = 64 * 1024
_CHUNK = 1024 * 1024


def text_encoding(data: bytes, filename: str) -> str:
    """The encoding the whole file decodes in: UTF-16 when it starts with its byte order mark;
    UTF-8; Mac Roman when its lines end in CR alone; else Windows-1252, else Latin-1 if the
    text is printable. Checked a chunk at a time, so the decoded text is never held whole."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode Text": UTF-16 with a byte order mark, tab separated.
        if _decodes(data, "utf-16"):
            return "utf-16"
        raise ImportFileError(filename, "is marked as UTF-16 text but is not readable as it")
    if b"\x00" in data[:4096]:
        raise ImportFileError(filename, "is binary, not a CSV text file")
    if _decodes(data, "utf-8-sig"):
        return "utf-8-sig"
    if _mac_line_endings(data[:_SAMPLE_CHARS]):
        # Excel for Mac's "Comma Separated Values" is Mac Roman with CR line endings; read as
        # Windows-1252 its curly quotes and dashes would become "Õ", "Ò" and "Ð".
        return "mac_roman"
    if _decodes(data, "cp1252"):
        return "cp1252"
    # cp1252 leaves five bytes undefined; latin-1 reads anything, so say so only if it is junk.
    start = data[:4096].decode("latin-1")
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in start)
    if printable < 0.95 * len(start):
        raise ImportFileError(filename, "is not readable text (not UTF-8 or Windows-1252)")
    return "latin-1"


def _mac_line_endings(sample: bytes) -> bool:
    """Lines end in CR alone (classic Mac), not CRLF (Windows) or LF."""
    return b"\r\n" not in sample and sample.count(b"\r") > sample.count(b"\n")


def _decodes(data: bytes, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        for start in range(0, len(data), _CHUNK):
            decoder.decode(data[start : start + _CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _is_blank(data: bytes, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    for start in range(0, len(data), _CHUNK):
        if decoder.decode(data[start : start + _CHUNK]).strip():
            return False
    return not decoder.decode(b"", final=True).strip()


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the most rows into the same number of cells.

    Rows are parsed as CSV (so quoted commas and line breaks count as text): prose in the cells
    varies from row to row, while the real delimiter gives the same width to every table row,
    even with title lines, notes and headings around the table.
    """
    sample = text[:_SAMPLE_CHARS]
    best, best_score = ",", (0, 0)
    for delimiter in _DELIMITERS:
        try:
            widths = Counter(
                len(row)
                for row in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
                if len(row) > 1
            )
        except csv.Error:
            continue
        if not widths:
            continue
        width, rows = widths.most_common(1)[0]
        if (rows, width) > best_score:
            best, best_score = delimiter, (rows, width)
    return best


def read_csv_sheet(data: bytes, filename: str, budget: ReadBudget | None = None) -> Sheet:
    encoding = text_encoding(data, filename)
    if _is_blank(data, encoding):
        raise ImportFileError(filename, "is empty")
    # Enough bytes for the sample's characters, however many bytes each takes.
    sample = codecs.getincrementaldecoder(encoding)().decode(data[: 4 * _SAMPLE_CHARS + 3])
    reader = _CsvRows(filename, budget or ReadBudget(filename))
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    try:
        reader.read(csv.reader(reader.lines(stream), delimiter=sniff_delimiter(sample)))
    except csv.Error as error:
        raise ImportFileError(filename, f"is not valid CSV ({error})") from error
    return Sheet(
        name=filename,
        rows=reader.rows,
        numbers=reader.numbers,
        notes=reader.notes,
        text_lines=True,
    )


class _CsvRows:
    """The rows kept from one CSV file, with their numbers and what was noticed on the way."""

    def __init__(self, filename: str, budget: ReadBudget) -> None:
        self.filename = filename
        self.budget = budget
        self.rows: list[list[object]] = []
        self.texts = TextPool()
        self.numbers = array("L")
        self.notes: list[tuple[int | None, str]] = []
        self.records = 0  # records read so far, empty ones included
        self.record_chars = 0  # characters read into the record being parsed
        self.far_cells_noted = False

    def lines(self, stream: io.TextIOBase) -> Iterator[str]:
        """The file's lines, refusing a record too long to be a row of a plan before it is
        read: a line of twenty million commas would be twenty million cells."""
        while line := stream.readline(MAX_RECORD_CHARS + 1):
            self.record_chars += len(line)
            if self.record_chars > MAX_RECORD_CHARS:
                raise ImportFileError(
                    self.filename,
                    f"has a row longer than {MAX_RECORD_CHARS // (1024 * 1024)} MB "
                    f"(row {self.records + 1:,}): not a plan table",
                )
            yield line

    def read(self, records: Iterator[list[str]]) -> None:
        empty_run = 0
        for number, record in enumerate(records, start=1):
            self.records, self.record_chars = number, 0
            self.budget.scan_row()
            if not any(record):
                empty_run += 1
                if empty_run > MAX_EMPTY_RUN:
                    self.notes.append((None, empty_run_note(self.numbers[-1] if self.rows else 0)))
                    return
                continue
            empty_run = 0
            if len(record) > MAX_COLUMNS:
                self._far_cells(record, number)
                record = record[:MAX_COLUMNS]
            self.budget.keep_row(len(record))
            self.rows.append([self.texts.held(cell) for cell in record])
            self.numbers.append(number)

    def _far_cells(self, record: list[str], number: int) -> None:
        """One note, at the first cell with text right of MAX_COLUMNS."""
        column = next((i for i, text in enumerate(record[MAX_COLUMNS:], MAX_COLUMNS) if text), None)
        if column is not None and not self.far_cells_noted:
            self.far_cells_noted = True
            self.notes.append((None, far_cells_note(f"{column_letter(column + 1)}{number}")))
