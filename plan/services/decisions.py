"""Board decisions: what the board (recorded by its chair) decided about an action. Append-only."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker

from plan import auth
from plan.audit import AuditEvent, record
from plan.auth import Actor, Permission
from plan.database import run_write
from plan.models import BoardDecision, utcnow
from plan.services.append import describe_action, lock_actions
from plan.services.history import DecisionSummary, decision_summary
from plan.services.validation import MAX_TEXT, FieldError, InvalidUpdate
from rulebook.text import clean_text


def record_board_decision(
    session: Session,
    actor: Actor | None,
    action_id: int,
    decision: str,
    *,
    meeting_date: dt.date | None = None,
    now: dt.datetime | None = None,
) -> DecisionSummary:
    now = now or utcnow()
    actor = auth.refresh(session, actor)
    auth.require(actor, Permission.BOARD_DECISION)
    action = lock_actions(session, [action_id])[action_id]
    decision = clean_text(decision)  # on its way in, like every text (rulebook.text)
    errors = []
    if not decision.strip():
        errors.append(FieldError("decision", "Write the board's decision."))
    elif len(decision) > MAX_TEXT:
        errors.append(FieldError("decision", f"Keep the decision under {MAX_TEXT} characters."))
    if meeting_date is not None and meeting_date > now.date():
        errors.append(FieldError("meeting_date", "The meeting date cannot be in the future."))
    if errors:
        raise InvalidUpdate(errors)
    row = BoardDecision(
        action_id=action.id,
        decision=decision.strip(),
        meeting_date=meeting_date,
        author=actor.name,
        author_email=actor.email,
        recorded_at=now,
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor=actor.email,
        event=AuditEvent.BOARD_DECISION,
        target=describe_action(action),
        details={"action_id": action.id, "decision": row.decision, "meeting_date": meeting_date},
        now=now,
    )
    return decision_summary(row)


def submit_board_decision(
    factory: sessionmaker[Session],
    actor: Actor | None,
    action_id: int,
    decision: str,
    *,
    meeting_date: dt.date | None = None,
    now: dt.datetime | None = None,
) -> DecisionSummary:
    return run_write(
        factory,
        lambda session: record_board_decision(
            session, actor, action_id, decision, meeting_date=meeting_date, now=now
        ),
    )
