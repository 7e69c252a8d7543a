"""Tidy .xlsx and .csv action plans: header row, synonyms, deadlines, RAG, owners, warnings."""

import datetime as dt

import pytest

from importers import ImportFileError, read_plan_file
from rulebook.rag import DeliveryStatus, Rag
from tests.builders import csv_bytes, xlsx_bytes

HEADER = ["Objective", "Ref", "Action", "Owner", "Deadline", "RAG", "Progress Report", "NI / STA"]
ROWS = [
    HEADER,
    [
        "Objective 1 – Prevention",
        "1.1",
        "Challenge attitudes",
        "Kylie Thornton / Ian Peet",
        "April 2012",
        "G",
        "On track",
        "NI 32",
    ],
    [None, "1.2", "Positive police response", "GMP and MARAC", "End of March 2014", "", "", ""],
    [
        "Objective 2 – Communication",
        "2.1",
        "Newsletters",
        "Safeguarding lead",
        "Ongoing",
        "Complete",
        "Done in May",
        "",
    ],
    ["Objective 2 – Communication", "2.2", "Campaigns", "Karen Cooney", "Summer", "Purple", "", ""],
]


def _summary(result):
    return [
        (
            r.row,
            r.objective_ref,
            r.objective,
            r.ref,
            r.action,
            r.owners,
            r.deadline.isoformat() if r.deadline else None,
            r.deadline_text,
            r.ongoing,
            r.rag,
            r.status,
            r.progress,
        )
        for r in result.rows
    ]


EXPECTED = [
    (
        2,
        "1",
        "Prevention",
        "1.1",
        "Challenge attitudes",
        ["Kylie Thornton", "Ian Peet"],
        "2012-04-30",
        "April 2012",
        False,
        Rag.GREEN,
        DeliveryStatus.IN_PROGRESS,
        "On track",
    ),
    (
        3,
        "1",
        "Prevention",
        "1.2",
        "Positive police response",
        ["GMP", "MARAC"],
        "2014-03-31",
        "End of March 2014",
        False,
        None,
        None,
        None,
    ),
    (
        4,
        "2",
        "Communication",
        "2.1",
        "Newsletters",
        ["Safeguarding lead"],
        None,
        "Ongoing",
        True,
        Rag.BLUE,
        DeliveryStatus.COMPLETE,
        "Done in May",
    ),
    (
        5,
        "2",
        "Communication",
        "2.2",
        "Campaigns",
        ["Karen Cooney"],
        None,
        "Summer",
        False,
        None,
        None,
        None,
    ),
]


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_tidy_plan_reads_every_row(kind):
    data = xlsx_bytes(("Plan", ROWS)) if kind == "xlsx" else csv_bytes(ROWS)
    result = read_plan_file(data, f"plan.{kind}")
    assert _summary(result) == EXPECTED
    assert result.rows[0].indicator == "NI 32"
    assert result.rows[3].rag_text == "Purple"
    assert [str(i) for i in result.issues] == [
        f"plan.{kind}, sheet '{'Plan' if kind == 'xlsx' else 'plan.csv'}', row 5, deadline: "
        "deadline 'Summer' is not a date the tracker can read: kept as written, no deadline set",
        f"plan.{kind}, sheet '{'Plan' if kind == 'xlsx' else 'plan.csv'}', row 5, RAG: "
        "RAG 'Purple' is not a RAG rating: kept as written, not rated",
    ]
    assert result.columns["Owner"] == "lead"
    assert result.columns["NI / STA"] == "indicator"


def test_header_synonyms_and_unmapped_columns_kept_as_extra():
    rows = [
        [
            "Action ID",
            "Actions",
            "Responsible Officer",
            "By when",
            "RAG Status",
            "Latest Update",
            "Theme",
            "Budget code",
        ],
        ["A1", "Do it", "Dave Boulger", "31/03/2020", "at risk", "Slipping", "Victims", "X-12"],
    ]
    result = read_plan_file(csv_bytes(rows), "synonyms.csv")
    (row,) = result.rows
    assert (row.ref, row.action, row.lead, row.deadline, row.rag, row.progress, row.objective) == (
        "A1",
        "Do it",
        "Dave Boulger",
        dt.date(2020, 3, 31),
        Rag.AMBER,
        "Slipping",
        "Victims",
    )
    assert row.extra == {"Budget code": "X-12"}
    assert result.unmapped_columns == ["Budget code"]


