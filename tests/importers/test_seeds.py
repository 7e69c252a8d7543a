"""The seeds' two Trafford plans, typed into Word as they appear there, import completely."""

import datetime as dt

from importers import read_plan_file
from plan.importing import import_file
from tests.importers.seed_plans import da_docx, da_expected, demo, vawc_docx

VAWC_DEADLINES = [
    "2012-04-30", "2011-04-30", "2011-09-30", "2012-08-31",
    "2011-09-30", "2014-03-31", "2014-03-31",
    "2012-04-30", "2011-06-30", "2012-09-30", "2012-04-30", "2012-04-30",
    "2012-04-30", "2013-03-31", "2012-04-30", "2012-03-31", None, "2012-04-30",
    None, None, "2013-03-31",
    "2011-07-31", "2012-03-31", "2012-09-30", "2012-12-31", "2012-12-31", "2013-03-31",
    "2011-09-30", "2012-03-31",
]  # fmt: skip
DA_DEADLINES = [
    "2014-11-30", "2014-03-31", "2014-01-31", "2014-04-30", "2014-06-30", "2014-03-31",
    "2014-06-30", "2014-06-30", "2014-04-30", "2014-03-31",
    "2014-03-31", "2014-04-30", "2014-01-31", "2014-04-30", "2014-04-30", "2014-06-30",
    "2014-07-31", "2014-01-31", "2014-02-28", "2014-03-31", "2014-05-31",
    "2014-04-30", "2014-04-30", "2013-12-31", None, "2014-05-31", None,
    "2014-01-31", "2013-11-30", "2014-07-31", "2014-08-31", "2014-02-28", "2014-06-30",
    "2014-07-31",
]  # fmt: skip


def _iso(row):
    return row.deadline.isoformat() if row.deadline else None


def test_vawc_delivery_plan_from_word_reads_all_29_actions_and_no_placeholders():
    result = read_plan_file(vawc_docx(), "vawc.docx")
    expected = [
        (objective.split(" ")[1].rstrip("–"), ref, action, owner, deadline)
        for objective, actions in demo.VAWC_PLAN
        for ref, action, owner, deadline, _, _ in actions
    ]
    assert [(r.objective_ref, r.ref, r.action, r.lead, r.deadline_text) for r in result.rows] == (
        expected
    )
    assert len(result.rows) == 29
    assert [r.objective for r in result.rows if r.ref.endswith(".1")] == [
        "Prevention",
        "Communication",
        "Safeguarding",
        "Provision",
        "Protection: Improved access to court and criminal justice",
        "Transform for the future by effectively and efficiently tackling the key drivers "
        "behind offending and re-offending",
    ]
    assert [_iso(r) for r in result.rows] == VAWC_DEADLINES
    assert [r.ref for r in result.rows if r.ongoing] == ["3.1"]
    assert {(r.rag, r.status, r.progress) for r in result.rows} == {(None, None, None)}
    assert result.rows[-4].owners == ["GMP", "Probation", "IOM"]
    assert [str(i) for i in result.issues] == [
        "vawc.docx, table 1, row 9: only a ref ('1.5') and nothing else: not an action, skipped",
        "vawc.docx, table 1, row 10: only a ref ('1.6') and nothing else: not an action, skipped",
        "vawc.docx, table 1, row 16: only a ref ('2.4') and nothing else: not an action, skipped",
        "vawc.docx, table 2, row 7, deadline: deadline 'April 2011-02-28' is not a date the "
        "tracker can read: kept as written, no deadline set",
    ]
    assert len(result.rows_skipped) == 3
    assert result.unmapped_columns == ["Strategy Link"]
    assert result.columns["(column 1, no header)"] == "ref"


def test_domestic_abuse_plan_from_word_joins_page_breaks_and_reads_all_34_actions():
    result = read_plan_file(da_docx(), "da.docx")
    assert [
        (
            r.objective,
            r.objective_description,
            r.action,
            r.milestone,
            r.lead,
            r.deadline_text,
            r.target,
            r.progress,
        )
        for r in result.rows
    ] == da_expected()
    assert len(result.rows) == 34
    assert [_iso(r) for r in result.rows] == DA_DEADLINES
    assert {(r.rag, r.status, r.ref) for r in result.rows} == {(None, None, None)}
    joined = [r for r in result.rows if r.progress and "Ken McDonald" in r.progress]
    assert joined[0].progress.endswith(
        "Also Ken McDonald chaired a DV scoping group that was looking at addressing young "
        "peoples needs with a bespoke programme with the aim to reduce the likelihood of young "
        "people becoming victims/ perpetrators of domestic abuse"
    )
    assert [str(i) for i in result.issues] == [
        "da.docx, table 2, row 2: no action text: read as the continuation of table 1 row 2 "
        "and joined",
        "da.docx, table 5, row 1: no action text: read as the continuation of table 4 row 5 "
        "and joined",
        "da.docx, table 6, row 2: no action text: read as the continuation of table 5 row 4 "
        "and joined",
        "da.docx, table 7, row 1: no action text: read as the continuation of table 6 row 3 "
        "and joined",
        "da.docx, table 13, row 1: no action text: read as the continuation of table 12 row 6 "
        "and joined",
    ]
    assert result.rows_skipped == []
    assert result.objectives == [
        "Victims",
        "Children and Young People",
        "Perpetrators",
        "Joint Working and Commissioning",
        "Information Gathering",
    ]


def test_seed_plans_load_into_the_database(factory):
    now = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    vawc = import_file(factory, vawc_docx(), "vawc.docx", author="Test", now=now)
    da = import_file(factory, da_docx(), "da.docx", author="Test", now=now)
    assert (vawc.actions_created, vawc.objectives_created) == (29, 6)
    assert (da.actions_created, da.objectives_created) == (34, 5)
    again = import_file(factory, da_docx(), "da.docx", author="Test", now=now)
    assert (again.actions_created, again.actions_updated, again.actions_unchanged) == (0, 0, 34)
