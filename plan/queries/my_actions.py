"""An owner's own actions ("My actions"), or every action for an officer's bulk grid."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from plan.auth import Actor
from plan.models import Action, ActionOwner, Plan, ProgressUpdate
from plan.queries.state import owner_named
from plan.services.history import aware
from rulebook.overdue import CLOSED_STATUSES, DUE_SOON_DAYS
from rulebook.rag import DeliveryStatus, Rag


@dataclass(frozen=True)
class MyAction:
    id: int
    plan: str
    ref: str | None
    action: str
    owner: str | None
    owners: tuple[str, ...]
    baseline_deadline: dt.date | None
    deadline_text: str | None
    deadline: dt.date | None  # current: the newest revised deadline, else the baseline
    rag: Rag | None
    status: DeliveryStatus
    latest_update: str | None
    updated_at: dt.datetime | None
    updated_by: str | None
    latest_update_id: int | None
    percent_complete: int | None
    overdue: bool
    due_soon: bool

    @property
    def label(self) -> str:
        return f"{self.ref + ' ' if self.ref else ''}{self.action[:90]} ({self.plan})"


def _ranked(columns, where=None):
    newest_first = func.row_number().over(
        partition_by=ProgressUpdate.action_id,
        order_by=(ProgressUpdate.recorded_at.desc(), ProgressUpdate.id.desc()),
    )
    query = select(ProgressUpdate.action_id, *columns, newest_first.label("newest"))
    if where is not None:
        query = query.where(where)
    return query.subquery()


def actions_for(
    session: Session,
    actor: Actor,
    *,
    today: dt.date,
    everything: bool = False,
    plan_id: int | None = None,
    due_soon_days: int = DUE_SOON_DAYS,
) -> list[MyAction]:
    """The actor's actions (owner names linked to them), or every action when `everything`;
    overdue first (most overdue first), then due soon, then the rest, closed ones last."""
    latest = _ranked(
        (
            ProgressUpdate.id,
            ProgressUpdate.rag,
            ProgressUpdate.status,
            ProgressUpdate.progress,
            ProgressUpdate.recorded_at,
            ProgressUpdate.author,
            ProgressUpdate.percent_complete,
        )
    )
    revised = _ranked(
        (ProgressUpdate.revised_deadline,), ProgressUpdate.revised_deadline.is_not(None)
    )
    query = (
        select(
            Action.id,
            Plan.name,
            Action.ref,
            Action.text,
            Action.lead_text,
            Action.deadline,
            Action.deadline_text,
            revised.c.revised_deadline,
            latest.c.id,
            latest.c.rag,
            latest.c.status,
            latest.c.progress,
            latest.c.recorded_at,
            latest.c.author,
            latest.c.percent_complete,
        )
        .join(Plan, Plan.id == Action.plan_id)
        .outerjoin(latest, and_(latest.c.action_id == Action.id, latest.c.newest == 1))
        .outerjoin(revised, and_(revised.c.action_id == Action.id, revised.c.newest == 1))
        .order_by(Plan.name, Action.position, Action.id)
    )
    if plan_id is not None:
        query = query.where(Action.plan_id == plan_id)
    if not everything:
        if not actor.owner_names:
            return []
        query = query.where(
            Action.id.in_(select(ActionOwner.action_id).where(owner_named(actor.owner_names)))
        )
    rows = session.execute(query).all()
    owners: dict[int, list[str]] = {}
    ids = [row[0] for row in rows]
    for action_id, name in session.execute(
        select(ActionOwner.action_id, ActionOwner.name)
        .where(ActionOwner.action_id.in_(ids))
        .order_by(ActionOwner.action_id, ActionOwner.position)
    ):
        owners.setdefault(action_id, []).append(name)
    closed = {s.value for s in CLOSED_STATUSES}
    out = []
    for row in rows:
        status = DeliveryStatus(row[10]) if row[10] else DeliveryStatus.NOT_STARTED
        rag = Rag.BLUE if status == DeliveryStatus.COMPLETE else (Rag(row[9]) if row[9] else None)
        deadline = row[7] or row[5]
        is_open = status.value not in closed
        out.append(
            MyAction(
                id=row[0],
                plan=row[1],
                ref=row[2],
                action=row[3],
                owner=row[4],
                owners=tuple(owners.get(row[0], ())),
                baseline_deadline=row[5],
                deadline_text=row[6],
                deadline=deadline,
                rag=rag,
                status=status,
                latest_update=row[11],
                updated_at=aware(row[12]),
                updated_by=row[13],
                latest_update_id=row[8],
                percent_complete=row[14],
                overdue=bool(is_open and deadline and deadline < today),
                due_soon=bool(
                    is_open
                    and deadline
                    and today <= deadline <= today + dt.timedelta(days=due_soon_days)
                ),
            )
        )

    def order(item: MyAction):
        if item.overdue or item.due_soon:
            group = 0 if item.overdue else 1
        else:
            group = 3 if item.status.value in closed else 2
        return (group, item.deadline or dt.date.max)

    return sorted(out, key=order)  # stable: plan order within a group and date
