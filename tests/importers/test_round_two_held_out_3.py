"""Round two, third held-out round (batch A): the mechanisms behind its misses, each in files
built here in wording of their own."""

from __future__ import annotations

import pytest

from importers import read_plan_file
from rulebook.rag import Rag
from tests.builders import csv_bytes, docx_bytes, xlsx_bytes
from tests.importers.results import issues, roles, summary

KEY_SKIPPED = "a RAG key (its words are read as this file defines them): not an action, skipped"


# 5. A heading that is only its keyword and number ("Obj. 2") ---------------------------------

HEADER = ["Ref", "Action", "Lead", "Due", "RAG"]
UNDER_FIRST = [
    "3.1",
    "Map sexual violence services for men and boys",
    "Public Health",
    "Jun-24",
    "G",
]
UNDER_SECOND = ["4.1", "Pilot a stalking clinic with the police", "Police", "Sep-24", "R"]


def _as_rows(first: str, second: str) -> list[list[str]]:
    return [HEADER, [first], UNDER_FIRST, [second], UNDER_SECOND]


@pytest.mark.parametrize(
    "build",
    [
        lambda a, b: ("plan.xlsx", xlsx_bytes(("Plan", _as_rows(a, b)))),
        lambda a, b: ("plan.csv", csv_bytes(_as_rows(a, b))),
        lambda a, b: (
            "plan.docx",
            docx_bytes(
                ("heading", a), [HEADER, UNDER_FIRST], ("heading", b), [HEADER, UNDER_SECOND]
            ),
        ),
        lambda a, b: ("plan.docx", docx_bytes(a, [HEADER, UNDER_FIRST], b, [HEADER, UNDER_SECOND])),
        lambda a, b: ("plan.docx", docx_bytes([HEADER, a, UNDER_FIRST, b, UNDER_SECOND])),
    ],
    ids=["xlsx row", "csv line", "word heading", "word paragraph", "word merged row"],
)
def test_a_heading_with_no_title_gives_the_objective_ref_and_keeps_its_text(build):
    # "Objective 4:" with nothing after it was no heading at all in Word, and "Obj. 3" kept no
    # ref: now each is that objective's number, its text (less the colon) its title.
    name, data = build("Obj. 3", "Objective 4:")
    result = read_plan_file(data, name)
    assert summary(result) == [
        ("3", "Obj. 3", "3.1", "Map sexual violence services for men and boys",
         ["Public Health"], "2024-06-30", Rag.GREEN, None),
        ("4", "Objective 4", "4.1", "Pilot a stalking clinic with the police", ["Police"],
         "2024-09-30", Rag.RED, None),
    ]  # fmt: skip
    assert issues(result) == []


# 5. A RAG key printed above the header is reported, as one below it is ------------------------


def test_a_key_line_and_legend_rows_above_the_header_are_reported_as_skipped():
    rows = [
        ["Community Safety Plan – quarterly monitoring"],
        ["Status key: Green = delivered to plan, Amber = minor delay, Red = major delay"],
        ["Blue", "Finished"],
        [],
        ["Ref", "Action", "Lead", "Due", "Status"],
        ["C1", "Refresh the ASB case review leaflet", "ASB Team", "Jul-24", "Minor delay"],
        ["C2", "Hold two weeks of action on knife crime", "Police", "Nov-24", "Finished"],
    ]
    result = read_plan_file(xlsx_bytes(("Monitoring", rows)), "monitoring.xlsx")
    assert summary(result) == [
        (None, None, "C1", "Refresh the ASB case review leaflet", ["ASB Team"], "2024-07-31",
         Rag.AMBER, None),
        (None, None, "C2", "Hold two weeks of action on knife crime", ["Police"], "2024-11-30",
         Rag.BLUE, None),
    ]  # fmt: skip
    assert issues(result) == [(2, KEY_SKIPPED, True), (3, KEY_SKIPPED, True)]
    # The same in a CSV: the line is the file's key, and reported.
    as_csv = read_plan_file(csv_bytes(rows), "monitoring.csv")
    assert summary(as_csv) == summary(result)
    assert issues(as_csv) == [(2, KEY_SKIPPED, True), (3, KEY_SKIPPED, True)]


# 1. An update column under an unknown header, read by its values -----------------------------