def test_excel_date_cells_and_status_words():
    rows = [
        ["Action", "Deadline", "Status"],
        ["Dated", dt.datetime(2025, 6, 30), "Not started"],
        ["Stopped", dt.datetime(2025, 7, 1), "Withdrawn"],
        ["Held", None, "On hold"],
    ]
    result = read_plan_file(xlsx_bytes(("Sheet1", rows)), "dates.xlsx")
    assert [(r.deadline, r.deadline_text, r.rag, r.status) for r in result.rows] == [
        (dt.date(2025, 6, 30), "2025-06-30", None, DeliveryStatus.NOT_STARTED),
        (dt.date(2025, 7, 1), "2025-07-01", None, DeliveryStatus.CANCELLED),
        (None, "", None, DeliveryStatus.DEFERRED),
    ]
    assert result.issues == []


def test_cp1252_semicolon_csv_keeps_pound_sign():
    rows = [["Action", "Lead", "Resourcing"], ["Fund refuge", "Debbie Nash", "£25,000"]]
    result = read_plan_file(csv_bytes(rows, delimiter=";", encoding="cp1252"), "money.csv")
    assert result.rows[0].resourcing == "£25,000"
    assert result.rows[0].lead == "Debbie Nash"


def test_utf8_bom_tab_delimited_with_multiline_cell():
    text = '\ufeffAction\tOwner\tUpdate\r\nTrain staff\tCathy Rooney\t"Line one\nLine two"\r\n'
    result = read_plan_file(text.encode("utf-8"), "bom.csv")
    assert [(r.action, r.lead, r.progress) for r in result.rows] == [
        ("Train staff", "Cathy Rooney", "Line one\nLine two")
    ]


def test_placeholder_rows_with_only_a_ref_are_reported_not_actions():
    rows = [["Ref", "Action", "Owner"], ["1.4", "Real", "Providers"], ["1.5", "", ""], ["1.6"]]
    result = read_plan_file(csv_bytes(rows), "p.csv")
    assert [r.ref for r in result.rows] == ["1.4"]
    assert [(i.row, i.message) for i in result.issues] == [
        (3, "only a ref ('1.5') and nothing else: not an action, skipped"),
        (4, "only a ref ('1.6') and nothing else: not an action, skipped"),
    ]


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "empty.csv", "empty.csv: is empty"),
        (
            b"Action,Owner\r\n",
            "header-only.csv",
            "header-only.csv: has a plan header but no action",
        ),
        (b"Name,Age\r\nBob,3\r\n", "people.csv", "people.csv: holds no recognisable action plan"),
        (b"\x00\x01\x02junk" * 50, "junk.csv", "junk.csv: is binary, not a CSV text file"),
        (b"PK\x03\x04broken", "broken.xlsx", "broken.xlsx: is not a readable .xlsx workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "old.xls", "old.xls: this is an old"),
        (b"hello", "plan.pdf", "plan.pdf: has an unsupported type '.pdf'"),
    ],
)
def test_bad_files_raise_one_clear_sentence(data, filename, message):
    with pytest.raises(ImportFileError) as caught:
        read_plan_file(data, filename)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_truncated_workbook_is_refused():
    data = xlsx_bytes(("Plan", ROWS))
    with pytest.raises(ImportFileError, match=r"truncated\.xlsx: is not a readable \.xlsx"):
        read_plan_file(data[: len(data) // 2], "truncated.xlsx")


def test_spreadsheet_without_plan_columns_names_the_file():
    data = xlsx_bytes(("Budget", [["Item", "Cost"], ["Chairs", 10]]))
    with pytest.raises(ImportFileError, match=r"budget\.xlsx: holds no recognisable action plan"):
        read_plan_file(data, "budget.xlsx")
