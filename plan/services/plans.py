"""A plan's own details: officers set the period it covers and its RAG key (audited;
checked here)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from plan import auth
from plan.audit import AuditEvent, record
from plan.auth import Actor, Permission
from plan.database import run_write
from plan.models import Plan, utcnow
from rulebook.plan_periods import check_period
from rulebook.rag_key import RagKey, rag_key_from


class PlanNotFound(LookupError):
    """No plan has that id (it may have been removed since the page was drawn)."""


@dataclass(frozen=True)
class PlanPeriod:
    plan: str
    start: dt.date | None
    end: dt.date | None


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def set_plan_period(
    session: Session,
    actor: Actor | None,
    plan_id: int,
    start: dt.date | None,
    end: dt.date | None,
    *,
    now: dt.datetime | None = None,
) -> PlanPeriod:
    """Record the plan's period (either end may be left unknown) and audit the change.

    Raises PermissionDenied unless the actor, as the account is now, may edit plans;
    PeriodError when the period ends before it starts; PlanNotFound for an unknown plan.
    """
    current = auth.require(auth.refresh(session, actor), Permission.EDIT_PLANS)
    check_period(start, end)
    plan = session.scalar(select(Plan).where(Plan.id == plan_id).with_for_update())
    if plan is None:
        raise PlanNotFound(f"There is no plan with id {plan_id}.")
    before = [_iso(plan.period_start), _iso(plan.period_end)]
    plan.period_start, plan.period_end = start, end
    if before != [_iso(start), _iso(end)]:
        record(
            session,
            actor=current.email,
            event=AuditEvent.PLAN_PERIOD_SET,
            target=plan.name,
            details={"plan_id": plan.id, "before": before, "after": [_iso(start), _iso(end)]},
            now=now or utcnow(),
        )
    session.flush()
    return PlanPeriod(plan.name, start, end)


def submit_plan_period(
    factory: sessionmaker[Session],
    actor: Actor | None,
    plan_id: int,
    start: dt.date | None,
    end: dt.date | None,
    *,
    now: dt.datetime | None = None,
) -> PlanPeriod:
    """`set_plan_period` in its own retried write transaction."""
    return run_write(
        factory, lambda session: set_plan_period(session, actor, plan_id, start, end, now=now)
    )


def set_rag_key(
    session: Session,
    actor: Actor | None,
    plan_id: int,
    key: RagKey,
    *,
    now: dt.datetime | None = None,
) -> RagKey:
    """Record the plan's own RAG key (the default stored as none) and audit the change."""
    current = auth.require(auth.refresh(session, actor), Permission.EDIT_PLANS)
    plan = session.scalar(select(Plan).where(Plan.id == plan_id).with_for_update())
    if plan is None:
        raise PlanNotFound(f"There is no plan with id {plan_id}.")
    before = rag_key_from(plan.rag_key)
    if before != key:
        plan.rag_key = None if key.is_default else key.stored()
        record(
            session,
            actor=current.email,
            event=AuditEvent.RAG_KEY_SET,
            target=plan.name,
            details={"plan_id": plan.id, "before": before.stored(), "after": key.stored()},
            now=now or utcnow(),
        )
    session.flush()
    return key


def submit_rag_key(
    factory: sessionmaker[Session], actor: Actor | None, plan_id: int, key: RagKey
) -> RagKey:
    """`set_rag_key` in its own retried write transaction."""
    return run_write(factory, lambda session: set_rag_key(session, actor, plan_id, key))
