"""Imports write through the one append path: never over a newer update, never twice at once."""

import datetime as dt
import threading

import pytest
from alembic import command
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from plan.database import alembic_config, make_engine
from plan.importing import import_file
from plan.models import Action, Plan, ProgressUpdate, UpdateSource
from rulebook.rag import Rag
from tests.builders import NOW, add_update, csv_bytes, saved_on, xlsx_bytes

HEADER = ["Ref", "Action", "Lead", "Deadline", "RAG", "Update"]
PLAN = [HEADER, ["1.1", "Support IDVAs", "Kylie Thornton", "March 2027", "Green", "On track"]]
T1, T2, T3 = (NOW + dt.timedelta(days=d) for d in (0, 1, 2))


def _history(factory) -> list[tuple[Rag | None, str]]:
    with factory() as session:
        return [
            (u.rag, u.source.value)
            for u in session.scalars(select(ProgressUpdate).order_by(ProgressUpdate.id))
        ]


def _owner_says_red(factory, at: dt.datetime) -> None:
    with factory() as session, session.begin():
        action = session.scalar(select(Action))
        add_update(session, action, Rag.RED, at=at, progress="Funding withdrawn")


def test_reimporting_an_old_csv_does_not_revert_a_newer_update(factory):
    import_file(factory, csv_bytes(PLAN), "plan.csv", plan_name="P", author="Jo", now=T1)
    _owner_says_red(factory, T2)
    report = import_file(factory, csv_bytes(PLAN), "plan.csv", plan_name="P", author="Jo", now=T3)
    assert _history(factory) == [(Rag.GREEN, "import"), (Rag.RED, "form")]
    assert report.updates_recorded == 0
    assert [(c.row, c.message.split(" (")[0]) for c in report.conflicts] == [
        (2, "not applied: the action was updated in the tracker after this file was saved")
    ]
    assert "Funding withdrawn" in report.conflicts[0].message
    assert any(line.startswith("Conflicts, not applied (1)") for line in report.lines())


def test_an_xlsx_saved_before_the_newer_update_is_a_conflict_and_one_saved_after_applies(
    factory,
):
    import_file(factory, xlsx_bytes(("Plan", PLAN)), "p.xlsx", plan_name="P", author="Jo", now=T1)
    _owner_says_red(factory, T2)
    old = saved_on(xlsx_bytes(("Plan", PLAN)), T2 - dt.timedelta(hours=1))
    report = import_file(factory, old, "p.xlsx", plan_name="P", author="Jo", now=T3)
    assert (report.updates_recorded, len(report.conflicts)) == (0, 1)
    newer = saved_on(xlsx_bytes(("Plan", PLAN)), T2 + dt.timedelta(hours=1))
    report = import_file(factory, newer, "p.xlsx", plan_name="P", author="Jo", now=T3)
    assert (report.updates_recorded, report.conflicts) == (1, [])
    assert _history(factory)[-1] == (Rag.GREEN, "import")


def test_a_file_claiming_to_be_saved_in_the_future_is_not_trusted(factory):
    import_file(factory, csv_bytes(PLAN), "plan.csv", plan_name="P", author="Jo", now=T1)
    _owner_says_red(factory, T2)
    forged = saved_on(xlsx_bytes(("Plan", PLAN)), T3 + dt.timedelta(days=300))
    report = import_file(factory, forged, "p.xlsx", plan_name="P", author="Jo", now=T3)
    assert (report.updates_recorded, len(report.conflicts)) == (0, 1)


def test_a_changed_row_after_an_import_applies_and_is_audited_once(factory):
    import_file(factory, csv_bytes(PLAN), "plan.csv", plan_name="P", author="Jo", now=T1)
    amber = [HEADER, ["1.1", "Support IDVAs", "Kylie Thornton", "March 2027", "Amber", "Late"]]
    report = import_file(factory, csv_bytes(amber), "plan.csv", plan_name="P", author="Jo", now=T2)
    assert (report.updates_recorded, report.actions_updated, report.conflicts) == (1, 1, [])
    assert report.recorded_as_written == [2]  # Amber with no issue or remedy, as the file says
    assert _history(factory) == [(Rag.GREEN, "import"), (Rag.AMBER, "import")]


def test_two_imports_of_one_plan_at_once_do_not_duplicate_it(factory):
    rows = [HEADER] + [[f"{i}.1", f"Action {i}", "Owner", "", "Green", ""] for i in range(300)]
    data = csv_bytes(rows)
    reports, errors = [], []
    start = threading.Barrier(2)

    def run() -> None:
        try:
            start.wait()
            reports.append(import_file(factory, data, "p.csv", plan_name="P", author="Jo", now=T1))
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sorted(r.actions_created for r in reports) == [0, 300]
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Plan)) == 1
        assert session.scalar(select(func.count()).select_from(Action)) == 300
        assert session.scalar(select(func.count(func.distinct(Action.ref)))) == 300


def test_the_database_refuses_a_second_action_with_the_same_ref_in_a_plan(session):
    plan = Plan(name="P")
    session.add_all([plan, Action(plan=plan, ref="1.1", text="A"), Action(plan=plan, text="B")])
    session.flush()
    session.add(Action(plan=plan, ref=None, text="C"))  # no ref: any number of them
    session.flush()
    session.add(Action(plan=plan, ref="1.1", text="D"))
    with pytest.raises(IntegrityError):
        session.flush()


def test_the_unique_ref_migration_reports_duplicates_and_deletes_nothing(database_url):
    engine = make_engine(database_url)
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
        connection.execute(
            text("INSERT INTO plans (id, name, created_at) VALUES (1, 'VAWG', :t)"), {"t": NOW}
        )
        for action_id in (7, 9):
            connection.execute(
                text(
                    "INSERT INTO actions (id, plan_id, ref, text, ongoing, extra, position, "
                    "created_at) VALUES (:id, 1, '1.1', 'x', false, '{}', 0, :t)"
                ),
                {"id": action_id, "t": NOW},
            )
    refused = pytest.raises(Exception, match=r"plan 'VAWG', ref '1.1': actions 7, 9")
    with refused, engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM actions")) == 2
    engine.dispose()


def test_import_updates_come_through_the_append_path_with_their_source(factory):
    import_file(factory, csv_bytes(PLAN), "plan.csv", plan_name="P", author="Jo", now=T1)
    with factory() as session:
        update = session.scalar(select(ProgressUpdate))
        assert (update.source, update.source_detail, update.author) == (
            UpdateSource.IMPORT,
            "plan.csv, row 2",
            "Jo",
        )