def test_long_free_text_right_of_a_named_action_is_the_update():
    rows = [
        ["Title", "Assigned to", "Due date", "Status", "Notes", "Strategy link", "ID", "Modified",
         "Created By", "Item Type"],
        ["Agree a protocol for domestic abuse in later life with adult social care",
         "Safeguarding Adults Board", "2024-10-31", "On track",
         "Draft protocol out for comment until 20 September.", "Protect", "21", "2024-09-02",
         "Nia Cole", "Item"],
        ["Offer Freedom Programme groups in the evening for working women", "Women's Centre",
         "2024-12-31", "Slight slippage", "Venue found; facilitator starts in November.",
         "Protect", "22", "2024-09-03", "Nia Cole", "Item"],
        ["Publish the partnership's annual VAWG report", "Community Safety Team", "2025-06-30",
         "Not yet due", "", "Prevent", "23", "2024-09-03", "Nia Cole", "Item"],
    ]  # fmt: skip
    result = read_plan_file(xlsx_bytes(("query", rows)), "vawg-list.xlsx")
    assert summary(result) == [
        (None, None, None,
         "Agree a protocol for domestic abuse in later life with adult social care",
         ["Safeguarding Adults Board"], "2024-10-31", Rag.GREEN,
         "Draft protocol out for comment until 20 September."),
        (None, None, None, "Offer Freedom Programme groups in the evening for working women",
         ["Women's Centre"], "2024-12-31", Rag.AMBER,
         "Venue found; facilitator starts in November."),
        (None, None, None, "Publish the partnership's annual VAWG report",
         ["Community Safety Team"], "2025-06-30", None, None),
    ]  # fmt: skip
    metadata = "SharePoint list metadata: kept as an extra field"
    assert roles(result) == [
        ("Title", "action", "header word"),
        ("Assigned to", "lead", "header word"),
        ("Due date", "deadline", "header word"),
        ("Status", "rag", "header word"),
        ("Notes", "progress", "content: long free text, after the action"),
        # Short labels repeated down the column: no update, kept as written.
        ("Strategy link", None, "not recognised: kept as an extra field"),
        ("ID", None, metadata),
        ("Modified", None, metadata),
        ("Created By", None, metadata),
        ("Item Type", None, metadata),
    ]
    assert issues(result) == []


def test_an_update_column_named_by_its_header_is_not_replaced_by_content():
    rows = [
        ["Ref", "Action", "Owner", "Deadline", "Update", "Risks"],
        ["1", "Commission an IDVA for the hospital", "ICB", "Mar-25", "Funding agreed.",
         "Recruitment may be slow in a tight market for qualified IDVAs."],
        ["2", "Train housing staff in DAHA standards", "Housing", "Jan-25", "Two sessions held.",
         "Shift patterns limit attendance at daytime sessions for some teams."],
    ]  # fmt: skip
    result = read_plan_file(csv_bytes(rows), "plan.csv")
    assert [(r.ref, r.progress, r.extra) for r in result.rows] == [
        ("1", "Funding agreed.",
         {"Risks": "Recruitment may be slow in a tight market for qualified IDVAs."}),
        ("2", "Two sessions held.",
         {"Risks": "Shift patterns limit attendance at daytime sessions for some teams."}),
    ]  # fmt: skip
    assert ("Risks", None, "not recognised: kept as an extra field") in roles(result)


# 5. A legend under its title, with meanings too long to be rating words -----------------------


def test_a_legend_under_its_title_is_skipped_whatever_the_length_of_its_meanings():
    rows = [
        ["Ref", "Action", "Owner", "Due", "RAG"],
        ["1", "Set up a women's safety forum", "CSP Manager", "Jan-25", "Green"],
        ["2", "Review street lighting near the university", "Highways", "Mar-25", "Red"],
        [],
        ["RAG key"],
        ["Red", "Not delivered and needs a decision from the strategic board"],
        ["Amber", "Some delay"],
        ["Green", "Delivering as planned, no support needed from the board"],
    ]
    result = read_plan_file(xlsx_bytes(("Tracker", rows)), "tracker.xlsx")
    assert summary(result) == [
        (None, None, "1", "Set up a women's safety forum", ["CSP Manager"], "2025-01-31",
         Rag.GREEN, None),
        (None, None, "2", "Review street lighting near the university", ["Highways"],
         "2025-03-31", Rag.RED, None),
    ]  # fmt: skip
    assert issues(result) == [(row, KEY_SKIPPED, True) for row in (5, 6, 7, 8)]


