"""Import round two (issue 15), the mechanisms a held-out set of trackers found missing: each
family's file built in the test, in wording other tests do not use, and the whole output checked."""

from __future__ import annotations

import pytest

from importers import read_plan_file
from rulebook.rag import Rag
from tests.builders import csv_bytes, xlsx_bytes


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


def roles(result):
    return [(c.header, c.role, c.reason) for c in result.column_roles]


def issues(result):
    return [(i.row, i.message, i.skipped) for i in result.issues]


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
