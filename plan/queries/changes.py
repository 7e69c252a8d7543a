"""Every update describing a day between two dates, with the RAG each one replaced."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from plan.models import Action, Objective, Plan, ProgressUpdate
from plan.queries.state import Selection, counted, state_at
from rulebook.entries import described_day_of, newest_first_sql
from rulebook.movement import rating_change_sql
from rulebook.rag import DeliveryStatus, Rag, effective_rag_sql

# ----------------------------------------------------------------------------- changes


@dataclass(frozen=True)
class ChangeRow:
    """One progress update recorded between two dates, with the RAG it replaced."""

    update_id: int
    action_id: int
    plan: str
    objective: str | None
    ref: str | None
    action: str
    owner: str | None
    recorded_at: dt.datetime
    previous_rag: Rag | None
    rag: Rag | None
    status: DeliveryStatus
    # "first rating", "improved", "worsened", "unchanged", "rating removed" or "cancelled"
    change: str
    progress: str | None
    author: str
    source: str
    described_on: dt.date | None = None

    @property
    def day(self) -> dt.date:
        """The day the update describes (rulebook.entries): the date a board paper shows."""
        return self.described_on or described_day_of(self.recorded_at)

    @property
    def rag_changed(self) -> bool:
        return self.change != "unchanged"


def _before(prior: type[ProgressUpdate]) -> ColumnElement[bool]:
    """`prior` comes before the outer ProgressUpdate in history order (rulebook.entries)."""
    this = ProgressUpdate
    return or_(
        prior.described_on < this.described_on,
        and_(
            prior.described_on == this.described_on,
            or_(
                prior.recorded_at < this.recorded_at,
                and_(prior.recorded_at == this.recorded_at, prior.id < this.id),
            ),
        ),
    )


def changes_between(
    session: Session, *, selection: Selection, start: dt.date, end: dt.date
) -> list[ChangeRow]:
    """Every update describing a day after `start` up to `end` (rulebook.entries), oldest
    first.

    Each carries the action's RAG just before it (complete counts as Blue), so RAG changes
    show. Actions are those the selection picks as at `end`.
    """
    rag = effective_rag_sql(ProgressUpdate.rag, ProgressUpdate.status)
    # The entry just before each one in history order (rulebook.entries: day described,
    # moment recorded, id): one index probe per update in the window, not a window function
    # ranking the whole history.
    prior = aliased(ProgressUpdate, name="prior")
    previous = (
        select(effective_rag_sql(prior.rag, prior.status))
        .where(
            prior.action_id == ProgressUpdate.action_id,
            _before(prior),
            *counted(selection.entries, prior),
        )
        .order_by(*newest_first_sql(prior.described_on, prior.recorded_at, prior.id))
        .limit(1)
        .correlate(ProgressUpdate)
        .scalar_subquery()
    )
    ranked = (
        select(
            ProgressUpdate.id,
            ProgressUpdate.action_id,
            rag.label("rag"),
            previous.label("previous_rag"),
            ProgressUpdate.status,
            ProgressUpdate.progress,
            ProgressUpdate.author,
            ProgressUpdate.source,
            ProgressUpdate.recorded_at,
            ProgressUpdate.described_on,
        )
        .where(
            ProgressUpdate.described_on > start,
            ProgressUpdate.described_on <= end,
            *counted(selection.entries),
        )
        .subquery("ranked_changes")
    )
    change = rating_change_sql(ranked.c.previous_rag, ranked.c.rag, ranked.c.status)
    state = state_at(selection, end)
    query = (
        select(
            ranked.c.id,
            ranked.c.action_id,
            Plan.name,
            Objective.title,
            Action.ref,
            Action.text,
            Action.lead_text,
            ranked.c.recorded_at,
            ranked.c.previous_rag,
            ranked.c.rag,
            ranked.c.status,
            change,
            ranked.c.progress,
            ranked.c.author,
            ranked.c.source,
            ranked.c.described_on,
        )
        .select_from(ranked)
        .join(state, state.c.action_id == ranked.c.action_id)
        .join(Action, Action.id == ranked.c.action_id)
        .join(Plan, Plan.id == Action.plan_id)
        .outerjoin(Objective, Objective.id == Action.objective_id)
        .order_by(
            ranked.c.described_on,
            ranked.c.recorded_at,
            Plan.name,
            func.coalesce(Objective.position, 0),
            Action.position,
            ranked.c.id,
        )
    )
    return [
        ChangeRow(
            update_id=row[0],
            action_id=row[1],
            plan=row[2],
            objective=row[3],
            ref=row[4],
            action=row[5],
            owner=row[6],
            recorded_at=row[7] if row[7].tzinfo else row[7].replace(tzinfo=dt.UTC),
            previous_rag=Rag(row[8]) if row[8] else None,
            rag=Rag(row[9]) if row[9] else None,
            status=DeliveryStatus(row[10]),
            change=row[11],
            progress=row[12],
            author=row[13],
            source=str(row[14]),
            described_on=row[15],
        )
        for row in session.execute(query)
    ]
