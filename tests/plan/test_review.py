"""Review before publication: submitted, published or returned; permissions, conflicts, audit,
and the dashboard reading only what counts (rulebook.review)."""

import datetime as dt

import pytest
from sqlalchemy import select

from plan.auth import PermissionDenied
from plan.models import AuditEntry, HistoryIsAppendOnly, Plan, ProgressUpdate, UpdateReview
from plan.queries import Selection, action_detail, plan_overview
from plan.queries.my_actions import actions_for
from plan.queries.review import review_notes, review_queue
from plan.services import ProgressInput, record_progress
from plan.services.review import (
    ReviewError,
    Superseded,
    publish_submission,
    return_submission,
    set_review_required,
)
from rulebook.rag import Rag
from rulebook.review import Entries, ReviewOutcome, ReviewState
from tests.builders import actor_of, add_action, add_plan, add_update, add_user, cheap_hasher

NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
TODAY = NOW.date()
LATER = NOW + dt.timedelta(hours=2)
RED = ProgressInput(Rag.RED, "Venue fell through", issue="No venue", remedy="Finding another")


@pytest.fixture(autouse=True)
def fast_passwords(monkeypatch):
    monkeypatch.setattr("plan.auth._hasher", cheap_hasher())


@pytest.fixture
def world(session):
    plan = add_plan(session, "VAWG")
    action = add_action(session, plan, "Train staff", ref="1.1", owners=["Kylie Thornton"])
    first = add_update(session, action, Rag.GREEN, at=NOW - dt.timedelta(days=30))
    for role in ("admin", "officer", "owner", "chair"):
        add_user(session, f"{role}@x.org", role, owner_names=["Kylie Thornton"])
    session.commit()
    actors = {role: actor_of(session, f"{role}@x.org") for role in ("admin", "officer", "owner")}
    set_review_required(session, actors["officer"], plan.id, True, now=NOW)
    session.commit()
    return {"plan": plan.id, "action": action.id, "first": first.id, **actors}


def _submit(session, world, entry=RED, *, expected=None, now=NOW):
    saved = record_progress(
        session,
        world["owner"],
        world["action"],
        entry,
        expected_latest_update_id=expected or world["first"],
        now=now,
    )
    session.commit()
    return saved


def _dashboard_rag(session, world, entries=Entries.PUBLISHED):
    overview = plan_overview(
        session,
        as_at=TODAY + dt.timedelta(days=1),
        selection=Selection(plan_id=world["plan"], entries=entries),
    )
    return {rag: overview.rag.of(rag) for rag in (Rag.RED, Rag.GREEN) if overview.rag.of(rag)}


def _events(session) -> list[str]:
    return list(session.scalars(select(AuditEntry.event).order_by(AuditEntry.id)))


def test_an_owners_update_is_submitted_and_counts_only_once_published(session, world):
    saved = _submit(session, world)
    assert saved.review_state == ReviewState.SUBMITTED.value
    # The dashboard still shows the published Green; "include submitted" shows the Red.
    assert _dashboard_rag(session, world) == {Rag.GREEN: 1}
    assert _dashboard_rag(session, world, Entries.WITH_SUBMITTED) == {Rag.RED: 1}
    # The officer's queue shows what changed against the published state.
    [waiting] = review_queue(session)
    assert waiting.update_id == saved.id and waiting.author == "owner"
    assert "RAG: ✔ Green → ✖ Red" in waiting.changes
    # The owner sees their own submission as the newest (the form's conflict token).
    [mine] = actions_for(session, world["owner"], today=TODAY)
    assert mine.latest_update_id == saved.id and mine.rag is Rag.RED
    assert review_notes(session, [world["action"]])[world["action"]].waiting

    decided = publish_submission(session, world["officer"], saved.id, now=LATER)
    session.commit()
    assert decided.outcome is ReviewOutcome.PUBLISHED
    assert _dashboard_rag(session, world) == {Rag.RED: 1}
    assert review_queue(session) == []
    published = session.get(ProgressUpdate, decided.published_id)
    assert published.review_state is ReviewState.PUBLISHED
    assert (published.author, published.issue, published.rag) == ("owner", "No venue", Rag.RED)
    assert "published by officer@x.org" in published.source_detail
    assert _events(session)[-2:] == ["progress recorded", "update published"]
    audit = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert audit.actor == "officer@x.org"
    assert review_notes(session, [world["action"]]) == {}


