"""Import round two (issue 15), a second held-out round: the mechanisms fresh trackers found
missing, each file built in the test in wording other tests do not use, the whole output checked."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook

from importers import read_plan_file
from importers.cells import is_status_section
from importers.periods import QuarterYear, with_period_history
from rulebook.deadlines import read_deadline
from rulebook.periods import read_period
from rulebook.rag import Rag
from tests.builders import csv_bytes, docx_bytes, xlsx_bytes
from tests.importers.results import issues, roles, save, summary

# 1 and 7. A Microsoft Lists export's due dates are instants in UTC --------------------------


def test_a_lists_export_with_utc_instants_reads_the_uk_day_they_fall_on():
    rows = [
        ["Title", "Theme", "Assigned To", "Due Date", "Status"],
        ["Extend the One Stop Shop to a second weekly session", "Support", "Solace Women's Aid",
         "2018-06-30T23:00:00Z", "On track"],
        ["Roll out body-worn cameras to response officers", "Justice", "Barnet Police",
         "2017-12-31T00:00:00Z", "Off target"],
    ]  # fmt: skip
    result = read_plan_file(csv_bytes(rows), "Lists export.csv")
    assert summary(result) == [
        (None, "Support", None, "Extend the One Stop Shop to a second weekly session",
         ["Solace Women's Aid"], "2018-07-01", Rag.GREEN, None),
        (None, "Justice", None, "Roll out body-worn cameras to response officers",
         ["Barnet Police"], "2017-12-31", Rag.RED, None),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2018-06-30T23:00:00Z", "2018-07-01"),  # midnight on 1 July, summer time
        ("2018-01-31T23:00:00Z", "2018-01-31"),  # 11 pm on 31 January, winter time
        ("2018-03-25T00:30:00Z", "2018-03-25"),  # before the clocks go forward at 01:00 UTC
        ("2018-03-25T23:00:00Z", "2018-03-26"),  # after they have
        ("2018-10-28T00:30:00Z", "2018-10-28"),  # 01:30 summer time, before they go back
        ("2018-10-28T23:00:00Z", "2018-10-28"),  # after they have
        ("2018-07-01T00:00:00+01:00", "2018-07-01"),
        ("2018-06-30T19:00:00-05:00", "2018-07-01"),
        ("30/06/2018 11:30 pm Z", "2018-07-01"),
        ("30/06/2018 23:00", "2018-06-30"),  # no zone: the day as written
    ],
)
def test_a_time_with_a_zone_is_the_uk_day_of_that_instant(text, day):
    assert read_deadline(text).date.isoformat() == day


# 5. "Obj." with its full stop, as a heading prefix and as a column header -------------------


def test_word_headings_written_obj_with_a_full_stop_are_numbered_objectives():
    header = ["Ref", "Action", "Lead", "Timescale", "RAG"]
    data = docx_bytes(
        ("heading", "Obj. 1 Prevention"),
        [header, ["1a", "Run a county media campaign", "County Council", "Sep-15", "G"]],
        ("heading", "Obj. 2 – Protection"),
        [header, ["2a", "Provide ISVAs in both hospitals", "Public Health", "Mar-16", "R"]],
    )
    result = read_plan_file(data, "implementation plan.docx")
    assert summary(result) == [
        ("1", "Prevention", "1a", "Run a county media campaign", ["County Council"],
         "2015-09-30", Rag.GREEN, None),
        ("2", "Protection", "2a", "Provide ISVAs in both hospitals", ["Public Health"],
         "2016-03-31", Rag.RED, None),
    ]  # fmt: skip


def test_an_obj_column_names_the_objective_and_obj_rows_head_their_actions():
    rows = [
        ["Obj.", "Ref", "Action", "Lead", "Due", "RAG"],
        ["Obj. 1 – Safe accommodation", "", "", "", "", ""],
        ["", "1.1", "Increase refuge spaces", "Housing", "Mar-19", "Amber"],
        ["Obj. 2", "2.1", "Set up a specialist court", "HMCTS", "Sep-19", "Red"],
    ]
    result = read_plan_file(csv_bytes(rows), "tracker.csv")
    assert summary(result) == [
        ("1", "Safe accommodation", "1.1", "Increase refuge spaces", ["Housing"], "2019-03-31",
         Rag.AMBER, None),
        ("2", "Obj. 2", "2.1", "Set up a specialist court", ["HMCTS"], "2019-09-30", Rag.RED,
         None),
    ]  # fmt: skip
    assert issues(result) == []


# 6. Numeric scores with the file's key: "1 = Red, 2 = Amber, 3 = Green" ----------------------

KEY_SKIPPED = "a RAG key (its words are read as this file defines them): not an action, skipped"


def test_scores_under_a_header_naming_no_field_are_read_by_the_key_above_the_table():
    rows = [
        ["Rating key: 1 = Red, 2 = Amber, 3 = Green"],
        [],
        ["Ref", "Action", "Owner", "Deadline", "Score"],
        ["R1", "Review the MARAC referral pathway", "MARAC Coordinator", "Mar-18", 3],
        ["R2", "Recruit two additional IDVAs", "Commissioning", "Jun-18", 2],
        ["R3", "Publish the DHR learning briefing", "CSP Manager", "Dec-17", 1],
    ]
    result = read_plan_file(xlsx_bytes(("Tracker", rows)), "tracker.xlsx")
    assert summary(result) == [
        (None, None, "R1", "Review the MARAC referral pathway", ["MARAC Coordinator"],
         "2018-03-31", Rag.GREEN, None),
        (None, None, "R2", "Recruit two additional IDVAs", ["Commissioning"], "2018-06-30",
         Rag.AMBER, None),
        (None, None, "R3", "Publish the DHR learning briefing", ["CSP Manager"], "2017-12-31",
         Rag.RED, None),
    ]  # fmt: skip
    # The key above the header is reported as skipped, like one under the table.
    assert issues(result) == [(1, KEY_SKIPPED, True)]
    assert ("Score", "rag", "content: RAG words or fill colours") in roles(result)


def test_a_csv_key_line_after_the_table_with_explained_scores_is_the_files_key():
    rows = [
        ["Ref", "Action", "Lead", "Deadline", "RAG (1-3)"],
        ["A1", "Map services for older victims", "Adult Social Care", "31/05/2019", "2"],
        ["A2", "Audit MARAC action completion", "MARAC Chair", "31/03/2019", "1"],
        [],
        ["Key: 1 = Red (off track); 2 = Amber (some slippage); 3 = Green (on track)"],
    ]
    result = read_plan_file(csv_bytes(rows), "scores.csv")
    assert summary(result) == [
        (None, None, "A1", "Map services for older victims", ["Adult Social Care"], "2019-05-31",
         Rag.AMBER, None),
        (None, None, "A2", "Audit MARAC action completion", ["MARAC Chair"], "2019-03-31",
         Rag.RED, None),
    ]  # fmt: skip
    assert issues(result) == [(5, KEY_SKIPPED, True)]


def test_counts_after_the_colour_are_still_no_key():
    rows = [
        ["Ref", "Action", "Lead", "RAG"],
        ["A1", "Map services for older victims", "Adult Social Care", "2"],
        ["Red = 3, Amber = 4, Green = 2"],
    ]
    result = read_plan_file(csv_bytes(rows), "counts.csv")
    assert [r.rag for r in result.rows] == [None]


# 5. A section of completed actions is no objective ------------------------------------------


def test_a_completed_actions_row_in_the_table_ends_the_objective_above_it():
    rows = [
        ["No.", "Objective / Action", "Responsible agency", "Target date", "RAG"],
        ["1", "Preventing violence against women and girls"],
        ["1.1", "Deliver healthy relationships sessions in schools", "Education", "31/03/2018",
         "Green"],
        ["Completed actions"],
        ["1.3", "Publish the partnership's VAWG strategy", "Community Safety", "31/07/2017",
         "Completed"],
    ]  # fmt: skip
    result = read_plan_file(xlsx_bytes(("VAWG plan", rows)), "plan.xlsx")
    assert summary(result) == [
        ("1", "Preventing violence against women and girls", "1.1",
         "Deliver healthy relationships sessions in schools", ["Education"], "2018-03-31",
         Rag.GREEN, None),
        (None, None, "1.3", "Publish the partnership's VAWG strategy", ["Community Safety"],
         "2017-07-31", Rag.BLUE, None),
    ]  # fmt: skip
    assert issues(result) == []


def test_a_word_heading_of_closed_actions_between_objective_headings_sets_no_objective():
    header = ["No", "Action", "Lead", "By", "RAG"]
    data = docx_bytes(
        ("heading", "Priority Area 1 – Prevention"),
        [header, ["1", "Embed Making Safeguarding Personal", "LSAB Manager", "Mar 2017", "Green"]],
        ("heading", "Actions closed this year"),
        [header, ["2", "Publish the annual report", "LSAB Chair", "Sep 2016", "Complete"]],
        ("heading", "Priority Area 2 – Protection"),
        [header, ["3", "Audit section 42 enquiries", "Adult Social Care", "Jun 2017", "Amber"]],
    )
    result = read_plan_file(data, "strategic plan.docx")
    assert summary(result) == [
        ("1", "Prevention", "1", "Embed Making Safeguarding Personal", ["LSAB Manager"],
         "2017-03-31", Rag.GREEN, None),
        (None, None, "2", "Publish the annual report", ["LSAB Chair"], "2016-09-30", Rag.BLUE,
         None),
        ("2", "Protection", "3", "Audit section 42 enquiries", ["Adult Social Care"],
         "2017-06-30", Rag.AMBER, None),
    ]  # fmt: skip


def test_a_completed_actions_title_above_a_later_header_hides_the_objective_further_up():
    rows = [
        ["Objective 1: Safer homes"],
        ["Ref", "Action", "Lead", "Deadline", "RAG"],
        ["1.1", "Extend the sanctuary scheme", "Housing", "Jun-19", "Amber"],
        [],
        ["Completed actions"],
        ["Ref", "Action", "Lead", "Date completed"],
        ["0.4", "Appoint a data analyst", "Performance", "Jan-19"],
    ]
    result = read_plan_file(csv_bytes(rows), "plan.csv")
    assert [(r.objective, r.ref) for r in result.rows] == [("Safer homes", "1.1"), (None, "0.4")]


# 3. A quarter named by its months ("Apr-Jun 2017") heads a period group ----------------------


def test_quarters_named_by_their_months_over_two_header_rows_become_history():
    rows = [
        ["Ref", "Action", "Lead", "Deadline", "Apr-Jun 2017", None, "July to September 2017",
         None],
        [None, None, None, None, "RAG", "Commentary", "RAG", "Commentary"],
        ["1", "Revitalise the steering group", "Director", "Sep-17", "Amber", "Terms agreed",
         "Green", "Met twice"],
        ["2", "Keep victims safe in their homes", "Housing", "Mar-18", "Green", "Running", None,
         None],
    ]  # fmt: skip
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for columns in ("E1:F1", "G1:H1", "A1:A2", "B1:B2", "C1:C2", "D1:D2"):
        sheet.merge_cells(columns)
    read = read_plan_file(save(workbook), "quarters.xlsx")
    result = with_period_history(read, QuarterYear.choose(dt.date(2018, 3, 1), None, None))
    assert [(r.ref, r.rag, r.progress) for r in result.rows] == [
        ("1", Rag.GREEN, "Met twice"),
        ("2", Rag.GREEN, "Running"),
    ]
    assert [[(p.label, p.end.isoformat(), p.rag, p.progress) for p in r.periods]
            for r in result.rows] == [
        [("Q1 2017/18", "2017-06-30", Rag.AMBER, "Terms agreed"),
         ("Q2 2017/18", "2017-09-30", Rag.GREEN, "Met twice")],
        [("Q1 2017/18", "2017-06-30", Rag.GREEN, "Running")],
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("written", "label"),
    [("Apr-Jun 2017", "Q1 2017/18"), ("Oct to Dec 17", "Q3 2017/18"),
     ("Jan–Mar 2018", "Q4 2017/18"), ("May-Jul 2017", None), ("Apr-Dec 2017", None)],
)  # fmt: skip
def test_three_months_are_a_quarter_only_when_they_make_one(written, label):
    period = read_period(written)
    assert (period.label if period else None) == label


# 5. Sheets named for how far their actions have got name no objective ----------------------


def test_live_and_completed_sheets_are_no_objectives():
    header = ["Ref", "Action", "Lead", "Deadline", "RAG"]
    data = xlsx_bytes(
        ("Live actions", [header, ["3.1", "Train GP practices", "CCG", "Dec-18", "G"]]),
        ("Completed actions", [header, ["2.4", "Recommission IDVAs", "Commissioning", "Mar-18",
                                        "B"]]),
    )  # fmt: skip
    result = read_plan_file(data, "tracker.xlsx")
    assert summary(result) == [
        (None, None, "3.1", "Train GP practices", ["CCG"], "2018-12-31", Rag.GREEN, None),
        (None, None, "2.4", "Recommission IDVAs", ["Commissioning"], "2018-03-31", Rag.BLUE,
         None),
    ]  # fmt: skip


# 3 and 6. "Q1 18/19 RAG" groups, rated in letters the file's key defines --------------------


def test_short_year_quarter_groups_are_rated_by_a_letter_key_naming_no_colour():
    rows = [
        ["Key: G = on track, A = at risk, R = off track, C = complete"],
        ["Obj.", "Action", "Lead", "Due", "Q1 18/19 RAG", "Q2 18/19 RAG", "Q3 18/19 RAG"],
        ["Obj. 1: Early help", "Offer the Freedom Programme", "Women's Aid", "Mar-19", "A", "A",
         "G"],
        ["Obj. 2: Justice", "Review repeat MARAC cases", "MARAC Chair", "Sep-18", "A", "C", None],
    ]  # fmt: skip
    read = read_plan_file(xlsx_bytes(("Q3", rows)), "quarters.xlsx")
    assert read.rag_key == {"g": Rag.GREEN, "a": Rag.AMBER, "r": Rag.RED, "c": Rag.BLUE}
    result = with_period_history(read, QuarterYear.choose(dt.date(2019, 1, 15), None, None))
    assert [(r.objective, r.action, r.rag) for r in result.rows] == [
        ("Early help", "Offer the Freedom Programme", Rag.GREEN),
        ("Justice", "Review repeat MARAC cases", Rag.BLUE),
    ]
    assert [[(p.label, p.rag) for p in r.periods] for r in result.rows] == [
        [("Q1 2018/19", Rag.AMBER), ("Q2 2018/19", Rag.AMBER), ("Q3 2018/19", Rag.GREEN)],
        [("Q1 2018/19", Rag.AMBER), ("Q2 2018/19", Rag.BLUE)],
    ]


def test_a_letter_for_words_that_are_no_rating_is_no_key():
    rows = [
        ["Key: C = see comments, N = new action"],
        ["Ref", "Action", "Lead", "RAG"],
        ["1", "Offer the Freedom Programme", "Women's Aid", "C"],
    ]
    result = read_plan_file(xlsx_bytes(("Plan", rows)), "plan.xlsx")
    assert (result.rag_key, [r.rag for r in result.rows]) == ({}, [None])


@pytest.mark.parametrize(
    ("text", "section"),
    [("Completed actions", True), ("Actions closed this year", True),
     ("Closed actions (Q2)", True), ("Completed Actions – 2017/18", True),
     ("Live actions", True), ("Complete actions from the DHR", False),
     ("Closed actions are reviewed yearly", False), ("Completed", False)],
)  # fmt: skip
def test_only_a_whole_progress_heading_is_a_status_section(text, section):
    assert is_status_section(text) is section


def test_an_action_starting_complete_actions_on_a_row_of_its_own_stays_an_action():
    rows = [
        ["Ref", "Action", "Lead", "Deadline", "RAG"],
        ["Objective 1: Learning from reviews"],
        ["1.1", "Complete actions from the DHR", "", "", ""],
    ]
    result = read_plan_file(csv_bytes(rows), "plan.csv")
    assert [(r.objective, r.ref, r.action) for r in result.rows] == [
        ("Learning from reviews", "1.1", "Complete actions from the DHR")
    ]


# 1 and 7. A "Target" column of dates is the deadline; a Mac tab-separated file --------------


def test_a_target_column_of_dates_in_a_mac_tab_file_is_the_deadline():
    text = (
        "Workstream\tRef\tAction\tLead\tTarget\tRAG\r"
        'Workforce\tW1\t"Train frontline\rhousing staff"\tHousing\tDec-20\tAmber\r'
        "Commissioning\tC1\tRecommission the refuge\tCommissioning\tMar-21\tRed\r"
    )
    result = read_plan_file(text.encode("mac_roman"), "mac tracker.txt")
    assert summary(result) == [
        (None, "Workforce", "W1", "Train frontline\nhousing staff", ["Housing"], "2020-12-31",
         Rag.AMBER, None),
        (None, "Commissioning", "C1", "Recommission the refuge", ["Commissioning"],
         "2021-03-31", Rag.RED, None),
    ]  # fmt: skip
    assert ("Target", "deadline", "content: dates under a target header") in roles(result)


def test_a_target_column_of_outcomes_stays_the_target():
    rows = [
        ["Action", "Lead", "Target", "Due date"],
        ["Train frontline housing staff", "Housing", "90% of staff trained", "Dec-20"],
    ]
    result = read_plan_file(csv_bytes(rows), "plan.csv")
    assert [(c.header, c.role) for c in result.column_roles] == [
        ("Action", "action"), ("Lead", "lead"), ("Target", "target"), ("Due date", "deadline")
    ]  # fmt: skip
