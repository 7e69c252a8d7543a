"""Messy layouts, each built in the test as .xlsx, .csv and .docx, with the whole output checked."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.styles.colors import Color

from importers import ImportFileError, read_plan_file
from rulebook.rag import DeliveryStatus, Rag
from tests.builders import csv_bytes, docx_bytes, xlsx_bytes
from tests.importers.results import save, summary


def issues(result):
    return [(i.sheet, i.row, i.message) for i in result.issues]


def build(kind: str, rows: list[list[object]]) -> bytes:
    if kind == "xlsx":
        return xlsx_bytes(("Plan", rows))
    if kind == "csv":
        return csv_bytes(rows)
    # Word: a non-empty single-cell row becomes a paragraph; the rest is one table.
    blocks: list[object] = []
    table: list[list[object]] = []
    for row in rows:
        if any(v not in (None, "") for v in row[1:]) or (table and row and not row[0]):
            table.append(["" if v is None else v for v in row] + [""] * (6 - len(row)))
        elif row and row[0]:
            if table:
                table.append([row[0]] + [""] * 5)
            else:
                blocks.append(str(row[0]))
    blocks.append(table)
    return docx_bytes(*blocks)


HEADER = ["Ref", "Action", "Lead Officer", "Timescale", "RAG", "Progress Update"]

# Title and notes above, spacer rows, header on row 4, section rows of three kinds, the header
# repeated under a section, a continuation row, a placeholder, notes below the table.
SECTIONED = [
    ["Safer Trafford Partnership: VAWG Action Plan 2025-28"],
    ["Owner: Community Safety Team. Updated quarterly."],
    [],
    HEADER,
    ["Objective 1 – Prevention"],
    ["1.1", "Run campaigns", "Karen Cooney", "31/03/2026", "G", "Two done"],
    ["1.2", "Train staff", "Cathy Rooney / Ian Peet", "Q3 2025/26", "Amber", "Booked"],
    [None, None, None, None, None, "and more booked for March"],
    ["1.3"],
    [],
    ["Strategic Objective: Victims"],
    HEADER,
    ["2.1", "Fund refuge", "Debbie Nash", "2026/27", "Red", ""],
    ["Priority 3: Perpetrators"],
    ["3.1", "Review programme", "Probation", "End of March 2026", "Complete", "Done"],
    [],
    ["Notes: RAG is reviewed at each board meeting."],
]
SECTIONED_ROWS = [
    ("1", "Prevention", "1.1", "Run campaigns", ["Karen Cooney"], "2026-03-31", Rag.GREEN,
     "Two done"),
    ("1", "Prevention", "1.2", "Train staff", ["Cathy Rooney", "Ian Peet"], "2025-12-31",
     Rag.AMBER, "Booked and more booked for March"),
    (None, "Victims", "2.1", "Fund refuge", ["Debbie Nash"], "2027-03-31", Rag.RED, None),
    ("3", "Perpetrators", "3.1", "Review programme", ["Probation"], "2026-03-31", Rag.BLUE,
     "Done"),
]  # fmt: skip


@pytest.mark.parametrize("kind", ["xlsx", "csv", "docx"])
def test_titles_spacers_sections_repeated_headers_continuations_and_placeholders(kind):
    result = read_plan_file(build(kind, SECTIONED), f"plan.{kind}")
    assert summary(result) == SECTIONED_ROWS
    sheet = {"xlsx": "Plan", "csv": "plan.csv", "docx": "table 1"}[kind]
    rows = {"xlsx": (8, 7, 9, 17), "csv": (8, 7, 9, 17), "docx": (5, 4, 6, 12)}[kind]
    note = "a line with no actions under it: not an action, skipped"
    if kind == "csv":
        note = "a line of text outside the table: skipped"
    assert issues(result) == [
        (sheet, rows[0], f"no action text: read as the continuation of row {rows[1]} and joined"),
        (sheet, rows[2], "only a ref ('1.3') and nothing else: not an action, skipped"),
        (sheet, rows[3], note),
    ]
    assert [r.row for r in result.rows][1:2] == [rows[1]]
    assert result.rows[1].deadline_text == "Q3 2025/26"
    assert result.rows[3].status == DeliveryStatus.COMPLETE


def test_objectives_as_a_column_in_word():
    data = docx_bytes(
        [
            ["Theme", "Action", "Owner", "Deadline"],
            ["Prevention", "Campaign", "Karen Cooney", "Nov 2025"],
            ["", "Schools", "Cathy Rooney", "2025-12-31"],
            ["Protection", "Refuge", "Debbie Nash", "Ongoing"],
        ]
    )
    result = read_plan_file(data, "themes.docx")
    assert summary(result) == [
        (None, "Prevention", None, "Campaign", ["Karen Cooney"], "2025-11-30", None, None),
        (None, "Prevention", None, "Schools", ["Cathy Rooney"], "2025-12-31", None, None),
        (None, "Protection", None, "Refuge", ["Debbie Nash"], None, None, None),
    ]
    assert result.rows[2].ongoing


def test_word_objective_from_nearest_heading_and_tables_split_across_pages():
    header = ["Action", "Lead", "Completion Date", "Update", "RAG"]
    data = docx_bytes(
        ("heading", "Domestic Abuse Action Plan"),
        "Aim: keep people safe.",
        ("heading", "Strategic Objective: Victims"),
        "To support victims of domestic abuse.",
        [header, ["Fund IDVAs", "Kylie Thornton", "March 2014", "Funded for", ("", "00B050")]],
        [header, ["", "", "", "one more year", ""], ["Target hardening", "Ian Peet", "", "", "R"]],
        ("runs", [("Objective 2: Perpetrators", True), ("Hold them to account", True)]),
        [header, ["Review IDAP", "Probation", "Feb 2014", "", ("", "FF0000")]],
        "Page 3 of 3",
    )
    result = read_plan_file(data, "da.docx")
    assert [
        (r.objective_ref, r.objective, r.objective_description, r.action, r.rag, r.progress)
        for r in result.rows
    ] == [
        (None, "Victims", "To support victims of domestic abuse.", "Fund IDVAs", Rag.GREEN,
         "Funded for one more year"),
        (None, "Victims", "To support victims of domestic abuse.", "Target hardening", Rag.RED,
         None),
        ("2", "Perpetrators", "Hold them to account", "Review IDAP", Rag.RED, None),
    ]  # fmt: skip
    assert issues(result) == [
        ("table 2", 2, "no action text: read as the continuation of table 1 row 2 and joined")
    ]
    assert result.sheets_read == ["table 1"]


def test_word_merged_and_bold_section_rows_and_an_unrelated_table():
    data = docx_bytes(
        [["Term", "Meaning"], ["IDVA", "Independent Domestic Violence Advisor"]],
        [
            ["Ref", "Action", "Owner", "Deadline"],
            "Prevention",
            ["1", "Campaign", "Karen Cooney", "Nov 2025"],
            ("runs", [("Protection", True)]),
            ["2", "Refuge", "Debbie Nash", "Dec 2025"],
        ],
    )
    result = read_plan_file(data, "plan.docx")
    assert [(r.objective, r.ref, r.action, r.sheet, r.row) for r in result.rows] == [
        ("Prevention", "1", "Campaign", "table 2", 3),
        ("Protection", "2", "Refuge", "table 2", 5),
    ]
    assert [(s.sheet, s.reason) for s in result.sheets_skipped] == [
        ("table 1", "no header row naming an action column")
    ]


def _section_workbook() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Plan"
    rows = [
        ["VAWG plan", None, None, None],
        ["Ref", "Action", "Owner", "Deadline"],
        ["Prevention", None, None, None],  # merged across the table
        ["1", "Campaign", "Karen Cooney", dt.datetime(2025, 11, 30)],
        ["Protection", None, None, None],  # bold, on its own
        ["2", "Refuge", "Debbie Nash", 46022],  # an Excel serial number: 31/12/2025
        ["3", "Advocacy", None, "31.03.26"],  # owner merged down from row 6
        ["4", "Helpline", "GMP", "2025-12-31"],
    ]
    for row in rows:
        sheet.append(row)
    sheet.merge_cells("A3:D3")
    sheet["A5"].font = Font(bold=True)
    sheet.merge_cells("C6:C7")
    return save(workbook)


def test_xlsx_merged_and_bold_section_rows_merged_cells_and_date_forms():
    result = read_plan_file(_section_workbook(), "sections.xlsx")
    assert summary(result) == [
        (None, "Prevention", "1", "Campaign", ["Karen Cooney"], "2025-11-30", None, None),
        (None, "Protection", "2", "Refuge", ["Debbie Nash"], "2025-12-31", None, None),
        (None, "Protection", "3", "Advocacy", ["Debbie Nash"], "2026-03-31", None, None),
        (None, "Protection", "4", "Helpline", ["GMP"], "2025-12-31", None, None),
    ]
    assert result.issues == []


def test_one_sheet_per_objective_and_sheets_that_are_not_action_tables():
    header = ["Action", "Lead", "Deadline"]
    data = xlsx_bytes(
        ("Instructions", [["How to fill this in"], ["Type one action a row; RAG as R, A or G."]]),
        ("Summary", [["Objective", "Actions", "Done"], ["Prevention", 2, 1], ["Protection", 1, 0]]),
        ("Prevention", [header, ["Campaign", "Karen Cooney", "Nov 2025"], ["Schools", "Ian", ""]]),
        ("Protection", [["Protection workstream"], header, ["Refuge", "Debbie Nash", "Dec 2025"]]),
        ("Lookups", [["RAG"], ["Red"], ["Amber"], ["Green"]]),
    )  # fmt: skip
    result = read_plan_file(data, "by-sheet.xlsx")
    assert [(r.objective, r.action, r.lead, r.sheet, r.row) for r in result.rows] == [
        ("Prevention", "Campaign", "Karen Cooney", "Prevention", 2),
        ("Prevention", "Schools", "Ian", "Prevention", 3),
        ("Protection", "Refuge", "Debbie Nash", "Protection", 3),
    ]
    assert result.sheets_read == ["Prevention", "Protection"]
    assert [(s.sheet, s.reason) for s in result.sheets_skipped] == [
        ("Instructions", "no header row naming an action column"),
        ("Summary", "its action column holds only numbers: a summary, not a list of actions"),
        ("Lookups", "no header row naming an action column"),
    ]


def _with_cached_value(data: bytes, cell: str, value: str) -> bytes:
    """Give an openpyxl-written formula the value Excel would have saved with it."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(
                    rb'<c r="' + cell.encode() + rb'"><f>(.*?)</f><v></v></c>',
                    lambda m: b'<c r="' + cell.encode() + b'" t="str"><f>' + m.group(1)
                    + b"</f><v>" + value.encode() + b"</v></c>",
                    content,
                )  # fmt: skip
            target.writestr(item, content)
    return out.getvalue()


