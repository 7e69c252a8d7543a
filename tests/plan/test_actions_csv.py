"""The actions CSV and JSON records: the same actions, the same columns, nothing runs."""

import csv
import datetime as dt
import io
import json

from plan.exporters.actions_csv import actions_csv
from plan.exporters.records import EXPORT_COLUMNS, actions_json
from plan.exporters.safe_cells import FORMULA_STARTS
from plan.queries import Selection, action_views
from rulebook.rag import DeliveryStatus, Rag
from tests.builders import add_action, add_plan, add_update

AS_AT, COMPARED = dt.date(2026, 11, 30), dt.date(2026, 9, 30)
HOSTILE = ('=HYPERLINK("http://evil","x")', "+1", "-2", "@SUM(A1)", "\t=1", "\r=2")


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def _views(session):
    plan = add_plan(session, "VAWG", "Prevention")
    red = add_action(
        session,
        plan,
        "Media campaign",
        ref="1.1",
        deadline=dt.date(2026, 10, 31),
        owners=["Kylie Thornton", "Ian Peet"],
    )
    add_update(session, red, Rag.RED, at=at(dt.date(2026, 10, 15)), progress=HOSTILE[0])
    done = add_action(session, plan, HOSTILE[1], ref="1.2", owners=["@Ian Peet"])
    add_update(
        session,
        done,
        None,
        at=at(dt.date(2026, 11, 1)),
        status=DeliveryStatus.COMPLETE,
        progress="\n".join(HOSTILE[2:]),
    )
    add_action(session, plan, "Not yet rated", ref="1.3")
    session.commit()
    return action_views(session, selection=Selection(), as_at=AS_AT, compared_with=COMPARED)


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def test_csv_columns_are_the_json_keys_in_order_with_the_same_actions(session):
    views = _views(session)
    text = actions_csv(views)
    assert text.startswith("\ufeff")  # UTF-8 with BOM, so Excel shows ✖ and ★
    assert text.splitlines(keepends=True)[0].endswith("\r\n")
    header = next(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert tuple(header) == EXPORT_COLUMNS
    records = json.loads(actions_json(views))
    assert [tuple(record) for record in records] == [EXPORT_COLUMNS] * 3
    assert [row["ref"] for row in _rows(text)] == [record["ref"] for record in records]


def test_csv_values_one_way_each(session):
    rows = {row["ref"]: row for row in _rows(actions_csv(_views(session)))}
    assert rows["1.1"] == {
        "plan": "VAWG",
        "objective": "Prevention",
        "ref": "1.1",
        "action": "Media campaign",
        "owner": "Kylie Thornton / Ian Peet",
        "owners": "Kylie Thornton; Ian Peet",
        "deadline": "2026-10-31",
        "deadline_text": "31/10/2026",
        "ongoing": "no",
        "rag": "✖ Red",
        "status": "in progress",
        "latest_update": "'" + HOSTILE[0],
        "updated_at": "2026-10-15T12:00:00+00:00",
        "overdue": "yes",
    }
    assert (rows["1.2"]["rag"], rows["1.2"]["status"]) == ("★ Blue", "complete")
    assert (rows["1.3"]["rag"], rows["1.3"]["deadline"], rows["1.3"]["updated_at"]) == (
        "– Not rated",
        "",
        "",
    )


def test_json_records_keep_their_types(session):
    records = {r["ref"]: r for r in json.loads(actions_json(_views(session)))}
    assert records["1.1"]["owners"] == ["Kylie Thornton", "Ian Peet"]
    assert (records["1.1"]["rag"], records["1.1"]["overdue"], records["1.1"]["ongoing"]) == (
        "Red",
        True,
        False,
    )
    assert records["1.1"]["latest_update"] == HOSTILE[0]  # JSON is data, not a spreadsheet
    assert (records["1.3"]["rag"], records["1.3"]["deadline"]) == (None, None)


def test_no_csv_cell_starts_a_formula_and_each_reads_as_written(session):
    rows = _rows(actions_csv(_views(session)))
    for row in rows:
        for value in row.values():
            assert not value.startswith(FORMULA_STARTS), value
    by_ref = {row["ref"]: row for row in rows}
    assert by_ref["1.2"]["action"] == "'+1"
    assert by_ref["1.2"]["owner"] == by_ref["1.2"]["owners"] == "'@Ian Peet"
    assert by_ref["1.2"]["latest_update"] == "'" + "\n".join(HOSTILE[2:])
