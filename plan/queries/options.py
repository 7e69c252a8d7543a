"""Choices for the filters and pickers: plans, objectives, owners, actions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from plan.models import Action, ActionOwner, Objective, Plan
from plan.queries.state import (
    Selection,
    state_at,
)

# ----------------------------------------------------------------------------- plans


@dataclass(frozen=True)
class PlanOption:
    id: int
    name: str
    actions: int
    period_start: dt.date | None = None
    period_end: dt.date | None = None

    @property
    def period(self) -> tuple[dt.date | None, dt.date | None]:
        return self.period_start, self.period_end


def plan_options(session: Session) -> list[PlanOption]:
    counts = (
        select(
            Plan.id,
            Plan.name,
            func.count(Action.id).label("actions"),
            Plan.period_start,
            Plan.period_end,
        )
        .outerjoin(Action, Action.plan_id == Plan.id)
        .group_by(Plan.id, Plan.name, Plan.period_start, Plan.period_end)
        .order_by(Plan.name)
    )
    return [
        PlanOption(
            id=row.id,
            name=row.name,
            actions=row.actions,
            period_start=row.period_start,
            period_end=row.period_end,
        )
        for row in session.execute(counts)
    ]


@dataclass(frozen=True)
class ObjectiveOption:
    id: int
    plan_id: int
    label: str


def objective_options(session: Session, plan_id: int | None) -> list[ObjectiveOption]:
    query = (
        select(Objective.id, Objective.plan_id, Objective.ref, Objective.title, Plan.name)
        .join(Plan, Plan.id == Objective.plan_id)
        .order_by(Plan.name, Objective.position, Objective.id)
    )
    if plan_id is not None:
        query = query.where(Objective.plan_id == plan_id)
    return [
        ObjectiveOption(
            id=i,
            plan_id=p,
            label=(f"{ref}. {title}" if ref else title)
            + ("" if plan_id is not None else f" ({plan})"),
        )
        for i, p, ref, title, plan in session.execute(query)
    ]


def owner_options(session: Session, plan_id: int | None) -> list[str]:
    """One choice per owner as owners are matched (rulebook.owners.owner_key): "providers"
    and "Providers" are one owner, shown as the first of its spellings in sort order."""
    query = select(func.min(ActionOwner.name)).group_by(ActionOwner.name_key)
    if plan_id is not None:
        query = query.join(Action, Action.id == ActionOwner.action_id).where(
            Action.plan_id == plan_id
        )
    return sorted(session.scalars(query), key=lambda name: (name.casefold(), name))


def action_options(
    session: Session, *, selection: Selection, as_at: dt.date
) -> list[tuple[int, str]]:
    """(id, "ref action text") for each selected action, in plan order: no history loaded."""
    state = state_at(selection, as_at)
    query = (
        select(Action.id, Action.ref, Action.text)
        .join(state, state.c.action_id == Action.id)
        .join(Plan, Plan.id == Action.plan_id)
        .outerjoin(Objective, Objective.id == Action.objective_id)
        .order_by(Plan.name, func.coalesce(Objective.position, 0), Action.position, Action.id)
    )
    return [
        (action_id, f"{ref + ' ' if ref else ''}{text[:90]}")
        for action_id, ref, text in session.execute(query)
    ]
