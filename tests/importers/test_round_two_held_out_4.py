"""Import round two (issue 15), held-out round 3, batch B: period column groups and dates.

The mechanisms fresh trackers found missing, each file built in the test in wording other tests
do not use, the whole output checked: rows, column roles, issues and the history entries with
the day each describes."""

from __future__ import annotations

import datetime as dt

from openpyxl import Workbook

from importers import read_plan_file
from importers.periods import QuarterYear, period_column, with_period_history
from rulebook.rag import Rag
from tests.builders import csv_bytes, docx_bytes
from tests.importers.results import issues, roles, save, summary

FY_2019 = QuarterYear(2019, "the plan's period")


def history(result):
    return [
        [(p.label, p.end.isoformat(), p.rag, p.progress) for p in row.periods]
        for row in result.rows
    ]


# 3. "Quarter 1 2019/20" and "Qtr 2" name the quarter as "Q1" does ----------------------------


def test_a_quarter_in_words_over_two_header_rows_becomes_history():
    book = Workbook()
    sheet = book.active
    sheet.title = "Returns"
    sheet.append(["Ref", "Action", "Lead agency", "Due", "Quarter 1 2019/20", None,
                  "Quarter 2 2019/20", None])  # fmt: skip
    sheet.append([None, None, None, None, "Rating", "Commentary", "Rating", "Commentary"])
    for column in "ABCD":
        sheet.merge_cells(f"{column}1:{column}2")
    sheet.merge_cells("E1:F1")
    sheet.merge_cells("G1:H1")
    sheet.append(["R1", "Publish a stalking advocacy referral form", "Paladin", "Oct-19",
                  "Amber", "Form drafted.", "Green", "Form in use by two teams."])  # fmt: skip
    sheet.append(["R2", "Audit repeat call-outs to licensed premises", "Licensing Team",
                  "Jan-20", "Red", "No analyst time.", None, None])  # fmt: skip
    read = read_plan_file(save(book), "returns.xlsx")
    result = with_period_history(read, FY_2019)
    assert summary(result) == [
        (None, None, "R1", "Publish a stalking advocacy referral form", ["Paladin"],
         "2019-10-31", Rag.GREEN, "Form in use by two teams."),
        (None, None, "R2", "Audit repeat call-outs to licensed premises", ["Licensing Team"],
         "2020-01-31", Rag.RED, "No analyst time."),
    ]  # fmt: skip
    assert history(result) == [
        [("Q1 2019/20", "2019-06-30", Rag.AMBER, "Form drafted."),
         ("Q2 2019/20", "2019-09-30", Rag.GREEN, "Form in use by two teams.")],
        [("Q1 2019/20", "2019-06-30", Rag.RED, "No analyst time.")],
    ]  # fmt: skip
    assert result.issues == []


def test_qtr_and_quarter_headings_name_their_quarter():
    named = [period_column(h, FY_2019) for h in ("Qtr 3 RAG", "Qtr4 update", "Quarter 2 rating")]
    assert [(c.role, c.period.label, c.bare) for c in named if c] == [
        ("rag", "Q3 2019/20", True),
        ("progress", "Q4 2019/20", True),
        ("rag", "Q2 2019/20", True),
    ]


# 3 and 7. A column dated by the day it describes: "Update as at 30/09/19" ---------------------


def test_columns_as_at_a_month_end_become_that_months_history():
    rows = [
        ["No.", "Action", "Owner", "Target date", "Position as at 30/09/19",
         "RAG at 30.09.19", "Position as at 31 December 2019", "RAG at 31.12.19"],
        ["6.1", "Set up a survivors' reference group", "Women's Centre", "By end of 2019/20",
         "Terms agreed.", "G", "Met twice.", "G"],
        ["6.2", "Commission trauma-informed training for call handlers", "Police", "Q4 2019/20",
         "", "", "Provider shortlisted.", "A"],
    ]  # fmt: skip
    read = read_plan_file(csv_bytes(rows), "positions.csv")
    result = with_period_history(read, FY_2019)
    assert summary(result) == [
        (None, None, "6.1", "Set up a survivors' reference group", ["Women's Centre"],
         "2020-03-31", Rag.GREEN, "Met twice."),
        (None, None, "6.2", "Commission trauma-informed training for call handlers", ["Police"],
         "2020-03-31", Rag.AMBER, "Provider shortlisted."),
    ]  # fmt: skip
    assert history(result) == [
        [("Sep 2019", "2019-09-30", Rag.GREEN, "Terms agreed."),
         ("Dec 2019", "2019-12-31", Rag.GREEN, "Met twice.")],
        [("Dec 2019", "2019-12-31", Rag.AMBER, "Provider shortlisted.")],
    ]  # fmt: skip
    assert result.unmapped_columns == []


