"""record_progress, bulk updates and board decisions: permissions, validation, conflicts, audit."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from plan import services
from plan.auth import PermissionDenied
from plan.models import AuditEntry, HistoryIsAppendOnly, ProgressUpdate, UpdateSource
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
    mine = services.actions_for(session, world["owner"], today=TODAY)
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
    from plan import auth

    auth.set_disabled(session, None, "owner@x.org")
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
    from tests.builders import csv_bytes

    data = csv_bytes(
        [
            ["Ref", "Action", "Owner", "RAG", "Progress"],
            ["1.1", "Train staff", "Kylie Thornton", "R", "Imported news"],
        ]
    )
    import_file(factory, data, "plan.csv", plan_name="VAWG", author="Importer", now=NOW)
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
    items = services.actions_for(session, world["owner"], today=TODAY + dt.timedelta(days=1))
    assert [i.action for i in items] == ["Late", "Train staff", "Soon", "Later", "Done"]
    assert [(i.overdue, i.due_soon) for i in items[:3]] == [
        (True, False),
        (True, False),
        (False, True),
    ]
    assert items[1].latest_update_id == world["first"] and items[1].rag == Rag.AMBER
    assert items[-1].rag == Rag.BLUE and not items[-1].overdue
    everything = services.actions_for(session, world["officer"], today=TODAY, everything=True)
    assert len(everything) == 6
    assert services.actions_for(session, world["officer"], today=TODAY) == []
    assert {later.id, soon.id, late.id} <= {i.id for i in items}
