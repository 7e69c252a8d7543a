"""Read action plans from Excel workbooks (.xlsx, .xlsm)."""

from __future__ import annotations

import io
import warnings
import zipfile

from openpyxl import load_workbook

from importers.colours import rag_from_fill
from importers.errors import ImportFileError
from importers.headers import find_header, map_columns
from importers.table import Sheet

# A workbook that expands beyond this is refused before openpyxl parses it (zip bombs).
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_workbook_archive(data: bytes, filename: str) -> None:
    if data.startswith(OLE_MAGIC):
        raise ImportFileError(
            filename,
            "this is an old-style .xls workbook or a password-protected one; "
            "open it in Excel, remove any password and save it as .xlsx, then import that",
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ImportFileError(
            filename, "is not a readable .xlsx workbook (the file is damaged or not Excel)"
        ) from error
    total = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries) or 1
    if total > MAX_UNCOMPRESSED_BYTES or total / packed > MAX_COMPRESSION_RATIO:
        raise ImportFileError(
            filename, "expands to far more data than an action plan holds; refused for safety"
        )
    if "xl/workbook.xml" not in {entry.filename for entry in entries}:
        raise ImportFileError(filename, "is a zip file but not an Excel workbook")


def read_xlsx_sheets(data: bytes, filename: str) -> list[Sheet]:
    check_workbook_archive(data, filename)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unsupported extensions
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for damaged parts
        raise ImportFileError(
            filename, f"is not a readable .xlsx workbook ({type(error).__name__})"
        ) from error
    try:
        return [_read_sheet(worksheet) for worksheet in workbook.worksheets]
    except ImportFileError:
        raise
    except Exception as error:
        raise ImportFileError(
            filename, f"could not be read to the end; it may be damaged ({type(error).__name__})"
        ) from error
    finally:
        workbook.close()


def _read_sheet(worksheet) -> Sheet:
    if not hasattr(worksheet, "iter_rows"):  # chart sheets
        return Sheet(name=worksheet.title, rows=[])
    rows: list[list[object]] = []
    cells_by_row = []
    for row in worksheet.iter_rows():
        cells = [cell for cell in row if getattr(cell, "column", None) is not None]
        if not cells:
            rows.append([])
            cells_by_row.append([])
            continue
        width = cells[-1].column
        values: list[object] = [None] * width
        for cell in cells:
            values[cell.column - 1] = cell.value
        rows.append(values)
        cells_by_row.append(cells)
    sheet = Sheet(name=worksheet.title, rows=rows)
    header_index = find_header(rows)
    if header_index is not None:
        rag_columns = [i for i, f in map_columns(rows[header_index]).items() if f == "rag"]
        if rag_columns:
            column = rag_columns[0] + 1
            for index in range(header_index + 1, len(cells_by_row)):
                for cell in cells_by_row[index]:
                    if cell.column == column:
                        rag = rag_from_fill(cell.fill)
                        if rag is not None:
                            sheet.fill_rags[(index, column - 1)] = rag
    return sheet