def test_a_day_that_ends_no_month_names_no_period():
    """An entry is dated at its period's end, so "as at 15/10/19" is kept as an extra field
    rather than moved to 31 October."""
    rows = [
        ["Ref", "Action", "Lead", "Update as at 15/10/19", "Update as at 15/01/20"],
        ["1", "Refresh the DHR action log", "CSP Manager", "Log refreshed.", "Two actions closed."],
    ]
    result = with_period_history(read_plan_file(csv_bytes(rows), "mid.csv"), FY_2019)
    assert [(r.progress, r.periods, r.extra) for r in result.rows] == [
        (None, (), {"Update as at 15/10/19": "Log refreshed.",
                    "Update as at 15/01/20": "Two actions closed."}),
    ]  # fmt: skip


# 3. Columns headed by the period alone: what they hold says which role ------------------------


def test_bare_quarter_columns_of_shading_and_letters_are_the_quarters_ratings():
    table = [
        ["Ref", "Action", "Lead", "Deadline", "Update", "Q1", "Q2", "Q3", "Q4"],
        ["B1", "Fit target-hardening to repeat burglary victims' homes", "Fire Service",
         "Mar 2020", "31 homes fitted.", ("", "00B050"), ("", "FFC000"), "", ""],
        ["B2", "Publish a scam-awareness leaflet for older residents", "Trading Standards",
         "Nov 2019", "Leaflet printed.", "R", ("", "0070C0"), "", ""],
    ]  # fmt: skip
    read = read_plan_file(docx_bytes(("heading", "Strand: Acquisitive crime"), table), "csp.docx")
    result = with_period_history(read, FY_2019)
    assert summary(result) == [
        (None, "Acquisitive crime", "B1", "Fit target-hardening to repeat burglary victims' homes",
         ["Fire Service"], "2020-03-31", Rag.AMBER, "31 homes fitted."),
        (None, "Acquisitive crime", "B2", "Publish a scam-awareness leaflet for older residents",
         ["Trading Standards"], "2019-11-30", Rag.BLUE, "Leaflet printed."),
    ]  # fmt: skip
    assert history(result) == [
        [("Q1 2019/20", "2019-06-30", Rag.GREEN, None),
         ("Q2 2019/20", "2019-09-30", Rag.AMBER, None)],
        [("Q1 2019/20", "2019-06-30", Rag.RED, None),
         ("Q2 2019/20", "2019-09-30", Rag.BLUE, None)],
    ]  # fmt: skip
    assert issues(result)[-1:] == [
        (None, "quarter columns name no year: read as 2019/20 (the plan's period); give the "
         "as-at date or the plan period to read them as another year", False),
    ]  # fmt: skip
    assert ("Q1", None, "a period column: each filled period becomes history") in roles(read)


MONTHS_OF_TEXT = [
    ["Ref", "Action", "Lead", "Deadline", "RAG", "Nov-19", "Dec-19", "Jan-20"],
    ["C1", "Run a domestic abuse awareness week in GP surgeries", "CCG", "Feb-20", "Green",
     "Posters sent.", "", "Week held in 14 surgeries."],
    ["C2", "Agree an information-sharing agreement with the housing association",
     "Legal Services", "Ongoing", "Amber", "", "Draft with their solicitor.", ""],
]  # fmt: skip


def test_month_columns_of_text_alone_are_kept_as_written_with_a_warning():
    # "Nov-19 | Dec-19" over words may be each month's plan as well as its update: a plan's
    # milestones written as history would be wrong and could not be taken back.
    result = with_period_history(read_plan_file(csv_bytes(MONTHS_OF_TEXT), "m.csv"), FY_2019)
    assert [(r.rag, r.progress, r.periods, r.extra) for r in result.rows] == [
        (Rag.GREEN, None, (), {"Nov-19": "Posters sent.", "Jan-20": "Week held in 14 surgeries."}),
        (Rag.AMBER, None, (), {"Dec-19": "Draft with their solicitor."}),
    ]
    kept = "a period's text with no role word: kept as an extra field (see the warning)"
    assert [r for r in roles(result) if r[0] in ("Nov-19", "Dec-19", "Jan-20")] == [
        ("Nov-19", None, kept),
        ("Dec-19", None, kept),
        ("Jan-20", None, kept),
    ]
    assert issues(result) == [
        (None, "columns headed by a period alone hold text ('Dec-19', 'Jan-20', 'Nov-19'): kept "
         "as extra fields, not history, as they may be what is planned for each period; head "
         "them with the period and 'update' ('Q1 update') to import them as progress updates",
         False),
    ]  # fmt: skip


