"""The one append path: every progress update is written here, whoever or whatever sends it.

The update form, the bulk grid, update returns, file imports and the demo loader all call
`append_updates`. It locks the actions, validates each update with its source's rules
(`plan.services.validation.RULES_BY_SOURCE`), refuses an update whose writer did not see the
action's newest update (a conflict), inserts the rest and audits them, inside the caller's
write transaction. History is append-only: nothing here edits or deletes an update.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from plan.audit import AuditEvent, record
from plan.database import insert_in_batches
from plan.models import Action, ProgressUpdate, UpdateSource
from plan.queries import newest_updates
from plan.queries.state import NEWEST_FIRST
from plan.services.history import UpdateSummary
from plan.services.validation import (
    RULES_BY_SOURCE,
    FieldError,
    ProgressInput,
    validate_progress,
)
from rulebook.entries import described_day_of, is_history
from rulebook.review import ReviewState, state_for


@dataclass(frozen=True)
class Author:
    """Who an update is from: a signed-in person (with e-mail), or the command line or demo."""

    name: str
    email: str | None = None
    # False for an owner: on a plan under review their update is submitted (rulebook.review).
    may_publish: bool = True
    # Who recorded it when that is not the author (the officer publishing a submission).
    recorded_by: str | None = None

    @property
    def audit_name(self) -> str:
        return self.recorded_by or self.email or self.name


@dataclass(frozen=True, slots=True)  # an import makes one per row: 20k at once
class UpdateRequest:
    """One update to append. `expected_latest_id` is the newest update the writer saw
    (None: the action had none), so a newer one means someone else changed it meanwhile."""

    action_id: int
    entry: ProgressInput
    expected_latest_id: int | None
    source_detail: str | None = None
    label: str = ""  # how the writer names it ("row 7 (action 1.2)")
    # The day the update describes (rulebook.entries); None: the day it is recorded.
    describes: dt.date | None = None

    def described_on(self, now: dt.datetime) -> dt.date:
        return self.describes or described_day_of(now)


@dataclass(frozen=True)
class Refused:
    request: UpdateRequest
    errors: tuple[FieldError, ...] = ()
    denied: str | None = None  # the writer's own check (a permission) said no
    conflict: bool = False
    newer: UpdateSummary | None = None  # for a conflict: the update the writer missed

    @property
    def messages(self) -> tuple[str, ...]:
        said = [error.message for error in self.errors]
        if self.denied:
            said.append(self.denied)
        if self.conflict:
            said.append(
                "Updated by someone else since this was made"
                + (f" ({self.newer.describe()})." if self.newer else ".")
            )
        return tuple(said)


@dataclass
class Appended:
    saved: list[tuple[UpdateRequest, int | None]] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)


_FUTURE_DAY = "An update cannot describe a day that has not come yet."


class ActionNotFound(Exception):
    pass


# A check the writer adds (a permission): the action in, a sentence out when it is refused.
ActionCheck = Callable[[Action], str | None]


def lock_actions(session: Session, action_ids: Sequence[int]) -> dict[int, Action]:
    """Load and lock the actions (in id order, so two writers never deadlock)."""
    found = session.scalars(
        select(Action)
        .where(Action.id.in_(sorted(set(action_ids))))
        .order_by(Action.id)
        .with_for_update(of=Action)
        .options(selectinload(Action.owners), selectinload(Action.plan))
    )
    actions = {action.id: action for action in found}
    for action_id in action_ids:
        if action_id not in actions:
            raise ActionNotFound(f"There is no action {action_id}: it may have been removed.")
    return actions


def _lock_ids(session: Session, action_ids: Sequence[int]) -> None:
    """Lock rows without loading them: what a large import needs (no per-row ORM objects)."""
    ids = sorted(set(action_ids))
    for start in range(0, len(ids), 5000):  # SQLite's bound-parameter limit
        chunk = ids[start : start + 5000]
        session.execute(
            select(Action.id).where(Action.id.in_(chunk)).order_by(Action.id).with_for_update()
        )


def describe_action(action: Action) -> str:
    return f"{action.plan.name} / action {action.ref or action.id}: {action.text[:120]}"


def append_updates(
    session: Session,
    author: Author,
    requests: Sequence[UpdateRequest],
    *,
    source: UpdateSource,
    now: dt.datetime,
    check: ActionCheck | None = None,
    all_or_nothing: bool = False,
    created_here: Collection[int] = frozenset(),
) -> Appended:
    """Append each acceptable update; report the refused ones with their reasons.

    With `all_or_nothing`, one refused update means none is saved (the bulk grid).
    `created_here` names actions made in this same transaction (an import's new actions):
    nobody else can see them yet, so they need no lock and have no updates to conflict with.
    """
    rules = RULES_BY_SOURCE[source]
    ids = [request.action_id for request in requests]
    actions: dict[int, Action] = {}
    if rules.audited_each or check is not None or not author.may_publish:
        actions = lock_actions(session, ids)
    else:
        ids = [action_id for action_id in ids if action_id not in created_here]
        _lock_ids(session, ids)
    newest = newest_updates(session, ids) if rules.conflicts_checked else {}
    outcome = Appended()
    for request in requests:
        refusal = _refusal(request, actions, newest, check, now=now, source=source)
        if refusal is not None:
            outcome.refused.append(refusal)
    if outcome.refused and all_or_nothing:
        return outcome
    refused = {id(r.request) for r in outcome.refused}
    accepted = [request for request in requests if id(request) not in refused]
    if rules.audited_each or not author.may_publish:
        outcome.saved = [
            (r, _insert_audited(session, author, actions[r.action_id], r, source, now, newest))
            for r in accepted
        ]
    else:  # sources that are not audited one by one are always published
        _insert_many(session, author, accepted, source, now)
        outcome.saved = [(r, None) for r in accepted]
    return outcome


def _refusal(
    request: UpdateRequest,
    actions: dict[int, Action],
    newest: dict[int, ProgressUpdate],
    check: ActionCheck | None,
    *,
    now: dt.datetime,
    source: UpdateSource,
) -> Refused | None:
    rules = RULES_BY_SOURCE[source]
    errors = tuple(validate_progress(request.entry, today=now.date(), rules=rules))
    if request.described_on(now) > described_day_of(now):
        errors += (FieldError("describes", _FUTURE_DAY),)
    denied = check(actions[request.action_id]) if check is not None else None
    latest = newest.get(request.action_id)
    # An entry describing a day before the current one's is history behind it: it does not
    # replace what the writer saw, so it cannot conflict with it.
    history = latest is not None and is_history(request.described_on(now), latest.described_on)
    conflict = (
        rules.conflicts_checked
        and not history
        and (latest.id if latest else None) != request.expected_latest_id
    )
    if not (errors or denied or conflict):
        return None
    newer = UpdateSummary.of(latest) if conflict and latest else None
    return Refused(request, errors, denied, conflict, newer)


def _values(
    request: UpdateRequest,
    author: Author,
    source: UpdateSource,
    now: dt.datetime,
    review_state: ReviewState = ReviewState.PUBLISHED,
) -> dict[str, object]:
    entry = request.entry
    return {
        "review_state": review_state,
        "action_id": request.action_id,
        "rag": entry.rag,
        "rag_text": entry.rag_text,
        "status": entry.delivery_status,
        "progress": entry.progress.strip() or None,
        "issue": entry.issue.strip() or None,
        "remedy": entry.remedy.strip() or None,
        "percent_complete": entry.percent_complete,
        "revised_deadline": entry.revised_deadline,
        "revised_deadline_reason": entry.revised_deadline_reason.strip() or None,
        "evidence_link": entry.evidence_link.strip() or None,
        "completed_on": entry.completed_on,
        "author": author.name[:200],
        "author_email": author.email,
        "source": source,
        "source_detail": (request.source_detail or f"{source.value} by {author.audit_name}")[:500],
        "reporting_period": entry.reporting_period,
        "recorded_at": now,
        "described_on": request.described_on(now),
    }


def _insert_many(
    session: Session,
    author: Author,
    requests: Sequence[UpdateRequest],
    source: UpdateSource,
    now: dt.datetime,
) -> None:
    """A file's updates by executemany in batches: a 20,000-action import stays fast, and
    only one batch of rows is held at a time (their values are made twice: cheap)."""
    if not requests:
        return
    # Columns no row fills are left to their defaults: fewer parameters per row to bind.
    used = _filled_columns(_values(r, author, source, now) for r in requests)
    rows = (_values(r, author, source, now) for r in requests)
    insert_in_batches(
        session, ProgressUpdate.__table__, ({key: row[key] for key in used} for row in rows)
    )


def _filled_columns(rows: Iterable[dict[str, object]]) -> list[str]:
    """The first row's columns that some row gives a value (not None), in its order."""
    order: list[str] | None = None
    empty: set[str] = set()
    for row in rows:
        if order is None:
            order = list(row)
            empty = set(order)
        empty = {key for key in empty if row[key] is None}
    return [key for key in order or () if key not in empty]


def _insert_audited(
    session: Session,
    author: Author,
    action: Action,
    request: UpdateRequest,
    source: UpdateSource,
    now: dt.datetime,
    newest: dict[int, ProgressUpdate],
) -> int:
    previous = newest.get(action.id)
    old_deadline = _current_deadline(session, action) if request.entry.revised_deadline else None
    state = state_for(action.plan.review_required, author.may_publish)
    update = ProgressUpdate(**_values(request, author, source, now, state))
    session.add(update)
    session.flush()
    target = describe_action(action)
    record(
        session,
        actor=author.audit_name,
        event=AuditEvent.PROGRESS_RECORDED,
        target=target,
        details={
            "action_id": action.id,
            "update_id": update.id,
            "rag": {"from": previous.rag if previous else None, "to": update.rag},
            "percent_complete": update.percent_complete,
            "completed_on": update.completed_on,
            "evidence_link": update.evidence_link,
            "source": source.value,
            "source_detail": update.source_detail,
            "review_state": update.review_state.value,
        },
        now=now,
    )
    if update.revised_deadline is not None:
        record(
            session,
            actor=author.audit_name,
            event=AuditEvent.DEADLINE_REVISED,
            target=target,
            details={
                "action_id": action.id,
                "baseline": action.deadline,
                "from": old_deadline,
                "to": update.revised_deadline,
                "reason": update.revised_deadline_reason,
                "source": source.value,
            },
            now=now,
        )
    if previous is None or not is_history(update.described_on, previous.described_on):
        newest[action.id] = update
    return update.id


def _current_deadline(session: Session, action: Action) -> dt.date | None:
    revised = session.scalar(
        select(ProgressUpdate.revised_deadline)
        .where(ProgressUpdate.action_id == action.id, ProgressUpdate.revised_deadline.is_not(None))
        .order_by(*NEWEST_FIRST)
        .limit(1)
    )
    return revised or action.deadline
