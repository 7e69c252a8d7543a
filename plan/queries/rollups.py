"""Counts and rollups, aggregated in SQL: RAG counts, movement, objectives, owners, trends."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from plan.models import Action, ActionOwner, Objective, Plan, ProgressUpdate
from plan.queries.state import (
    CANCELLED,
    Selection,
    counted,
    due_soon_in,
    in_rollup,
    movement_join,
    movement_of,
    overdue_in,
    owner_named,
    selection_filters,
    selection_or_plan,
    state_at,
)
from rulebook.dates import year_earlier
from rulebook.movement import Direction, direction_of_travel
from rulebook.overdue import DUE_SOON_DAYS
from rulebook.rag import RAG_ORDER, RAG_SEVERITY, Rag

# ----------------------------------------------------------------------------- counts


@dataclass(frozen=True)
class RagCounts:
    """Actions by RAG at a date. Cancelled actions are left out and counted apart."""

    red: int = 0
    amber: int = 0
    green: int = 0
    blue: int = 0
    not_rated: int = 0
    cancelled: int = 0

    def of(self, rag: Rag | None) -> int:
        return {
            Rag.RED: self.red,
            Rag.AMBER: self.amber,
            Rag.GREEN: self.green,
            Rag.BLUE: self.blue,
            None: self.not_rated,
        }[rag]

    @property
    def total(self) -> int:
        """Actions in the rollup: everything but cancelled."""
        return sum(self.of(rag) for rag in RAG_ORDER)

    @property
    def percent_complete(self) -> float | None:
        """Blue as a share of the rollup; None when there is nothing to rate."""
        return round(100 * self.blue / self.total, 1) if self.total else None

    @property
    def worst(self) -> Rag | None:
        rated = [rag for rag in RAG_ORDER if rag is not None and self.of(rag)]
        return max(rated, key=RAG_SEVERITY.__getitem__) if rated else None


def counts_from(rows: Sequence[tuple[str | None, bool, int]]) -> RagCounts:
    counts = {"cancelled": 0}
    for value, rolled_up, number in rows:
        if not rolled_up:
            counts["cancelled"] += number
        else:
            key = Rag(value).name.lower() if value else "not_rated"
            counts[key] = counts.get(key, 0) + number
    return RagCounts(**counts)


def rag_counts(
    session: Session,
    *,
    as_at: dt.date,
    plan_id: int | None = None,
    selection: Selection | None = None,
) -> RagCounts:
    state = state_at(selection_or_plan(selection, plan_id), as_at)
    rolled_up = in_rollup(state).label("in_rollup")
    query = select(state.c.rag, rolled_up, func.count()).group_by(state.c.rag, rolled_up)
    return counts_from(session.execute(query).all())


def overdue_count(
    session: Session,
    *,
    as_at: dt.date,
    plan_id: int | None = None,
    selection: Selection | None = None,
) -> int:
    state = state_at(selection_or_plan(selection, plan_id), as_at)
    return session.scalar(select(func.count()).where(overdue_in(state, as_at))) or 0


@dataclass(frozen=True)
class MovementCounts:
    """How actions moved between the comparison date and the as-at date."""

    improved: int = 0
    worsened: int = 0
    new: int = 0
    completed: int = 0
    unchanged: int = 0


def movement(
    session: Session, *, selection: Selection, as_at: dt.date, compared_with: dt.date
) -> MovementCounts:
    after, before, joined = movement_join(selection, as_at, compared_with)
    kind = movement_of(before, after).label("kind")
    query = (
        select(kind, func.count())
        .select_from(joined)
        .where(after.c.status != CANCELLED)
        .group_by(kind)
    )
    return MovementCounts(**{k: n for k, n in session.execute(query)})


def updates_between(session: Session, *, selection: Selection, start: dt.date, end: dt.date) -> int:
    """Progress updates describing a day after `start` up to `end` (rulebook.entries)."""
    query = (
        select(func.count(ProgressUpdate.id))
        .join(Action, Action.id == ProgressUpdate.action_id)
        .where(
            ProgressUpdate.described_on > start,
            ProgressUpdate.described_on <= end,
            *selection_filters(selection, None),
            *counted(selection.entries),
        )
    )
    return session.scalar(query) or 0


def due_soon_count(
    session: Session, *, selection: Selection, as_at: dt.date, days: int = DUE_SOON_DAYS
) -> int:
    state = state_at(selection, as_at)
    return session.scalar(select(func.count()).where(due_soon_in(state, as_at, days))) or 0


# ----------------------------------------------------------------------------- objectives


@dataclass(frozen=True)
class ObjectiveRollup:
    objective_id: int | None
    plan: str
    ref: str | None
    title: str
    rag: RagCounts
    overdue: int
    score: float | None  # mean RAG severity of rated actions: lower is better
    due_soon: int = 0


@dataclass(frozen=True)
class PlanRollup:
    plan: str
    rag: RagCounts
    overdue: int
    due_soon: int
    objectives: int


def summed(counts: Sequence[RagCounts]) -> RagCounts:
    totals: dict[str, int] = {}
    for each in counts:
        for key, value in each.__dict__.items():
            totals[key] = totals.get(key, 0) + value
    return RagCounts(**totals)


def plan_rollups(by_objective: Sequence[ObjectiveRollup]) -> list[PlanRollup]:
    """Objective rollups (already counted in SQL) summed per plan, in plan order."""
    grouped: dict[str, list[ObjectiveRollup]] = {}
    for rollup in by_objective:
        grouped.setdefault(rollup.plan, []).append(rollup)
    return [
        PlanRollup(
            plan=plan,
            rag=summed([r.rag for r in rollups]),
            overdue=sum(r.overdue for r in rollups),
            due_soon=sum(r.due_soon for r in rollups),
            objectives=sum(1 for r in rollups if r.objective_id is not None),
        )
        for plan, rollups in grouped.items()
    ]


def _rollup_score(rag: RagCounts) -> float | None:
    rated = [(RAG_SEVERITY[r], rag.of(r)) for r in RAG_ORDER if r is not None]
    count = sum(n for _, n in rated)
    return sum(s * n for s, n in rated) / count if count else None


def objective_rollups(
    session: Session, *, selection: Selection, as_at: dt.date
) -> list[ObjectiveRollup]:
    """One row per objective (and one for actions with none), in plan order."""
    state = state_at(selection, as_at)
    rolled_up = in_rollup(state).label("in_rollup")
    overdue = func.sum(case((overdue_in(state, as_at), 1), else_=0))
    soon = func.sum(case((due_soon_in(state, as_at), 1), else_=0))
    query = select(
        state.c.objective_id, state.c.rag, rolled_up, func.count(), overdue, soon
    ).group_by(state.c.objective_id, state.c.rag, rolled_up)
    grouped: dict[int | None, list[tuple]] = {}
    overdue_by: dict[int | None, int] = {}
    soon_by: dict[int | None, int] = {}
    for objective_id, rag, rolled, number, late, due in session.execute(query):
        grouped.setdefault(objective_id, []).append((rag, rolled, number))
        overdue_by[objective_id] = overdue_by.get(objective_id, 0) + int(late or 0)
        soon_by[objective_id] = soon_by.get(objective_id, 0) + int(due or 0)
    # Keyed by int | None so that actions with no objective look up (and miss) like any other.
    names: dict[int | None, tuple[str, str | None, str, int]] = {
        i: (plan, ref, title, position)
        for i, plan, ref, title, position in session.execute(
            select(Objective.id, Plan.name, Objective.ref, Objective.title, Objective.position)
            .join(Plan, Plan.id == Objective.plan_id)
            .where(Objective.id.in_([k for k in grouped if k is not None]))
        )
    }
    rollups = []
    for objective_id, rows in grouped.items():
        plan, ref, title, _ = names.get(objective_id, ("", None, "No objective", 10**9))
        counts = counts_from(rows)
        rollups.append(
            ObjectiveRollup(
                objective_id=objective_id,
                plan=plan,
                ref=ref,
                title=title,
                rag=counts,
                overdue=overdue_by[objective_id],
                score=_rollup_score(counts),
                due_soon=soon_by[objective_id],
            )
        )
    return sorted(
        rollups,
        key=lambda r: (r.plan, names.get(r.objective_id, ("", None, "", 10**9))[3]),
    )


# ----------------------------------------------------------------------------- owners


@dataclass(frozen=True)
class OwnerSummary:
    owner: str
    rag: RagCounts
    overdue: int
    not_updated_since: int  # actions in the rollup with no update after the comparison date


def owner_summaries(
    session: Session, *, selection: Selection, as_at: dt.date, compared_with: dt.date
) -> list[OwnerSummary]:
    state = state_at(selection, as_at)
    rolled_up = in_rollup(state).label("in_rollup")
    stale = func.sum(
        case(
            (
                and_(
                    in_rollup(state),
                    or_(
                        state.c.described_on.is_(None),
                        state.c.described_on <= compared_with,
                    ),
                ),
                1,
            ),
            else_=0,
        )
    )
    overdue = func.sum(case((overdue_in(state, as_at), 1), else_=0))
    # One row per owner as owners are matched (rulebook.owners.owner_key), under the first
    # of its spellings: "providers" and "Providers" are one owner.
    query = (
        select(
            ActionOwner.name_key,
            func.min(ActionOwner.name),
            state.c.rag,
            rolled_up,
            func.count(),
            overdue,
            stale,
        )
        .join(ActionOwner, ActionOwner.action_id == state.c.action_id)
        .group_by(ActionOwner.name_key, state.c.rag, rolled_up)
    )
    if selection.owners:
        query = query.where(owner_named(selection.owners))
    rows: dict[str, list[tuple]] = {}
    totals: dict[str, list[int]] = {}
    shown: dict[str, str] = {}
    for key, name, rag, rolled, number, late, not_updated in session.execute(query):
        shown[key] = min(shown.get(key, name), name)
        rows.setdefault(key, []).append((rag, rolled, number))
        total = totals.setdefault(key, [0, 0])
        total[0] += int(late or 0)
        total[1] += int(not_updated or 0)
    return sorted(
        (
            OwnerSummary(
                owner=shown[key],
                rag=counts_from(rows[key]),
                overdue=totals[key][0],
                not_updated_since=totals[key][1],
            )
            for key in rows
        ),
        key=lambda s: (-s.not_updated_since, -s.overdue, s.owner.lower()),
    )


# ----------------------------------------------------------------------------- trends


@dataclass(frozen=True)
class ObjectiveTrend:
    """An objective's rollup now, and its direction of travel against two earlier dates."""

    rollup: ObjectiveRollup
    since_comparison: Direction
    since_year_earlier: Direction


def objective_trends(
    session: Session,
    *,
    selection: Selection,
    as_at: dt.date,
    compared_with: dt.date,
) -> list[ObjectiveTrend]:
    """Each objective's rollup and its direction of travel, in plan order."""
    now = objective_rollups(session, selection=selection, as_at=as_at)
    then = {
        r.objective_id: r.score
        for r in objective_rollups(session, selection=selection, as_at=compared_with)
    }
    last_year = {
        r.objective_id: r.score
        for r in objective_rollups(session, selection=selection, as_at=year_earlier(as_at))
    }
    return [
        ObjectiveTrend(
            rollup=r,
            since_comparison=direction_of_travel(then.get(r.objective_id), r.score),
            since_year_earlier=direction_of_travel(last_year.get(r.objective_id), r.score),
        )
        for r in now
    ]


def worst_first(trends: list[ObjectiveTrend]) -> list[ObjectiveTrend]:
    """By mean RAG severity, worst first (unrated last), then by overdue actions."""
    return sorted(
        trends,
        key=lambda t: (t.rollup.score is None, -(t.rollup.score or 0), -t.rollup.overdue),
    )
