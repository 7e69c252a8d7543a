"""Loading rows into the database: one transaction, no duplicates, history on re-import."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from importers import ImportFileError
from plan.importing import import_file
from plan.models import (
    Action,
    ActionOwner,
    HistoryIsAppendOnly,
    Objective,
    Plan,
    ProgressUpdate,
)
from rulebook.owners import owner_key
from rulebook.rag import DeliveryStatus, Rag
from tests.builders import NOW, csv_bytes

HEADER = ["Objective", "Ref", "Action", "Lead", "Deadline", "RAG", "Update"]
VERSION_1 = [
    HEADER,
    [
        "Victims",
        "1.1",
        "Support IDVAs",
        "Kylie Thornton / Ian Peet",
        "March 2014",
        "Amber",
        "Review",
    ],
    ["Victims", "1.2", "Target hardening", "Richard Roe", "April 2014", "", ""],
    ["Perpetrators", "2.1", "Peer support group", "Probation", "Ongoing", "G", "Going well"],
]


def _counts(session):
    return tuple(
        session.scalar(select(func.count()).select_from(model))
        for model in (Plan, Objective, Action, ProgressUpdate)
    )


def test_import_creates_plan_objectives_actions_owners_and_updates(factory):
    report = import_file(
        factory, csv_bytes(VERSION_1), "da.csv", plan_name="DA", author="Officer", now=NOW
    )
    assert (report.plan_created, report.objectives_created, report.actions_created) == (True, 2, 3)
    assert report.updates_recorded == 2
    with factory() as session:
        assert _counts(session) == (1, 2, 3, 2)
        action = session.scalar(select(Action).where(Action.ref == "1.1"))
        assert action.owner_names == ["Kylie Thornton", "Ian Peet"]
        assert (action.deadline, action.deadline_text, action.objective.title) == (
            dt.date(2014, 3, 31),
            "March 2014",
            "Victims",
        )
        (update,) = action.updates
        assert (update.rag, update.status, update.progress, update.author) == (
            Rag.AMBER,
            DeliveryStatus.IN_PROGRESS,
            "Review",
            "Officer",
        )
        assert update.source_detail == "da.csv, row 2"
        assert update.reporting_period == "Q3 2026/27"
        ongoing = session.scalar(select(Action).where(Action.ref == "2.1"))
        assert (ongoing.deadline, ongoing.ongoing) == (None, True)


def test_reimporting_the_same_file_changes_nothing(factory):
    import_file(factory, csv_bytes(VERSION_1), "da.csv", plan_name="DA", author="A", now=NOW)
    report = import_file(
        factory,
        csv_bytes(VERSION_1),
        "da.csv",
        plan_name="DA",
        author="A",
        now=NOW + dt.timedelta(days=1),
    )
    assert (report.actions_created, report.actions_updated, report.actions_unchanged) == (0, 0, 3)
    assert report.updates_recorded == 0
    with factory() as session:
        assert _counts(session) == (1, 2, 3, 2)


def test_imported_owner_names_are_stored_with_their_key(factory):
    """New actions' owners (bulk Core insert) and changed owners (ORM) both carry the key."""
    first = [HEADER, ["Victims", "1.1", "Support IDVAs", "ÅSA ÖBERG / Ian Peet", "", "", ""]]
    import_file(factory, csv_bytes(first), "v1.csv", plan_name="DA", author="A", now=NOW)
    second = [HEADER, ["Victims", "1.1", "Support IDVAs", "Jörg Strauß / Ian Peet", "", "", ""]]
    later = NOW + dt.timedelta(days=1)
    import_file(factory, csv_bytes(second), "v2.csv", plan_name="DA", author="A", now=later)
    with factory() as session:
        stored = session.execute(
            select(ActionOwner.name, ActionOwner.name_key).order_by(ActionOwner.position)
        ).all()
    assert stored == [("Jörg Strauß", owner_key("JÖRG STRAUSS")), ("Ian Peet", "ian peet")]


def test_newer_version_adds_history_and_matches_by_ref_then_text(factory):
    import_file(factory, csv_bytes(VERSION_1), "v1.csv", plan_name="DA", author="A", now=NOW)
    version_2 = [
        HEADER,
        # Same ref, edited text: matched by ref; RAG moved Amber -> Red.
        [
            "Victims",
            "1.1",
            "Support the IDVA service",
            "Kylie Thornton",
            "March 2014",
            "Red",
            "Funding gap",
        ],
        ["Victims", "1.2", "Target hardening", "Richard Roe", "April 2014", "", ""],
        # No ref now: matched by its action text.
        ["Perpetrators", "", "Peer support group", "Probation", "Ongoing", "Complete", "Done"],
        ["Perpetrators", "2.2", "New action", "Probation", "May 2015", "", ""],
    ]
    later = NOW + dt.timedelta(days=90)
    report = import_file(
        factory, csv_bytes(version_2), "v2.csv", plan_name="DA", author="B", now=later
    )
    assert (report.actions_created, report.actions_updated, report.actions_unchanged) == (1, 2, 1)
    assert report.updates_recorded == 2
    with factory() as session:
        first = session.scalar(select(Action).where(Action.ref == "1.1"))
        assert first.text == "Support the IDVA service"
        assert first.owner_names == ["Kylie Thornton"]
        assert [(u.rag, u.progress, u.author) for u in first.updates] == [
            (Rag.AMBER, "Review", "A"),
            (Rag.RED, "Funding gap", "B"),
        ]
        peer = session.scalar(select(Action).where(Action.text == "Peer support group"))
        assert [u.status for u in peer.updates] == [
            DeliveryStatus.IN_PROGRESS,
            DeliveryStatus.COMPLETE,
        ]
        assert _counts(session) == (1, 2, 4, 4)


