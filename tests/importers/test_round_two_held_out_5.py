"""Import round two (issue 15), held-out round 5 (held3c): what a fresh batch found missing.

Each file is built here, in wording other tests do not use, and the whole output checked."""

from __future__ import annotations

from importers import read_plan_file
from rulebook.rag import Rag
from tests.builders import csv_bytes, docx_bytes
from tests.importers.results import issues, roles, summary

# 1. A lead written on its own line under the action, in the action's cell -------------------


def test_a_lead_line_under_the_action_is_its_owner_when_no_column_names_one():
    data = docx_bytes(
        ("heading", "Strand 1 – Making safeguarding personal"),
        [
            ["Ref", "Action", "Timescale", "RAG", "Progress"],
            ["M1.1", "Refresh the self-neglect and hoarding protocol\nLead: Board Manager",
             "Dec 2025", "Amber", "Draft out for comment."],
            ["M1.2", "Run a practitioner survey on MSP\nLead officer: Principal Social Worker / "
             "Adult Safeguarding Team", "Nov-25", "Green", "Survey closes in November."],
            ["M1.3", "Agree a family-led escalation route\nNote: awaiting legal advice",
             "March 2026", "", ""],
        ],
    )  # fmt: skip
    result = read_plan_file(data, "sab plan.docx")
    objective = ("1", "Making safeguarding personal")
    assert summary(result) == [
        (*objective, "M1.1", "Refresh the self-neglect and hoarding protocol",
         ["Board Manager"], "2025-12-31", Rag.AMBER, "Draft out for comment."),
        (*objective, "M1.2", "Run a practitioner survey on MSP",
         ["Principal Social Worker", "Adult Safeguarding Team"], "2025-11-30", Rag.GREEN,
         "Survey closes in November."),
        # "Note:" names no lead: the line stays part of the action.
        (*objective, "M1.3", "Agree a family-led escalation route\nNote: awaiting legal advice",
         [], "2026-03-31", None, None),
    ]  # fmt: skip
    assert [r.lead for r in result.rows] == [
        "Board Manager",
        "Principal Social Worker / Adult Safeguarding Team",
        None,
    ]
    assert issues(result) == []


def test_a_lead_line_is_left_in_the_action_when_the_owner_column_names_the_lead():
    data = csv_bytes(
        [
            ["Ref", "Action", "Owner", "Due date"],
            ["C1", "Publish the learning briefing\nLead: SAR Sub-Group", "Board Manager",
             "31/07/2025"],
            ["C2", "Audit the SAR recommendations\nResponsible agency: QA Sub-Group", "",
             "31/03/2026"],
        ]
    )  # fmt: skip
    result = read_plan_file(data, "plan.csv")
    assert summary(result) == [
        (None, None, "C1", "Publish the learning briefing\nLead: SAR Sub-Group",
         ["Board Manager"], "2025-07-31", None, None),
        (None, None, "C2", "Audit the SAR recommendations", ["QA Sub-Group"], "2026-03-31",
         None, None),
    ]  # fmt: skip
    assert issues(result) == []


# 1. A performance system's "Action Code" is the ref --------------------------------------------


def test_a_performance_system_export_reads_its_action_code_as_the_ref():
    data = csv_bytes(
        [
            ["Action Code", "Action Title", "Assigned To", "Due Date", "Status Icon",
             "Latest Note", "Progress %"],
            ["CSP2526-SV01", "Refresh the serious violence needs assessment", "Sarah Ahmed",
             "31-Mar-2026", "Completed", "Published in October.", "100%"],
            ["CSP2526-ASB02", "Pilot hotspot patrols in the town centre", "Dave Kerr",
             "30-Jun-2025", "Cancelled", "Grant withdrawn.", "0%"],
        ]
    )  # fmt: skip
    result = read_plan_file(data, "ActionsExport.csv")
    assert summary(result) == [
        (None, None, "CSP2526-SV01", "Refresh the serious violence needs assessment",
         ["Sarah Ahmed"], "2026-03-31", Rag.BLUE, "Published in October."),
        (None, None, "CSP2526-ASB02", "Pilot hotspot patrols in the town centre", ["Dave Kerr"],
         "2025-06-30", None, "Grant withdrawn."),
    ]  # fmt: skip
    assert roles(result) == [
        ("Action Code", "ref", "header word"),
        ("Action Title", "action", "header word"),
        ("Assigned To", "lead", "header word"),
        ("Due Date", "deadline", "header word"),
        ("Status Icon", "rag", "content: RAG words or fill colours"),
        ("Latest Note", "progress", "header word"),
        ("Progress %", None, "not recognised: kept as an extra field"),
    ]
    assert issues(result) == []


def test_a_cell_of_control_characters_alone_is_empty_not_a_damaged_file():
    # A Word cell's end mark (\x07) or an old system's \x01 shows as nothing.
    rows = [
        ["Ref", "Action", "Owner", "Deadline"],
        ["1", "\x07", "Police", "Mar-25"],
        ["2", "Train\x01 staff\x07", "Police", "Mar-25"],
    ]
    result = read_plan_file(csv_bytes(rows), "plan.csv")
    assert summary(result) == [
        (None, None, "2", "Train staff", ["Police"], "2025-03-31", None, None),
    ]
    assert issues(result) == [(2, "no action text (ref '1'): not an action, skipped", True)]
