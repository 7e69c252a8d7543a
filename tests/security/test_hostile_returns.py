"""Update returns go through the importers' guarded reader: a small hostile "return" is
refused quickly, in one sentence, before memory is spent (it took 3 minutes and 1.8 GB)."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from plan.exporters.update_return import RETURN_COLUMNS, RETURN_SHEET, ReturnFileError
from plan.services.returns import read_return
from tests.builders import xlsx_bytes


def _sheet_xml(rows: int) -> bytes:
    """A Return sheet: the header, then `rows` rows each holding one filled cell."""
    header = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{name}</t></is></c>'
        for i, name in enumerate(RETURN_COLUMNS)
    )
    body = "".join(f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>' for n in range(2, rows + 2))
    return (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org'
        f'/spreadsheetml/2006/main"><sheetData><row r="1">{header}</row>{body}</sheetData>'
        "</worksheet>"
    ).encode()


def _with_sheet(xml: bytes) -> bytes:
    """A small workbook whose Return sheet is replaced by `xml` (well compressed)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes((RETURN_SHEET, [list(RETURN_COLUMNS)]))))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = xml if item.filename == "xl/worksheets/sheet1.xml" else source.read(item)
            target.writestr(item, body)
    return out.getvalue()


def test_a_return_with_a_million_rows_is_refused_quickly():
    data = _with_sheet(_sheet_xml(300_000))
    assert len(data) < 2_000_000  # small on disk
    started = time.process_time()
    with pytest.raises(ReturnFileError, match=r"more than 200,000 rows|more than 20,000 rows"):
        read_return(data)
    assert time.process_time() - started < 15


def test_a_zip_bomb_named_as_a_return_is_refused():
    bomb = b"<row>" + b" " * (50 * 1024 * 1024) + b"</row>"  # packed over 200:1
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr("[Content_Types].xml", "<Types/>")
        target.writestr("xl/workbook.xml", "<workbook/>")
        target.writestr("xl/worksheets/sheet1.xml", bomb)
    with pytest.raises(ReturnFileError, match=r"not an \.xlsx workbook the tracker can read"):
        read_return(out.getvalue())
