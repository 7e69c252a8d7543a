"""Read action plans from Excel workbooks (.xlsx, .xlsm).

openpyxl's read-only mode gives values, fills and fonts quickly but not merged ranges or
hidden rows and columns; those are found by scanning each sheet's XML with a few byte regular
expressions, which costs a small fraction of openpyxl's own parse.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from collections.abc import Callable

from openpyxl import load_workbook
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.utils.exceptions import CellCoordinatesException

from importers.cells import cell_text
from importers.colours import rag_from_fill, theme_colours
from importers.errors import ImportFileError
from importers.sheet import Sheet

# A file that expands beyond this is refused before it is parsed (zip bombs).
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_ENTRIES = 5_000
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_P = rb"(?:[A-Za-z_][\w.-]*:)?"  # an optional namespace prefix
_ROW_TAG = re.compile(rb"<" + _P + rb"row\b([^>]*)>")
_COL_TAG = re.compile(rb"<" + _P + rb"col\b([^>]*)>")
_MERGE = re.compile(rb"<" + _P + rb"mergeCell\b[^>]*?\bref=[\"']([A-Za-z]+\d+(?::[A-Za-z]+\d+)?)")
_FORMULA_NO_VALUE = re.compile(
    rb"<" + _P + rb"c\b([^>]*)>\s*<" + _P + rb"f\b[^>]*(?:/>|>[^<]*</" + _P + rb"f>)\s*"
    rb"(?:<" + _P + rb"v\s*/>|<" + _P + rb"v>\s*</" + _P + rb"v>)?\s*</" + _P + rb"c>"
)
_ATTR = re.compile(rb"\b(r|hidden|min|max)=[\"']([^\"']*)[\"']")
_TRUE = (b"1", b"true")


def zip_names(data: bytes) -> set[str]:
    try:
        return set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return set()


def check_archive(data: bytes, filename: str, required: str, kind: str) -> zipfile.ZipFile:
    """Open an Office zip, refusing damaged files and zip bombs before anything parses them."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise ImportFileError(
            filename, f"is not a readable {kind} (the file is damaged or is another kind of file)"
        ) from error
    total = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries) or 1
    if (
        len(entries) > MAX_ENTRIES
        or total > MAX_UNCOMPRESSED_BYTES
        or total / packed > MAX_COMPRESSION_RATIO
    ):
        raise ImportFileError(
            filename, "expands to far more data than an action plan holds; refused for safety"
        )
    if required not in {entry.filename for entry in entries}:
        raise ImportFileError(filename, f"is a zip file but not a {kind}")
    return archive


def check_workbook_archive(data: bytes, filename: str) -> zipfile.ZipFile:
    if data.startswith(OLE_MAGIC):
        refuse_ole(data, filename)
    return check_archive(data, filename, "xl/workbook.xml", ".xlsx workbook")


def refuse_ole(data: bytes, filename: str) -> None:
    """Old binary Office files and password-protected (encrypted) workbooks."""
    if "EncryptedPackage".encode("utf-16-le") in data[:1_000_000] or (
        "EncryptedPackage".encode("utf-16-le") in data
    ):
        raise ImportFileError(
            filename,
            "is password-protected; open it in Excel, remove the password "
            "(File > Info > Protect Workbook > Encrypt with Password) and save it as .xlsx, "
            "then import that",
        )
    raise ImportFileError(
        filename,
        "this is an old-style .xls workbook (Excel 97-2003) or a password-protected one; "
        "open it in Excel, remove any password and save it as .xlsx, then import that",
    )


def read_xlsx_sheets(
    data: bytes, filename: str, progress: Callable[[float, str], None] | None = None
) -> list[Sheet]:
    archive = check_workbook_archive(data, filename)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unsupported extensions
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for damaged parts
        raise ImportFileError(
            filename, f"is not a readable .xlsx workbook ({type(error).__name__})"
        ) from error
    try:
        theme = theme_colours(getattr(workbook, "loaded_theme", None))
        worksheets = list(workbook.worksheets)
        sheets = []
        for number, worksheet in enumerate(worksheets):

            def step(fraction: float, title=worksheet.title, number=number) -> None:
                if progress is not None:
                    progress((number + fraction) / len(worksheets), f"Reading sheet '{title}'")

            sheets.append(_read_sheet(worksheet, archive, theme, step))
        return sheets
    except ImportFileError:
        raise
    except Exception as error:
        raise ImportFileError(
            filename, f"could not be read to the end; it may be damaged ({type(error).__name__})"
        ) from error
    finally:
        workbook.close()


