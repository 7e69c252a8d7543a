"""Read action plans from CSV: UTF-8 (with or without BOM) or Windows-1252, any common delimiter."""

from __future__ import annotations

import csv
import io
from collections import Counter

from importers.errors import ImportFileError
from importers.sheet import Sheet

_DELIMITERS = ",;\t|"


def decode_text(data: bytes, filename: str) -> str:
    if b"\x00" in data[:4096]:
        raise ImportFileError(filename, "is binary, not a CSV text file")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    # cp1252 leaves five bytes undefined; latin-1 reads anything, so say so only if it is junk.
    text = data.decode("latin-1")
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text[:4096])
    if printable < 0.95 * min(len(text), 4096):
        raise ImportFileError(filename, "is not readable text (not UTF-8 or Windows-1252)")
    return text


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the most rows into the same number of cells.

    Rows are parsed as CSV (so quoted commas and line breaks count as text): prose in the cells
    varies from row to row, while the real delimiter gives the same width to every table row,
    even with title lines, notes and headings around the table.
    """
    sample = text[: 64 * 1024]
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


def read_csv_sheet(data: bytes, filename: str) -> Sheet:
    text = decode_text(data, filename)
    if not text.strip():
        raise ImportFileError(filename, "is empty")
    delimiter = sniff_delimiter(text)
    try:
        rows = [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as error:
        raise ImportFileError(filename, f"is not valid CSV ({error})") from error
    return Sheet(name=filename, rows=rows, text_lines=True)
