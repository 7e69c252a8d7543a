"""Pure readers: a file's bytes in, validated action rows and row-numbered issues out.

`read_plan_file` is the one entry point; it raises only `ImportFileError`.
"""

from __future__ import annotations

from pathlib import PurePath

from importers.errors import ImportFileError
from importers.rows import ActionRow, ReadResult, RowIssue, SkippedSheet

__all__ = [
    "ActionRow",
    "ImportFileError",
    "ReadResult",
    "RowIssue",
    "SkippedSheet",
    "read_plan_file",
]

MAX_FILE_BYTES = 50 * 1024 * 1024
SUPPORTED = (".xlsx", ".xlsm", ".csv", ".txt", ".tsv")


def read_plan_file(data: bytes, filename: str) -> ReadResult:
    """Read every action in an action-plan file, or raise ImportFileError saying why not."""
    from importers.csv_reader import read_csv_sheet
    from importers.table import read_sheet
    from importers.xlsx import read_xlsx_sheets

    name = PurePath(filename).name or filename
    suffix = PurePath(name).suffix.lower()
    if not data:
        raise ImportFileError(name, "is empty")
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(
            name, f"is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; split the plan and retry"
        )
    if suffix in (".xlsx", ".xlsm", ".xls"):
        sheets = read_xlsx_sheets(data, name)
    elif suffix in (".csv", ".txt", ".tsv"):
        sheets = [read_csv_sheet(data, name)]
    else:
        raise ImportFileError(
            name, f"has an unsupported type '{suffix or 'none'}'; use {', '.join(SUPPORTED)}"
        )

    result = ReadResult(file=name)
    try:
        for sheet in sheets:
            if read_sheet(sheet, result):
                result.sheets_read.append(sheet.name)
            else:
                result.sheets_skipped.append(
                    SkippedSheet(sheet=sheet.name, reason="no header row naming an action column")
                )
    except ImportFileError:
        raise
    except RecursionError as error:
        raise ImportFileError(name, "is nested too deeply to read") from error
    if not result.sheets_read:
        raise ImportFileError(
            name,
            "holds no recognisable action plan: no row has headers such as "
            "'Action', 'Owner'/'Lead' and 'Deadline'",
        )
    if not result.rows:
        raise ImportFileError(name, "has a plan header but no action rows under it")
    return result
