"""record_progress, bulk updates and board decisions: permissions, validation, conflicts, audit."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from plan import services
from plan.auth import PermissionDenied, may_update
from plan.models import (
    Action,
    ActionOwner,
    AuditEntry,
    HistoryIsAppendOnly,
    ProgressUpdate,
    UpdateSource,
    UserOwnerName,
)
from plan.queries import Selection, due_soon_count
from plan.queries.my_actions import actions_for
from plan.services import (
    BulkRejected,
    BulkRow,
    Conflict,
    InvalidUpdate,
    ProgressInput,
    record_board_decision,
    record_bulk,
    record_progress,
    validate_progress,
)
from rulebook.overdue import DUE_SOON_DAYS
from rulebook.owners import owner_key
from rulebook.rag import DeliveryStatus, Rag
from tests.builders import actor_of, add_action, add_plan, add_update, add_user, cheap_hasher

NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
TODAY = NOW.date()
GREEN = ProgressInput(Rag.GREEN, "Going well")


@pytest.fixture(autouse=True)
def fast_passwords(monkeypatch):
    monkeypatch.setattr("plan.auth._hasher", cheap_hasher())


@pytest.fixture
def world(session):
    plan = add_plan(session, "VAWG")
    mine = add_action(
        session, plan, "Train staff", ref="1.1", owners=["Kylie Thornton"], deadline=TODAY
    )
    theirs = add_action(session, plan, "Refuge", ref="1.2", owners=["Ian Peet"])
    first = add_update(session, mine, Rag.AMBER, at=NOW - dt.timedelta(days=30))
    for role in ("admin", "officer", "chair", "owner", "viewer"):
        add_user(
            session,
            f"{role}@x.org",
            role,
            owner_names=["Kylie Thornton"] if role in ("owner", "chair", "viewer") else (),
        )
    session.commit()
    actors = {
        role: actor_of(session, f"{role}@x.org")
        for role in ("admin", "officer", "chair", "owner", "viewer")
    }
    return {"mine": mine.id, "theirs": theirs.id, "first": first.id, **actors}


def _updates(session, action_id) -> list[ProgressUpdate]:
    return list(
        session.scalars(
            select(ProgressUpdate)
            .where(ProgressUpdate.action_id == action_id)
            .order_by(ProgressUpdate.id)
        )
    )


def _audit(session) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


# --- Validation rules ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "field", "message"),
    [
        (ProgressInput(None, "text"), "rag", "Choose a RAG rating."),
        (ProgressInput(Rag.GREEN, "   "), "progress", "Say what progress has been made."),
        (ProgressInput(Rag.RED, "x", remedy="r"), "issue", "For Red, say what the issue is."),
        (
            ProgressInput(Rag.AMBER, "x", issue="i"),
            "remedy",
            "For Amber, say what is being done about it.",
        ),
        (
            ProgressInput(Rag.GREEN, "x", percent_complete=101),
            "percent_complete",
            "Percent complete must be between 0 and 100.",
        ),
        (
            ProgressInput(Rag.GREEN, "x", percent_complete=-1),
            "percent_complete",
            "Percent complete must be between 0 and 100.",
        ),
        (
            ProgressInput(Rag.GREEN, "x", revised_deadline=TODAY),
            "revised_deadline_reason",
            "Give a reason for the revised deadline.",
        ),
        (
            ProgressInput(
                Rag.GREEN,
                "x",
                revised_deadline=TODAY - dt.timedelta(days=1),
                revised_deadline_reason="r",
            ),
            "revised_deadline",
            "A revised deadline cannot be in the past.",
        ),
        (
            ProgressInput(Rag.GREEN, "x", revised_deadline_reason="why"),
            "revised_deadline",
            "Give the revised deadline date, or clear the reason.",
        ),
        (
            ProgressInput(Rag.BLUE, "x"),
            "completed_on",
            "Blue means complete: give the date it was completed.",
        ),
        (
            ProgressInput(Rag.GREEN, "x", completed_on=TODAY),
            "completed_on",
            "Only a Blue (complete) update has a completion date.",
        ),
        (
            ProgressInput(Rag.BLUE, "x", completed_on=TODAY + dt.timedelta(days=1)),
            "completed_on",
            "The completion date cannot be in the future.",
        ),
        (
            ProgressInput(Rag.GREEN, "x", evidence_link="javascript:alert(1)"),
            "evidence_link",
            "The evidence link must be a web address starting https://.",
        ),
        (
            ProgressInput(Rag.GREEN, "x" * 5001),
            "progress",
            "Keep the progress under 5000 characters.",
        ),
    ],
)
def test_each_validation_rule(entry, field, message):
    assert [(e.field, e.message) for e in validate_progress(entry, today=TODAY)] == [
        (field, message)
    ]


def test_a_full_valid_update_passes():
    entry = ProgressInput(
        Rag.RED,
        "Stuck",
        issue="Funding cut",
        remedy="Bid to the PCC",
        percent_complete=20,
        revised_deadline=TODAY + dt.timedelta(days=90),
        revised_deadline_reason="Waiting for funding",
        evidence_link="https://example.org/minutes.pdf",
    )
    assert validate_progress(entry, today=TODAY) == []
    assert validate_progress(ProgressInput(Rag.BLUE, "Done", completed_on=TODAY), today=TODAY) == []


# --- record_progress ---------------------------------------------------------------------------


def test_owner_records_progress_on_their_action(session, world):
    entry = ProgressInput(
        Rag.AMBER,
        "Half done",
        issue="Trainer off sick",
        remedy="Agency trainer booked",
        percent_complete=50,
        revised_deadline=TODAY + dt.timedelta(days=30),
        revised_deadline_reason="Sickness",
        evidence_link="https://example.org/e",
    )
    saved = record_progress(
        session,
        world["owner"],
        world["mine"],
        entry,
        expected_latest_update_id=world["first"],
        now=NOW,
    )
    session.commit()
    update = _updates(session, world["mine"])[-1]
    assert update.id == saved.id
    assert (update.author, update.author_email, update.source) == (
        "owner",
        "owner@x.org",
        UpdateSource.FORM,
    )
    assert (update.rag, update.status, update.percent_complete) == (
        Rag.AMBER,
        DeliveryStatus.IN_PROGRESS,
        50,
    )
    assert (update.issue, update.remedy, update.evidence_link) == (
        "Trainer off sick",
        "Agency trainer booked",
        "https://example.org/e",
    )
    assert update.revised_deadline == TODAY + dt.timedelta(days=30)
    # The baseline stays; the current deadline is the revised one.
    mine = actions_for(session, world["owner"], today=TODAY)
    assert [(a.baseline_deadline, a.deadline) for a in mine] == [
        (TODAY, TODAY + dt.timedelta(days=30))
    ]
    entries = _audit(session)[-2:]
    assert [(e.actor, e.event) for e in entries] == [
        ("owner@x.org", "progress recorded"),
        ("owner@x.org", "deadline revised"),
    ]
    assert entries[0].details["rag"] == {"from": "Amber", "to": "Amber"}
    assert entries[1].details["baseline"] == TODAY.isoformat()
    assert entries[1].details["to"] == (TODAY + dt.timedelta(days=30)).isoformat()
    assert entries[0].target.startswith("VAWG / action 1.1")


def test_blue_completes_the_action(session, world):
    record_progress(
        session,
        world["owner"],
        world["mine"],
        ProgressInput(Rag.BLUE, "Done", completed_on=TODAY),
        expected_latest_update_id=world["first"],
        now=NOW,
    )
    update = _updates(session, world["mine"])[-1]
    assert (update.status, update.completed_on) == (DeliveryStatus.COMPLETE, TODAY)


def test_owner_is_refused_on_someone_elses_action(session, world):
    with pytest.raises(PermissionDenied, match="only update their own actions"):
        record_progress(
            session, world["owner"], world["theirs"], GREEN, expected_latest_update_id=None, now=NOW
        )
    session.rollback()
    assert _updates(session, world["theirs"]) == []


@pytest.mark.parametrize("role", ["viewer", "chair"])
def test_viewer_and_chair_cannot_record_progress(session, world, role):
    with pytest.raises(PermissionDenied, match="cannot update actions"):
        record_progress(
            session,
            world[role],
            world["mine"],
            GREEN,
            expected_latest_update_id=world["first"],
            now=NOW,
        )


def test_signed_out_cannot_record_progress(session, world):
    with pytest.raises(PermissionDenied, match="Sign in first"):
        record_progress(
            session, None, world["mine"], GREEN, expected_latest_update_id=world["first"]
        )


@pytest.mark.parametrize("role", ["officer", "admin"])
def test_officers_and_admins_update_any_action(session, world, role):
    record_progress(
        session, world[role], world["theirs"], GREEN, expected_latest_update_id=None, now=NOW
    )
    assert len(_updates(session, world["theirs"])) == 1


def test_an_invalid_update_saves_nothing(session, world):
    with pytest.raises(InvalidUpdate) as error:
        record_progress(
            session,
            world["owner"],
            world["mine"],
            ProgressInput(Rag.RED, ""),
            expected_latest_update_id=world["first"],
            now=NOW,
        )
    assert [e.field for e in error.value.errors] == ["progress", "issue", "remedy"]
    session.rollback()
    assert len(_updates(session, world["mine"])) == 1


def test_a_disabled_account_is_refused_even_with_an_old_actor(session, world):
    from plan import accounts

    accounts.set_disabled(session, None, "owner@x.org")
    session.commit()
    with pytest.raises(PermissionDenied, match="disabled"):
        record_progress(
            session, world["owner"], world["mine"], GREEN, expected_latest_update_id=world["first"]
        )


def test_stale_form_gets_a_conflict_with_the_newer_update(factory, world):
    # Two people open the form on the same update; the second to save is told, not overwritten.
    # Saves are stamped after the world's first update (NOW - 30 days), whatever day it is.
    services.submit_progress(
        factory,
        world["officer"],
        world["mine"],
        ProgressInput(Rag.GREEN, "Officer's news"),
        expected_latest_update_id=world["first"],
        now=NOW,
    )
    with pytest.raises(Conflict) as conflict:
        services.submit_progress(
            factory,
            world["owner"],
            world["mine"],
            GREEN,
            expected_latest_update_id=world["first"],
            now=NOW + dt.timedelta(minutes=1),
        )
    assert conflict.value.newer.progress == "Officer's news"
    assert conflict.value.newer.author == "officer"
    assert "Nothing was saved" in str(conflict.value)
    # Having seen it, the owner saves on top of the newer update.
    services.submit_progress(
        factory,
        world["owner"],
        world["mine"],
        GREEN,
        expected_latest_update_id=conflict.value.newer.id,
        now=NOW + dt.timedelta(minutes=2),
    )
    with factory() as session:
        assert [u.progress for u in _updates(session, world["mine"])] == [
            "update",
            "Officer's news",
            "Going well",
        ]


def test_an_import_after_the_form_opened_is_a_conflict(factory, world):
    from plan.importing import import_file
    from tests.builders import saved_on, xlsx_bytes

    rows = [
        ["Ref", "Action", "Owner", "RAG", "Progress"],
        ["1.1", "Train staff", "Kylie Thornton", "R", "Imported news"],
    ]
    # Saved after the action's newest update, so the file is newer and its row applies.
    data = saved_on(xlsx_bytes(("Plan", rows)), NOW - dt.timedelta(days=1))
    import_file(factory, data, "plan.xlsx", plan_name="VAWG", author="Importer", now=NOW)
    with pytest.raises(Conflict) as conflict:
        services.submit_progress(
            factory,
            world["owner"],
            world["mine"],
            GREEN,
            expected_latest_update_id=world["first"],
            now=NOW + dt.timedelta(minutes=1),
        )
    assert conflict.value.newer.progress == "Imported news"


def test_a_file_with_no_saved_date_does_not_overwrite_a_form_update(factory, world):
    from plan.importing import import_file
    from tests.builders import csv_bytes

    rows = [["Ref", "Action", "Owner", "RAG"], ["1.1", "Train staff", "Kylie Thornton", "G"]]
    report = import_file(
        factory, csv_bytes(rows), "plan.csv", plan_name="VAWG", author="Importer", now=NOW
    )
    assert (report.updates_recorded, len(report.conflicts)) == (0, 1)
    with factory() as session:
        assert [u.rag for u in _updates(session, world["mine"])] == [Rag.AMBER]


def test_conflict_on_an_action_with_no_history(factory, world):
    services.submit_progress(
        factory, world["officer"], world["theirs"], GREEN, expected_latest_update_id=None
    )
    with pytest.raises(Conflict):
        services.submit_progress(
            factory, world["admin"], world["theirs"], GREEN, expected_latest_update_id=None
        )


def test_history_is_never_edited(session, world):
    update = session.get(ProgressUpdate, world["first"])
    update.progress = "rewritten"
    with pytest.raises(HistoryIsAppendOnly):
        session.flush()


# --- Bulk updates --------------------------------------------------------------------------------


def test_officer_bulk_update_saves_all_rows_with_one_audit_summary(session, world):
    rows = [
        BulkRow(world["mine"], ProgressInput(Rag.GREEN, "A"), world["first"]),
        BulkRow(world["theirs"], ProgressInput(Rag.AMBER, "B", issue="i", remedy="r"), None),
    ]
    saved = record_bulk(session, world["officer"], rows, now=NOW)
    assert [s.rag for s in saved] == [Rag.GREEN, Rag.AMBER]
    assert {
        u.source
        for u in (_updates(session, world["mine"])[-1], _updates(session, world["theirs"])[-1])
    } == {UpdateSource.BULK}
    events = [e.event for e in _audit(session)]
    assert events[-3:] == ["progress recorded", "progress recorded", "bulk update"]


def test_bulk_update_with_any_bad_row_saves_nothing(factory, world):
    rows = [
        BulkRow(world["mine"], ProgressInput(Rag.GREEN, "fine"), world["first"], label="1.1"),
        BulkRow(world["theirs"], ProgressInput(Rag.RED, "no issue given"), None, label="1.2"),
    ]
    with pytest.raises(BulkRejected) as rejected:
        services.submit_bulk(factory, world["officer"], rows)
    assert [(p.label, p.messages) for p in rejected.value.problems] == [
        ("1.2", ("For Red, say what the issue is.", "For Red, say what is being done about it."))
    ]
    with factory() as session:
        assert session.scalar(select(func.count(ProgressUpdate.id))) == 1


def test_bulk_update_reports_a_stale_row_as_a_conflict(factory, world):
    services.submit_progress(
        factory,
        world["owner"],
        world["mine"],
        ProgressInput(Rag.GREEN, "owner first"),
        expected_latest_update_id=world["first"],
        now=NOW,
    )
    rows = [
        BulkRow(world["mine"], ProgressInput(Rag.GREEN, "officer"), world["first"], label="1.1")
    ]
    with pytest.raises(BulkRejected) as rejected:
        services.submit_bulk(factory, world["officer"], rows, now=NOW + dt.timedelta(minutes=1))
    problem = rejected.value.problems[0]
    assert problem.newer.progress == "owner first"
    assert "Updated by someone else" in problem.messages[0]


@pytest.mark.parametrize("role", ["owner", "chair", "viewer"])
def test_only_officers_and_admins_bulk_update(session, world, role):
    with pytest.raises(PermissionDenied, match="update many actions at once"):
        record_bulk(session, world[role], [BulkRow(world["mine"], GREEN, world["first"])])


# --- Board decisions ---------------------------------------------------------------------------


def test_chair_records_a_board_decision(session, world):
    decision = record_board_decision(
        session, world["chair"], world["mine"], "Escalate", meeting_date=TODAY, now=NOW
    )
    assert (decision.decision, decision.author) == ("Escalate", "chair")
    assert [(e.actor, e.event) for e in _audit(session)][-1] == ("chair@x.org", "board decision")
    history = services.action_history(session, world["mine"])
    assert [d.decision for d in history.decisions] == ["Escalate"]


@pytest.mark.parametrize("role", ["owner", "officer", "viewer"])
def test_only_chairs_and_admins_record_board_decisions(session, world, role):
    with pytest.raises(PermissionDenied, match="record a board decision"):
        record_board_decision(session, world[role], world["mine"], "Escalate")


def test_board_decision_needs_words_and_a_past_meeting(session, world):
    with pytest.raises(InvalidUpdate, match="Write the board's decision"):
        record_board_decision(session, world["admin"], world["mine"], "  ")
    with pytest.raises(InvalidUpdate, match="cannot be in the future"):
        record_board_decision(
            session,
            world["admin"],
            world["mine"],
            "x",
            meeting_date=TODAY + dt.timedelta(days=1),
            now=NOW,
        )


# --- My actions --------------------------------------------------------------------------------


def test_my_actions_lists_linked_actions_overdue_then_due_soon(session, world):
    plan = add_plan(session, "Other")
    soon = add_action(
        session, plan, "Soon", owners=["kylie thornton"], deadline=TODAY + dt.timedelta(days=10)
    )
    late = add_action(
        session, plan, "Late", owners=["Kylie Thornton"], deadline=TODAY - dt.timedelta(days=100)
    )
    later = add_action(
        session, plan, "Later", owners=["Kylie Thornton"], deadline=TODAY + dt.timedelta(days=300)
    )
    done = add_action(
        session, plan, "Done", owners=["Kylie Thornton"], deadline=TODAY - dt.timedelta(days=5)
    )
    add_update(
        session, done, Rag.BLUE, at=NOW - dt.timedelta(days=6), status=DeliveryStatus.COMPLETE
    )
    session.commit()
    items = actions_for(session, world["owner"], today=TODAY + dt.timedelta(days=1))
    assert [i.action for i in items] == ["Late", "Train staff", "Soon", "Later", "Done"]
    assert [(i.overdue, i.due_soon) for i in items[:3]] == [
        (True, False),
        (True, False),
        (False, True),
    ]
    assert items[1].latest_update_id == world["first"] and items[1].rag == Rag.AMBER
    assert items[-1].rag == Rag.BLUE and not items[-1].overdue
    everything = actions_for(session, world["officer"], today=TODAY, everything=True)
    assert len(everything) == 6
    assert actions_for(session, world["officer"], today=TODAY) == []
    assert {later.id, soon.id, late.id} <= {i.id for i in items}


def test_owner_names_match_alike_in_permissions_and_my_actions(session):
    """One stored key: whoever may update an action sees it in My actions, on every database.

    SQLite's lower() folds ASCII only and neither database folds "ß" to "ss", so matching
    with SQL lower() listed fewer actions than the permission check allowed.
    """
    plan = add_plan(session, "Nordic")
    written = {
        "Åsa Öberg": "ÅSA ÖBERG",
        "Jörg Strauß": "JÖRG  STRAUSS",
        "Zoe\u0308 Ku\u0308hn": "ZOË KÜHN",  # decomposed in the plan, composed in the link
    }
    actions = [add_action(session, plan, f"Action of {n}", owners=[n]) for n in written]
    add_action(session, plan, "Someone else's", owners=["Ian Peet"])
    add_user(session, "nordic@x.org", "owner", owner_names=list(written.values()))
    session.commit()
    actor = actor_of(session, "nordic@x.org")
    assert all(may_update(actor, action) for action in actions)
    listed = actions_for(session, actor, today=TODAY)
    assert sorted(item.id for item in listed) == sorted(action.id for action in actions)
    stored = session.execute(select(ActionOwner.name, ActionOwner.name_key)).all()
    stored += session.execute(select(UserOwnerName.name, UserOwnerName.name_key)).all()
    assert all(key == owner_key(name) for name, key in stored)


def test_owner_key_follows_a_renamed_owner(session):
    plan = add_plan(session, "Renames")
    action = add_action(session, plan, "Renamed", owners=["Kylie Thornton"])
    session.commit()
    action.owners[0].name = "Åsa Öberg"
    session.commit()
    key = session.scalar(select(ActionOwner.name_key).where(ActionOwner.action_id == action.id))
    assert key == owner_key("ÅSA ÖBERG")


def test_my_actions_probe_each_actions_newest_update_without_ranking_history(session, world):
    """One index probe per action, like the dashboard: no window over every progress update."""
    from sqlalchemy import event

    statements: list[str] = []
    engine = session.get_bind()

    def capture(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", capture)
    try:
        items = actions_for(session, world["officer"], today=TODAY, everything=True)
        mine = actions_for(session, world["owner"], today=TODAY)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    assert len(items) == 2 and [i.id for i in mine] == [world["mine"]]
    assert statements
    assert not [s for s in statements if "row_number" in s.lower() or " over " in s.lower()]


def test_my_actions_due_soon_is_the_overview_setting(session, world):
    plan = add_plan(session, "Soon")
    last_day = add_action(
        session, plan, "Last day", deadline=TODAY + dt.timedelta(days=DUE_SOON_DAYS)
    )
    add_action(session, plan, "Too far", deadline=TODAY + dt.timedelta(days=DUE_SOON_DAYS + 1))
    session.commit()
    items = actions_for(session, world["officer"], today=TODAY, everything=True, plan_id=plan.id)
    assert [(i.action, i.due_soon) for i in items] == [("Last day", True), ("Too far", False)]
    overview = due_soon_count(session, selection=Selection(plan_id=plan.id), as_at=TODAY)
    assert sum(i.due_soon for i in items) == overview == 1
    assert last_day.id == items[0].id


def test_my_actions_show_the_newest_update_and_revised_deadline(session, world):
    """The form and the bulk grid start from each action's newest update (the conflict token)."""
    mine = session.get(Action, world["mine"])
    newer = add_update(session, mine, Rag.RED, at=NOW - dt.timedelta(days=1))
    session.commit()
    record_progress(
        session,
        world["owner"],
        world["mine"],
        ProgressInput(
            Rag.GREEN,
            "Back on track",
            percent_complete=40,
            revised_deadline=TODAY + dt.timedelta(days=60),
            revised_deadline_reason="Trainer booked",
        ),
        expected_latest_update_id=newer.id,
        now=NOW,
    )
    session.commit()
    (item,) = actions_for(session, world["owner"], today=TODAY)
    newest = _updates(session, world["mine"])[-1]
    assert (item.latest_update_id, item.rag, item.latest_update) == (
        newest.id,
        Rag.GREEN,
        "Back on track",
    )
    assert (item.updated_by, item.percent_complete) == ("owner", 40)
    assert (item.deadline, item.baseline_deadline) == (TODAY + dt.timedelta(days=60), TODAY)
    assert item.updated_at is not None and item.updated_at.tzinfo is not None
    assert not item.overdue and not item.due_soon