def test_a_rating_and_text_under_a_key_in_a_rag_first_table_stay_an_action():
    rows = [
        ["RAG", "Action", "Owner"],
        ["Key: Green = on track, Red = off track"],
        ["Red", "Commission a perpetrator programme for young people"],
    ]
    result = read_plan_file(xlsx_bytes(("Tracker", rows)), "tracker.xlsx")
    assert summary(result) == [
        (None, None, None, "Commission a perpetrator programme for young people", [], None,
         Rag.RED, None),
    ]  # fmt: skip
    assert issues(result) == [(2, KEY_SKIPPED, True)]


# 5. An objective cell led by its code: "P1 Safer streets" -------------------------------------


def test_an_objective_cell_led_by_its_code_gives_the_objective_ref():
    rows = [
        ["Priority", "Ref", "Action", "Lead", "Timescale"],
        ["SP1 Night-time economy", "1", "Train door staff in vulnerability", "Licensing", "Feb-25"],
        ["SP1 Night-time economy", "2", "Fund a welfare bus", "BID", "Apr-25"],
        ["SP2 Online harms", "3", "Run an image-based abuse campaign", "Comms", "Jun-25"],
        ["Q3 priorities", "4", "Refresh the partnership's terms", "CSP Manager", "Jul-25"],
    ]  # fmt: skip
    result = read_plan_file(csv_bytes(rows), "plan.csv")
    assert summary(result) == [
        ("SP1", "Night-time economy", "1", "Train door staff in vulnerability", ["Licensing"],
         "2025-02-28", None, None),
        ("SP1", "Night-time economy", "2", "Fund a welfare bus", ["BID"], "2025-04-30", None,
         None),
        ("SP2", "Online harms", "3", "Run an image-based abuse campaign", ["Comms"],
         "2025-06-30", None, None),
        # A lower-case word after the code: a name, not a code and a title.
        (None, "Q3 priorities", "4", "Refresh the partnership's terms", ["CSP Manager"],
         "2025-07-31", None, None),
    ]  # fmt: skip


# 1. Owner and deadline columns under unknown headers, beside a named action -------------------


def test_repeated_names_and_deadline_texts_under_unknown_headers_are_owner_and_deadline():
    rows = [
        ["No", "Our commitment", "Agency in the lead", "Finish", "Where we are"],
        ["H1", "Give every refuge resident a housing options interview within a week",
         "Housing Needs", "Ongoing", "Interviews held within five days on average."],
        ["H2", "Agree reciprocal arrangements with neighbouring councils", "Housing Needs",
         "Feb-25", "Two of four councils signed up."],
        ["H3", "Fund a specialist worker for older victims", "Adult Social Care", "Sep-25",
         "Job description drafted for grading."],
    ]  # fmt: skip
    result = read_plan_file(csv_bytes(rows), "housing.csv")
    assert summary(result) == [
        (None, None, "H1", rows[1][1], ["Housing Needs"], None, None, rows[1][4]),
        (None, None, "H2", rows[2][1], ["Housing Needs"], "2025-02-28", None, rows[2][4]),
        (None, None, "H3", rows[3][1], ["Adult Social Care"], "2025-09-30", None, rows[3][4]),
    ]
    assert [r.ongoing for r in result.rows] == [True, False, False]
    assert roles(result) == [
        ("No", "ref", "header word"),
        ("Our commitment", "action", "header word"),
        ("Agency in the lead", "lead", "content: short repeated names"),
        ("Finish", "deadline", "content: dates and deadline texts"),
        ("Where we are", "progress", "content: long free text, after the action"),
    ]
    assert issues(result) == []


# 1. Header words: word order, a descriptor word, brackets in alternatives, BRAG --------------


