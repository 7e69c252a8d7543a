"""One person's progress update on one action (the update form)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, selectinload, sessionmaker

from plan import auth
from plan.auth import Actor, Permission
from plan.database import run_write
from plan.models import Action, ProgressUpdate, UpdateSource, utcnow
from plan.services.append import Author, UpdateRequest, append_updates
from plan.services.history import UpdateSummary
from plan.services.validation import InvalidUpdate, ProgressInput


class Conflict(Exception):
    """Someone changed the action after the form was opened; nothing was saved."""

    def __init__(self, action_id: int, newer: UpdateSummary | None):
        self.action_id = action_id
        self.newer = newer
        what = newer.describe() if newer else "its updates changed"
        super().__init__(
            f"This action was updated after you opened the form ({what}). "
            "Nothing was saved and your text is kept: read the newer update, then save again."
        )


def author_of(actor: Actor) -> Author:
    # Someone who may not publish (an owner) submits, on a plan under review.
    return Author(name=actor.name, email=actor.email, may_publish=actor.can(Permission.REVIEW))


def record_progress(
    session: Session,
    actor: Actor | None,
    action_id: int,
    entry: ProgressInput,
    *,
    expected_latest_update_id: int | None,
    now: dt.datetime | None = None,
) -> UpdateSummary:
    """Append a progress update to an action, inside the caller's (write) transaction.

    Raises PermissionDenied (not signed in, disabled, not the owner), InvalidUpdate (with every
    broken rule), or Conflict when the action's newest update is no longer
    `expected_latest_update_id` (the one shown when the form was opened).
    """
    now = now or utcnow()
    actor = auth.refresh(session, actor)
    auth.require(actor, Permission.UPDATE_OWN_ACTIONS)

    def owner_check(action: Action) -> str | None:
        auth.require(actor, Permission.UPDATE_OWN_ACTIONS, action)  # raises for others
        return None

    request = UpdateRequest(action_id, entry, expected_latest_update_id)
    outcome = append_updates(
        session, author_of(actor), [request], source=UpdateSource.FORM, now=now, check=owner_check
    )
    if outcome.refused:
        refused = outcome.refused[0]
        if refused.conflict:
            raise Conflict(action_id, refused.newer)
        raise InvalidUpdate(refused.errors)
    update_id = outcome.saved[0][1]
    assert update_id is not None  # the form's updates are audited one by one, so have ids
    found = session.get(ProgressUpdate, update_id)
    assert found is not None
    return UpdateSummary.of(found)


def submit_progress(
    factory: sessionmaker[Session],
    actor: Actor | None,
    action_id: int,
    entry: ProgressInput,
    *,
    expected_latest_update_id: int | None,
    now: dt.datetime | None = None,
) -> UpdateSummary:
    """`record_progress` in its own retried write transaction (what the update form calls)."""
    return run_write(
        factory,
        lambda session: record_progress(
            session,
            actor,
            action_id,
            entry,
            expected_latest_update_id=expected_latest_update_id,
            now=now,
        ),
    )


def may_update_action(session: Session, actor: Actor, action_id: int) -> bool:
    action = session.get(Action, action_id, options=[selectinload(Action.owners)])
    return action is not None and auth.may_update(actor, action)
