"""Progress updates and board decisions as people read them, detached from any session."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import overload

from sqlalchemy import select
from sqlalchemy.orm import Session

from plan.models import BoardDecision, ProgressUpdate
from plan.queries.state import NEWEST_FIRST
from rulebook.dates import format_uk_date
from rulebook.rag import DeliveryStatus, Rag, rag_label


@overload
def aware(moment: dt.datetime) -> dt.datetime: ...
@overload
def aware(moment: None) -> None: ...
def aware(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment


@dataclass(frozen=True)
class UpdateSummary:
    """One progress update as people see it (detached from any session)."""

    id: int
    action_id: int
    rag: Rag | None
    status: DeliveryStatus
    progress: str | None
    author: str
    recorded_at: dt.datetime
    source: str
    issue: str | None = None
    # The day the entry describes (rulebook.entries); None only for summaries built by hand.
    described_on: dt.date | None = None
    reporting_period: str | None = None
    remedy: str | None = None
    percent_complete: int | None = None
    revised_deadline: dt.date | None = None
    revised_deadline_reason: str | None = None
    evidence_link: str | None = None
    completed_on: dt.date | None = None
    review_state: str = "published"

    @classmethod
    def of(cls, update: ProgressUpdate) -> UpdateSummary:
        return cls(
            id=update.id,
            action_id=update.action_id,
            rag=update.rag,
            status=update.status,
            progress=update.progress,
            author=update.author,
            recorded_at=aware(update.recorded_at),
            source=update.source.value,
            issue=update.issue,
            remedy=update.remedy,
            percent_complete=update.percent_complete,
            revised_deadline=update.revised_deadline,
            revised_deadline_reason=update.revised_deadline_reason,
            evidence_link=update.evidence_link,
            completed_on=update.completed_on,
            review_state=update.review_state.value,
            described_on=update.described_on,
            reporting_period=update.reporting_period,
        )

    def describe(self) -> str:
        when = self.recorded_at.astimezone(dt.UTC)
        waiting = " (submitted for review)" if self.review_state == "submitted" else ""
        return (
            f"{rag_label(self.rag)}{waiting} by {self.author} on {format_uk_date(when.date())} at "
            f"{when:%H:%M} UTC: {self.progress or '(no progress text)'}"
        )


def newest_update(session: Session, action_id: int) -> ProgressUpdate | None:
    return session.scalar(
        select(ProgressUpdate)
        .where(ProgressUpdate.action_id == action_id)
        .order_by(*NEWEST_FIRST)
        .limit(1)
    )


def latest_update(session: Session, action_id: int) -> UpdateSummary | None:
    update = newest_update(session, action_id)
    return UpdateSummary.of(update) if update else None


def latest_update_id(session: Session, action_id: int) -> int | None:
    """The concurrency token a form keeps from when it was opened."""
    update = newest_update(session, action_id)
    return update.id if update else None


@dataclass(frozen=True)
class DecisionSummary:
    id: int
    action_id: int
    decision: str
    meeting_date: dt.date | None
    author: str
    recorded_at: dt.datetime


def decision_summary(row: BoardDecision) -> DecisionSummary:
    return DecisionSummary(
        id=row.id,
        action_id=row.action_id,
        decision=row.decision,
        meeting_date=row.meeting_date,
        author=row.author,
        recorded_at=aware(row.recorded_at),
    )


@dataclass(frozen=True)
class ActionHistory:
    updates: list[UpdateSummary] = field(default_factory=list)  # newest first
    decisions: list[DecisionSummary] = field(default_factory=list)  # newest first


def action_history(session: Session, action_id: int, *, limit: int = 20) -> ActionHistory:
    updates = session.scalars(
        select(ProgressUpdate)
        .where(ProgressUpdate.action_id == action_id)
        .order_by(*NEWEST_FIRST)
        .limit(limit)
    )
    decisions = session.scalars(
        select(BoardDecision)
        .where(BoardDecision.action_id == action_id)
        .order_by(BoardDecision.recorded_at.desc(), BoardDecision.id.desc())
    )
    return ActionHistory(
        updates=[UpdateSummary.of(u) for u in updates],
        decisions=[decision_summary(d) for d in decisions],
    )
