"""Import round two (issue 15): the trackers partnerships really send, each family built in the
test (openpyxl, python-docx or bytes) and the whole output checked."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from openpyxl import Workbook
from openpyxl.styles import PatternFill

from importers import ImportFileError, read_plan_file
from rulebook.rag import DeliveryStatus, Rag
from tests.builders import csv_bytes, docx_bytes, xlsx_bytes
from tests.importers.results import issues, roles, save, summary


def build(kind: str, rows: list[list[object]]) -> bytes:
    return xlsx_bytes(("Plan", rows)) if kind == "xlsx" else csv_bytes(rows)


# 1. Column roles from content as well as headers ------------------------------------------

UNKNOWN_HEADERS = [
    ["No.", "What the partnership will deliver", "Agency", "By", "Q2", "Notes so far"],
    ["A1", "Run a campaign in every secondary school", "Police", "Mar-17", "Green",
     "Two schools visited and three more booked"],
    ["A2", "Train all frontline staff in the new pathway", "Council", "31/03/2017", "Amber",
     "Training plan agreed with the workforce team"],
    ["A3", "Commission a new refuge for the borough", "Council", "2016/17", "Red",
     "Funding bid not yet submitted to the board"],
]  # fmt: skip


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_unknown_headers_are_read_by_their_values(kind):
    result = read_plan_file(build(kind, UNKNOWN_HEADERS), f"plan.{kind}")
    assert summary(result) == [
        (None, None, "A1", "Run a campaign in every secondary school", ["Police"], "2017-03-31",
         Rag.GREEN, "Two schools visited and three more booked"),
        (None, None, "A2", "Train all frontline staff in the new pathway", ["Council"],
         "2017-03-31", Rag.AMBER, "Training plan agreed with the workforce team"),
        (None, None, "A3", "Commission a new refuge for the borough", ["Council"], "2017-03-31",
         Rag.RED, "Funding bid not yet submitted to the board"),
    ]  # fmt: skip
    assert roles(result) == [
        ("No.", "ref", "header word"),
        ("What the partnership will deliver", "action", "content: long free text"),
        ("Agency", "lead", "content: short repeated names"),
        ("By", "deadline", "content: dates and deadline texts"),
        ("Q2", "rag", "content: RAG words or fill colours"),
        ("Notes so far", "progress", "content: long free text, after the action"),
    ]
    assert result.rows[0].deadline_text == "Mar-17"
    assert issues(result) == []


def test_header_words_partnerships_use():
    rows = [
        ["Ref", "Commitment", "Responsible agency", "Target date", "RAG status Q2",
         "Progress to date"],
        ["P1.1", "Refresh the strategy", "Community Safety Partnership", "Mar-17", "On target",
         "Draft out to consultation"],
        ["P1.2", "Map services", "Public Health", "By end of 2016/17", "Slight slippage", ""],
    ]  # fmt: skip
    result = read_plan_file(xlsx_bytes(("Plan", rows)), "plan.xlsx")
    assert summary(result) == [
        (None, None, "P1.1", "Refresh the strategy", ["Community Safety Partnership"],
         "2017-03-31", Rag.GREEN, "Draft out to consultation"),
        (None, None, "P1.2", "Map services", ["Public Health"], "2017-03-31", Rag.AMBER, None),
    ]  # fmt: skip
    assert {c.role for c in result.column_roles} == {
        "ref", "action", "lead", "deadline", "rag", "progress"
    }  # fmt: skip
    assert all(c.reason == "header word" for c in result.column_roles)
    data = xlsx_bytes(("Plan", [["What we will do", "Lead organisation"], ["Campaign", "GMP"]]))
    assert summary(read_plan_file(data, "w.xlsx"))[0][3:5] == ("Campaign", ["GMP"])


def test_sharepoint_list_export():
    rows = [
        ["ID", "Title", "Priority", "Lead organisation", "Due Date", "Status", "Created",
         "Modified", "Created By", "Modified By", "Item Type", "Path", "Content Type", "Version"],
        ["7", "Review the MARAC process", "High", "Police", dt.datetime(2017, 3, 31),
         "Off target", dt.datetime(2016, 4, 1), dt.datetime(2016, 9, 1), "Ann Lee", "Bo Chan",
         "Item", "sites/csp/Lists/Plan", "Item", "3.0"],
        ["8", "Fund two IDVAs", "Normal", "Council", dt.datetime(2017, 6, 30), "Closed",
         dt.datetime(2016, 4, 1), dt.datetime(2016, 9, 2), "Ann Lee", "Ann Lee", "Item",
         "sites/csp/Lists/Plan", "Item", "1.0"],
    ]  # fmt: skip
    result = read_plan_file(xlsx_bytes(("Plan", rows)), "sharepoint.xlsx")
    assert summary(result) == [
        (None, None, None, "Review the MARAC process", ["Police"], "2017-03-31", Rag.RED, None),
        (None, None, None, "Fund two IDVAs", ["Council"], "2017-06-30", Rag.BLUE, None),
    ]
    assert result.rows[1].status == DeliveryStatus.COMPLETE
    assert result.rows[0].extra == {
        "ID": "7",
        "Priority": "High",
        "Created": "2016-04-01",
        "Modified": "2016-09-01",
        "Created By": "Ann Lee",
        "Modified By": "Bo Chan",
        "Item Type": "Item",
        "Path": "sites/csp/Lists/Plan",
        "Content Type": "Item",
        "Version": "3.0",
    }
    reasons = {c.header: (c.role, c.reason) for c in result.column_roles}
    assert reasons["ID"] == (None, "SharePoint list metadata: kept as an extra field")
    assert reasons["Priority"] == (
        None,
        "content: priority levels, not objectives: kept as an extra field",
    )
    assert reasons["Title"] == ("action", "header word")
    assert result.objectives == []


# 2. Headers over two rows -------------------------------------------------------------------


def _two_row_workbook() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Tracker"
    for row in [
        ["Ref", "Action", "Delivery", None, "Progress report Q2 2018/19", None],
        [None, None, "Lead", "Deadline", "RAG", "Update"],
        ["1.1", "Campaign", "Police", "Mar-19", "G", "Launched"],
        ["1.2", "Refuge", "Council", "Sep-19", "A", "Site found"],
    ]:
        sheet.append(row)
    for cells in ("A1:A2", "B1:B2", "C1:D1", "E1:F1"):
        sheet.merge_cells(cells)
    return save(workbook)


TWO_ROW_ROWS = [
    (None, None, "1.1", "Campaign", ["Police"], "2019-03-31", Rag.GREEN, "Launched"),
    (None, None, "1.2", "Refuge", ["Council"], "2019-09-30", Rag.AMBER, "Site found"),
]


def test_a_header_over_two_rows_with_merged_cells():
    result = read_plan_file(_two_row_workbook(), "two.xlsx")
    assert summary(result) == TWO_ROW_ROWS
    assert issues(result) == []
    assert [(c.header, c.role) for c in result.column_roles] == [
        ("Ref", "ref"),
        ("Action", "action"),
        ("Delivery / Lead", "lead"),
        ("Delivery / Deadline", "deadline"),
        ("Progress report Q2 2018/19 / RAG", "rag"),
        ("Progress report Q2 2018/19 / Update", "progress"),
    ]
    assert [r.row for r in result.rows] == [3, 4]


def test_a_header_over_two_rows_in_csv_and_a_web_page():
    rows = [
        ["Ref", "Action", "Delivery", "", "Progress report Q2 2018/19", ""],
        ["", "", "Lead", "Deadline", "RAG", "Update"],
        ["1.1", "Campaign", "Police", "Mar-19", "G", "Launched"],
        ["1.2", "Refuge", "Council", "Sep-19", "A", "Site found"],
    ]
    assert summary(read_plan_file(csv_bytes(rows), "two.csv")) == TWO_ROW_ROWS
    page = b"""<!DOCTYPE html><html><body><table>
    <tr><th rowspan="2">Ref</th><th rowspan="2">Action</th><th colspan="2">Delivery</th>
        <th colspan="2">Progress report Q2 2018/19</th></tr>
    <tr><th>Lead</th><th>Deadline</th><th>RAG</th><th>Update</th></tr>
    <tr><td>1.1</td><td>Campaign</td><td>Police</td><td>Mar-19</td><td>G</td><td>Launched</td></tr>
    <tr><td>1.2</td><td>Refuge</td><td>Council</td><td>Sep-19</td><td bgcolor="#FFC000"></td>
        <td>Site <br>found</td></tr>
    </table></body></html>"""
    result = read_plan_file(page, "export.xls")
    assert summary(result)[0] == TWO_ROW_ROWS[0]
    assert summary(result)[1][:7] == TWO_ROW_ROWS[1][:7]  # the RAG from the cell's colour
    assert result.rows[1].progress == "Site\nfound"
    assert result.sheets_read == ["table 1"]


# 5. Objectives and where the table ends -----------------------------------------------------

NUMBERED = [
    ["Ref", "Action", "Lead", "Deadline"],
    ["1", "Prevention – stopping abuse before it starts"],
    ["1.1", "Schools programme", "Education", "Mar-17"],
    ["1.2", "Campaign", "Comms", "Jun-17"],
    ["1.2a", "Campaign for young men", "Comms", "Sep-17"],
    ["2", "Protection"],
    ["2.1", "Fund IDVAs", "Council", "2017/18"],
]
NUMBERED_ROWS = [
    ("1", "Prevention – stopping abuse before it starts", "1.1", "Schools programme",
     ["Education"], "2017-03-31", None, None),
    ("1", "Prevention – stopping abuse before it starts", "1.2", "Campaign", ["Comms"],
     "2017-06-30", None, None),
    ("1", "Prevention – stopping abuse before it starts", "1.2a", "Campaign for young men",
     ["Comms"], "2017-09-30", None, None),
    ("2", "Protection", "2.1", "Fund IDVAs", ["Council"], "2018-03-31", None, None),
]  # fmt: skip


@pytest.mark.parametrize("kind", ["xlsx", "csv", "docx"])
def test_numbered_objective_rows(kind):
    data = docx_bytes(NUMBERED) if kind == "docx" else build(kind, NUMBERED)
    result = read_plan_file(data, f"plan.{kind}")
    assert summary(result) == NUMBERED_ROWS
    assert issues(result) == []


def test_word_objective_headings_with_any_prefix():
    header = ["Ref", "Action", "Owner", "Deadline"]
    data = docx_bytes(
        ("heading", "Partnership Objective 2: Safer streets"),
        [header, ["2.1", "Street patrols", "Police", "Mar-17"]],
        ("heading", "Priority Area 3 – Reducing reoffending"),
        [header, ["3.1", "Mentoring", "Probation", "Jun-17"]],
        ("heading", "Outcome 4. People feel safe"),
        [header, ["4.1", "Survey", "Council", "Sep-17"]],
        ("heading", "Theme: Communication"),
        [header, ["5.1", "Newsletter", "Comms", "Dec-17"]],
    )
    result = read_plan_file(data, "plan.docx")
    assert [(r.objective_ref, r.objective, r.ref) for r in result.rows] == [
        ("2", "Safer streets", "2.1"),
        ("3", "Reducing reoffending", "3.1"),
        ("4", "People feel safe", "4.1"),
        (None, "Communication", "5.1"),
    ]


def test_a_first_column_merged_down_over_its_actions_xlsx_and_docx():
    workbook = Workbook()
    sheet = workbook.active
    for row in [
        [None, "Ref", "Action", "Owner", "Deadline"],
        ["Prevention", "1.1", "Campaign", "Police", "Mar-17"],
        [None, "1.2", "Schools", "Council", "Mar-17"],
        ["Protection", "2.1", "Refuge", "Council", "Jun-17"],
        [None, "2.2", "IDVAs", "Council", "Jun-17"],
    ]:
        sheet.append(row)
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("A4:A5")
    expected = [
        ("Prevention", "Campaign"),
        ("Prevention", "Schools"),
        ("Protection", "Refuge"),
        ("Protection", "IDVAs"),
    ]
    result = read_plan_file(save(workbook), "merged.xlsx")
    assert [(r.objective, r.action) for r in result.rows] == expected
    assert roles(result)[0] == ("", "objective", "content: merged down over its actions")

    document = Document()
    table = document.add_table(rows=5, cols=4)
    cells = [
        ["", "Action", "Lead", "Deadline"],
        ["Prevention", "Campaign", "Police", "Mar-17"],
        ["", "Schools", "Council", "Mar-17"],
        ["Protection", "Refuge", "Council", "Jun-17"],
        ["", "IDVAs", "Council", "Jun-17"],
    ]
    for r, row in enumerate(cells):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(1, 0).merge(table.cell(2, 0))
    table.cell(3, 0).merge(table.cell(4, 0))
    buffer = io.BytesIO()
    document.save(buffer)
    result = read_plan_file(buffer.getvalue(), "merged.docx")
    assert [(r.objective, r.action) for r in result.rows] == expected


ENDS = [
    ["Ref", "Action", "Lead", "Deadline", "RAG"],
    ["1.1", "Campaign", "Police", "Mar-17", "Green"],
    ["1.2", "Refuge", "Council", "Jun-17", "Amber"],
    [],
    ["", "Status key: Green = on target, Amber = slight slippage, Red = significant slippage"],
    ["", "Red 0 / Amber 1 / Green 1 / Total 2"],
    ["", "Notes: reviewed at each board"],
    ["", "Signed off by the Board, 1 April 2017"],
    [],
    ["Abbreviation", "Meaning"],
    ["IDVA", "Independent Domestic Violence Advisor"],
    ["MARAC", "Multi-Agency Risk Assessment Conference"],
]


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_keys_totals_notes_and_a_later_table_are_skipped_and_reported(kind):
    result = read_plan_file(build(kind, ENDS), f"plan.{kind}")
    assert summary(result) == [
        (None, None, "1.1", "Campaign", ["Police"], "2017-03-31", Rag.GREEN, None),
        (None, None, "1.2", "Refuge", ["Council"], "2017-06-30", Rag.AMBER, None),
    ]
    later = "a table that is not an action table ('Abbreviation | Meaning')"
    assert issues(result) == [
        (5, "a RAG key (its words are read as this file defines them): not an action, skipped",
         True),
        (6, "a totals row: not an action, skipped", True),
        (7, "a note or sign-off line: not an action, skipped", True),
        (8, "a note or sign-off line: not an action, skipped", True),
        (10, f"the start of {later}: not an action, skipped", True),
        (11, f"in {later}: not an action, skipped", True),
        (12, f"in {later}: not an action, skipped", True),
    ]  # fmt: skip


def test_word_tables_that_are_not_action_tables_after_the_plan():
    data = docx_bytes(
        [["Ref", "Action", "Lead"], ["1.1", "Campaign", "Police"]],
        [["IDVA", "Independent Domestic Violence Advisor"], ["MARAC", "Risk conference"]],
        [["Name", "Role", "Email"], ["Ann Lee", "Chair", "ann@example.org"]],
    )
    result = read_plan_file(data, "plan.docx")
    assert [(r.ref, r.action) for r in result.rows] == [("1.1", "Campaign")]
    assert [(s.sheet, s.reason) for s in result.sheets_skipped] == [
        ("table 2", "no header row naming an action column"),
        ("table 3", "no header row naming an action column"),
    ]


# 6. Status words and a file's own key -------------------------------------------------------


def test_status_words_a_files_own_key_and_combined_ratings():
    rows = [
        ["Key: Green = good progress, Amber = some concerns, Red = serious concerns"],
        ["Ref", "Action", "Lead", "Status"],
        ["1", "On target", "Ann", "On target"],
        ["2", "On track", "Ann", "On track"],
        ["3", "Slight slippage", "Ann", "Slight slippage"],
        ["4", "Significant slippage", "Ann", "Significant slippage"],
        ["5", "Off target", "Ann", "Off target"],
        ["6", "Achieved", "Ann", "Achieved"],
        ["7", "Completed", "Ann", "Completed"],
        ["8", "Not yet due", "Ann", "Not yet due"],
        ["9", "Closed", "Ann", "Closed"],
        ["10", "Own key", "Ann", "Some concerns"],
        ["11", "Own key", "Ann", "Serious concerns"],
        ["12", "Combined", "Ann", "R/A"],
        ["13", "Combined", "Ann", "A/G"],
    ]
    result = read_plan_file(xlsx_bytes(("Plan", rows)), "status.xlsx")
    assert [(r.ref, r.rag, r.status, r.rag_text) for r in result.rows] == [
        ("1", Rag.GREEN, DeliveryStatus.IN_PROGRESS, None),
        ("2", Rag.GREEN, DeliveryStatus.IN_PROGRESS, None),
        ("3", Rag.AMBER, DeliveryStatus.IN_PROGRESS, None),
        ("4", Rag.RED, DeliveryStatus.IN_PROGRESS, None),
        ("5", Rag.RED, DeliveryStatus.IN_PROGRESS, None),
        ("6", Rag.BLUE, DeliveryStatus.COMPLETE, None),
        ("7", Rag.BLUE, DeliveryStatus.COMPLETE, None),
        ("8", None, DeliveryStatus.NOT_STARTED, None),
        ("9", Rag.BLUE, DeliveryStatus.COMPLETE, None),
        ("10", Rag.AMBER, DeliveryStatus.IN_PROGRESS, None),
        ("11", Rag.RED, DeliveryStatus.IN_PROGRESS, None),
        ("12", None, None, "R/A"),
        ("13", None, None, "A/G"),
    ]
    combined = "gives two ratings at once: kept as written, not rated (the tracker never picks one)"
    assert issues(result) == [
        (
            1,
            "a RAG key (its words are read as this file defines them): not an action, skipped",
            True,
        ),
        (14, f"RAG 'R/A' {combined}", False),
        (15, f"RAG 'A/G' {combined}", False),
    ]
    # Without the key, its words are no rating: never guessed.
    plain = read_plan_file(xlsx_bytes(("Plan", rows[1:])), "plain.xlsx")
    assert plain.rows[9].rag is None and plain.rows[9].rag_text == "Some concerns"


def test_a_key_on_its_own_sheet_and_in_a_word_paragraph():
    data = xlsx_bytes(
        ("Plan", [["Action", "Lead", "RAG"], ["Campaign", "Ann", "Concerns"]]),
        ("Key", [["Colour", "Meaning"], ["Green", "On track"], ["Amber", "Concerns"]]),
    )
    assert read_plan_file(data, "key.xlsx").rows[0].rag == Rag.AMBER
    data = docx_bytes(
        [["Action", "Lead", "RAG"], ["Campaign", "Ann", "Concerns"]],
        "Key: Green = on track, Amber = concerns",
    )
    assert read_plan_file(data, "key.docx").rows[0].rag == Rag.AMBER


# 7. Dates, encodings, line endings ----------------------------------------------------------


def test_month_year_dates_as_cells_and_text():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Action", "Lead", "Deadline"])
    sheet.append(["Cell mmm-yy", "Ann", dt.datetime(2017, 3, 1)])
    sheet.append(["Cell mmmm yyyy", "Ann", dt.datetime(2016, 2, 1)])
    sheet.append(["Cell with a day", "Ann", dt.datetime(2017, 3, 1)])
    sheet.append(["Text", "Ann", "Mar-16"])
    sheet.append(["Text with a space", "Ann", "Mar 16"])
    sheet.append(["Financial year", "Ann", "By end of 2016/17"])
    sheet["C2"].number_format = "mmm-yy"
    sheet["C3"].number_format = "[$-809]mmmm yyyy;@"
    sheet["C4"].number_format = "dd/mm/yyyy"
    result = read_plan_file(save(workbook), "dates.xlsx")
    assert [(r.deadline.isoformat(), r.deadline_text) for r in result.rows] == [
        ("2017-03-31", "Mar-17"),
        ("2016-02-29", "February 2016"),
        ("2017-03-01", "2017-03-01"),
        ("2016-03-31", "Mar-16"),
        ("2016-03-31", "Mar 16"),
        ("2017-03-31", "By end of 2016/17"),
    ]
    assert result.issues == []


EXPECTED_TEXT_ROWS = [
    (None, None, "1.1", "Train £ staff", ["Police"], "2017-03-31", Rag.GREEN, None),
    (None, None, "1.2", "Two\nlines", ["Council"], "2017-03-31", Rag.RED, None),
]


def test_csv_with_cr_only_line_endings_and_a_quoted_cell_over_two_lines():
    text = 'Ref,Action,Owner,Deadline,RAG\r1.1,Train £ staff,Police,Mar-17,Green\r1.2,"Two\rlines",Council,31/03/2017,Off target\r'  # noqa: E501
    result = read_plan_file(text.encode("cp1252"), "mac.csv")
    assert summary(result) == EXPECTED_TEXT_ROWS
    assert [r.row for r in result.rows] == [2, 3]


@pytest.mark.parametrize("name", ["plan.txt", "plan.xls"])
def test_utf16_unicode_text_tab_separated(name):
    text = "Ref\tAction\tOwner\tDeadline\tRAG\r\n1.1\tTrain £ staff\tPolice\tMar-17\tGreen\r\n"
    text += '1.2\t"Two\r\nlines"\tCouncil\t31/03/2017\tOff target\r\n'
    assert summary(read_plan_file(text.encode("utf-16"), name)) == EXPECTED_TEXT_ROWS


def test_a_web_page_with_no_table_is_refused_as_a_web_page():
    page = b"<!DOCTYPE html><html><body><p>Session expired</p></body></html>"
    with pytest.raises(ImportFileError) as raised:
        read_plan_file(page, "export.xls")
    assert "is a web page (HTML) with no table in it" in str(raised.value)
    assert "Excel Workbook (.xlsx)" in str(raised.value)


def test_a_web_page_is_read_within_the_limits():
    row = "<tr><td>x</td></tr>"
    page = ("<html><body><table>" + row * 1_100_000 + "</table></body></html>").encode()
    with pytest.raises(ImportFileError, match="rows"):
        read_plan_file(page, "big.xls")
    wide = '<html><table><tr><td colspan="99999999">Action</td><td>Owner</td></tr></table></html>'
    with pytest.raises(ImportFileError):
        read_plan_file(wide.encode(), "wide.xls")


def test_fill_colour_rag_under_an_unknown_header():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Action", "Owner", "Q3 position"])
    for text, colour in [("Campaign", "00B050"), ("Refuge", "FF0000"), ("Schools", "FFC000")]:
        sheet.append([text, "Ann", None])
        sheet.cell(sheet.max_row, 3).fill = PatternFill("solid", fgColor=colour)
    result = read_plan_file(save(workbook), "fills.xlsx")
    assert [r.rag for r in result.rows] == [Rag.GREEN, Rag.RED, Rag.AMBER]
    assert roles(result)[2] == ("Q3 position", "rag", "content: RAG words or fill colours")


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_totals_block_spread_over_cells_is_skipped_and_reported(kind):
    """Totals as label and count pairs across the columns, or labelled counts under a
    'Total' label, are no actions."""
    rows = [
        ["Ref", "Action", "Lead", "Deadline", "RAG"],
        ["1.1", "Campaign", "Police", "Mar-17", "Green"],
        ["1.2", "Refuge", "Council", "Jun-17", "Amber"],
        ["", "Total", "", "Red 0", "Amber 1"],
        ["Red", "0", "Amber", "1", "Green", "1", "Total", "2"],
    ]
    result = read_plan_file(build(kind, rows), f"plan.{kind}")
    assert summary(result) == [
        (None, None, "1.1", "Campaign", ["Police"], "2017-03-31", Rag.GREEN, None),
        (None, None, "1.2", "Refuge", ["Council"], "2017-06-30", Rag.AMBER, None),
    ]
    assert issues(result) == [
        (4, "a totals row: not an action, skipped", True),
        (5, "a totals row: not an action, skipped", True),
    ]


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_key_whose_first_row_is_titled_in_its_own_cell_is_skipped_and_read(kind):
    """'Key | Green | On target' above '| Amber | Slight slippage': both rows are the key."""
    rows = [
        ["Ref", "Action", "Lead", "Deadline", "RAG"],
        ["1.1", "Campaign", "Police", "Mar-17", "On target"],
        [],
        ["Key", "Green", "On target"],
        ["", "Amber", "Slight slippage"],
    ]
    result = read_plan_file(build(kind, rows), f"plan.{kind}")
    assert summary(result) == [
        (None, None, "1.1", "Campaign", ["Police"], "2017-03-31", Rag.GREEN, None),
    ]
    key = "a RAG key (its words are read as this file defines them): not an action, skipped"
    assert issues(result) == [(4, key, True), (5, key, True)]


@pytest.mark.parametrize("kind", ["xlsx", "csv", "docx"])
def test_a_numbered_objective_row_that_says_its_number_again_gives_it_once(kind):
    rows = [
        ["Ref", "Action", "Owner", "Deadline"],
        ["1", "Priority 1: Prevention and early intervention"],
        ["1.1", "Healthy relationships sessions", "Schools", "Mar-26"],
        ["2", "Theme 3 – Pursuing perpetrators"],  # another number: kept whole
        ["2.1", "Perpetrator programme", "Probation", "Sep-26"],
    ]
    data = docx_bytes(rows) if kind == "docx" else build(kind, rows)
    result = read_plan_file(data, f"plan.{kind}")
    assert summary(result) == [
        ("1", "Prevention and early intervention", "1.1", "Healthy relationships sessions",
         ["Schools"], "2026-03-31", None, None),
        ("2", "Theme 3 – Pursuing perpetrators", "2.1", "Perpetrator programme", ["Probation"],
         "2026-09-30", None, None),
    ]  # fmt: skip
    assert issues(result) == []