def test_a_review_action_plan_with_its_own_header_words():
    rows = [
        ["Rec no", "Recommendation", "Action required", "Agency responsible",
         "Date for completion", "BRAG status", "Update on progress"],
        ["1", "Agencies should ask about domestic abuse at every contact",
         "Add routine enquiry to the GP new patient check", "ICB", "31/01/2025", "Amber",
         "Template drafted; awaiting clinical sign-off."],
        ["2", "Learning from this review should reach frontline staff",
         "Run a learning event for frontline staff", "CSP", "30/11/2024", "Blue",
         "Event held for 140 staff."],
    ]  # fmt: skip
    result = read_plan_file(xlsx_bytes(("DHR 7", rows)), "dhr7.xlsx")
    assert summary(result) == [
        (None, None, None, "Add routine enquiry to the GP new patient check", ["ICB"],
         "2025-01-31", Rag.AMBER, "Template drafted; awaiting clinical sign-off."),
        (None, None, None, "Run a learning event for frontline staff", ["CSP"], "2024-11-30",
         Rag.BLUE, "Event held for 140 staff."),
    ]  # fmt: skip
    assert roles(result) == [
        ("Rec no", None, "not recognised: kept as an extra field"),
        # Beside a column naming the action, the recommendation is what led to it.
        ("Recommendation", None, "not recognised: kept as an extra field"),
        ("Action required", "action", "header word"),
        ("Agency responsible", "lead", "header word"),
        ("Date for completion", "deadline", "header word"),
        ("BRAG status", "rag", "header word"),
        ("Update on progress", "progress", "header word"),
    ]


def test_a_recommendation_is_the_action_when_no_column_names_one():
    rows = [
        ["Recommendation", "Lead Officer(s) / Agency", "Target end date", "BRAG", "Progress made"],
        ["Review the MARAC threshold", "MARAC Chair", "Mar-25", "G", "Reviewed."],
    ]  # fmt: skip
    result = read_plan_file(csv_bytes(rows), "review.csv")
    assert summary(result) == [
        (None, None, None, "Review the MARAC threshold", ["MARAC Chair"], "2025-03-31",
         Rag.GREEN, "Reviewed."),
    ]  # fmt: skip
    assert [role for _, role, _ in roles(result)] == [
        "action", "lead", "deadline", "rag", "progress"
    ]  # fmt: skip


def test_a_planner_export_names_its_fields_with_name_and_title_words():
    rows = [
        ["Task Name", "Owner name", "Expected completion", "Status update"],
        ["Book venues for the 16 Days of Action", "Events Officer", "Nov-24", "Two booked."],
    ]
    result = read_plan_file(csv_bytes(rows), "planner.csv")
    assert summary(result) == [
        (None, None, None, "Book venues for the 16 Days of Action", ["Events Officer"],
         "2024-11-30", None, "Two booked."),
    ]  # fmt: skip


def test_a_narrative_column_is_the_update():
    rows = [
        ["No.", "Commitment", "Who", "When", "Rating", "Narrative"],
        ["1", "Refresh the needs assessment with health partners", "Public Health", "Mar-25",
         "Green", "Data request sent"],
        ["2", "Bystander training for night-time economy staff", "Licensing", "Jun-25", "Amber",
         "Two venues signed up"],
    ]  # fmt: skip
    result = read_plan_file(csv_bytes(rows), "plan.csv")
    assert summary(result) == [
        (None, None, "1", "Refresh the needs assessment with health partners",
         ["Public Health"], "2025-03-31", Rag.GREEN, "Data request sent"),
        (None, None, "2", "Bystander training for night-time economy staff", ["Licensing"],
         "2025-06-30", Rag.AMBER, "Two venues signed up"),
    ]  # fmt: skip
    assert ("Narrative", "progress", "header word") in roles(result)


def test_beside_a_named_action_other_labels_and_text_are_no_owner_or_update():
    # Repeated labels and long text are read by their values only under a header that fits:
    # "Funding source" and "Expected impact" stay as written, never owners or history.
    rows = [
        ["Ref", "Action", "Funding source", "Deadline", "RAG", "Expected impact"],
        ["1", "Train housing staff", "Home Office grant", "Mar-25", "Green",
         "Staff recognise coercive control earlier and refer sooner"],
        ["2", "Open a second refuge", "Core budget", "Jun-25", "Red",
         "Fewer women are turned away from refuge each year"],
        ["3", "Run a bystander campaign", "Home Office grant", "Sep-25", "Amber",
         "More bystanders report their concerns to the police"],
    ]  # fmt: skip
    result = read_plan_file(csv_bytes(rows), "plan.csv")
    assert [(r.owners, r.progress, r.extra) for r in result.rows] == [
        ([], None, {"Funding source": rows[1][2], "Expected impact": rows[1][5]}),
        ([], None, {"Funding source": rows[2][2], "Expected impact": rows[2][5]}),
        ([], None, {"Funding source": rows[3][2], "Expected impact": rows[3][5]}),
    ]
    kept = "not recognised: kept as an extra field"
    assert ("Funding source", None, kept) in roles(result)
    assert ("Expected impact", None, kept) in roles(result)
