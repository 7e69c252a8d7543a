"""Pure readers: a file's bytes in, validated action rows and row-numbered issues out.

`read_plan_file` is the one entry point; it raises only `ImportFileError`.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from pathlib import PurePath

from importers.errors import ImportFileError
from importers.gc_pause import collector_paused
from importers.headers import FIELDS, Override
from importers.limits import MAX_FILE_BYTES, ReadBudget
from importers.rows import ActionRow, ReadResult, RowIssue, SkippedSheet
from importers.saved_at import saved_at
from importers.sheet import Sheet

__all__ = [
    "FIELDS",
    "ActionRow",
    "ImportFileError",
    "Progress",
    "ReadResult",
    "RowIssue",
    "SkippedSheet",
    "read_plan_file",
]

SUPPORTED = (".xlsx", ".xlsm", ".csv", ".tsv", ".txt", ".docx")
_XLSX = (".xlsx", ".xlsm", ".xltx", ".xltm")
_TEXT = (".csv", ".txt", ".tsv")
_DEFAULT_SHEET_NAME = re.compile(r"^(sheet|table)\s*\d*$", re.IGNORECASE)

PK_MAGIC = b"PK\x03\x04"
_WEB_PAGE = (
    "is a web page (HTML) with no table in it, not a workbook; open it in Excel, choose "
    "File > Save As > Excel Workbook (.xlsx) and import that"
)

_XML_SPREADSHEET = (
    "is an Excel 2003 XML spreadsheet, not a workbook; open it in Excel, choose "
    "File > Save As > Excel Workbook (.xlsx) and import that"
)

# progress(fraction done 0..1, what is happening)
Progress = Callable[[float, str], None]


def read_plan_file(
    data: bytes,
    filename: str,
    mapping_override: dict[str, str] | None = None,
    progress: Progress | None = None,
    sheet: str | None = None,
) -> ReadResult:
    """Read every action in an action-plan file, or raise ImportFileError saying why not.

    `mapping_override` maps a column's header text to the field it holds ("" for none: the
    column is then kept as an extra field); other columns are still guessed from their headers.
    `progress`, if given, is called with (fraction done, message) while the file is read.
    `sheet`, if given, is the one sheet (or Word table, "table 2") read.
    A mapping naming a column no header row has raises MissingColumnsError naming it.
    """
    name = PurePath(filename).name or filename or "file"
    try:
        with collector_paused():
            result = _read(data, name, mapping_override, progress, sheet)
        result.saved_at = saved_at(data)
        return result
    except ImportFileError:
        raise
    except RecursionError as error:
        raise ImportFileError(name, "is nested too deeply to read") from error
    except MemoryError as error:
        raise ImportFileError(name, "is too large to read; split the plan and retry") from error
    except Exception as error:  # a reader bug must still reach the user as one sentence
        raise ImportFileError(
            name, f"could not be read; it may be damaged ({type(error).__name__})"
        ) from error


def _kind(data: bytes, suffix: str) -> str:
    from importers.xlsx import OLE_MAGIC, zip_names

    if data.startswith(OLE_MAGIC):
        return "doc" if suffix == ".doc" else "ole"
    if data.startswith(PK_MAGIC) and suffix not in (*_XLSX, ".docx"):
        names = zip_names(data)  # an .xlsx or .docx saved under another name
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "word/document.xml" in names:
            return "docx"
    if suffix in (*_XLSX, ".xls", ".htm", ".html"):
        return _web_or_text(data) or "xlsx"
    if suffix == ".docx":
        return "docx"
    if suffix == ".doc":
        return "doc"
    if suffix in _TEXT:
        return "csv"
    return "unknown"


def _web_or_text(data: bytes) -> str | None:
    """What a spreadsheet-named file that is not a workbook holds: a web page (many systems
    export one named .xls) or text (Excel's "Unicode Text", tab separated); None otherwise."""
    from importers.html_reader import looks_like_html

    if data.startswith(PK_MAGIC):
        return None
    if looks_like_html(data):
        return "html"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" not in data[:4096]:
        return "csv"
    return None


def _read(
    data: bytes,
    name: str,
    mapping_override: dict[str, str] | None,
    progress: Progress | None,
    only_sheet: str | None = None,
) -> ReadResult:
    def report(fraction: float, message: str) -> None:
        if progress is not None:
            progress(min(max(fraction, 0.0), 1.0), message)

    override = _checked(data, name, mapping_override)
    report(0.0, f"Opening {name}")
    sheets = _read_sheets(data, name, lambda fraction, message: report(0.85 * fraction, message))
    if only_sheet is not None:
        sheets = _only(sheets, name, only_sheet)
    _check_mapped(sheets, name, mapping_override)
    report(0.85, "Finding the action table")
    result = _read_actions(sheets, name, override, report)
    report(1.0, f"Read {len(result.rows)} actions from {name}")
    return result


def _only(sheets: list[Sheet], name: str, wanted: str) -> list[Sheet]:
    """The sheet named `wanted` (case and outer spaces aside), or ImportFileError."""
    key = " ".join(wanted.split()).casefold()
    found = [s for s in sheets if " ".join(s.name.split()).casefold() == key]
    if not found:
        names = ", ".join(f"'{s.name}'" for s in sheets)
        raise ImportFileError(name, f"has no sheet called '{wanted}'; its sheets are {names}")
    return found


def _check_mapped(sheets: list[Sheet], name: str, mapping: dict[str, str] | None) -> None:
    """MissingColumnsError when a mapped column is in no sheet's first rows (where headers are)."""
    from importers.cells import cell_text
    from importers.errors import MissingColumnsError
    from importers.headers import normalise_header

    if not mapping:
        return
    rows = [row for sheet in sheets for row in sheet.rows[:_HEADER_SCAN_ROWS]]
    seen = {normalise_header(cell) for row in rows for cell in row}
    missing = [column for column in mapping if normalise_header(column) not in seen]
    if missing:
        widest = max(rows, key=lambda r: sum(1 for c in r if cell_text(c)), default=[])
        found = [text for c in widest if (text := " ".join(cell_text(c).split()))]
        raise MissingColumnsError(name, missing, found)


_HEADER_SCAN_ROWS = 30


def _checked(data: bytes, name: str, mapping_override: dict[str, str] | None) -> Override | None:
    """The column mapping to use, once the file is known to be neither empty nor too large."""
    from importers.headers import make_override

    if not data:
        raise ImportFileError(name, "is empty")
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(
            name, f"is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; split the plan and retry"
        )
    try:
        return make_override(mapping_override)
    except ValueError as error:
        raise ImportFileError(name, f"has a column mapping that cannot be used: {error}") from None


def _read_sheets(data: bytes, name: str, reading: Progress) -> list[Sheet]:
    """The file's sheets as grids, by its kind; each reader counts against one budget."""
    suffix = PurePath(name).suffix.lower()
    kind = _kind(data, suffix)
    if kind == "xlsx":
        from importers.xlsx import read_xlsx_sheets

        return read_xlsx_sheets(data, name, progress=reading, budget=ReadBudget(name))
    if kind == "docx":
        from importers.docx_reader import read_docx_sheets

        return read_docx_sheets(data, name, progress=reading, budget=ReadBudget(name))
    if kind == "html":
        from importers.html_reader import is_xml_spreadsheet, read_html_sheets

        if is_xml_spreadsheet(data):
            raise ImportFileError(name, _XML_SPREADSHEET)
        sheets = read_html_sheets(data, name, ReadBudget(name))
        if not sheets:
            raise ImportFileError(name, _WEB_PAGE)
        return sheets
    if kind == "csv":
        from importers.csv_reader import read_csv_sheet

        return [read_csv_sheet(data, name, ReadBudget(name))]
    if kind == "ole":
        from importers.xlsx import refuse_ole

        refuse_ole(data, name)
    if kind == "doc":
        raise ImportFileError(
            name,
            "is an old-style Word .doc file; open it in Word, save it as .docx and import that",
        )
    raise ImportFileError(
        name, f"has an unsupported type '{suffix or 'none'}'; use {', '.join(SUPPORTED)}"
    )


def _has_text(sheet: Sheet) -> bool:
    from importers.cells import cell_text

    return any(cell_text(cell) for row in sheet.rows for cell in row)


def _read_actions(
    sheets: list[Sheet], name: str, override: Override | None, report: Progress
) -> ReadResult:
    """Every sheet's actions, or ImportFileError when no sheet is a plan with actions."""
    from importers.cells import is_status_section
    from importers.legend import file_rag_key
    from importers.table import is_strict_heading, locate_table, read_sheet
    from importers.title_year import financial_years_named

    file_key = frozenset(file_rag_key(sheets).items())
    action_sheets = [
        s.name
        for s in sheets
        if s.rows and not isinstance(locate_table(s, override, file_key), str)
    ]
    # "Sheet1" names nothing; "Completed actions" groups actions by progress: no objective.
    named = [
        n
        for n in action_sheets
        if not _DEFAULT_SHEET_NAME.match(n.strip()) and not is_status_section(n)
    ]
    result = ReadResult(
        file=name, rag_key=dict(file_key), title_years=sorted(financial_years_named(name))
    )
    for number, sheet in enumerate(sheets, start=1):
        report(0.85 + 0.15 * (number - 1) / len(sheets), f"Reading actions in {sheet.name}")
        objective = None
        if sheet.name in named and (len(action_sheets) >= 2 or is_strict_heading(sheet.name)):
            objective = sheet.name.strip()  # one sheet per objective: its name is the objective
        reason = read_sheet(
            sheet, result, override=override, sheet_objective=objective, file_key=file_key
        )
        if reason is None:
            result.sheets_read.append(sheet.name)
        else:
            result.sheets_skipped.append(SkippedSheet(sheet=sheet.name, reason=reason))
    if not sheets:  # a Word document without a table
        raise ImportFileError(name, "has no table in it: a plan's actions are read from a table")
    if not result.sheets_read and not any(_has_text(s) for s in sheets):
        raise ImportFileError(name, "is empty: no sheet or table in it holds any text")
    if not result.sheets_read:
        raise ImportFileError(
            name,
            "holds no recognisable action plan: no row has headers such as "
            "'Action', 'Owner'/'Lead' and 'Deadline'",
        )
    if not result.rows:
        raise ImportFileError(name, "has a plan header but no action rows under it")
    return result
