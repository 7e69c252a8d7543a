"""The overview page's figures: headline counts, rollups and movement, in few queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from sqlalchemy.orm import Session

from plan.queries.action_lists import ActionView, action_views
from plan.queries.indicators import indicator_rag_counts
from plan.queries.rollups import (
    MovementCounts,
    ObjectiveRollup,
    PlanRollup,
    RagCounts,
    movement,
    objective_rollups,
    plan_rollups,
    summed,
    updates_between,
)
from plan.queries.state import (
    Selection,
    selection_or_plan,
)
from rulebook.rag import Rag

# ----------------------------------------------------------------------------- pages


@dataclass(frozen=True)
class Overview:
    """The overview page's figures as at a date, compared with an earlier one."""

    as_at: dt.date
    compared_with: dt.date | None
    rag: RagCounts
    overdue: int
    actions: list[ActionView]
    due_soon: int = 0
    updates_since: int = 0
    movement: MovementCounts = field(default_factory=MovementCounts)
    by_objective: list[ObjectiveRollup] = field(default_factory=list)
    by_plan: list[PlanRollup] = field(default_factory=list)
    # The selected indicators by the RAG of their latest figure (None: not rated).
    indicator_rag: dict[Rag | None, int] = field(default_factory=dict)

    @property
    def indicators(self) -> int:
        return sum(self.indicator_rag.values())


def plan_overview(
    session: Session,
    *,
    as_at: dt.date,
    plan_id: int | None = None,
    selection: Selection | None = None,
    compared_with: dt.date | None = None,
    action_limit: int | None = None,
) -> Overview:
    """Headline figures, rollups and the action list (the first `action_limit` of it;
    0 for none, when a page lists the actions one page at a time with `action_views`).

    The RAG counts, overdue and due-soon figures are sums of the per-objective groups, so
    one grouped query answers them all; the indicators' RAG counts are one more grouped query.
    """
    chosen = selection_or_plan(selection, plan_id)
    by_objective = objective_rollups(session, selection=chosen, as_at=as_at)
    overview = Overview(
        as_at=as_at,
        compared_with=compared_with,
        rag=summed([r.rag for r in by_objective]),
        overdue=sum(r.overdue for r in by_objective),
        actions=[]
        if action_limit == 0
        else action_views(
            session,
            selection=chosen,
            as_at=as_at,
            compared_with=compared_with,
            limit=action_limit,
        ),
        due_soon=sum(r.due_soon for r in by_objective),
        by_objective=by_objective,
        by_plan=plan_rollups(by_objective),
        indicator_rag=indicator_rag_counts(session, chosen, as_at),
    )
    if compared_with is None:
        return overview
    return replace(
        overview,
        updates_since=updates_between(session, selection=chosen, start=compared_with, end=as_at),
        movement=movement(session, selection=chosen, as_at=as_at, compared_with=compared_with),
    )