def test_hidden_rows_and_columns_are_read_and_reported_and_formulas_give_their_values():
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Plan"
    for row in [
        ["Action", "Owner", "Deadline", "Cost code"],
        ["Visible", "Ann", "Nov 2025", "X1"],
        ["Hidden", "Bob", '=TEXT(DATE(2025,12,31),"dd/mm/yyyy")', "X2"],
        ["Not calculated", '=UPPER("cy")', "Dec 2025", "X3"],
    ]:
        sheet.append(row)
    sheet.row_dimensions[3].hidden = True
    sheet.column_dimensions["D"].hidden = True
    data = _with_cached_value(save(workbook), "C3", "31/12/2025")
    result = read_plan_file(data, "hidden.xlsx")
    assert [(r.action, r.lead, r.deadline, r.extra) for r in result.rows] == [
        ("Visible", "Ann", dt.date(2025, 11, 30), {"Cost code": "X1"}),
        ("Hidden", "Bob", dt.date(2025, 12, 31), {"Cost code": "X2"}),
        ("Not calculated", None, dt.date(2025, 12, 31), {"Cost code": "X3"}),
    ]
    assert issues(result) == [
        (
            "Plan",
            4,
            "cell B4 holds a formula with no saved value, so it reads as empty; open the file "
            "in Excel, save it and import it again",
        ),
        ("Plan", 1, "column 'Cost code' is hidden in the workbook: read anyway"),
        ("Plan", 3, "the row is hidden in the workbook: read anyway"),
    ]