def test_bad_file_changes_nothing(factory):
    import_file(factory, csv_bytes(VERSION_1), "da.csv", plan_name="DA", author="A", now=NOW)
    with factory() as session:
        before = _counts(session)
    with pytest.raises(ImportFileError):
        import_file(factory, b"Name,Age\r\nBob,3\r\n", "bad.csv", plan_name="DA", author="A")
    with factory() as session:
        assert _counts(session) == before


def test_import_is_one_transaction(factory, monkeypatch):
    """A failure part-way through the load leaves no partial plan behind."""
    import plan.importing as importing

    real = importing.dated_entries
    calls = {"n": 0}

    def fail_on_second(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(importing, "dated_entries", fail_on_second)
    with pytest.raises(RuntimeError):
        import_file(factory, csv_bytes(VERSION_1), "da.csv", plan_name="DA", author="A")
    with factory() as session:
        assert _counts(session) == (0, 0, 0, 0)


def test_rows_go_in_by_batches_each_with_its_owners_and_update(factory, monkeypatch):
    """Batches of two rows: five actions take three; a column only the last row fills (a
    RAG kept as written) is still stored."""
    import plan.database

    monkeypatch.setattr(plan.database, "INSERT_BATCH", 2)
    rows = [
        HEADER,
        ["A", "1.1", "One", "Ann / Bo", "", "Green", "Fine"],
        ["A", "1.2", "Two", "Cy", "", "", "Started"],
        ["B", "2.1", "Three", "Di / Ed / Flo", "", "Red", ""],
        ["B", "2.2", "Four", "", "", "", ""],
        ["B", "2.3", "Five", "Gus", "", "Purple", "Odd"],
    ]
    report = import_file(factory, csv_bytes(rows), "b.csv", plan_name="B", author="A", now=NOW)
    assert (report.actions_created, report.updates_recorded) == (5, 4)
    with factory() as session:
        actions = session.scalars(select(Action).order_by(Action.position)).all()
        assert [(a.ref, a.text, a.owner_names) for a in actions] == [
            ("1.1", "One", ["Ann", "Bo"]),
            ("1.2", "Two", ["Cy"]),
            ("2.1", "Three", ["Di", "Ed", "Flo"]),
            ("2.2", "Four", []),
            ("2.3", "Five", ["Gus"]),
        ]
        updates = session.execute(
            select(Action.ref, ProgressUpdate.rag, ProgressUpdate.rag_text, ProgressUpdate.progress)
            .join(Action)
            .order_by(Action.position)
        ).all()
        assert [tuple(u) for u in updates] == [
            ("1.1", Rag.GREEN, None, "Fine"),
            ("1.2", None, None, "Started"),
            ("2.1", Rag.RED, None, None),
            ("2.3", None, "Purple", "Odd"),
        ]


def test_duplicate_refs_in_one_file_are_kept_apart_and_reported(factory):
    rows = [HEADER, ["", "1.1", "First", "A", "", "", ""], ["", "1.1", "Second", "B", "", "", ""]]
    report = import_file(factory, csv_bytes(rows), "dup.csv", plan_name="Dup", author="A")
    assert report.actions_created == 2
    assert [(i.row, i.message) for i in report.issues] == [
        (3, "same ref or action text as an earlier row: kept as a separate action")
    ]


def test_history_cannot_be_edited_or_deleted(factory):
    import_file(factory, csv_bytes(VERSION_1), "da.csv", plan_name="DA", author="A", now=NOW)
    with factory() as session:
        update = session.scalars(select(ProgressUpdate)).first()
        update.progress = "rewritten"
        with pytest.raises(HistoryIsAppendOnly):
            session.flush()
        session.rollback()
        session.delete(session.scalars(select(ProgressUpdate)).first())
        with pytest.raises(HistoryIsAppendOnly):
            session.flush()


def test_import_as_requires_the_import_permission(factory):
    from importers import read_plan_file
    from plan.auth import PermissionDenied
    from plan.importing import import_as
    from tests.builders import actor_of, add_user

    with factory() as session:
        add_user(session, "owner@test.org", "owner")
        add_user(session, "officer@test.org", "officer")
        session.commit()
        owner, officer = actor_of(session, "owner@test.org"), actor_of(session, "officer@test.org")
    result = read_plan_file(csv_bytes(VERSION_1), "da.csv")
    for refused in (None, owner):
        with pytest.raises(PermissionDenied):
            import_as(factory, refused, result, plan_name="DA")
    with factory() as session:
        assert _counts(session) == (0, 0, 0, 0)
    report = import_as(factory, officer, result, plan_name="DA")
    assert report.actions_created == 3
    with factory() as session:
        update = session.scalars(select(ProgressUpdate)).first()
        assert update.author == officer.name