def test_month_columns_named_as_updates_are_each_months_update():
    rows = [[f"{h} update" if h[-3:-2] == "-" else h for h in MONTHS_OF_TEXT[0]],
            *MONTHS_OF_TEXT[1:]]  # fmt: skip
    result = with_period_history(read_plan_file(csv_bytes(rows), "m.csv"), FY_2019)
    assert [(r.ref, r.rag, r.progress) for r in result.rows] == [
        ("C1", Rag.GREEN, "Week held in 14 surgeries."),
        ("C2", Rag.AMBER, "Draft with their solicitor."),
    ]
    assert history(result) == [
        [("Nov 2019", "2019-11-30", None, "Posters sent."),
         ("Jan 2020", "2020-01-31", None, "Week held in 14 surgeries.")],
        [("Dec 2019", "2019-12-31", None, "Draft with their solicitor.")],
    ]  # fmt: skip


def test_a_periods_update_column_of_ratings_alone_is_its_rag():
    rows = [
        ["Ref", "Action", "Lead", "Q1 position", "Q2 position"],
        ["E1", "Refresh the stalking protocol", "Police", "Green", "Amber"],
        ["E2", "Map sexual violence services", "Public Health", "Red", ""],
    ]
    result = with_period_history(read_plan_file(csv_bytes(rows), "p.csv"), FY_2019)
    assert [(r.ref, r.rag, r.progress) for r in result.rows] == [
        ("E1", Rag.AMBER, None),
        ("E2", Rag.RED, None),
    ]
    assert history(result) == [
        [("Q1 2019/20", "2019-06-30", Rag.GREEN, None),
         ("Q2 2019/20", "2019-09-30", Rag.AMBER, None)],
        [("Q1 2019/20", "2019-06-30", Rag.RED, None)],
    ]  # fmt: skip


def test_period_columns_of_figures_or_timeline_marks_stay_extra_fields():
    rows = [
        ["Ref", "Action", "Lead", "Q1", "Q2", "Q3"],
        ["D1", "Increase referrals to the perpetrator programme", "Probation", "12", "17", ""],
        ["D2", "Recommission the refuge", "Commissioning", "", "X", "X"],
    ]
    result = with_period_history(read_plan_file(csv_bytes(rows), "counts.csv"), FY_2019)
    assert [(r.rag, r.progress, r.periods, r.extra) for r in result.rows] == [
        (None, None, (), {"Q1": "12", "Q2": "17"}),
        (None, None, (), {"Q2": "X", "Q3": "X"}),
    ]


# 2 and 3. A group row naming the field over date cells naming the periods --------------------


def test_a_rating_group_over_month_date_cells_is_one_header_of_period_columns():
    book = Workbook()
    sheet = book.active
    sheet.append(["Ref", "Action", "Lead", "Deadline", "Rating", None, "Progress to date"])
    sheet.append([None, None, None, None, dt.datetime(2019, 9, 30), dt.datetime(2019, 12, 31)])
    for column in (5, 6):
        sheet.cell(2, column).number_format = "mmm-yy"
    for column in "ABCDG":
        sheet.merge_cells(f"{column}1:{column}2")
    sheet.merge_cells("E1:F1")
    action = "Open a second Sanctuary Scheme contractor framework"
    sheet.append(["E1", action, "Housing", dt.datetime(2020, 3, 1), "Amber", "Achieved",
                  "Framework let in December."])  # fmt: skip
    sheet.cell(3, 4).number_format = "mmm-yy"
    read = read_plan_file(save(book), "framework.xlsx")
    result = with_period_history(read, FY_2019)
    assert summary(result) == [
        (None, None, "E1", action, ["Housing"], "2020-03-31", Rag.BLUE,
         "Framework let in December."),
    ]  # fmt: skip
    assert history(result) == [
        [("Sep 2019", "2019-09-30", Rag.AMBER, None), ("Dec 2019", "2019-12-31", Rag.BLUE, None)],
    ]
    assert result.issues == []
    assert [r.deadline_text for r in result.rows] == ["Mar-20"]


# 3. A quarter with its months in brackets: "Q1 (Apr-Jun)" --------------------------------------


def test_a_quarter_with_its_months_is_the_quarter_the_months_make():
    rows = [
        ["Ref", "Action", "Lead", "Deadline", "Q1 (Apr-Jun) RAG", "Q1 (Apr-Jun) notes",
         "Q2 (Jul-Sep) RAG", "Q2 (Jul-Sep) notes"],
        ["F1", "Brief school governors on Operation Encompass", "Education Safeguarding",
         "Sep-19", "A", "Date set for the June governors' forum.", "Complete", "Briefed."],
    ]  # fmt: skip
    result = with_period_history(read_plan_file(csv_bytes(rows), "governors.csv"), FY_2019)
    assert summary(result) == [
        (None, None, "F1", "Brief school governors on Operation Encompass",
         ["Education Safeguarding"], "2019-09-30", Rag.BLUE, "Briefed."),
    ]  # fmt: skip
    assert history(result) == [
        [("Q1 2019/20", "2019-06-30", Rag.AMBER, "Date set for the June governors' forum."),
         ("Q2 2019/20", "2019-09-30", Rag.BLUE, "Briefed.")],
    ]  # fmt: skip


