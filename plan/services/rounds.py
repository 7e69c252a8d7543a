"""Opening and closing update rounds: officers (Permission.CHASE) or the server's command
line, audited in the same transaction.

A round fixes, as it opens, the actions it asks about: every action in its plans that is open
then (rulebook.rounds.is_due_in_round), whatever happens to them later.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, insert, literal, select
from sqlalchemy.orm import Session, sessionmaker

from plan import auth
from plan.accounts import CLI_OPERATOR
from plan.audit import AuditEvent, record
from plan.auth import Actor, Permission
from plan.database import run_write
from plan.models import Action, Plan, UpdateRound, UpdateRoundAction, UpdateRoundPlan, utcnow
from plan.queries.rounds import RoundSummary, round_named
from plan.queries.state import ALL, state_at
from rulebook.dates import format_uk_date
from rulebook.rounds import is_due_in_round_sql

MAX_NAME = 200


class RoundError(Exception):
    """A round that cannot be opened or closed; the message says why in one sentence."""


def operator(session: Session, actor: Actor | None) -> str:
    """Who runs the round: an officer or admin, or (actor None) the server's command line.

    Pages always pass the signed-in actor; only `python -m plan` passes None.
    """
    if actor is None:
        return CLI_OPERATOR
    return auth.require(auth.refresh(session, actor), Permission.CHASE).email


def open_round(
    session: Session,
    actor: Actor | None,
    name: str,
    *,
    period_end: dt.date,
    due: dt.date,
    plan_names: Sequence[str] = (),
    now: dt.datetime | None = None,
) -> RoundSummary:
    """Open a round for these plans (every plan when none is named)."""
    now = now or utcnow()
    by = operator(session, actor)
    name = " ".join(name.split())
    if not name:
        raise RoundError("Give the round a name, such as 'Q3 2026/27'.")
    if len(name) > MAX_NAME:
        raise RoundError(f"Keep the round's name under {MAX_NAME} characters.")
    if session.scalar(select(func.count()).where(UpdateRound.name == name)):
        raise RoundError(f"There is already an update round called '{name}'.")
    plans = _plans(session, plan_names)
    round_ = UpdateRound(
        name=name,
        period_end=period_end,
        due=due,
        opened_at=now,
        opened_by=by,
        plans=[UpdateRoundPlan(plan_id=plan.id) for plan in plans],
    )
    session.add(round_)
    session.flush()
    asked = _ask(session, round_.id, [plan.id for plan in plans])
    if not asked:
        raise RoundError(
            f"No open actions in {', '.join(p.name for p in plans)}: the round would ask "
            "nobody for anything, so it was not opened."
        )
    record(
        session,
        actor=by,
        event=AuditEvent.ROUND_OPENED,
        target=name,
        details={
            "period_end": period_end,
            "due": due,
            "plans": [plan.name for plan in plans],
            "actions": asked,
        },
        now=now,
    )
    session.flush()
    return round_named(session, name)


def _plans(session: Session, names: Sequence[str]) -> list[Plan]:
    every = list(session.scalars(select(Plan).order_by(Plan.name)))
    if not names:
        if not every:
            raise RoundError("There are no plans yet: import one first.")
        return every
    by_name = {plan.name: plan for plan in every}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise RoundError(
            f"There is no plan called '{unknown[0]}'; plans: {', '.join(sorted(by_name))}."
        )
    return [by_name[n] for n in dict.fromkeys(names)]


def _ask(session: Session, round_id: int, plan_ids: list[int]) -> int:
    """Record the actions the round asks about (open now, in these plans); how many."""
    state = state_at(
        ALL, None, "asked", among=select(Action.id).where(Action.plan_id.in_(plan_ids))
    )
    chosen = select(literal(round_id), state.c.action_id).where(is_due_in_round_sql(state.c.status))
    session.execute(insert(UpdateRoundAction).from_select(["round_id", "action_id"], chosen))
    return session.scalar(select(func.count()).where(UpdateRoundAction.round_id == round_id)) or 0


def close_round(
    session: Session, actor: Actor | None, name: str, *, now: dt.datetime | None = None
) -> RoundSummary:
    """Close an open round: updates recorded from now on no longer answer it."""
    now = now or utcnow()
    by = operator(session, actor)
    round_ = session.scalar(
        select(UpdateRound).where(UpdateRound.name == name.strip()).with_for_update()
    )
    if round_ is None:
        round_named(session, name)  # raises RoundNotFound, listing the rounds
        raise AssertionError("unreachable")
    if round_.closed_at is not None:
        raise RoundError(f"The round '{round_.name}' was already closed by {round_.closed_by}.")
    round_.closed_at = now
    round_.closed_by = by
    session.flush()
    summary = round_named(session, round_.name)
    record(
        session,
        actor=by,
        event=AuditEvent.ROUND_CLOSED,
        target=round_.name,
        details={
            "due": format_uk_date(round_.due),
            "received": summary.received,
            "outstanding": summary.outstanding,
        },
        now=now,
    )
    return summary


def submit_open_round(
    factory: sessionmaker[Session],
    actor: Actor | None,
    name: str,
    *,
    period_end: dt.date,
    due: dt.date,
    plan_names: Sequence[str] = (),
    now: dt.datetime | None = None,
) -> RoundSummary:
    return run_write(
        factory,
        lambda session: open_round(
            session, actor, name, period_end=period_end, due=due, plan_names=plan_names, now=now
        ),
    )


def submit_close_round(
    factory: sessionmaker[Session],
    actor: Actor | None,
    name: str,
    *,
    now: dt.datetime | None = None,
) -> RoundSummary:
    return run_write(factory, lambda session: close_round(session, actor, name, now=now))
