"""Review before publication, read: the officers' queue of submissions waiting, each with what
it changes against the action's published state; and, for owners, where their updates stand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from plan.models import Action, Objective, Plan, ProgressUpdate, UpdateReview
from plan.queries.state import counted, newest_update_field
from plan.services.history import aware
from rulebook.dates import format_uk_date
from rulebook.rag import effective_rag, rag_label
from rulebook.review import Entries, ReviewOutcome, ReviewState


@dataclass(frozen=True)
class Submission:
    """A submitted update waiting for review, beside the action's published state."""

    update_id: int
    action_id: int
    plan: str
    objective: str | None
    ref: str | None
    action: str
    author: str
    submitted_at: dt.datetime
    changes: tuple[str, ...]  # what it changes, in words ("RAG: ✔ Green → ✖ Red")
    progress: str | None
    issue: str | None
    remedy: str | None


def _describe_changes(new: ProgressUpdate, old: ProgressUpdate | None) -> tuple[str, ...]:
    def rag(update: ProgressUpdate | None) -> str:
        if update is None:
            return rag_label(None)
        return rag_label(effective_rag(update.rag, update.status))

    said = [f"RAG: {rag(old)} → {rag(new)}" if rag(old) != rag(new) else f"RAG: {rag(new)}"]
    if old is None or old.status != new.status:
        said.append(f"Status: {old.status.value if old else 'not started'} → {new.status.value}")
    if (old.percent_complete if old else None) != new.percent_complete:
        before = old.percent_complete if old and old.percent_complete is not None else "none"
        said.append(f"% complete: {before} → {new.percent_complete}")
    if new.revised_deadline is not None:
        said.append(f"Deadline revised to {format_uk_date(new.revised_deadline)}")
    if new.completed_on is not None:
        said.append(f"Completed on {format_uk_date(new.completed_on)}")
    if (old.progress if old else None) != new.progress:
        said.append("New progress text")
    return tuple(said)


def review_queue(session: Session, *, plan_id: int | None = None) -> list[Submission]:
    """Each action whose newest entry is a submission nobody has decided on, oldest first."""
    newest = newest_update_field(ProgressUpdate.id, None)
    submitted = aliased(ProgressUpdate, name="submitted")
    decided = select(UpdateReview.update_id).where(UpdateReview.update_id == submitted.id)
    query = (
        select(submitted, Action, Plan.name, Objective.title)
        .join(Action, Action.id == submitted.action_id)
        .join(Plan, Plan.id == Action.plan_id)
        .outerjoin(Objective, Objective.id == Action.objective_id)
        .where(
            submitted.id == newest,
            submitted.review_state == ReviewState.SUBMITTED.value,
            ~decided.exists(),
            *([Action.plan_id == plan_id] if plan_id is not None else []),
        )
        .order_by(submitted.recorded_at, submitted.id)
    )
    rows = session.execute(query).all()
    published = _published(session, [action.id for _, action, _, _ in rows])
    return [
        Submission(
            update_id=update.id,
            action_id=action.id,
            plan=plan,
            objective=objective,
            ref=action.ref,
            action=action.text,
            author=update.author,
            submitted_at=aware(update.recorded_at),
            changes=_describe_changes(update, published.get(action.id)),
            progress=update.progress,
            issue=update.issue,
            remedy=update.remedy,
        )
        for update, action, plan, objective in rows
    ]


def _published(session: Session, action_ids: Sequence[int]) -> dict[int, ProgressUpdate]:
    """Each action's newest published update (the state a submission is compared with)."""
    if not action_ids:
        return {}
    newest = newest_update_field(ProgressUpdate.id, None, *counted(Entries.PUBLISHED))
    ids = select(newest).select_from(Action).where(Action.id.in_(action_ids))
    found = session.scalars(select(ProgressUpdate).where(ProgressUpdate.id.in_(ids)))
    return {update.action_id: update for update in found}


@dataclass(frozen=True)
class ReviewNote:
    """Where an owner's newest update stands: waiting, or returned with the comment."""

    waiting: bool
    comment: str | None = None
    reviewer: str | None = None
    decided_at: dt.datetime | None = None

    def describe(self) -> str:
        if self.waiting:
            return "Submitted: waiting for an officer to publish it."
        when = format_uk_date(self.decided_at.date()) if self.decided_at else ""
        return f"Returned by {self.reviewer} on {when}: {self.comment}"


def review_notes(session: Session, action_ids: Sequence[int]) -> dict[int, ReviewNote]:
    """For the actions whose newest entry is a submission: waiting, or returned (why)."""
    if not action_ids:
        return {}
    newest = newest_update_field(ProgressUpdate.id, None)
    query = (
        select(ProgressUpdate.action_id, UpdateReview)
        .join(Action, Action.id == ProgressUpdate.action_id)
        .outerjoin(UpdateReview, UpdateReview.update_id == ProgressUpdate.id)
        .where(
            Action.id.in_(list(action_ids)),
            ProgressUpdate.id == newest,
            ProgressUpdate.review_state == ReviewState.SUBMITTED.value,
        )
    )
    notes: dict[int, ReviewNote] = {}
    for action_id, decided in session.execute(query):
        review: UpdateReview | None = decided  # outer-joined: None while it waits
        if review is None:
            notes[action_id] = ReviewNote(waiting=True)
        elif review.outcome is ReviewOutcome.RETURNED:
            notes[action_id] = ReviewNote(
                False, review.comment, review.reviewer, aware(review.decided_at)
            )
    return notes


def reviewed_plans(session: Session) -> dict[int, str]:
    """The plans whose owners' updates wait for review, by id."""
    return dict(session.execute(select(Plan.id, Plan.name).where(Plan.review_required)).all())
