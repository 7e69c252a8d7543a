"""Bad files fail with one sentence naming the file, change nothing, and never raise anything else.

The fuzz tests mutate real .xlsx, .docx and .csv files (whole-file and inside-the-zip) and check
that the only exception that escapes is `ImportFileError`.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importers import ImportFileError, ReadResult, read_plan_file
from plan.importing import import_file
from plan.models import Plan
from tests.builders import csv_bytes, docx_bytes, xlsx_bytes

ROWS = [
    ["Plan title"],
    ["Ref", "Action", "Owner", "Deadline", "RAG", "Update"],
    ["Objective 1 – Prevention"],
    ["1.1", "Campaign", "Karen Cooney / Ian Peet", "Nov 2025", "G", "Done one"],
    ["", "", "", "", "", "and another"],
    ["1.2", "Refuge £", "Debbie Nash", 46022, "Amber", ""],
    ["1.3"],
]
XLSX = xlsx_bytes(("Plan", ROWS), ("Notes", [["Read me"]]))
DOCX = docx_bytes("Strategic Objective: Victims", [[str(c) for c in r] for r in ROWS[1:]])
CSV = csv_bytes(ROWS, encoding="cp1252")


def _rezip(entries: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


def _entries(data: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {name: archive.read(name) for name in archive.namelist()}


def _sentence(error: ImportFileError, filename: str) -> str:
    text = str(error)
    assert text.startswith(f"{filename}: ")
    assert "\n" not in text and "Traceback" not in text
    return text


def test_the_fuzz_inputs_are_good_plans():
    for data, name in ((XLSX, "p.xlsx"), (DOCX, "p.docx"), (CSV, "p.csv")):
        result = read_plan_file(data, name)
        assert [r.action for r in result.rows] == ["Campaign", "Refuge £"]


def _nested_tables(depth: int) -> bytes:
    entries = _entries(DOCX)
    document = entries["word/document.xml"].decode()
    inner = "<w:p><w:r><w:t>deep</w:t></w:r></w:p>"
    for _ in range(depth):
        inner = f"<w:tbl><w:tr><w:tc>{inner}<w:p/></w:tc></w:tr></w:tbl>"
    document = document.replace("<w:body>", f"<w:body>{inner}<w:p/>", 1)
    entries["word/document.xml"] = document.encode()
    return _rezip(entries)


def _xml_bomb() -> bytes:
    entries = _entries(XLSX)
    entries["xl/worksheets/sheet1.xml"] = b"<a>" * 200_000 + b"</a>" * 200_000
    return _rezip(entries, zipfile.ZIP_STORED)


def _zip_bomb(template: bytes, member: str) -> bytes:
    entries = _entries(template)
    entries[member] = b"<x/>" + b" " * (60 * 1024 * 1024)
    return _rezip(entries)


ENCRYPTED = (
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + "EncryptedPackage".encode("utf-16-le")
)


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "empty.xlsx", "is empty"),
        (b"   \r\n  ", "blank.csv", "is empty"),
        (XLSX[: len(XLSX) // 3], "truncated.xlsx", "is not a readable .xlsx workbook"),
        (DOCX[: len(DOCX) // 3], "truncated.docx", "is not a readable .docx document"),
        (b"PK\x03\x04" + b"\xff" * 300, "corrupt.docx", "is not a readable .docx document"),
        (_rezip({"a.txt": b"hi"}), "other.docx", "is a zip file but not a .docx document"),
        (_rezip({"a.txt": b"hi"}), "other.xlsx", "is a zip file but not a .xlsx workbook"),
        (bytes(range(256)) * 40, "junk.csv", "is binary, not a CSV text file"),
        (b"Action,Owner\r\n", "header.csv", "has a plan header but no action rows"),
        (
            xlsx_bytes(("Plan", [["Action", "Owner"], [None, None]])),
            "header.xlsx",
            "has a plan header but no action rows",
        ),
        (docx_bytes([["Action", "Owner"]]), "header.docx", "has a plan header but no action rows"),
        (
            docx_bytes("Minutes", [["Item", "Notes"], ["1", "Apologies"]]),
            "minutes.docx",
            "holds no recognisable action plan",
        ),
        (
            xlsx_bytes(("Budget", [["Item", "Cost"], ["Chairs", 10]])),
            "budget.xlsx",
            "holds no recognisable action plan",
        ),
        (
            xlsx_bytes(("Sheet1", []), ("Sheet2", [[None, ""]])),
            "blank.xlsx",
            "is empty: no sheet or table in it holds any text",
        ),
        (
            docx_bytes("Partnership Objective 1: Prevent violence", "We will prevent it."),
            "strategy.docx",
            "has no table in it: a plan's actions are read from a table",
        ),
        (
            b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'
            b"<Worksheet><Table><Row><Cell><Data>Action</Data></Cell></Row></Table></Worksheet>"
            b"</Workbook>",
            "export.xls",
            "is an Excel 2003 XML spreadsheet, not a workbook; open it in Excel, choose File > "
            "Save As > Excel Workbook (.xlsx)",
        ),
        (ENCRYPTED, "locked.xlsx", "is password-protected; open it in Excel, remove the password"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500, "old.xls", "this is an old-style .xls"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500, "old.doc", "is an old-style Word .doc"),
        (b"{\\rtf1 hello}", "plan.doc", "is an old-style Word .doc file; open it in Word"),
        (b"x" * (50 * 1024 * 1024 + 1), "huge.csv", "is larger than 50 MB"),
        (_nested_tables(12), "nested.docx", "has tables nested too deeply to read"),
        (_nested_tables(3000), "deep.docx", "is not a readable .docx document"),
        (_xml_bomb(), "deep.xlsx", "could not be read to the end; it may be damaged"),
        (_zip_bomb(XLSX, "xl/worksheets/sheet1.xml"), "bomb.xlsx", "expands to far more data"),
        (_zip_bomb(DOCX, "word/document.xml"), "bomb.docx", "expands to far more data"),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 20 else "",
)
def test_bad_files_raise_one_clear_sentence(data, filename, message):
    with pytest.raises(ImportFileError) as caught:
        read_plan_file(data, filename)
    assert message in _sentence(caught.value, filename)


def test_a_workbook_saved_under_another_name_is_still_read():
    assert len(read_plan_file(XLSX, "plan.csv").rows) == 2
    assert len(read_plan_file(DOCX, "plan.txt").rows) == 2


def test_a_bad_file_changes_nothing_in_the_database(factory):
    with pytest.raises(ImportFileError):
        import_file(factory, DOCX[:500], "broken.docx", author="Test")
    with factory() as session:
        assert session.query(Plan).count() == 0


def _check(data: bytes, filename: str) -> None:
    try:
        result = read_plan_file(data, filename)
    except ImportFileError as error:
        _sentence(error, filename)
    else:
        assert isinstance(result, ReadResult) and result.rows


FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
BASES = [(XLSX, "fuzz.xlsx"), (DOCX, "fuzz.docx"), (CSV, "fuzz.csv")]


@FUZZ
@given(
    base=st.sampled_from(BASES),
    edits=st.lists(
        st.tuples(st.floats(0, 1), st.binary(min_size=0, max_size=8), st.integers(0, 8)),
        min_size=1,
        max_size=6,
    ),
    cut=st.one_of(st.none(), st.floats(0, 1)),
)
def test_fuzz_mutated_files_raise_only_import_file_error(base, edits, cut):
    data, filename = base
    mutated = bytearray(data)
    for where, insert, remove in edits:
        at = int(where * len(mutated))
        mutated[at : at + remove] = insert
    if cut is not None:
        mutated = mutated[: int(cut * len(mutated))]
    _check(bytes(mutated), filename)


@FUZZ
@given(
    base=st.sampled_from(BASES[:2]),
    member=st.integers(0, 50),
    edits=st.lists(
        st.tuples(st.floats(0, 1), st.binary(min_size=0, max_size=12), st.integers(0, 12)),
        min_size=1,
        max_size=5,
    ),
)
def test_fuzz_mutated_parts_inside_the_zip_raise_only_import_file_error(base, member, edits):
    data, filename = base
    entries = _entries(data)
    names = [n for n in entries if n.endswith(".xml")]
    name = names[member % len(names)]
    content = bytearray(entries[name])
    for where, insert, remove in edits:
        at = int(where * len(content))
        content[at : at + remove] = insert
    entries[name] = bytes(content)
    _check(_rezip(entries), filename)


@FUZZ
@given(
    text=st.text(
        alphabet=st.sampled_from(list(',;\t"\n\r Ref1.2ActionOwnerRAGDeadline£é€\x00')),
        max_size=300,
    ),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
)
def test_fuzz_csv_text_raises_only_import_file_error(text, encoding):
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return
    _check(data, "fuzz.csv")
