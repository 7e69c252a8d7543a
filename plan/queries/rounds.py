"""Update rounds read back: the rounds, and where each action's reply stands in one.

Counts per owner and per objective are aggregated in SQL; whether an action's reply is
received, outstanding or overdue is rulebook.rounds (its SQL twin), at a date passed in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, RowMapping, exists, func, literal, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import Subquery

from plan.models import (
    Action,
    ActionOwner,
    Objective,
    Plan,
    ProgressUpdate,
    UpdateRound,
    UpdateRoundAction,
    UpdateRoundPlan,
)
from plan.queries.action_lists import _owners_by_action
from plan.services.history import aware
from rulebook.dates import format_uk_date
from rulebook.rounds import Reply, counts_for_round_sql, reply_sql

NO_OWNER = "(no owner)"
NO_OBJECTIVE = "(no objective)"


class RoundNotFound(Exception):
    """No round has that name; the message lists the rounds there are."""


@dataclass(frozen=True)
class RoundSummary:
    id: int
    name: str
    period_end: dt.date
    due: dt.date
    plans: tuple[str, ...]
    opened_at: dt.datetime
    opened_by: str
    closed_at: dt.datetime | None
    closed_by: str | None
    actions: int
    received: int

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def outstanding(self) -> int:
        return self.actions - self.received


@dataclass(frozen=True)
class ReplyCount:
    """Replies for one owner or one objective: `name` is the owner, or the objective."""

    name: str
    plan: str | None
    received: int
    outstanding: int
    overdue: int

    @property
    def total(self) -> int:
        return self.received + self.outstanding + self.overdue


@dataclass(frozen=True)
class ChaseItem:
    """An action whose update the round still waits for."""

    action_id: int
    plan: str
    objective: str | None
    ref: str | None
    action: str
    owner: str | None
    owners: tuple[str, ...]
    reply: Reply
    last_update_at: dt.datetime | None


def received_in() -> ColumnElement[bool]:
    """For UpdateRoundAction rows joined to (or correlated with) their UpdateRound: an update
    recorded on the action while the round is open."""
    return exists().where(
        ProgressUpdate.action_id == UpdateRoundAction.action_id,
        counts_for_round_sql(
            ProgressUpdate.recorded_at.expression,
            UpdateRound.opened_at.expression,
            UpdateRound.closed_at.expression,
        ),
    )


def _summaries(session: Session, *conditions: ColumnElement[bool]) -> list[RoundSummary]:
    asked = (
        select(func.count())
        .where(UpdateRoundAction.round_id == UpdateRound.id)
        .correlate(UpdateRound)
        .scalar_subquery()
    )
    answered = (
        select(func.count())
        .where(UpdateRoundAction.round_id == UpdateRound.id, received_in())
        .correlate(UpdateRound)
        .scalar_subquery()
    )
    query = (
        select(UpdateRound, asked.label("actions"), answered.label("received"))
        .where(*conditions)
        .order_by(UpdateRound.period_end.desc(), UpdateRound.id.desc())
    )
    rows = session.execute(query).all()
    plans = _plan_names(session, [row.UpdateRound.id for row in rows])
    return [
        RoundSummary(
            id=r.id,
            name=r.name,
            period_end=r.period_end,
            due=r.due,
            plans=plans.get(r.id, ()),
            opened_at=aware(r.opened_at) or r.opened_at,
            opened_by=r.opened_by,
            closed_at=aware(r.closed_at),
            closed_by=r.closed_by,
            actions=row.actions,
            received=row.received,
        )
        for row in rows
        for r in [row.UpdateRound]
    ]


def _plan_names(session: Session, round_ids: list[int]) -> dict[int, tuple[str, ...]]:
    query = (
        select(UpdateRoundPlan.round_id, Plan.name)
        .join(Plan, Plan.id == UpdateRoundPlan.plan_id)
        .where(UpdateRoundPlan.round_id.in_(round_ids))
        .order_by(UpdateRoundPlan.round_id, Plan.name)
    )
    names: dict[int, list[str]] = {}
    for row in session.execute(query).mappings():
        names.setdefault(row["round_id"], []).append(row["name"])
    return {key: tuple(value) for key, value in names.items()}


def rounds(session: Session, *, only_open: bool = False) -> list[RoundSummary]:
    """Every round, newest period first, with how many actions it asks about and has back."""
    return _summaries(session, *([UpdateRound.closed_at.is_(None)] if only_open else []))


def round_named(session: Session, name: str) -> RoundSummary:
    found = _summaries(session, UpdateRound.name == name.strip())
    if not found:
        names = [r.name for r in rounds(session)]
        listed = ", ".join(names) if names else "none yet"
        raise RoundNotFound(f"there is no update round called '{name}'; rounds: {listed}")
    return found[0]


def _replies(round_id: int, as_at: dt.date) -> Subquery:
    """Each action the round asks about, with its reply as at `as_at`."""
    return (
        select(
            UpdateRoundAction.action_id,
            reply_sql(received_in(), UpdateRound.due.expression, as_at).label("reply"),
        )
        .join(UpdateRound, UpdateRound.id == UpdateRoundAction.round_id)
        .where(UpdateRoundAction.round_id == round_id)
        .subquery("replies")
    )


def _counted(replies: Subquery) -> list:
    return [
        func.count().filter(replies.c.reply == reply.value).label(reply.value) for reply in Reply
    ]


def replies_by_owner(session: Session, round_id: int, as_at: dt.date) -> list[ReplyCount]:
    """Per owner (matched on the stored owner key; an action of two owners counts for
    both), how many replies are received, outstanding and overdue; most overdue first."""
    replies = _replies(round_id, as_at)
    name = func.coalesce(func.min(ActionOwner.name), literal(NO_OWNER))
    query = (
        select(name.label("name"), *_counted(replies))
        .select_from(replies)
        .outerjoin(ActionOwner, ActionOwner.action_id == replies.c.action_id)
        .group_by(ActionOwner.name_key)
    )
    rows = session.execute(query).mappings().all()
    counts = [_reply_count(row, None) for row in rows]
    return sorted(counts, key=lambda c: (-c.overdue, -c.outstanding, c.name.casefold()))


def replies_by_objective(session: Session, round_id: int, as_at: dt.date) -> list[ReplyCount]:
    """Per objective, in plan order, how many replies are received, outstanding, overdue."""
    replies = _replies(round_id, as_at)
    query = (
        select(
            func.coalesce(Objective.title, literal(NO_OBJECTIVE)).label("name"),
            Plan.name.label("plan"),
            *_counted(replies),
        )
        .select_from(replies)
        .join(Action, Action.id == replies.c.action_id)
        .join(Plan, Plan.id == Action.plan_id)
        .outerjoin(Objective, Objective.id == Action.objective_id)
        .group_by(Plan.name, Objective.id, Objective.title, Objective.position)
        .order_by(Plan.name, func.coalesce(Objective.position, 10**6), Objective.id)
    )
    return [_reply_count(row, row["plan"]) for row in session.execute(query).mappings()]


def _reply_count(row: RowMapping, plan: str | None) -> ReplyCount:
    return ReplyCount(
        name=row["name"],
        plan=plan,
        received=row[Reply.RECEIVED.value],
        outstanding=row[Reply.OUTSTANDING.value],
        overdue=row[Reply.OVERDUE.value],
    )


def to_chase(
    session: Session, round_id: int, as_at: dt.date, *, owner_keys: tuple[str, ...] = ()
) -> list[ChaseItem]:
    """The actions still waited for (overdue first, then in plan order); only those of
    owners with these stored keys, if given."""
    replies = _replies(round_id, as_at)
    last = (
        select(func.max(ProgressUpdate.recorded_at))
        .where(ProgressUpdate.action_id == Action.id)
        .correlate(Action)
        .scalar_subquery()
    )
    query = (
        select(
            Action.id,
            Plan.name.label("plan"),
            Objective.title.label("objective"),
            Action.ref,
            Action.text,
            Action.lead_text,
            replies.c.reply,
            last.label("last_update_at"),
        )
        .select_from(replies)
        .join(Action, Action.id == replies.c.action_id)
        .join(Plan, Plan.id == Action.plan_id)
        .outerjoin(Objective, Objective.id == Action.objective_id)
        .where(replies.c.reply != Reply.RECEIVED.value)
        .order_by(
            (replies.c.reply == Reply.OVERDUE.value).desc(),
            Plan.name,
            func.coalesce(Objective.position, 10**6),
            Action.position,
            Action.id,
        )
    )
    if owner_keys:
        query = query.where(
            exists().where(ActionOwner.action_id == Action.id, ActionOwner.name_key.in_(owner_keys))
        )
    rows = session.execute(query).mappings().all()
    owners = _owners_by_action(session, [row["id"] for row in rows])
    return [
        ChaseItem(
            action_id=row["id"],
            plan=row["plan"],
            objective=row["objective"],
            ref=row["ref"],
            action=row["text"],
            owner=row["lead_text"],
            owners=owners.get(row["id"], ()),
            reply=Reply(row["reply"]),
            last_update_at=aware(row["last_update_at"]),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class RoundAsk:
    """What an open round asks of one action: an update by `due`, and where that stands."""

    round: str
    due: dt.date
    reply: Reply


def asks_for(session: Session, action_ids: list[int], as_at: dt.date) -> dict[int, RoundAsk]:
    """For each of these actions that an open round asks about, the ask (the soonest due
    when several open rounds ask)."""
    found: dict[int, RoundAsk] = {}
    for start in range(0, len(action_ids), 5000):  # SQLite's bound-parameter limit
        chunk = action_ids[start : start + 5000]
        query = (
            select(
                UpdateRoundAction.action_id,
                UpdateRound.name,
                UpdateRound.due,
                reply_sql(received_in(), UpdateRound.due.expression, as_at).label("reply"),
            )
            .join(UpdateRound, UpdateRound.id == UpdateRoundAction.round_id)
            .where(UpdateRound.closed_at.is_(None), UpdateRoundAction.action_id.in_(chunk))
            .order_by(UpdateRound.due.desc(), UpdateRound.id.desc())
        )
        for row in session.execute(query).mappings():  # the soonest due is written last
            found[row["action_id"]] = RoundAsk(row["name"], row["due"], Reply(row["reply"]))
    return found


@dataclass(frozen=True)
class RoundChoice:
    """A round as the sidebar offers it: "as at its period end"."""

    id: int
    name: str
    period_end: dt.date

    @property
    def label(self) -> str:
        return f"{self.name} (period end {format_uk_date(self.period_end)})"


def round_choices(session: Session) -> list[RoundChoice]:
    """Every round, newest period first: one cheap query for the sidebar."""
    query = select(UpdateRound.id, UpdateRound.name, UpdateRound.period_end).order_by(
        UpdateRound.period_end.desc(), UpdateRound.id.desc()
    )
    return [RoundChoice(*row) for row in session.execute(query)]
