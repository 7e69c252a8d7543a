"""The officers' bulk grid: many actions' updates, saved all together or not at all."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from plan import auth
from plan.audit import AuditEvent, record
from plan.auth import Actor, Permission
from plan.database import run_write
from plan.models import Action, Plan, ProgressUpdate, UpdateSource, utcnow
from plan.services.append import Refused, UpdateRequest, append_updates
from plan.services.history import UpdateSummary
from plan.services.updates import author_of
from plan.services.validation import ProgressInput


@dataclass(frozen=True)
class BulkRow:
    action_id: int
    entry: ProgressInput
    expected_latest_update_id: int | None
    label: str = ""  # how the grid names the row ("1.2 Media strategy")


@dataclass(frozen=True)
class RowProblem:
    action_id: int
    label: str
    messages: tuple[str, ...]
    newer: UpdateSummary | None = None


class BulkRejected(Exception):
    """At least one row is invalid, refused or changed by someone else: nothing was saved."""

    def __init__(self, problems: Sequence[RowProblem]):
        self.problems = list(problems)
        super().__init__(
            f"{len(self.problems)} row(s) need attention and nothing was saved: "
            + "; ".join(f"{p.label or p.action_id}: {' '.join(p.messages)}" for p in self.problems)
        )


def record_bulk(
    session: Session,
    actor: Actor | None,
    rows: Sequence[BulkRow],
    *,
    now: dt.datetime | None = None,
) -> list[UpdateSummary]:
    """Every row is saved, or (if any row has a problem) none is."""
    now = now or utcnow()
    actor = auth.refresh(session, actor)
    auth.require(actor, Permission.BULK_UPDATE)
    if len({row.action_id for row in rows}) != len(rows):
        raise BulkRejected([RowProblem(0, "grid", ("The same action appears twice.",))])

    def may_update_any(action: Action) -> str | None:
        try:
            auth.require(actor, Permission.UPDATE_ANY_ACTION, action)
        except auth.PermissionDenied as error:
            return str(error)
        return None

    requests = [
        UpdateRequest(row.action_id, row.entry, row.expected_latest_update_id, label=row.label)
        for row in rows
    ]
    outcome = append_updates(
        session,
        author_of(actor),
        requests,
        source=UpdateSource.BULK,
        now=now,
        check=may_update_any,
        all_or_nothing=True,
    )
    if outcome.refused:
        raise BulkRejected([_problem(session, refused) for refused in outcome.refused])
    saved = [session.get(ProgressUpdate, update_id) for _, update_id in outcome.saved]
    if saved:
        record(
            session,
            actor=actor.email,
            event=AuditEvent.BULK_UPDATE,
            target=_plans_of(session, [row.action_id for row in rows]),
            details={"actions": [row.action_id for row in rows], "updates": len(saved)},
            now=now,
        )
    return [UpdateSummary.of(update) for update in saved if update is not None]


def _problem(session: Session, refused: Refused) -> RowProblem:
    request = refused.request
    label = request.label
    if not label:
        action = session.get(Action, request.action_id)
        label = (
            f"{action.ref or action.id} {action.text[:60]}" if action else str(request.action_id)
        )
    return RowProblem(request.action_id, label, refused.messages, refused.newer)


def _plans_of(session: Session, action_ids: Sequence[int]) -> str:
    names = session.scalars(
        select(Plan.name).join(Action, Action.plan_id == Plan.id).where(Action.id.in_(action_ids))
    )
    return ", ".join(sorted(set(names)))[:500]


def submit_bulk(
    factory: sessionmaker[Session],
    actor: Actor | None,
    rows: Sequence[BulkRow],
    *,
    now: dt.datetime | None = None,
) -> list[UpdateSummary]:
    return run_write(factory, lambda session: record_bulk(session, actor, rows, now=now))
