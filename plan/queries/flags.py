"""The automatic checks (rulebook.flags) on each selected action as at a date, and their counts
per owner and per objective, aggregated in SQL.

The round checks ("no update in this round", "for two rounds") look at one round and the round
before it (by period end); without a round they are not checked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, RowMapping, case, exists, func, literal, not_, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.selectable import Subquery

from plan.models import (
    ActionOwner,
    Objective,
    Plan,
    ProgressUpdate,
    UpdateRound,
    UpdateRoundAction,
)
from plan.queries.rounds import NO_OBJECTIVE, NO_OWNER, received_in
from plan.queries.state import Selection, counted, overdue_in, state_at
from rulebook.entries import describes_by_sql
from rulebook.flags import (
    Flag,
    complete_without_date_sql,
    deadline_revised_too_often_sql,
    green_but_overdue_sql,
    missed_round_sql,
    missed_two_rounds_sql,
    no_issue_or_remedy_sql,
    no_owner_sql,
)


@dataclass(frozen=True)
class FlagCount:
    """Flagged actions for one owner or objective: how many carry each flag."""

    name: str
    plan: str | None
    counts: dict[Flag, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def previous_round(session: Session, round_id: int) -> int | None:
    """The round before this one, by period end (then by opening)."""
    this = session.get(UpdateRound, round_id)
    if this is None:
        return None
    return session.scalar(
        select(UpdateRound.id)
        .where(
            (UpdateRound.period_end < this.period_end)
            | ((UpdateRound.period_end == this.period_end) & (UpdateRound.id < this.id))
        )
        .order_by(UpdateRound.period_end.desc(), UpdateRound.id.desc())
        .limit(1)
    )


def _missed(round_id: int | None, action_id: ColumnElement, as_at: dt.date) -> ColumnElement:
    """The round asked about the action, its due date has passed, and no update came."""
    if round_id is None:
        return literal(False)
    return exists().where(
        UpdateRoundAction.round_id == round_id,
        UpdateRoundAction.action_id == action_id,
        UpdateRound.id == UpdateRoundAction.round_id,
        UpdateRound.due < as_at,
        not_(received_in()),
    )


def flagged(
    selection: Selection,
    as_at: dt.date,
    *,
    round_id: int | None = None,
    before_id: int | None = None,
) -> Subquery:
    """Each selected action with one boolean column per flag (named by Flag.name)."""
    state = state_at(selection, as_at, "checked")
    latest = aliased(ProgressUpdate, name="checked_update")
    revisions = (
        select(func.count())
        .where(
            ProgressUpdate.action_id == state.c.action_id,
            ProgressUpdate.revised_deadline.is_not(None),
            describes_by_sql(ProgressUpdate.described_on, as_at),
            *counted(selection.entries),
        )
        .scalar_subquery()
    )
    owners = (
        select(func.count()).where(ActionOwner.action_id == state.c.action_id).scalar_subquery()
    )
    this_missed = _missed(round_id, state.c.action_id, as_at)
    missed = case(
        (this_missed, 1 + case((_missed(before_id, state.c.action_id, as_at), 1), else_=0)),
        else_=0,
    )
    checks: dict[Flag, ColumnElement[bool]] = {
        Flag.GREEN_BUT_OVERDUE: green_but_overdue_sql(state.c.rag, overdue_in(state, as_at)),
        Flag.NO_ISSUE_OR_REMEDY: no_issue_or_remedy_sql(
            state.c.rag, latest.issue.expression, latest.remedy.expression
        ),
        Flag.DEADLINE_REVISED: deadline_revised_too_often_sql(revisions),
        Flag.COMPLETE_WITHOUT_DATE: complete_without_date_sql(
            state.c.status, latest.completed_on.expression
        ),
        Flag.NO_OWNER: no_owner_sql(owners, state.c.status),
        Flag.NO_ROUND_UPDATE: missed_round_sql(missed),
        Flag.NO_UPDATE_TWO_ROUNDS: missed_two_rounds_sql(missed),
    }
    return (
        select(
            state.c.action_id,
            state.c.plan_id,
            state.c.objective_id,
            *(case((check, 1), else_=0).label(flag.name) for flag, check in checks.items()),
        )
        .select_from(state)
        .outerjoin(latest, latest.id == state.c.update_id)
        .subquery("flagged")
    )


def action_flags(
    session: Session, selection: Selection, as_at: dt.date, *, round_id: int | None = None
) -> dict[int, tuple[Flag, ...]]:
    """The flags of each selected action that has any."""
    before = previous_round(session, round_id) if round_id is not None else None
    table = flagged(selection, as_at, round_id=round_id, before_id=before)
    any_flag = sum((table.c[flag.name] for flag in Flag), literal(0)) > 0
    found: dict[int, tuple[Flag, ...]] = {}
    for row in session.execute(select(table).where(any_flag)).mappings():
        found[row["action_id"]] = tuple(flag for flag in Flag if row[flag.name])
    return found


def _sums(table: Subquery) -> list:
    return [func.sum(table.c[flag.name]).label(flag.name) for flag in Flag]


def _count(row: RowMapping, name: str, plan: str | None) -> FlagCount:
    return FlagCount(name=name, plan=plan, counts={flag: int(row[flag.name] or 0) for flag in Flag})


def flags_by_owner(
    session: Session, selection: Selection, as_at: dt.date, *, round_id: int | None = None
) -> list[FlagCount]:
    """Per owner (an action of two owners counts for both), how many actions carry each flag;
    the most flagged first."""
    before = previous_round(session, round_id) if round_id is not None else None
    table = flagged(selection, as_at, round_id=round_id, before_id=before)
    name = func.coalesce(func.min(ActionOwner.name), literal(NO_OWNER))
    query = (
        select(name.label("owner"), *_sums(table))
        .select_from(table)
        .outerjoin(ActionOwner, ActionOwner.action_id == table.c.action_id)
        .group_by(ActionOwner.name_key)
    )
    counts = [_count(row, row["owner"], None) for row in session.execute(query).mappings()]
    return sorted(counts, key=lambda c: (-c.total, c.name.casefold()))


def flags_by_objective(
    session: Session, selection: Selection, as_at: dt.date, *, round_id: int | None = None
) -> list[FlagCount]:
    """Per objective, in plan order, how many actions carry each flag."""
    before = previous_round(session, round_id) if round_id is not None else None
    table = flagged(selection, as_at, round_id=round_id, before_id=before)
    query = (
        select(
            func.coalesce(Objective.title, literal(NO_OBJECTIVE)).label("objective"),
            Plan.name.label("plan"),
            *_sums(table),
        )
        .select_from(table)
        .join(Plan, Plan.id == table.c.plan_id)
        .outerjoin(Objective, Objective.id == table.c.objective_id)
        .group_by(Plan.name, Objective.id, Objective.title, Objective.position)
        .order_by(Plan.name, func.coalesce(Objective.position, 10**6), Objective.id)
    )
    return [_count(row, row["objective"], row["plan"]) for row in session.execute(query).mappings()]
