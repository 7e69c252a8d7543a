"""Read action plans from Excel workbooks (.xlsx, .xlsm).

openpyxl reads the workbook's own parts (sheet list, shared strings, styles); each sheet's XML
is then streamed by `sheet_xml.SheetReader`, which keeps only what a plan table can use and
counts rows and cells against the file's limits as it reads.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
import zipfile
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from lxml import etree
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS

from importers.colours import rag_from_fill, theme_colours
from importers.errors import ImportFileError
from importers.limits import ReadBudget
from importers.number_formats import format_code, month_year_text
from importers.sheet import Sheet
from importers.sheet_xml import SheetReader
from rulebook.rag import Rag

# A file that expands beyond this is refused before it is parsed (zip bombs).
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_ENTRIES = 5_000
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Style parts are tens of kilobytes; one with 64,000 cell formats (Excel's limit) about 10 MB.
MAX_STYLES_BYTES = 20 * 1024 * 1024
_STYLES = "xl/styles.xml"  # where openpyxl reads styles from, whatever the manifest says
_NUMBER_FORMAT = f"{{{SHEET_MAIN_NS}}}numFmt"
_A_DAY = dt.date(2000, 1, 1)  # any day: to ask whether a format shows only month and year


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


def check_styles(archive: zipfile.ZipFile, filename: str) -> None:
    """Refuse a style part that openpyxl would take minutes over, before it reads it.

    openpyxl reads the whole part into objects, and tests each number format with a regular
    expression whose time grows with the square of the format's length: Excel itself writes
    no format longer than 255 characters.
    """
    try:
        info = archive.getinfo(_STYLES)
    except KeyError:
        return
    if info.file_size > MAX_STYLES_BYTES:
        raise ImportFileError(
            filename,
            f"has a style part of over {MAX_STYLES_BYTES // (1024 * 1024)} MB, far more than a "
            "workbook needs; it may be damaged",
        )
    try:
        with archive.open(info) as source:
            for _, element in etree.iterparse(source, resolve_entities=False):
                if element.tag == _NUMBER_FORMAT and len(element.get("formatCode", "")) > 255:
                    raise ImportFileError(
                        filename,
                        "has a number format longer than Excel allows (255 characters); "
                        "it may be damaged",
                    )
                parent = element.getparent()
                if parent is not None:
                    parent.remove(element)  # read once: the tree stays small
    except etree.XMLSyntaxError:
        return  # openpyxl says the workbook is not readable


def read_xlsx_sheets(
    data: bytes,
    filename: str,
    progress: Callable[[float, str], None] | None = None,
    budget: ReadBudget | None = None,
) -> list[Sheet]:
    check_styles(check_workbook_archive(data, filename), filename)
    workbook = _open_workbook(data, filename)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about dates out of range
            return _read_sheets(workbook, budget or ReadBudget(filename), progress)
    except (ImportFileError, MemoryError):
        raise
    except Exception as error:
        raise ImportFileError(
            filename, f"could not be read to the end; it may be damaged ({type(error).__name__})"
        ) from error
    finally:
        workbook.archive.close()


@dataclass
class _Workbook:
    """What every sheet needs from the workbook: its zip, styles and shared strings."""

    archive: zipfile.ZipFile
    book: object  # openpyxl's Workbook, holding only styles, fonts, fills and date settings
    strings: list[str]
    # (name, state, part) of each worksheet; chart sheets are left out.
    sheets: list[tuple[str, str, str]]


def _open_workbook(data: bytes, filename: str) -> _Workbook:
    """The workbook's parts except its sheets, which are streamed one at a time later."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unsupported extensions
            reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
            reader.read_manifest()
            reader.read_strings()
            reader.read_workbook()
            reader.read_theme()
            apply_stylesheet(reader.archive, reader.wb)
            sheets = [
                (sheet.name, sheet.state, rel.target)
                for sheet, rel in reader.parser.find_sheets()
                if rel.target in reader.valid_files and "chartsheet" not in rel.Type
            ]
    except Exception as error:  # openpyxl raises many types for damaged parts
        raise ImportFileError(
            filename, f"is not a readable .xlsx workbook ({type(error).__name__})"
        ) from error
    return _Workbook(reader.archive, reader.wb, reader.shared_strings, sheets)


def _read_sheets(
    workbook: _Workbook, budget: ReadBudget, progress: Callable[[float, str], None] | None
) -> list[Sheet]:
    book = workbook.book
    theme = theme_colours(getattr(book, "loaded_theme", None))

    @cache
    def is_bold(style_id: int) -> bool:
        return bool(book._fonts[book._cell_styles[style_id].fontId].b)

    @cache
    def fill_rag(style_id: int):
        return rag_from_fill(book._fills[book._cell_styles[style_id].fillId], theme)

    @cache
    def month_format(style_id: int) -> str | None:
        code = format_code(book, style_id)
        return code if month_year_text(code, _A_DAY) else None

    sheets = []
    for number, (name, state, path) in enumerate(workbook.sheets):

        def step(fraction: float, name=name, number=number) -> None:
            if progress is not None:
                progress((number + fraction) / len(workbook.sheets), f"Reading sheet '{name}'")

        cells = WorkSheetParser(
            None,
            workbook.strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        reader = SheetReader(cells, budget, is_bold, month_format)
        with workbook.archive.open(path) as source:
            reader.read(source, workbook.archive.getinfo(path).file_size, step)
        sheets.append(
            reader.sheet(
                name,
                hidden=state != "visible",
                fill_lookup=_fill_lookup(reader.styles, fill_rag),
            )
        )
    return sheets


def _fill_lookup(styles: list[array], fill_rag: Callable[[int], Rag | None]):
    """The RAG of a cell's fill colour, looked up only for the cells that are asked about."""

    def lookup(index: int, column: int) -> Rag | None:
        if index >= len(styles) or column >= len(styles[index]):
            return None
        style_id = styles[index][column]
        return fill_rag(style_id) if style_id else None

    return lookup
