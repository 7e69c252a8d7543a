"""Worksheet XML streamed into a Sheet: values as openpyxl reads them, empty rows left out with
the row numbers kept, merged ranges, hidden rows, formulas without values, and the limits."""

from __future__ import annotations

import base64
import datetime as dt
import io
import random
import warnings
import zipfile

import pytest
from openpyxl import load_workbook

from importers import ImportFileError
from importers.limits import ReadBudget
from importers.xlsx import read_xlsx_sheets

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006"
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
# Style 1 is a date, style 2 bold.
STYLES = f"""<styleSheet xmlns="{_MAIN}">
<fonts count="2"><font><sz val="11"/></font><font><b/><sz val="11"/></font></fonts>
<fills count="1"><fill><patternFill patternType="none"/></fill></fills>
<borders count="1"><border/></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>
</styleSheet>"""
STRINGS = f"""<sst xmlns="{_MAIN}"><si><t>Action</t></si><si><t>Owner</t></si>
<si><r><t>Rich </t></r><r><rPr><b/></rPr><t>text</t></r></si></sst>"""


def workbook(sheet_data: str, after: str = "", styles: str = STYLES) -> bytes:
    """An .xlsx written by hand, as Excel writes it: shared strings, styles, one sheet."""
    parts = {
        "[Content_Types].xml": f"""<Types xmlns="{_PACKAGE}/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="{_SHEET_TYPE}.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_SHEET_TYPE}.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="{_SHEET_TYPE}.sharedStrings+xml"/>
<Override PartName="/xl/styles.xml" ContentType="{_SHEET_TYPE}.styles+xml"/></Types>""",
        "_rels/.rels": f"""<Relationships xmlns="{_PACKAGE}/relationships">
<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>""",
        "xl/workbook.xml": f"""<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>
<sheet name="Plan" sheetId="1" r:id="rId1"/></sheets></workbook>""",
        "xl/_rels/workbook.xml.rels": f"""<Relationships xmlns="{_PACKAGE}/relationships">
<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>
<Relationship Id="rId3" Type="{_REL}/styles" Target="styles.xml"/></Relationships>""",
        "xl/sharedStrings.xml": STRINGS,
        "xl/styles.xml": styles,
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{_MAIN}"><sheetData>{sheet_data}</sheetData>{after}</worksheet>'
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


CELLS = (
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
    '<row r="3"><c r="A3" t="s"><v>2</v></c>'
    '<c r="B3" t="inlineStr"><is><t>plain</t><r><t> and run</t></r>'
    '<rPh sb="0" eb="1"><t>x</t></rPh></is></c>'
    '<c r="C3"><v>42</v></c><c r="D3"><v>2.5</v></c><c r="E3" s="1"><v>46022</v></c>'
    '<c r="F3" t="b"><v>1</v></c><c r="G3" t="e"><v>#N/A</v></c>'
    '<c r="H3" t="str"><f>A1</f><v>Action</v></c><c r="I3" t="inlineStr"><is><t/></is></c></row>'
    "<row><c><v>7</v></c><c/><c><v>8</v></c></row>"
)


def test_values_are_read_as_openpyxl_reads_them_and_empty_rows_are_left_out():
    data = workbook(CELLS)
    (sheet,) = read_xlsx_sheets(data, "plan.xlsx")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "no default style": the test's styles are minimal
        opened = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        expected = [row for row in opened["Plan"].iter_rows(values_only=True) if any(row)]
    assert [row + [None] * (9 - len(row)) for row in sheet.rows] == [
        list(row) + [None] * (9 - len(row)) for row in expected
    ]
    assert sheet.rows[1] == [
        "Rich text",
        "plain and run",
        42,
        2.5,
        dt.datetime(2025, 12, 31),
        True,
        "#N/A",
        "Action",
        "",
    ]
    assert list(sheet.numbers) == [1, 3, 4]
    assert [sheet.where(i) for i in range(3)] == [("Plan", 1), ("Plan", 3), ("Plan", 4)]


def test_merges_hidden_rows_bold_rows_and_formulas_without_values():
    data = workbook(
        '<row r="2" hidden="1"><c r="A2" s="2" t="inlineStr"><is><t>Heading</t></is></c></row>'
        '<row r="4"><c r="A4" t="inlineStr"><is><t>Ann</t></is></c><c r="B4"><f>1+1</f></c></row>'
        '<row r="5"><c r="B5"><f>NOW()</f><v></v></c></row>'
        '<row r="9"><c r="A9"><v>1</v></c></row>',
        after='<cols><col min="3" max="4" hidden="1"/><col min="5" max="5"/></cols>'
        '<mergeCells><mergeCell ref="A2:C2"/><mergeCell ref="A4:A9"/><mergeCell ref="A6:A9"/>'
        '<mergeCell ref="B7:B8"/><mergeCell ref="GZ4:HA4"/></mergeCells>',
    )
    (sheet,) = read_xlsx_sheets(data, "plan.xlsx")
    assert sheet.rows == [["Heading"], ["Ann", None], [None, None], [1]]
    assert list(sheet.numbers) == [2, 4, 5, 9]
    assert sheet.bold_rows == {0} and sheet.hidden_rows == {0}
    assert sheet.hidden_columns == {2, 3}
    # A4:A9 covers kept rows 4, 5 and 9; ranges whose top row was empty are dropped.
    assert sheet.merges == [(0, 0, 0, 2), (1, 0, 3, 0)]
    message = (
        "holds a formula with no saved value, so it reads as empty; open the file in Excel, "
        "save it and import it again"
    )
    assert sheet.notes == [(1, f"cell B4 {message}"), (2, f"cell B5 {message}")]


def test_cells_beyond_column_200_are_left_out_with_one_note():
    cells = "".join(f'<c r="{c}1" t="inlineStr"><is><t>{c}</t></is></c>' for c in ("A", "GR", "GS"))
    data = workbook(f'<row r="1">{cells}</row><row r="2"><c r="XFD2"><v>1</v></c></row>')
    (sheet,) = read_xlsx_sheets(data, "plan.xlsx")
    assert len(sheet.rows) == 1 and len(sheet.rows[0]) == 200
    assert (sheet.rows[0][0], sheet.rows[0][199]) == ("A", "GR")
    assert sheet.notes == [
        (
            None,
            "cells right of column GR (the 200th) are not read, the first at GS1: a plan table "
            "is narrower",
        )
    ]


def test_a_long_run_of_empty_rows_ends_the_sheet():
    data = workbook(
        '<row r="1"><c r="A1"><v>1</v></c></row>'
        + "<row/>" * 10_000
        + '<row><c r="A10002"><v>2</v></c></row>'
        + "<row/>" * 10_001
        + '<row><c r="A20004"><v>3</v></c></row>'
    )
    (sheet,) = read_xlsx_sheets(data, "plan.xlsx")
    assert sheet.rows == [[1], [2]] and list(sheet.numbers) == [1, 10_002]
    assert sheet.notes == [
        (
            None,
            "rows below row 10,002 are not read: more than 10,000 empty rows follow, so anything "
            "further down is left out",
        )
    ]


@pytest.mark.parametrize(
    ("sheet_data", "message"),
    [
        (
            '<row r="1"><c r="A1" t="inlineStr"><is>'
            + "<r><t>a</t></r>" * 1_001
            + "</is></c></row>",
            "plan.xlsx: has a cell made of more than 1,000 parts",
        ),
        ("<row><c><v>1</v></c></row>" * 11, "plan.xlsx: has more than 10 rows; split the plan"),
    ],
)
def test_limits_hold_while_reading(sheet_data, message, monkeypatch):
    monkeypatch.setattr("importers.limits.MAX_ROWS", 10)
    with pytest.raises(ImportFileError) as raised:
        read_xlsx_sheets(workbook(sheet_data), "plan.xlsx", budget=ReadBudget("plan.xlsx"))
    assert str(raised.value) == message


def test_rows_out_of_order_are_skipped():
    data = workbook(
        '<row r="5"><c r="A5"><v>5</v></c></row><row r="3"><c r="A3"><v>3</v></c></row>'
        '<row r="6"><c r="A6"><v>6</v></c></row>'
    )
    (sheet,) = read_xlsx_sheets(data, "plan.xlsx")
    assert sheet.rows == [[5], [6]] and list(sheet.numbers) == [5, 6]


def test_a_style_part_far_larger_than_a_workbook_needs_is_refused():
    # 21 MB of text that does not compress, so that the zip-bomb check lets it through.
    padding = base64.b64encode(random.Random(0).randbytes(16 * 1024 * 1024)).decode()
    data = workbook(CELLS, styles=STYLES.replace("<fonts", f"<!-- {padding} --><fonts"))
    with pytest.raises(ImportFileError) as raised:
        read_xlsx_sheets(data, "plan.xlsx")
    assert str(raised.value) == (
        "plan.xlsx: has a style part of over 20 MB, far more than a workbook needs; "
        "it may be damaged"
    )