def test_a_returned_update_never_counts_and_the_owner_sees_why(session, world):
    saved = _submit(session, world)
    with pytest.raises(ReviewError, match="Say why"):
        return_submission(session, world["officer"], saved.id, "  ")
    return_submission(session, world["officer"], saved.id, "Which venue? Say more.", now=LATER)
    session.commit()
    assert review_queue(session) == []
    assert _dashboard_rag(session, world, Entries.WITH_SUBMITTED) == {Rag.GREEN: 1}
    note = review_notes(session, [world["action"]])[world["action"]]
    assert not note.waiting
    assert note.describe() == "Returned by officer@x.org on 2 Nov 2026: Which venue? Say more."
    assert _events(session)[-1] == "update returned"
    with pytest.raises(ReviewError, match="already returned"):
        publish_submission(session, world["officer"], saved.id)
    # The owner answers with a new submission, which is waiting again.
    again = _submit(session, world, expected=saved.id, now=LATER + dt.timedelta(hours=1))
    assert [s.update_id for s in review_queue(session)] == [again.id]


def test_publishing_a_superseded_submission_is_a_conflict(session, world):
    older = _submit(session, world)
    newer = _submit(
        session, world, ProgressInput(Rag.GREEN, "Sorted"), expected=older.id, now=LATER
    )
    with pytest.raises(Superseded, match="newer update"):
        publish_submission(session, world["officer"], older.id)
    session.rollback()
    assert [s.update_id for s in review_queue(session)] == [newer.id]
    # An officer's own update supersedes a submission too, and is published at once.
    mine = record_progress(
        session,
        world["officer"],
        world["action"],
        ProgressInput(Rag.GREEN, "Checked"),
        expected_latest_update_id=newer.id,
        now=LATER + dt.timedelta(hours=1),
    )
    session.commit()
    assert mine.review_state == "published"
    with pytest.raises(Superseded):
        return_submission(session, world["officer"], newer.id, "too late")
    session.rollback()
    assert review_queue(session) == []


@pytest.mark.parametrize("role", ["owner"])
def test_only_officers_and_admins_review(session, world, role):
    saved = _submit(session, world)
    with pytest.raises(PermissionDenied):
        publish_submission(session, world[role], saved.id)
    with pytest.raises(PermissionDenied):
        return_submission(session, world[role], saved.id, "no")
    with pytest.raises(PermissionDenied):
        set_review_required(session, world[role], world["plan"], False)
    session.rollback()
    chair = actor_of(session, "chair@x.org")
    with pytest.raises(PermissionDenied):
        publish_submission(session, chair, saved.id)
    session.rollback()
    publish_submission(session, world["admin"], saved.id, now=LATER)
    session.commit()
    assert review_queue(session) == []


def test_switching_review_is_audited_and_without_it_owners_publish(session, world):
    set_review_required(session, world["officer"], world["plan"], True)  # no change: no entry
    set_review_required(session, world["admin"], world["plan"], False, now=NOW)
    session.commit()
    assert _events(session).count("review switched") == 2
    assert session.get(Plan, world["plan"]).review_required is False
    saved = _submit(session, world)
    assert saved.review_state == "published"
    assert _dashboard_rag(session, world) == {Rag.RED: 1}


def test_review_decisions_are_append_only(session, world):
    saved = _submit(session, world)
    return_submission(session, world["officer"], saved.id, "More detail please", now=LATER)
    session.commit()
    review = session.scalar(select(UpdateReview))
    review.comment = "changed"
    with pytest.raises(HistoryIsAppendOnly):
        session.flush()


def test_the_action_page_shows_a_submission_only_to_who_asks_for_submissions(session, world):
    _submit(session, world)
    as_at = TODAY + dt.timedelta(days=1)
    published = action_detail(session, action_id=world["action"], as_at=as_at)
    assert [entry.rag for entry in published.history] == [Rag.GREEN.value]
    assert published.view.rag == Rag.GREEN.value
    shown = action_detail(
        session, action_id=world["action"], as_at=as_at, entries=Entries.WITH_SUBMITTED
    )
    assert [entry.rag for entry in shown.history] == [Rag.GREEN.value, Rag.RED.value]
    assert shown.view.rag == Rag.RED.value
