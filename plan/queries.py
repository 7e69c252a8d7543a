"""Typed read queries. Every figure is aggregated in SQL, and "today" is always a parameter.

An action's RAG and status at a date D come from its newest ProgressUpdate recorded on or
before D; an action with no update by then is not rated and not started.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import Subquery

from plan.models import Action, ActionOwner, Objective, Plan, ProgressUpdate
from plan.rules.overdue import CLOSED_STATUSES
from plan.rules.rag import RAG_ORDER, DeliveryStatus, Rag


def end_of_day(day: dt.date) -> dt.datetime:
    """The first instant after `day`: updates recorded before it count as at `day`."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)


def _latest_update_subquery(as_at: dt.date | None) -> Subquery:
    """One row per action: its newest update recorded by the end of `as_at`."""
    newest_first = func.row_number().over(
        partition_by=ProgressUpdate.action_id,
        order_by=(ProgressUpdate.recorded_at.desc(), ProgressUpdate.id.desc()),
    )
    ranked = select(
        ProgressUpdate.id,
        ProgressUpdate.action_id,
        ProgressUpdate.rag,
        ProgressUpdate.status,
        ProgressUpdate.progress,
        ProgressUpdate.recorded_at,
        newest_first.label("newest"),
    )
    if as_at is not None:
        ranked = ranked.where(ProgressUpdate.recorded_at < end_of_day(as_at))
    ranked_sub = ranked.subquery("ranked_updates")
    return select(ranked_sub).where(ranked_sub.c.newest == 1).subquery("latest_update")


def _scoped_actions(plan_id: int | None, as_at: dt.date | None, latest: Subquery) -> Select:
    query = select(Action).outerjoin(latest, latest.c.action_id == Action.id)
    if plan_id is not None:
        query = query.where(Action.plan_id == plan_id)
    if as_at is not None:
        query = query.where(Action.created_at < end_of_day(as_at))
    return query


def _status_expr(latest: Subquery):
    return func.coalesce(latest.c.status, literal(DeliveryStatus.NOT_STARTED.value))


def _overdue_expr(latest: Subquery, as_at: dt.date):
    closed = [s.value for s in CLOSED_STATUSES]
    return and_(
        Action.deadline.is_not(None),
        Action.deadline < as_at,
        or_(latest.c.status.is_(None), latest.c.status.not_in(closed)),
    )


@dataclass(frozen=True)
class PlanOption:
    id: int
    name: str
    actions: int


def plan_options(session: Session) -> list[PlanOption]:
    counts = (
        select(Plan.id, Plan.name, func.count(Action.id))
        .outerjoin(Action, Action.plan_id == Plan.id)
        .group_by(Plan.id, Plan.name)
        .order_by(Plan.name)
    )
    return [PlanOption(id=i, name=n, actions=c) for i, n, c in session.execute(counts)]


def latest_updates(session: Session, plan_id: int) -> dict[int, ProgressUpdate]:
    """The current (newest) update of each action in a plan, loaded as ORM objects."""
    latest = _latest_update_subquery(None)
    query = (
        select(ProgressUpdate)
        .join(latest, latest.c.id == ProgressUpdate.id)
        .join(Action, Action.id == ProgressUpdate.action_id)
        .where(Action.plan_id == plan_id)
    )
    return {update.action_id: update for update in session.scalars(query)}


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


def rag_counts(session: Session, *, plan_id: int | None, as_at: dt.date) -> RagCounts:
    latest = _latest_update_subquery(as_at)
    status = _status_expr(latest)
    cancelled = status == DeliveryStatus.CANCELLED.value
    # A completed action counts as Blue even when its update gave no colour.
    rag = case(
        (status == DeliveryStatus.COMPLETE.value, literal(Rag.BLUE.value)),
        else_=latest.c.rag,
    )
    inner = (
        _scoped_actions(plan_id, as_at, latest)
        .with_only_columns(rag.label("rag"), cancelled.label("cancelled"))
        .subquery()
    )
    query = select(inner.c.rag, inner.c.cancelled, func.count()).group_by(
        inner.c.rag, inner.c.cancelled
    )
    counts = {"cancelled": 0}
    for value, is_cancelled, number in session.execute(query):
        if is_cancelled:
            counts["cancelled"] += number
        else:
            key = Rag(value).name.lower() if value else "not_rated"
            counts[key] = counts.get(key, 0) + number
    return RagCounts(**counts)