def _fill(colour: str | Color) -> PatternFill:
    return PatternFill(fill_type="solid", fgColor=colour)


def test_rag_from_fill_colour_rgb_theme_and_indexed_and_text_wins():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Action", "RAG"])
    fills = [
        ("red", "FFFF0000", None),
        ("dark red", "FFC00000", None),
        ("amber", "FFFFC000", None),
        ("orange", "FFFF9900", None),
        ("yellow", "FFFFFF00", None),
        ("green", "FF00B050", None),
        ("light green", "FFC6EFCE", None),
        ("blue", "FF0070C0", None),
        # openpyxl saves the Office 2007 theme: accent 2 red, 3 green, 6 orange.
        ("theme green (accent 3)", Color(theme=6), None),
        ("theme red (accent 2, lighter)", Color(theme=5, tint=0.4), None),
        ("theme orange (accent 6)", Color(theme=9), None),
        ("indexed red", Color(indexed=10), None),
        ("indexed green", Color(indexed=17), None),
        ("grey is no RAG", "FFBFBFBF", None),
        ("text wins", "FFFF0000", "Green"),
        ("no fill", None, None),
    ]
    for row, (action, colour, text) in enumerate(fills, start=2):
        sheet.cell(row, 1, action)
        sheet.cell(row, 2, text)
        if colour is not None:
            sheet.cell(row, 2).fill = _fill(colour)
    result = read_plan_file(save(workbook), "fills.xlsx")
    assert [(r.action, r.rag) for r in result.rows] == [
        ("red", Rag.RED),
        ("dark red", Rag.RED),
        ("amber", Rag.AMBER),
        ("orange", Rag.AMBER),
        ("yellow", Rag.AMBER),
        ("green", Rag.GREEN),
        ("light green", Rag.GREEN),
        ("blue", Rag.BLUE),
        ("theme green (accent 3)", Rag.GREEN),
        ("theme red (accent 2, lighter)", Rag.RED),
        ("theme orange (accent 6)", Rag.AMBER),
        ("indexed red", Rag.RED),
        ("indexed green", Rag.GREEN),
        ("grey is no RAG", None),
        ("text wins", Rag.GREEN),
        ("no fill", None),
    ]
    assert result.rows[7].status == DeliveryStatus.COMPLETE
    assert issues(result) == [
        ("Sheet", 16, "RAG text says Green but the cell is coloured Red: used the text")
    ]


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (
            "\ufeffAction;Owner;Deadline;Resourcing\r\n"
            'Fund refuge;Debbie Nash;31/03/2026;"£25,000\r\nfrom reserves"\r\n',
            "semicolon-bom.csv",
        ),
        ("Action\tOwner\tDeadline\tResourcing\nFund refuge\tDebbie Nash\t31/03/2026\t£25,000\n",
         "tabs.tsv"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_csv_encodings_and_delimiters(data, name, encoding):
    if encoding == "cp1252":
        data = data.lstrip("\ufeff")
    result = read_plan_file(data.encode(encoding), name)
    (row,) = result.rows
    assert (row.action, row.lead, row.deadline) == (
        "Fund refuge",
        "Debbie Nash",
        dt.date(2026, 3, 31),
    )
    assert row.resourcing.startswith("£25,000")


def test_csv_deadlines_as_serial_numbers_and_text_forms():
    rows = [
        ["Action", "Deadline"],
        ["Serial", "46022"],
        ["Month", "Nov 2013"],
        ["Range", "March –June 2014"],
        ["Quarter", "Q4 2019/20"],
        ["Ongoing", "April 2012 and on going"],
    ]
    result = read_plan_file(csv_bytes(rows), "dates.csv")
    assert [(r.action, r.deadline, r.ongoing) for r in result.rows] == [
        ("Serial", dt.date(2025, 12, 31), False),
        ("Month", dt.date(2013, 11, 30), False),
        ("Range", dt.date(2014, 6, 30), False),
        ("Quarter", dt.date(2020, 3, 31), False),
        ("Ongoing", dt.date(2012, 4, 30), True),
    ]


def test_mapping_override_changes_a_guessed_column_and_reads_an_unknown_header():
    rows = [
        ["Description", "Person", "Status", "Notes"],
        ["Campaign", "Karen Cooney", "Red", "Slipping"],
    ]
    with pytest.raises(ImportFileError, match="holds no recognisable action plan"):
        read_plan_file(csv_bytes(rows), "o.csv")
    guessed = read_plan_file(csv_bytes(rows), "o.csv", {"Description": "action"})
    (row,) = guessed.rows
    assert (row.action, row.lead, row.rag, row.progress, row.extra) == (
        "Campaign",
        None,
        Rag.RED,
        None,
        {"Person": "Karen Cooney", "Notes": "Slipping"},
    )
    result = read_plan_file(
        csv_bytes(rows),
        "o.csv",
        mapping_override={
            "description": "action",
            "Person": "lead",
            "Notes": "progress",
            "STATUS": "",
        },
    )
    (row,) = result.rows
    assert (row.action, row.lead, row.rag, row.progress, row.extra) == (
        "Campaign",
        "Karen Cooney",
        None,
        "Slipping",
        {"Status": "Red"},
    )
    assert result.columns == {
        "Description": "action",
        "Person": "lead",
        "Notes": "progress",
    }
    assert result.unmapped_columns == ["Status"]
    with pytest.raises(ImportFileError, match="'colour' is not a plan field"):
        read_plan_file(csv_bytes(rows), "o.csv", mapping_override={"Notes": "colour"})


def test_progress_is_reported_while_reading():
    calls = []
    rows = [["Action", "Owner"], *[[f"Action {i}", "Ann"] for i in range(5000)]]
    result = read_plan_file(
        xlsx_bytes(("Plan", rows)), "big.xlsx", progress=lambda f, m: calls.append((f, m))
    )
    assert len(result.rows) == 5000
    fractions = [f for f, _ in calls]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0
    assert calls[-1][1] == "Read 5000 actions from big.xlsx"
    assert any("Reading sheet 'Plan'" in m for _, m in calls)


def test_a_text_copy_of_a_word_table_as_in_the_seeds():
    text = (
        "### Trafford Domestic Abuse Steering Group Main\n\n"
        "#### Strategic Objective: Victims\n\n"
        "To provide and maintain support to victims.\n\n"
        "Action\tMilestone\tLead\tCompletion Date\tTarget\tUpdate\tRAG\n"
        "Inputs on FGM.\tTraining provided and\tR Speight\tNovember 2014\tEffective\t\t\n\n"
        "Action\tMilestone\tLead\tCompletion Date\tTarget\tUpdate\tRAG\n"
        "\tsafeguarding reviewed\t\t\t\t\t\n"
        "<p><b>Strategic Objective: Children and Young People</b>  <b>To recognise the needs "
        "of children.</b></p>\t\t\t\t\t\t\n"
        "<b>Action</b>\t<b>Milestone</b>\t<b>Lead</b>\t<b>Completion Date</b>\t<b>Target</b>"
        "\t<b>Update</b>\t<b>Rag</b>\n"
        "Work with schools\tFeedback to PDB\tAngela Gibbons\tMarch 2014\tPackage\tcommenced in\t\n"
        "\t\t\t\t\t<p>some schools</p>\t\n"
        "--\t--\t--\t--\t--\t---\t--\n\n"
        "**Strategic Objective: Perpetrators****To ensure perpetrators are held to account**\n\n"
        "Action\tMilestone\tLead\tCompletion Date\tTarget\tUpdate\tRAG\n"
        "Review IDAP process.\tReport to board\tProbation\tFeb 2014\tEffective practices\t\tG\n"
    )
    result = read_plan_file(text.encode("utf-8"), "plan.txt")
    assert [
        (r.objective, r.objective_description, r.action, r.milestone, r.lead, r.progress, r.rag)
        for r in result.rows
    ] == [
        ("Victims", "To provide and maintain support to victims.", "Inputs on FGM.",
         "Training provided and safeguarding reviewed", "R Speight", None, None),
        ("Children and Young People", "To recognise the needs of children.", "Work with schools",
         "Feedback to PDB", "Angela Gibbons", "commenced in some schools", None),
        ("Perpetrators", "To ensure perpetrators are held to account", "Review IDAP process.",
         "Report to board", "Probation", None, Rag.GREEN),
    ]  # fmt: skip
    assert issues(result) == [
        ("plan.txt", 11, "no action text: read as the continuation of row 8 and joined"),
        ("plan.txt", 15, "no action text: read as the continuation of row 14 and joined"),
    ]


def test_word_cells_right_of_column_200_are_left_out_with_a_warning():
    wide = ["", *[f"note {i}" for i in range(1, 211)]]
    data = docx_bytes([["Action", "Owner", *[""] * 209], ["Campaign", "Ann", *[""] * 209], wide])
    result = read_plan_file(data, "wide.docx")
    assert [(r.action, r.lead) for r in result.rows] == [("Campaign", "Ann note 1")]
    assert [(i.row, i.message) for i in result.issues] == [
        (3, "cells right of column GR (the 200th) are not read: a plan table is narrower"),
        (3, "no action text: read as the continuation of row 2 and joined"),
    ]
    assert result.rows[0].extra == {f"Column {i + 1}": f"note {i}" for i in range(2, 200)}
