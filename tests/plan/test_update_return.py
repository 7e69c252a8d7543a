"""Update returns: export per owner, fill as an owner would (even re-sorted), import, history."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from plan.exporters.update_return import (
    ABOUT_SHEET,
    ACTION_ID,
    COMPLETED_ON,
    DEADLINE_REASON,
    ISSUE,
    NEW_RAG,
    NEW_UPDATE,
    REMEDY,
    RETURN_COLUMNS,
    RETURN_ID,
    RETURN_SHEET,
    REVISED_DEADLINE,
    UPDATE_ID,
    ReturnFileError,
    export_return,
)
from plan.models import Action, AuditEntry, ProgressUpdate, UpdateSource
from plan.queries import Selection, action_views
from plan.services.returns import import_return, read_return
from rulebook.rag import DeliveryStatus, Rag
from tests.builders import add_action, add_plan, add_update, xlsx_bytes

AS_AT = dt.date(2026, 11, 30)
NOW = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def _build(session):
    plan = add_plan(session, "VAWG")
    kylie = ["Kylie Thornton"]
    a = add_action(session, plan, "Media campaign", ref="1.1", owners=kylie)
    add_update(session, a, Rag.GREEN, at=at(dt.date(2026, 10, 1)), progress="On track")
    b = add_action(session, plan, "=cmd|' /C calc'!A0", ref="1.2", owners=kylie)
    add_update(session, b, Rag.AMBER, at=at(dt.date(2026, 10, 2)), progress="@risk")
    c = add_action(session, plan, "Train staff", ref="1.3", owners=kylie)
    add_action(session, plan, "Refuge review", ref="1.4", owners=kylie)
    done = add_action(session, plan, "Finished", ref="1.5", owners=kylie)
    add_update(session, done, None, at=at(dt.date(2026, 9, 1)), status=DeliveryStatus.COMPLETE)
    add_action(session, plan, "Ian's action", ref="2.1", owners=["Ian Peet"])
    session.commit()
    return plan, {"1.1": a.id, "1.2": b.id, "1.3": c.id}


def _export(session, owner: str | None = "Kylie Thornton"):
    """Make a return as an officer would (recorded in the audit log, committed)."""
    made = export_return(session, owner=owner, as_at=AS_AT, made_by="officer@example.org")
    session.commit()
    return made


def _fill(data: bytes, answers: dict[str, dict[str, object]], *, reverse: bool = False) -> bytes:
    """Fill the return as an owner would in Excel; optionally re-sorted (rows reversed)."""
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook[RETURN_SHEET]
    header = [c.value for c in sheet[1]]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    if reverse:
        rows.reverse()
    for number, values in enumerate(rows, start=2):
        ref = values[header.index("Ref")]
        values = list(values)
        for column, value in answers.get(ref, {}).items():
            values[header.index(column)] = value
        for index, value in enumerate(values, start=1):
            sheet.cell(number, index).value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _history(session, action_id):
    return list(
        session.scalars(
            select(ProgressUpdate)
            .where(ProgressUpdate.action_id == action_id)
            .order_by(ProgressUpdate.id)
        )
    )


def test_return_lists_the_owners_open_actions_with_entry_columns(session):
    _build(session)
    made = _export(session)
    assert made.actions == 4 and made.file_name == "Update return - Kylie Thornton.xlsx"
    workbook = load_workbook(io.BytesIO(made.data))
    assert workbook.sheetnames == ["About", RETURN_SHEET]
    assert workbook["About"]["B3"].value == "Kylie Thornton"
    sheet = workbook[RETURN_SHEET]
    assert [c.value for c in sheet[1]] == list(RETURN_COLUMNS)
    refs = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert refs == ["1.1", "1.2", "1.3", "1.4"]  # not Ian's, not the complete one
    header = list(RETURN_COLUMNS)
    hidden = {d.min for d in sheet.column_dimensions.values() if d.hidden}
    assert hidden == {header.index(ACTION_ID) + 1, header.index(UPDATE_ID) + 1}
    row = [c.value for c in sheet[2]]
    assert row[header.index("Current RAG")] == "✔ Green"
    assert row[header.index("Last update")] == "On track"
    assert row[header.index(NEW_RAG)] is None and row[header.index(NEW_UPDATE)] is None
    (validation,) = sheet.data_validations.dataValidation
    assert validation.type == "list"
    assert validation.formula1 == '"Red,Amber,Green,Blue (complete)"'
    assert str(validation.sqref) == "I2:I5"
    assert [c.value for c in workbook[ABOUT_SHEET]["A"]][5] == RETURN_ID
    # Hostile text stays text.
    hostile = sheet.cell(3, header.index("Action") + 1)
    assert hostile.value == "=cmd|' /C calc'!A0" and hostile.data_type == "s"
    assert sheet.cell(3, header.index("Last update") + 1).data_type == "s"
    assert sheet.freeze_panes == "A2" and sheet.print_title_rows == "$1:$1"


def test_return_for_all_owners(session):
    _build(session)
    made = _export(session, None)
    refs = [
        r[0]
        for r in load_workbook(io.BytesIO(made.data))[RETURN_SHEET].iter_rows(
            min_row=2, values_only=True
        )
    ]
    assert refs == ["1.1", "1.2", "1.3", "1.4", "2.1"]
    assert read_return(made.data).return_id is not None


@pytest.mark.parametrize("reverse", [False, True], ids=["as sent", "re-sorted"])
def test_round_trip_records_history_and_reports_conflicts(session, factory, reverse):
    _, ids = _build(session)
    made = _export(session)
    # Someone updates 1.2 in the app after the return went out.
    with factory() as other:
        action = other.get(Action, ids["1.2"])
        add_update(other, action, Rag.RED, at=at(dt.date(2026, 11, 15)), author="Officer")
        other.commit()
    filled = _fill(
        made.data,
        {
            "1.1": {
                NEW_RAG: "Amber",
                NEW_UPDATE: "Funding delayed",
                ISSUE: "Grant late",
                REMEDY: "Chasing the funder",
                REVISED_DEADLINE: "31/03/2027",
                DEADLINE_REASON: "Grant late",
            },
            "1.2": {NEW_RAG: "Green", NEW_UPDATE: "Back on track"},
            "1.3": {
                NEW_RAG: "Blue (complete)",
                NEW_UPDATE: "+ all staff trained",
                COMPLETED_ON: "20/11/2026",
            },
        },
        reverse=reverse,
    )
    report = import_return(
        factory, filled, "kylie.xlsx", imported_by="officer@example.org", now=NOW
    )

    assert [i.ref for i in report.applied] == (["1.3", "1.1"] if reverse else ["1.1", "1.3"])
    assert report.unchanged == 1  # 1.4: left empty
    assert [(i.ref, i.row) for i in report.conflicts] == [("1.2", 4 if reverse else 3)]
    assert "Officer" in report.conflicts[0].message and not report.errors
    assert report.lines()[0] == (
        "Update return kylie.xlsx from Kylie Thornton: 2 applied, 1 unchanged, "
        "1 conflicts, 0 errors."
    )

    session.expire_all()
    newest = _history(session, ids["1.1"])[-1]
    assert (newest.rag, newest.status, newest.progress) == (
        Rag.AMBER,
        DeliveryStatus.IN_PROGRESS,
        "Funding delayed",
    )
    # The author is who imported it, on the owner's behalf: never text from the file.
    assert newest.author == "officer@example.org for Kylie Thornton"
    assert newest.source == UpdateSource.RETURN
    assert newest.source_detail == "kylie.xlsx"
    assert newest.revised_deadline == dt.date(2027, 3, 31)
    complete = _history(session, ids["1.3"])[-1]
    assert complete.status == DeliveryStatus.COMPLETE and complete.progress == "+ all staff trained"
    assert [u.author for u in _history(session, ids["1.2"])] == ["Test Author", "Officer"]
    views = {v.ref: v for v in action_views(session, selection=Selection(), as_at=NOW.date())}
    assert views["1.1"].rag == Rag.AMBER and views["1.3"].rag == Rag.BLUE
    assert views["1.2"].rag == Rag.RED  # the conflict was not applied
    audit = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert audit[-1].actor == "officer@example.org" and audit[-1].details["applied"] == 2
    revised = [e for e in audit if e.event == "deadline revised"]
    assert [(e.details["to"], e.details["source"]) for e in revised] == [("2027-03-31", "return")]

    # Importing the same file again changes nothing.
    again = import_return(
        factory, filled, "kylie.xlsx", imported_by="officer@example.org", now=NOW + HOUR
    )
    assert (len(again.applied), again.unchanged, len(again.conflicts)) == (0, 3, 1)
    session.expire_all()
    assert len(_history(session, ids["1.1"])) == 2


def test_an_update_without_a_new_rag_keeps_the_current_one(session, factory):
    _, ids = _build(session)
    made = _export(session)
    filled = _fill(made.data, {"1.1": {NEW_UPDATE: "Still fine"}})
    report = import_return(factory, filled, "r.xlsx", imported_by="me", now=NOW)
    assert len(report.applied) == 1
    session.expire_all()
    newest = _history(session, ids["1.1"])[-1]
    assert (newest.rag, newest.progress) == (Rag.GREEN, "Still fine")


def test_bad_rows_are_reported_with_row_numbers_and_the_rest_applied(session, factory):
    _build(session)
    made = _export(session)
    header = list(RETURN_COLUMNS)
    filled = _fill(
        made.data,
        {
            "1.1": {NEW_RAG: "Purple", NEW_UPDATE: "?"},
            "1.2": {NEW_RAG: "Red", REVISED_DEADLINE: "Summer"},
            "1.3": {NEW_RAG: "Green", ACTION_ID: None},
            "1.4": {NEW_RAG: "Red", NEW_UPDATE: "Stuck", ISSUE: "No venue", REMEDY: "Asking"},
        },
    )
    report = import_return(factory, filled, "r.xlsx", imported_by="me", now=NOW)
    assert [str(e) for e in report.errors] == [
        "row 2 (action 1.1): New RAG 'Purple' is not one of Red, Amber, Green, Blue (complete)",
        "row 3 (action 1.2): revised deadline 'Summer' is not a date",
        "row 4 (action 1.3): no matching action (was the hidden id removed?)",
    ]
    assert [i.ref for i in report.applied] == ["1.4"]
    assert header.index(ACTION_ID) > header.index(REVISED_DEADLINE)


def test_a_file_that_is_not_a_return_is_refused(factory):
    with pytest.raises(ReturnFileError, match=r"not an \.xlsx"):
        import_return(factory, b"not a workbook", "x.xlsx", imported_by="me")
    with pytest.raises(ReturnFileError, match="no 'Return' sheet"):
        read_return(xlsx_bytes(("Sheet", [["a"]])))
    with pytest.raises(ReturnFileError, match="hidden columns"):
        read_return(xlsx_bytes((RETURN_SHEET, [["Ref", "New RAG"]])))


# The command line makes the return as at today and stamps the import now: both after _build's.
@pytest.mark.time_machine(NOW)
def test_cli_exports_and_imports_a_return(factory, database_url, monkeypatch, tmp_path, capsys):
    from plan.cli import main

    with factory() as session:
        _, ids = _build(session)
    monkeypatch.setenv("DATABASE_URL", database_url)
    out = tmp_path / "kylie.xlsx"
    assert main(["return", "export", "--owner", "Kylie Thornton", "--output", str(out)]) == 0
    filled = {"1.1": {NEW_RAG: "Red", NEW_UPDATE: "Stuck", ISSUE: "No venue", REMEDY: "Asking"}}
    out.write_bytes(_fill(out.read_bytes(), filled))
    assert main(["return", "import", str(out), "--by", "officer"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("Update return kylie.xlsx from Kylie Thornton: 1 applied")
    with factory() as session:
        assert _history(session, ids["1.1"])[-1].progress == "Stuck"
    (tmp_path / "junk.xlsx").write_bytes(b"junk")
    assert main(["return", "import", str(tmp_path / "junk.xlsx")]) == 2


def test_a_row_the_form_would_refuse_is_reported_and_not_applied(session, factory):
    _, ids = _build(session)
    made = _export(session)
    filled = _fill(
        made.data,
        {
            "1.1": {NEW_RAG: "Red", NEW_UPDATE: "Stuck"},  # no issue, no remedy
            "1.2": {NEW_RAG: "Blue (complete)", NEW_UPDATE: "Done"},  # no completion date
            "1.3": {NEW_UPDATE: "Moving", REVISED_DEADLINE: "31/03/2027"},  # no reason
            "1.4": {NEW_RAG: "Green", NEW_UPDATE: "Fine"},
        },
    )
    report = import_return(factory, filled, "r.xlsx", imported_by="me", now=NOW)
    assert [str(e) for e in report.errors] == [
        "row 2 (action 1.1): For Red, say what the issue is. "
        "For Red, say what is being done about it.",
        "row 3 (action 1.2): Blue means complete: give the date it was completed.",
        "row 4 (action 1.3): Choose a RAG rating. Give a reason for the revised deadline.",
    ]
    assert [i.ref for i in report.applied] == ["1.4"]
    session.expire_all()
    assert [u.rag for u in _history(session, ids["1.1"])] == [Rag.GREEN]


def test_an_edited_return_touches_only_the_actions_it_was_made_for(session, factory):
    _, ids = _build(session)
    other_plan = add_plan(session, "Other plan")
    elsewhere = add_action(session, other_plan, "Someone else's", ref="9.9", owners=["Ian Peet"])
    session.commit()
    made = _export(session)
    filled = _fill(
        made.data,
        {
            # The hidden id pointed at another plan's action.
            "1.1": {ACTION_ID: elsewhere.id, NEW_RAG: "Green", NEW_UPDATE: "Hijacked"},
            # A status the drop-down does not offer, and a deadline in the past.
            "1.2": {NEW_RAG: "Cancelled", NEW_UPDATE: "Drop it"},
            "1.3": {
                NEW_RAG: "Green",
                NEW_UPDATE: "Moved",
                REVISED_DEADLINE: "01/01/2001",
                DEADLINE_REASON: "Because",
            },
        },
    )
    workbook = load_workbook(io.BytesIO(filled))
    workbook[ABOUT_SHEET]["B3"] = "Chief Executive"  # the author is never taken from the file
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = import_return(factory, buffer.getvalue(), "r.xlsx", imported_by="jo", now=NOW)
    assert [str(e) for e in report.errors] == [
        "row 2 (action 1.1): not one of the actions this return was made for: not applied",
        "row 3 (action 1.2): New RAG 'Cancelled' is not one of Red, Amber, Green, Blue (complete)",
        "row 4 (action 1.3): A revised deadline cannot be in the past.",
    ]
    assert report.applied == [] and report.owner == "Kylie Thornton"
    session.expire_all()
    assert [u.progress for u in _history(session, elsewhere.id)] == []
    assert len(_history(session, ids["1.3"])) == 0


def test_a_return_the_tracker_did_not_make_is_refused(session, factory):
    _build(session)
    made = _export(session)
    workbook = load_workbook(io.BytesIO(made.data))
    workbook[ABOUT_SHEET]["B6"] = "0" * 32  # an id no return was made with
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ReturnFileError, match="not a return this tracker made"):
        import_return(factory, buffer.getvalue(), "r.xlsx", imported_by="jo", now=NOW)