def _read_sheet(worksheet, archive: zipfile.ZipFile, theme, step) -> Sheet:
    if not hasattr(worksheet, "iter_rows"):  # chart sheets
        return Sheet(name=worksheet.title, rows=[])
    path = getattr(worksheet, "_worksheet_path", None)
    xml = archive.read(path) if path else b""
    # For progress only. `worksheet.max_row` would parse the whole sheet an extra time when
    # the writer left out the dimension; counting row tags in the raw XML is ~100x cheaper.
    expected = xml.count(b"<row ") or xml.count(b"<x:row ")
    worksheet.reset_dimensions()  # some writers record a wrong size: read every row there is
    rows: list[list[object]] = []
    # Only each cell's style number is kept (not the cell objects): fills are looked up for
    # the RAG column once the header is known, and 200,000 cells would cost ~100 MB.
    styles_by_row: list[list[int]] = []
    bold_rows: set[int] = set()
    every = 2000
    for index, row in enumerate(worksheet.iter_rows()):
        if step is not None and index % every == 0 and expected:
            step(min(index / expected, 1.0))
        try:
            values: list[object] = [None] * row[-1].column if row else []
            for cell in row:
                values[cell.column - 1] = cell.value
        except (AttributeError, TypeError, IndexError):  # padding cells have no column
            row = tuple(c for c in row if getattr(c, "column", None) is not None)
            values = [None] * row[-1].column if row else []
            for cell in row:
                values[cell.column - 1] = cell.value
        rows.append(values)
        styles = [0] * len(values)
        for cell in row:
            styles[cell.column - 1] = getattr(cell, "_style_id", 0)
        styles_by_row.append(styles)
        filled = [c for c in row if c.value is not None and c.value != ""]
        if len(filled) == 1:
            font = getattr(filled[0], "font", None)
            if font is not None and font.b:
                bold_rows.add(index)

    workbook = worksheet.parent

    def fill_lookup(index: int, column: int):
        if index >= len(styles_by_row) or column >= len(styles_by_row[index]):
            return None
        style_id = styles_by_row[index][column]
        if not style_id:
            return None
        fill = workbook._fills[workbook._cell_styles[style_id].fillId]
        return rag_from_fill(fill, theme)

    sheet = Sheet(
        name=worksheet.title,
        rows=rows,
        fill_lookup=fill_lookup,
        bold_rows=bold_rows,
        hidden=getattr(worksheet, "sheet_state", "visible") != "visible",
    )
    if xml:
        _scan_xml(xml, sheet)
    return sheet


def _cell(coordinate: str) -> tuple[int, int] | None:
    try:
        letters, number = coordinate_from_string(coordinate.upper())
        return number - 1, column_index_from_string(letters) - 1
    except (CellCoordinatesException, ValueError):
        return None


def _scan_xml(xml: bytes, sheet: Sheet) -> None:
    """Merged ranges, hidden rows and columns, and formulas with no saved value."""
    merges_at = xml.find(b"mergeCell")
    if merges_at != -1:
        for match in _MERGE.finditer(xml, merges_at - 2):
            first, _, last = match.group(1).decode("ascii").partition(":")
            start, end = _cell(first), _cell(last or first)
            if start and end and end[0] >= start[0] and end[1] >= start[1]:
                sheet.merges.append((*start, *end))
    # Hidden rows and columns are few: find each "hidden=" and look at the tag around it.
    tags = []
    at = xml.find(b"hidden=")
    while at != -1:
        start, end = xml.rfind(b"<", 0, at), xml.find(b">", at)
        if start == -1 or end == -1:
            break
        tags.append(xml[start : end + 1])
        at = xml.find(b"hidden=", end)
    rows = [t for t in tags if _ROW_TAG.match(t)]
    hidden_rows = [dict(_ATTR.findall(t)) for t in rows]
    hidden_rows = [a for a in hidden_rows if a.get(b"hidden") in _TRUE]
    if all(a.get(b"r", b"").isdigit() for a in hidden_rows):
        sheet.hidden_rows.update(int(a[b"r"]) - 1 for a in hidden_rows)
    else:  # rows without numbers: count them all
        number = 0
        for match in _ROW_TAG.finditer(xml):
            attrs = dict(_ATTR.findall(match.group(1)))
            number = int(attrs[b"r"]) if attrs.get(b"r", b"").isdigit() else number + 1
            if attrs.get(b"hidden") in _TRUE:
                sheet.hidden_rows.add(number - 1)
    for tag in tags:
        if _COL_TAG.match(tag):
            attrs = dict(_ATTR.findall(tag))
            if attrs.get(b"hidden") in _TRUE:
                low = int(attrs.get(b"min", b"0") or 0) if attrs.get(b"min", b"").isdigit() else 0
                high = int(attrs[b"max"]) if attrs.get(b"max", b"").isdigit() else low
                sheet.hidden_columns.update(range(max(low - 1, 0), min(high, low + 1000)))
    if b"<f" in xml or b":f" in xml:
        for match in _FORMULA_NO_VALUE.finditer(xml):
            attrs = dict(_ATTR.findall(match.group(1)))
            coordinate = attrs.get(b"r", b"").decode("ascii", "replace")
            place = _cell(coordinate) if coordinate else None
            if place is None:
                continue
            index, column = place
            if index < len(sheet.rows) and (
                column >= len(sheet.rows[index]) or not cell_text(sheet.rows[index][column])
            ):
                sheet.notes.append(
                    (
                        index,
                        f"cell {coordinate} holds a formula with no saved value, so it reads as "
                        "empty; open the file in Excel, save it and import it again",
                    )
                )
