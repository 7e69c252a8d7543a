"""Import round two (issue 15), the mechanisms a held-out set of trackers found missing: each
family's file built in the test, in wording other tests do not use, and the whole output checked."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from openpyxl.styles import PatternFill

from importers import read_plan_file
from rulebook.rag import DeliveryStatus, Rag
from tests.builders import csv_bytes, docx_bytes, xlsx_bytes
from tests.importers.results import issues, roles


def summary(result):
    return [
        (
            r.objective,
            r.ref,
            r.action,
            r.lead,
            r.deadline.isoformat() if r.deadline else None,
            r.rag,
            r.progress,
        )
        for r in result.rows
    ]


# 1. Column roles: a SharePoint export's qualified objective header and time-stamped dates ---

SHAREPOINT_CSV = [
    ["Title", "Partnership Objective", "Assigned To", "Due Date", "Status", "Progress Notes",
     "Item Type", "Path", "Created", "Created By", "Modified"],
    ["Deliver healthy relationships sessions in every secondary school", "Preventing violence",
     "Education Welfare", "31/03/2018 00:00", "On track", "Six schools booked",
     "Item", "sites/CSP/Lists/Plan", "12/04/2017 09:14", "Jo Berry", "03/10/2017 16:02"],
    ["Roll out body-worn cameras to response officers", "Hold perpetrators to account",
     "Barnet Police", "2017-12-31T00:00:00Z", "Significant slippage", "",
     "Item", "sites/CSP/Lists/Plan", "12/04/2017 09:14", "Jo Berry", "03/10/2017 16:02"],
]  # fmt: skip


def test_a_sharepoint_export_with_a_qualified_objective_header_and_times_on_its_dates():
    result = read_plan_file(csv_bytes(SHAREPOINT_CSV), "VAWG list.csv")
    assert summary(result) == [
        ("Preventing violence", None,
         "Deliver healthy relationships sessions in every secondary school", "Education Welfare",
         "2018-03-31", Rag.GREEN, "Six schools booked"),
        ("Hold perpetrators to account", None,
         "Roll out body-worn cameras to response officers", "Barnet Police", "2017-12-31",
         Rag.RED, None),
    ]  # fmt: skip
    metadata = "SharePoint list metadata: kept as an extra field"
    assert roles(result) == [
        ("Title", "action", "header word"),
        ("Partnership Objective", "objective", "header word"),
        ("Assigned To", "lead", "header word"),
        ("Due Date", "deadline", "header word"),
        ("Status", "rag", "header word"),
        ("Progress Notes", "progress", "header word"),
        ("Item Type", None, metadata),
        ("Path", None, metadata),
        ("Created", None, metadata),
        ("Created By", None, metadata),
        ("Modified", None, metadata),
    ]
    assert result.issues == []
    assert result.rows[0].extra == {
        "Item Type": "Item",
        "Path": "sites/CSP/Lists/Plan",
        "Created": "12/04/2017 09:14",
        "Created By": "Jo Berry",
        "Modified": "03/10/2017 16:02",
    }


def test_qualified_objective_headers_and_aims_name_the_objective():
    rows = [
        ["Strategic Aim", "Key objective", "Action", "Lead", "Target date"],
        ["Protection", "Safe homes", "Extend the sanctuary scheme", "Housing", "30 Nov 17"],
    ]
    result = read_plan_file(csv_bytes(rows), "aims.csv")
    assert roles(result) == [
        ("Strategic Aim", "objective", "header word"),
        ("Key objective", None, "not recognised: kept as an extra field"),
        ("Action", "action", "header word"),
        ("Lead", "lead", "header word"),
        ("Target date", "deadline", "header word"),
    ]
    assert summary(result) == [
        ("Protection", None, "Extend the sanctuary scheme", "Housing", "2017-11-30", None, None)
    ]


# 6. A file's own key printed a definition per cell, either way round, after the table -----

OWN_KEY_AFTER = [
    ["Ref", "Action", "Lead officer", "Due date", "Progress rating"],
    ["1.1", "Map perpetrator interventions across the county", "Jo Berry", "30/06/2016",
     "Progressing as planned"],
    ["1.2", "Agree a pathway for male victims", "Sam Patel", "30/09/2016", "Some delay"],
    ["1.3", "Secure funding for a second IDVA post", "Jo Berry", "31/03/2017", "Stalled"],
    [],
    ["Key", "Progressing as planned = Green", "Some delay = Amber", "Stalled = Red"],
]  # fmt: skip


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_key_after_the_table_a_definition_per_cell_is_the_files_key(kind):
    data = xlsx_bytes(("Plan", OWN_KEY_AFTER)) if kind == "xlsx" else csv_bytes(OWN_KEY_AFTER)
    result = read_plan_file(data, f"plan.{kind}")
    assert summary(result) == [
        (None, "1.1", "Map perpetrator interventions across the county", "Jo Berry",
         "2016-06-30", Rag.GREEN, None),
        (None, "1.2", "Agree a pathway for male victims", "Sam Patel", "2016-09-30", Rag.AMBER,
         None),
        (None, "1.3", "Secure funding for a second IDVA post", "Jo Berry", "2017-03-31", Rag.RED,
         None),
    ]  # fmt: skip
    assert issues(result) == [
        (6, "a RAG key (its words are read as this file defines them): not an action, skipped",
         True),
    ]  # fmt: skip
    # The key's words mark the column of ratings, though its header names no field.
    assert roles(result)[-1] == ("Progress rating", "rag", "content: RAG words or fill colours")


def test_a_key_titled_in_its_own_cell_then_colour_first_definitions():
    rows = [
        ["Ref", "Action", "Lead partner", "By when", "RAG"],
        ["1.1", "Extend the specialist court to Bootle", "HM Courts Service", "Dec-09", "Red"],
        ["Key:", "Green = on target", "Amber = slight slippage", "Red = significant slippage"],
    ]
    result = read_plan_file(xlsx_bytes(("Plan", rows)), "plan.xlsx")
    assert summary(result) == [
        (None, "1.1", "Extend the specialist court to Bootle", "HM Courts Service", "2009-12-31",
         Rag.RED, None)
    ]  # fmt: skip
    assert issues(result) == [
        (3, "a RAG key (its words are read as this file defines them): not an action, skipped",
         True),
    ]  # fmt: skip


# 1 and 7. A web page saved as .xls: the action's own ref header, system codes, dd-mmm-yyyy --

WEB_PAGE = b"""<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body>
<h2>Performance system export</h2>
<table border="1">
<tr><th>Action Reference</th><th>Action Title</th><th>Action Owner</th><th>Due Date</th>
<th>RAG</th><th>Latest Note</th></tr>
<tr><td>VAWG-01</td><td>Develop a communications plan<br>for the 16 days of action</td>
<td>Comms Team</td><td>30-Nov-2017</td><td bgcolor="#00B050"></td><td>Signed off</td></tr>
<tr><td>VAWG-02</td><td>Deliver awareness training to GP practices</td>
<td>CCG Safeguarding Lead</td><td>31-Mar-18</td><td>A</td><td>&nbsp;</td></tr>
</table><p>Exported 04/12/2017 09:12</p></body></html>"""


def test_a_web_page_export_with_system_refs_and_day_month_year_dates():
    result = read_plan_file(WEB_PAGE, "actions.xls")
    assert summary(result) == [
        (None, "VAWG-01", "Develop a communications plan\nfor the 16 days of action",
         "Comms Team", "2017-11-30", Rag.GREEN, "Signed off"),
        (None, "VAWG-02", "Deliver awareness training to GP practices", "CCG Safeguarding Lead",
         "2018-03-31", Rag.AMBER, None),
    ]  # fmt: skip
    assert roles(result) == [
        ("Action Reference", "ref", "header word"),
        ("Action Title", "action", "header word"),
        ("Action Owner", "lead", "header word"),
        ("Due Date", "deadline", "header word"),
        ("RAG", "rag", "header word"),
        ("Latest Note", "progress", "header word"),
    ]
    assert result.issues == []


def test_an_unlabelled_column_of_system_codes_is_the_ref():
    rows = [
        ["", "Action", "Lead", "Deadline"],
        ["CSE-1", "Raise awareness with taxi drivers", "Licensing", "Mar-17"],
        ["CSE-2", "Return home interviews for every missing episode", "Children's Services",
         "Jun-17"],
    ]  # fmt: skip
    result = read_plan_file(csv_bytes(rows), "cse.csv")
    assert [(r.ref, r.action) for r in result.rows] == [
        ("CSE-1", "Raise awareness with taxi drivers"),
        ("CSE-2", "Return home interviews for every missing episode"),
    ]
    assert roles(result)[0] == ("", "ref", "content: refs such as '1.1'")


# 7. Excel for Mac's CSV: Mac Roman, CR line endings, line breaks inside quoted cells --------


def test_a_mac_csv_in_mac_roman_with_cr_endings_and_cells_over_several_lines():
    text = (
        "Ref,Action,Lead,Completion Date,RAG\r"
        'V1,"Consider support for young people in relationships,\rwith a focus on gangs",'
        "Women’s Aid,End of March 2014,Amber\r"
        "V2,Review the MARAC process – quarterly,Jo O’Neill,April 2014,Green\r"
    )
    result = read_plan_file(text.encode("mac_roman"), "mac.csv")
    assert summary(result) == [
        (None, "V1", "Consider support for young people in relationships,\nwith a focus on gangs",
         "Women’s Aid", "2014-03-31", Rag.AMBER, None),
        (None, "V2", "Review the MARAC process – quarterly", "Jo O’Neill", "2014-04-30",
         Rag.GREEN, None),
    ]  # fmt: skip
    assert result.issues == []


# 5. Lettered objective rows ("A" above "A1", "A2"), RAG by fill only --------------------------


def test_lettered_objective_rows_above_their_actions():
    rows = [
        ["Ref", "Action", "Responsible Officer", "Completion Date", "RAG"],
        ["A", "Strengthen the partnership's governance"],
        ["A1", "Agree terms of reference for the board", "Head of Community Safety", "Jun-16"],
        ["A2", "Appoint a chair from a partner agency", "Head of Community Safety", "Sep-16"],
        ["B", "Improve the response to victims"],
        ["B1", "Map specialist services", "Commissioning Manager", "Dec-16"],
    ]
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for number, colour in ((3, "FF92D050"), (4, "FFFF0000"), (6, "FFFFFF00")):
        sheet.cell(number, 5).fill = PatternFill("solid", fgColor=colour)
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = read_plan_file(buffer.getvalue(), "lettered.xlsx")
    refs = [r.objective_ref for r in result.rows]
    assert [(ref, *line) for ref, line in zip(refs, summary(result), strict=True)] == [
        ("A", "Strengthen the partnership's governance", "A1",
         "Agree terms of reference for the board", "Head of Community Safety", "2016-06-30",
         Rag.GREEN, None),
        ("A", "Strengthen the partnership's governance", "A2",
         "Appoint a chair from a partner agency", "Head of Community Safety", "2016-09-30",
         Rag.RED, None),
        ("B", "Improve the response to victims", "B1", "Map specialist services",
         "Commissioning Manager", "2016-12-31", Rag.AMBER, None),
    ]  # fmt: skip
    assert result.issues == []


# 5. An action's text carried on to a row of its own, in lower case -------------------------


def test_action_text_carried_on_in_lower_case_is_joined_to_the_action_above():
    header = ["Ref", "Action", "Lead", "Deadline", "RAG"]
    data = docx_bytes(
        "Theme: Perpetrators",
        [
            header,
            ["P1", "Commission a perpetrator programme", "Probation", "Mar 2018", "Amber"],
            ["", "and evaluate it after twelve months", "", "", ""],
            ["P2", "Use Clare's Law disclosures proactively", "Police", "Dec 2017", "Green"],
            ["", "Publish the disclosure figures", "", "", ""],
        ],
    )
    result = read_plan_file(data, "perpetrators.docx")
    assert summary(result) == [
        ("Perpetrators", "P1",
         "Commission a perpetrator programme and evaluate it after twelve months", "Probation",
         "2018-03-31", Rag.AMBER, None),
        ("Perpetrators", "P2", "Use Clare's Law disclosures proactively", "Police",
         "2017-12-31", Rag.GREEN, None),
        ("Perpetrators", None, "Publish the disclosure figures", None, None, None, None),
    ]  # fmt: skip
    assert issues(result) == [
        (3, "only action text, in lower case, with no ref: read as the continuation of row 2 "
         "and joined", False),
    ]  # fmt: skip


# 6. Totals down a column ("Green | 1") are no key; a RAG column known by its words ---------


def test_counts_under_a_table_are_no_key_and_not_rated_is_a_rating_word():
    rows = [
        ["Objective", "Action", "Lead", "Timescale", "Progress RAG", "Position"],
        ["Reduce repeat victimisation", "Review MARAC repeat cases", "MARAC Coordinator",
         "Quarterly", "Green", "Not rated"],
        ["Improve data", "Create a partnership dashboard", "Performance Team", "Apr-18",
         "Not rated", "Amber"],
        [],
        ["Green", "1"],
        ["Amber", "1"],
    ]  # fmt: skip
    result = read_plan_file(xlsx_bytes(("Plan", rows)), "totals.xlsx")
    assert summary(result) == [
        ("Reduce repeat victimisation", None, "Review MARAC repeat cases", "MARAC Coordinator",
         None, Rag.GREEN, None),
        ("Improve data", None, "Create a partnership dashboard", "Performance Team",
         "2018-04-30", None, None),
    ]  # fmt: skip
    assert roles(result)[4:] == [
        ("Progress RAG", "rag", "header word"),
        ("Position", None, "not recognised: kept as an extra field"),
    ]
    assert issues(result) == [
        (5, "a totals row: not an action, skipped", True),
        (6, "a totals row: not an action, skipped", True),
        (2, "deadline 'Quarterly' is not a date the tracker can read: kept as written, "
         "no deadline set", False),
    ]  # fmt: skip


# 5. An "Outcome" column merged down over its actions is their objective ---------------------


def test_an_outcome_column_merged_down_over_its_actions_is_their_objective():
    workbook = Workbook()
    sheet = workbook.active
    for row in [
        ["Reducing Reoffending Delivery Plan 2018-19"],
        ["Outcome", "Action", "Lead", "Timescale", "RAG"],
        ["Fewer young people offend", "Expand the triage scheme", "YOS", "w/c 12 March 2018", "G"],
        [None, "Offer restorative justice", "YOS", "2018-19", "A"],
        ["Offenders are housed", "Agree a prison leavers protocol", "Probation", "Apr 18", "R"],
    ]:
        sheet.append(row)
    sheet.merge_cells("A1:E1")
    sheet.merge_cells("A3:A4")
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = read_plan_file(buffer.getvalue(), "reoffending.xlsx")
    assert summary(result) == [
        ("Fewer young people offend", None, "Expand the triage scheme", "YOS", "2018-03-12",
         Rag.GREEN, None),
        ("Fewer young people offend", None, "Offer restorative justice", "YOS", "2019-03-31",
         Rag.AMBER, None),
        ("Offenders are housed", None, "Agree a prison leavers protocol", "Probation",
         "2018-04-30", Rag.RED, None),
    ]  # fmt: skip
    assert roles(result)[0] == ("Outcome", "objective", "content: merged down over its actions")
    assert result.issues == []


# 6. "Status" beside "RAG" is the delivery status; Smartsheet's "Yellow" is amber ------------


def test_a_status_column_beside_the_rag_column_and_yellow_ratings():
    rows = [
        ["Status", "Ref", "Action", "Lead", "Deadline", "RAG"],
        ["Completed", "1", "Publish the needs assessment", "Public Health", "Mar-20", ""],
        ["In progress", "2", "Set up a steering group", "CSP Manager", "Jan-20", "Yellow"],
        ["Not started", "3", "Commission an education programme", "Commissioning", "Sep-20", ""],
    ]
    result = read_plan_file(csv_bytes(rows), "violence.csv")
    assert [(r.ref, r.rag, r.status) for r in result.rows] == [
        ("1", Rag.BLUE, DeliveryStatus.COMPLETE),
        ("2", Rag.AMBER, DeliveryStatus.IN_PROGRESS),
        ("3", None, DeliveryStatus.NOT_STARTED),
    ]
    assert [(c.header, c.role) for c in result.column_roles] == [
        ("Status", "status"),
        ("Ref", "ref"),
        ("Action", "action"),
        ("Lead", "lead"),
        ("Deadline", "deadline"),
        ("RAG", "rag"),
    ]
    assert result.issues == []


# 5. A text file's glossary titled on a line of its own, and a version table numbered "1.0" --


def test_a_glossary_title_line_and_a_version_table_after_a_tab_separated_plan():
    rows = [
        ["Ref", "Action", "Lead", "Deadline", "RAG"],
        ["1", "Launch a campaign on coercive control", "Comms", "Nov-18", "Green"],
        ["2", "Train GPs in the IRIS model", "CCG", "Mar-19", "Amber"],
        [],
        ["Glossary"],
        ["IRIS", "Identification and Referral to Improve Safety"],
        [],
        ["Version", "Date", "Author"],
        ["1.0", "01/10/2018", "J Berry"],
    ]
    result = read_plan_file(csv_bytes(rows, delimiter="\t"), "plan.tsv")
    assert summary(result) == [
        (None, "1", "Launch a campaign on coercive control", "Comms", "2018-11-30", Rag.GREEN,
         None),
        (None, "2", "Train GPs in the IRIS model", "CCG", "2019-03-31", Rag.AMBER, None),
    ]  # fmt: skip
    assert issues(result) == [
        (5, "the start of a table that is not an action table ('Glossary'): not an action, "
         "skipped", True),
        (6, "in a table that is not an action table ('Glossary'): not an action, skipped", True),
        (8, "the start of a table that is not an action table ('Version | Date | Author'): "
         "not an action, skipped", True),
        (9, "in a table that is not an action table ('Version | Date | Author'): not an "
         "action, skipped", True),
    ]  # fmt: skip


def test_refs_numbered_1_0_head_their_group():
    rows = [
        ["Ref", "Action", "Lead", "Deadline"],
        ["1.0", "Prevention"],
        ["1.1", "Schools programme", "Education", "Mar-17"],
        ["2.0", "Protection"],
        ["2.1", "Fund IDVAs", "Council", "Jun-17"],
    ]
    result = read_plan_file(csv_bytes(rows), "groups.csv")
    assert [(r.objective_ref, r.objective, r.ref, r.action) for r in result.rows] == [
        ("1", "Prevention", "1.1", "Schools programme"),
        ("2", "Protection", "2.1", "Fund IDVAs"),
    ]
    assert result.issues == []


# 7. A web page saved as .xls in UTF-16 (with its byte order mark) ---------------------------


def test_a_web_page_in_utf16_named_xls_is_read_as_a_web_page():
    page = (
        "<html><body><table><tr><td>Ref</td><td>Action</td><td>Owner</td><td>Deadline</td>"
        "<td>RAG</td></tr><tr><td>1</td><td>Audit the council’s CCTV network</td>"
        "<td>Community Safety</td><td>31/12/2018</td><td>Amber</td></tr></table></body></html>"
    )
    result = read_plan_file(page.encode("utf-16"), "asb.xls")
    assert summary(result) == [
        (None, "1", "Audit the council’s CCTV network", "Community Safety", "2018-12-31",
         Rag.AMBER, None),
    ]  # fmt: skip
    assert result.sheets_read == ["table 1"]


# 1 and 6. Headers with brackets, plural marks and alternatives; ratings with a note ----------


def test_bracketed_and_alternative_headers_and_ratings_with_a_note():
    rows = [
        ["Ref", "Actions/Activities", "Lead Officer(s)", "Due Date (dd/mm/yy)", "RAG (see key)",
         "Progress / Comments"],
        ["1", "Develop a stalking protocol", "DS Jane Holt", "31/03/19", "Green - on track",
         "Draft agreed"],
        ["2", "Commission a stalking advocate", "Jo Berry", "30/06/19", "AMBER (slippage)", ""],
        ["3", "Raise awareness with students", "Student Services", "30/09/19", "Red - now Amber",
         ""],
        ["", "Total actions: 3"],
    ]  # fmt: skip
    result = read_plan_file(csv_bytes(rows), "stalking.csv")
    assert summary(result) == [
        (None, "1", "Develop a stalking protocol", "DS Jane Holt", "2019-03-31", Rag.GREEN,
         "Draft agreed"),
        (None, "2", "Commission a stalking advocate", "Jo Berry", "2019-06-30", Rag.AMBER, None),
        (None, "3", "Raise awareness with students", "Student Services", "2019-09-30", None,
         None),
    ]  # fmt: skip
    assert [role for _, role, _ in roles(result)] == [
        "ref", "action", "lead", "deadline", "rag", "progress"
    ]  # fmt: skip
    assert {reason for _, _, reason in roles(result)} == {"header word"}
    assert issues(result) == [
        (5, "a totals row: not an action, skipped", True),
        (4, "RAG 'Red - now Amber' is not a RAG rating: kept as written, not rated", False),
    ]


# 5. One sheet per objective, named with an abbreviation ("Obj 1 Prevention") ---------------


def test_sheets_named_obj_n_are_numbered_objectives():
    header = ["Ref", "Action", "Lead", "Deadline", "RAG"]
    data = xlsx_bytes(
        ("Obj 1 Prevention", [header, ["1.1", "Bystander training", "Licensing", "31st March 2019",
                                       "Green"]]),
        ("Obj 2 Provision", [header, ["2.1", "Fund a helpline", "Commissioning",
                                      "end of June 2019", "Red"]]),
        ("Dropdowns", [["RAG"], ["Green"], ["Amber"]]),
    )  # fmt: skip
    result = read_plan_file(data, "objectives.xlsx")
    refs = [r.objective_ref for r in result.rows]
    assert [(ref, *line) for ref, line in zip(refs, summary(result), strict=True)] == [
        ("1", "Prevention", "1.1", "Bystander training", "Licensing", "2019-03-31", Rag.GREEN,
         None),
        ("2", "Provision", "2.1", "Fund a helpline", "Commissioning", "2019-06-30", Rag.RED,
         None),
    ]  # fmt: skip
    assert [s.sheet for s in result.sheets_skipped] == ["Dropdowns"]


# 1, 6 and 7. Question headers, coloured symbols as ratings, the month written first --------


def test_question_headers_symbol_ratings_and_month_first_dates():
    rows = [
        ["What we will do", "Who will lead", "When by", "RAG"],
        ["Hold an awareness week", "Community Safety", "October 31, 2018", "🟢"],
        ["Agree a fire service protocol", "Fire Service", "Q3 18/19", "🟠"],
        ["Publish a directory of services", "Comms", "March 31 2019", "🔴"],
        ["Set up a survivors' panel", "VAWG Coordinator", "Sept 19", "✅"],
    ]
    result = read_plan_file(xlsx_bytes(("Plan", rows)), "symbols.xlsx")
    assert summary(result) == [
        (None, None, "Hold an awareness week", "Community Safety", "2018-10-31", Rag.GREEN, None),
        (None, None, "Agree a fire service protocol", "Fire Service", "2018-12-31", Rag.AMBER,
         None),
        (None, None, "Publish a directory of services", "Comms", "2019-03-31", Rag.RED, None),
        (None, None, "Set up a survivors' panel", "VAWG Coordinator", "2019-09-30", Rag.BLUE,
         None),
    ]  # fmt: skip
    assert roles(result) == [
        ("What we will do", "action", "header word"),
        ("Who will lead", "lead", "header word"),
        ("When by", "deadline", "header word"),
        ("RAG", "rag", "header word"),
    ]
    assert result.issues == []


# 5. A later header that relabels a column is a new header, not the header repeated ----------


def test_a_later_header_relabelling_the_deadline_column_is_a_new_header():
    rows = [
        ["Ref", "Action", "Lead", "Deadline", "RAG"],
        ["5.1", "Review the information sharing agreement", "Legal Services", "Jun-19", "A"],
        [],
        ["Ref", "Action", "Lead", "Date completed"],
        ["4.1", "Appoint a data analyst", "Performance", "Jan-19"],
    ]
    result = read_plan_file(xlsx_bytes(("Actions", rows)), "sections.xlsx")
    assert summary(result) == [
        (None, "5.1", "Review the information sharing agreement", "Legal Services",
         "2019-06-30", Rag.AMBER, None),
        (None, "4.1", "Appoint a data analyst", "Performance", None, None, None),
    ]  # fmt: skip
    assert result.rows[1].extra == {"Date completed": "Jan-19"}
    assert issues(result) == [
        (4, "a different header row: the rows below it are read by its columns", False)
    ]


# 5. Sections lettered "Section A:" above the header and inside the table --------------------


def test_lettered_sections_above_the_header_and_in_the_table():
    rows = [
        ["Serious Violence Duty – Partnership Action Plan"],
        ["Section A: Understanding the problem"],
        ["Ref", "Action", "Lead agency", "Due", "RAG"],
        ["A.1", "Complete a strategic needs assessment", "Public Health", "Jan-20", "Blue"],
        ["Section B: Prevention and early intervention"],
        ["B.1", "Place youth workers in A&E", "Youth Service", "Jun-20", "Green"],
        ["Section 17 of the Crime and Disorder Act applies to every partner"],
    ]
    result = read_plan_file(xlsx_bytes(("Plan", rows)), "sections.xlsx")
    refs = [r.objective_ref for r in result.rows]
    assert [(ref, *line) for ref, line in zip(refs, summary(result), strict=True)] == [
        ("A", "Understanding the problem", "A.1", "Complete a strategic needs assessment",
         "Public Health", "2020-01-31", Rag.BLUE, None),
        ("B", "Prevention and early intervention", "B.1", "Place youth workers in A&E",
         "Youth Service", "2020-06-30", Rag.GREEN, None),
    ]  # fmt: skip
    assert issues(result) == [
        (7, "a line with no actions under it: not an action, skipped", True),
    ]


# 1 and 5. An "Outcome" written on each of its actions' rows; "Partner" when no lead column --


def test_an_outcome_repeated_on_its_actions_rows_and_a_partner_column():
    rows = [
        ["Outcome", "Activity", "Partner", "Status"],
        ["Victims feel safer", "Expand the Safe Places scheme", "BID", "Green"],
        ["Victims feel safer", "Launch the Bright Sky app", "Community Safety", "Amber"],
        ["Fewer repeat victims", "Review repeat MARAC cases", "MARAC Chair", "Red"],
    ]
    result = read_plan_file(csv_bytes(rows), "outcomes.csv")
    assert summary(result) == [
        ("Victims feel safer", None, "Expand the Safe Places scheme", "BID", None, Rag.GREEN,
         None),
        ("Victims feel safer", None, "Launch the Bright Sky app", "Community Safety", None,
         Rag.AMBER, None),
        ("Fewer repeat victims", None, "Review repeat MARAC cases", "MARAC Chair", None, Rag.RED,
         None),
    ]  # fmt: skip
    assert roles(result) == [
        ("Outcome", "objective", "content: the same outcome on its actions' rows"),
        ("Activity", "action", "header word"),
        ("Partner", "lead", "header word"),
        ("Status", "rag", "header word"),
    ]
    # Beside a lead column, partners are the partners who help: an extra field.
    both = read_plan_file(
        csv_bytes([["Action", "Partners", "Lead"], ["Run it", "All", "Jo"]]), "b.csv"
    )
    assert [(r.lead, r.extra) for r in both.rows] == [("Jo", {"Partners": "All"})]
