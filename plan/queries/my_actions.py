"""An owner's own actions ("My actions"), or every action for an officer's bulk grid."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import RowMapping, Select, select
from sqlalchemy.orm import Session, aliased

from plan.auth import Actor
from plan.models import Action, Plan, ProgressUpdate
from plan.queries.action_lists import _owners_by_action
from plan.queries.state import Selection, state_at
from plan.services.history import aware
from rulebook.overdue import is_due_soon, is_open, is_overdue
from rulebook.rag import DeliveryStatus, Rag
from rulebook.review import Entries


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


def actions_for(
    session: Session,
    actor: Actor,
    *,
    today: dt.date,
    everything: bool = False,
    plan_id: int | None = None,
) -> list[MyAction]:
    """The actor's actions (owner names linked to them), or every action when `everything`;
    overdue first (most overdue first), then due soon, then the rest, closed ones last.

    Each action as it stands now (its newest update, the token the update form and the bulk
    grid check for conflicts), judged overdue or due soon at `today` by the rulebook.
    """
    if not everything and not actor.owner_names:
        return []
    # Every entry, the owner's own submissions too: the newest is the conflict token.
    chosen = Selection(
        plan_id=plan_id, owners=() if everything else actor.owner_names, entries=Entries.ALL
    )
    rows = session.connection().execute(_query(chosen)).mappings().all()
    owners = _owners_by_action(session, [row["id"] for row in rows])
    items = [_my_action(row, owners.get(row["id"], ()), today) for row in rows]
    return sorted(items, key=_urgency)  # stable: plan order within a group and date


def _query(chosen: Selection) -> Select:
    """The shared state query (one index probe per action for its newest update), as it
    stands now rather than at a past date, with the few fields the update form adds."""
    state = state_at(chosen, None, "mine")
    latest = aliased(ProgressUpdate, name="mine_update")
    return (
        select(
            Action.id,
            Plan.name.label("plan"),
            Action.ref,
            Action.text,
            Action.lead_text,
            Action.deadline.label("baseline_deadline"),
            Action.deadline_text,
            state.c.deadline,
            state.c.rag,
            state.c.status,
            state.c.update_id,
            state.c.progress,
            state.c.recorded_at,
            latest.author,
            latest.percent_complete,
        )
        .select_from(state)
        .join(Action, Action.id == state.c.action_id)
        .join(Plan, Plan.id == Action.plan_id)
        .outerjoin(latest, latest.id == state.c.update_id)
        .order_by(Plan.name, Action.position, Action.id)
    )


def _my_action(row: RowMapping, owners: tuple[str, ...], today: dt.date) -> MyAction:
    status, deadline = DeliveryStatus(row["status"]), row["deadline"]
    return MyAction(
        id=row["id"],
        plan=row["plan"],
        ref=row["ref"],
        action=row["text"],
        owner=row["lead_text"],
        owners=owners,
        baseline_deadline=row["baseline_deadline"],
        deadline_text=row["deadline_text"],
        deadline=deadline,
        rag=Rag(row["rag"]) if row["rag"] else None,
        status=status,
        latest_update=row["progress"],
        updated_at=aware(row["recorded_at"]),
        updated_by=row["author"],
        latest_update_id=row["update_id"],
        percent_complete=row["percent_complete"],
        overdue=is_overdue(deadline, status, today),
        due_soon=is_due_soon(deadline, status, today),
    )


def _urgency(item: MyAction) -> tuple[int, dt.date]:
    """Overdue (most overdue first), due soon (soonest first), other open, then closed."""
    if item.overdue:
        group = 0
    elif item.due_soon:
        group = 1
    else:
        group = 2 if is_open(item.status) else 3
    return (group, item.deadline or dt.date.max)
