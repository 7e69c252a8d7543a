"""Review before publication (rulebook.review): officers switch it on per plan, then publish
each owner's submitted update (its published copy is appended through the one append path) or
return it with a comment the owner sees. Checked and audited here; conflict-safe: only the
action's newest entry can be published or returned, so a submission that a newer update
superseded is a conflict.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from plan import auth
from plan.audit import AuditEvent, record
from plan.auth import Actor, Permission
from plan.database import run_write
from plan.models import Plan, ProgressUpdate, UpdateReview, UpdateSource, utcnow
from plan.services.append import (
    Author,
    UpdateRequest,
    append_updates,
    describe_action,
    lock_actions,
)
from plan.services.history import UpdateSummary, newest_update
from plan.services.validation import InvalidUpdate, ProgressInput
from rulebook.review import ReviewOutcome, ReviewState
from rulebook.text import clean_text

MAX_COMMENT = 2000


class ReviewError(Exception):
    """The submission cannot be decided (unknown, not submitted, already decided); one sentence."""


class Superseded(ReviewError):
    """A newer update came in after this submission: nothing was decided."""

    def __init__(self, newer: UpdateSummary | None):
        self.newer = newer
        super().__init__(
            "A newer update came in for this action after this submission"
            + (f" ({newer.describe()})" if newer else "")
            + ", so nothing was done: review the newest one."
        )


@dataclass(frozen=True)
class Decided:
    submission_id: int
    outcome: ReviewOutcome
    published_id: int | None


def set_review_required(
    session: Session,
    actor: Actor | None,
    plan_id: int,
    required: bool,
    *,
    now: dt.datetime | None = None,
) -> bool:
    """Switch review on or off for a plan (audited when it changes). Returns the setting."""
    current = auth.require(auth.refresh(session, actor), Permission.REVIEW)
    plan = session.scalar(select(Plan).where(Plan.id == plan_id).with_for_update())
    if plan is None:
        raise ReviewError(f"There is no plan with id {plan_id}.")
    if plan.review_required != required:
        plan.review_required = required
        record(
            session,
            actor=current.email,
            event=AuditEvent.REVIEW_SWITCHED,
            target=plan.name,
            details={"plan_id": plan.id, "review_required": required},
            now=now or utcnow(),
        )
    session.flush()
    return required


def _waiting(session: Session, update_id: int) -> ProgressUpdate:
    """The submission, its action locked, if it is still the action's newest entry and
    undecided; otherwise ReviewError or Superseded."""
    submission = session.get(ProgressUpdate, update_id)
    if submission is None or submission.review_state is not ReviewState.SUBMITTED:
        raise ReviewError("That update is not waiting for review.")
    lock_actions(session, [submission.action_id])
    decided = session.scalar(
        select(UpdateReview.outcome).where(UpdateReview.update_id == update_id)
    )
    if decided is not None:
        raise ReviewError(f"That update was already {decided.value}.")
    newest = newest_update(session, submission.action_id)
    if newest is not None and newest.id != submission.id:
        raise Superseded(UpdateSummary.of(newest))
    return submission


def _entry_of(update: ProgressUpdate) -> ProgressInput:
    return ProgressInput(
        rag=update.rag,
        progress=update.progress or "",
        issue=update.issue or "",
        remedy=update.remedy or "",
        percent_complete=update.percent_complete,
        revised_deadline=update.revised_deadline,
        revised_deadline_reason=update.revised_deadline_reason or "",
        evidence_link=update.evidence_link or "",
        completed_on=update.completed_on,
        status=update.status,
        rag_text=update.rag_text,
        reporting_period=update.reporting_period,
    )


def publish_submission(
    session: Session, actor: Actor | None, update_id: int, *, now: dt.datetime | None = None
) -> Decided:
    """Publish a submitted update: its copy, published, is appended to the history (the
    author stays the owner; the audit names the officer). Officers and admins only."""
    now = now or utcnow()
    current = auth.require(auth.refresh(session, actor), Permission.REVIEW)
    submission = _waiting(session, update_id)
    request = UpdateRequest(
        submission.action_id,
        _entry_of(submission),
        expected_latest_id=submission.id,
        source_detail=f"published by {current.email}: {submission.source_detail or ''}",
        describes=submission.described_on,  # the day the owner's update described
    )
    author = Author(submission.author, submission.author_email, recorded_by=current.email)
    outcome = append_updates(session, author, [request], source=UpdateSource.REVIEW, now=now)
    if outcome.refused:
        refused = outcome.refused[0]
        if refused.conflict:
            raise Superseded(refused.newer)
        raise InvalidUpdate(refused.errors)
    published_id = outcome.saved[0][1]
    _decide(session, current, submission, ReviewOutcome.PUBLISHED, None, published_id, now)
    return Decided(submission.id, ReviewOutcome.PUBLISHED, published_id)


def return_submission(
    session: Session,
    actor: Actor | None,
    update_id: int,
    comment: str,
    *,
    now: dt.datetime | None = None,
) -> Decided:
    """Return a submitted update to its owner with a comment (required); nothing is
    published, and the owner sees the comment in My actions."""
    now = now or utcnow()
    current = auth.require(auth.refresh(session, actor), Permission.REVIEW)
    said = clean_text(comment).strip()
    if not said:
        raise ReviewError("Say why the update is returned: the owner sees your comment.")
    if len(said) > MAX_COMMENT:
        raise ReviewError(f"Keep the comment under {MAX_COMMENT} characters.")
    submission = _waiting(session, update_id)
    _decide(session, current, submission, ReviewOutcome.RETURNED, said, None, now)
    return Decided(submission.id, ReviewOutcome.RETURNED, None)


def _decide(
    session: Session,
    current: Actor,
    submission: ProgressUpdate,
    outcome: ReviewOutcome,
    comment: str | None,
    published_id: int | None,
    now: dt.datetime,
) -> None:
    session.add(
        UpdateReview(
            update_id=submission.id,
            outcome=outcome,
            comment=comment,
            reviewer=current.email,
            decided_at=now,
            published_update_id=published_id,
        )
    )
    event = AuditEvent.UPDATE_PUBLISHED
    if outcome is ReviewOutcome.RETURNED:
        event = AuditEvent.UPDATE_RETURNED
    record(
        session,
        actor=current.email,
        event=event,
        target=describe_action(submission.action),
        details={
            "action_id": submission.action_id,
            "update_id": submission.id,
            "published_update_id": published_id,
            "submitted_by": submission.author_email or submission.author,
            "comment": comment,
        },
        now=now,
    )
    session.flush()


def submit_review_required(
    factory: sessionmaker[Session], actor: Actor | None, plan_id: int, required: bool
) -> bool:
    return run_write(factory, lambda s: set_review_required(s, actor, plan_id, required))


def submit_publish(factory: sessionmaker[Session], actor: Actor | None, update_id: int) -> Decided:
    return run_write(factory, lambda s: publish_submission(s, actor, update_id))


def submit_return(
    factory: sessionmaker[Session], actor: Actor | None, update_id: int, comment: str
) -> Decided:
    return run_write(factory, lambda s: return_submission(s, actor, update_id, comment))