def test_the_months_decide_the_quarter_and_a_year_with_them_dates_it():
    labels = [
        (c.period.label, c.bare)
        for header in (
            "Q1 (Jan-Mar) RAG",
            "Q3 Oct to Dec 2017 update",
            "Quarter 2 (July - September) RAG",
        )
        if (c := period_column(header, FY_2019)) is not None
    ]
    assert labels == [("Q4 2019/20", True), ("Q3 2017/18", False), ("Q2 2019/20", True)]


def test_quarters_in_words_with_their_months_or_an_end_of_name_their_quarter():
    headers = [
        "Quarter One update", "Second quarter RAG", "End of Q3 commentary",
        "Progress Q4 2019/20 (Jan-Mar)", "Progress at end Sept 2019",
    ]  # fmt: skip
    named = [period_column(h, FY_2019) for h in headers]
    assert [(c.role, c.period.label, c.bare) for c in named if c] == [
        ("progress", "Q1 2019/20", True),
        ("rag", "Q2 2019/20", True),
        ("progress", "Q3 2019/20", True),
        ("progress", "Q4 2019/20", False),
        ("progress", "Sep 2019", False),
    ]


# 7. A deadline written as a range of month-years, or with a note in brackets -------------------


def test_deadlines_as_month_year_ranges_or_with_a_note_read_the_date_they_give():
    rows = [
        ["Ref", "Action", "Lead", "Timescale"],
        ["G1", "Run the white ribbon accreditation", "HR", "Apr 18 – Mar 19"],
        ["G2", "Re-tender the outreach service", "Commissioning", "Sept 2018 (revised)"],
        ["G3", "Hold the DA forum", "CSP Officer", "Ongoing (quarterly)"],
        ["G4", "Review the MARAC operating protocol", "MARAC Chair", "TBC (was Jun-18)"],
    ]
    result = read_plan_file(csv_bytes(rows), "timescales.csv")
    assert [(r.ref, r.deadline, r.ongoing, r.deadline_text) for r in result.rows] == [
        ("G1", dt.date(2019, 3, 31), False, "Apr 18 – Mar 19"),
        ("G2", dt.date(2018, 9, 30), False, "Sept 2018 (revised)"),
        ("G3", None, True, "Ongoing (quarterly)"),
        ("G4", None, False, "TBC (was Jun-18)"),
    ]
    assert issues(result) == [
        (5, "deadline 'TBC (was Jun-18)' is not a date the tracker can read: kept as written, "
         "no deadline set", False),
    ]  # fmt: skip


# 3 and 7. A web page .xls whose RAG cells are coloured by class or colour name ---------------


def test_a_web_page_colours_period_cells_by_style_sheet_class_and_colour_name():
    page = """<html><head><style>
    .xl70 {mso-style-parent:style0; background:#C00000; mso-pattern:black none;}
    td.xl71, .xl72 {background-color: #92D050;}
    .xl73 {font-weight:700;}
    </style></head><body><table>
    <tr><td class=xl73>Ref</td><td class=xl73>Action</td><td class=xl73>Lead</td>
    <td class=xl73>Due</td><td class=xl73>RAG Oct-19</td><td class=xl73>RAG Jan-20</td></tr>
    <tr><td>M1</td><td>Set up a multi-agency tasking group for county lines</td><td>Police</td>
    <td>Mar-20</td><td class=xl70></td><td class="wrap xl71"></td></tr>
    <tr><td>M2</td><td>Map exploitation hotspots with the youth service</td><td>Youth Service</td>
    <td>Feb-20</td><td bgcolor=orange></td><td class=xl73></td></tr>
    </table></body></html>"""
    read = read_plan_file(page.encode(), "tasking.xls")
    result = with_period_history(read, FY_2019)
    assert summary(result) == [
        (None, None, "M1", "Set up a multi-agency tasking group for county lines", ["Police"],
         "2020-03-31", Rag.GREEN, None),
        (None, None, "M2", "Map exploitation hotspots with the youth service", ["Youth Service"],
         "2020-02-29", Rag.AMBER, None),
    ]  # fmt: skip
    assert history(result) == [
        [("Oct 2019", "2019-10-31", Rag.RED, None), ("Jan 2020", "2020-01-31", Rag.GREEN, None)],
        [("Oct 2019", "2019-10-31", Rag.AMBER, None)],
    ]