def overdue_count(session: Session, *, plan_id: int | None, as_at: dt.date) -> int:
    latest = _latest_update_subquery(as_at)
    query = (
        _scoped_actions(plan_id, as_at, latest)
        .with_only_columns(func.count(Action.id))
        .where(_overdue_expr(latest, as_at))
    )
    return session.scalar(query) or 0


@dataclass(frozen=True)
class ActionView:
    """One action as a table row shows it."""

    id: int
    plan: str
    objective: str | None
    ref: str | None
    action: str
    owner: str | None
    owners: tuple[str, ...]
    deadline: dt.date | None
    deadline_text: str | None
    ongoing: bool
    rag: Rag | None
    status: DeliveryStatus
    latest_update: str | None
    updated_at: dt.datetime | None
    overdue: bool


def action_views(
    session: Session, *, plan_id: int | None, as_at: dt.date, plan_name: str | None = None
) -> list[ActionView]:
    """Every action in plan order with its RAG, status and latest update as at `as_at`."""
    latest = _latest_update_subquery(as_at)
    status = _status_expr(latest)
    query = (
        _scoped_actions(plan_id, as_at, latest)
        .join(Plan, Plan.id == Action.plan_id)
        .outerjoin(Objective, Objective.id == Action.objective_id)
        .with_only_columns(
            Action.id,
            Plan.name,
            Objective.title,
            Action.ref,
            Action.text,
            Action.lead_text,
            Action.deadline,
            Action.deadline_text,
            Action.ongoing,
            latest.c.rag,
            status,
            latest.c.progress,
            latest.c.recorded_at,
            _overdue_expr(latest, as_at),
        )
        .order_by(Plan.name, func.coalesce(Objective.position, 0), Action.position, Action.id)
    )
    if plan_name is not None:
        query = query.where(Plan.name == plan_name)
    rows = session.execute(query).all()
    owners = _owners_by_action(session, plan_id, plan_name)
    views = []
    for row in rows:
        status_value = DeliveryStatus(row[10])
        rag = Rag(row[9]) if row[9] else None
        if status_value == DeliveryStatus.COMPLETE:
            rag = Rag.BLUE
        views.append(
            ActionView(
                id=row[0],
                plan=row[1],
                objective=row[2],
                ref=row[3],
                action=row[4],
                owner=row[5],
                owners=owners.get(row[0], ()),
                deadline=row[6],
                deadline_text=row[7],
                ongoing=bool(row[8]),
                rag=rag,
                status=status_value,
                latest_update=row[11],
                updated_at=row[12],
                overdue=bool(row[13]),
            )
        )
    return views


def _owners_by_action(
    session: Session, plan_id: int | None, plan_name: str | None
) -> dict[int, tuple[str, ...]]:
    query = (
        select(ActionOwner.action_id, ActionOwner.name)
        .join(Action, Action.id == ActionOwner.action_id)
        .order_by(ActionOwner.action_id, ActionOwner.position)
    )
    if plan_id is not None:
        query = query.where(Action.plan_id == plan_id)
    if plan_name is not None:
        query = query.join(Plan, Plan.id == Action.plan_id).where(Plan.name == plan_name)
    grouped: dict[int, list[str]] = {}
    for action_id, name in session.execute(query):
        grouped.setdefault(action_id, []).append(name)
    return {key: tuple(value) for key, value in grouped.items()}


@dataclass(frozen=True)
class Overview:
    """The first page's figures for one plan (or all plans) as at a date."""

    as_at: dt.date
    rag: RagCounts
    overdue: int
    actions: list[ActionView]


def plan_overview(session: Session, *, plan_id: int | None, as_at: dt.date) -> Overview:
    return Overview(
        as_at=as_at,
        rag=rag_counts(session, plan_id=plan_id, as_at=as_at),
        overdue=overdue_count(session, plan_id=plan_id, as_at=as_at),
        actions=action_views(session, plan_id=plan_id, as_at=as_at),
    )
