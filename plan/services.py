"""Writes that people make: progress updates, bulk updates, board decisions and sign-ins.

Every write checks the actor's permission here (not only in the pages), checks that nobody
changed the action since the form was opened (optimistic concurrency), and writes its audit
entries in the same transaction. `run_write` serialises writers safely on SQLite and
PostgreSQL and retries a busy database, so nobody sees "database is locked".
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import and_, func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, selectinload, sessionmaker

from plan import auth
from plan.audit import AuditEvent, AuditFilter, entries, record
from plan.auth import Actor, Permission, SignInFailed
from plan.models import (
    Action,
    ActionOwner,
    AuditEntry,
    BoardDecision,
    Plan,
    ProgressUpdate,
    UpdateSource,
    utcnow,
)
from rulebook.dates import format_uk_date
from rulebook.overdue import CLOSED_STATUSES
from rulebook.rag import DeliveryStatus, Rag, rag_label

T = TypeVar("T")
DUE_SOON_DAYS = 28
MAX_TEXT = 5000


# --- Transactions that never show "database is locked" ----------------------------------------


class Busy(Exception):
    """The database stayed busy through every retry; nothing was saved."""


@contextmanager
def write_transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A write transaction that holds the write lock from its first statement.

    SQLite: `BEGIN IMMEDIATE`, so a transaction never reads, then fails to upgrade to a writer
    (which the busy timeout cannot help with). PostgreSQL: the services lock the action rows
    they change with SELECT ... FOR UPDATE.
    """
    with factory() as session, session.begin():
        connection = session.connection()
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        yield session


def _retryable(error: DBAPIError) -> bool:
    message = str(error.orig).lower()
    if "database is locked" in message or "database is busy" in message:
        return True
    # PostgreSQL serialization failure and deadlock: the transaction may simply run again.
    return getattr(error.orig, "sqlstate", None) in ("40001", "40P01")


def run_write(
    factory: sessionmaker[Session],
    work: Callable[[Session], T],
    *,
    attempts: int = 8,
    pause: float = 0.05,
) -> T:
    """Run `work` in a write transaction, retrying (with back-off) while the database is busy."""
    for attempt in range(1, attempts + 1):
        try:
            with write_transaction(factory) as session:
                return work(session)
        except DBAPIError as error:
            if not _retryable(error):
                raise
            if attempt == attempts:
                raise Busy(
                    "The database is busy with other changes and nothing was saved: "
                    "please try again in a moment."
                ) from error
            time.sleep(pause * 2 ** (attempt - 1) * (0.5 + random.random()))
    raise AssertionError("unreachable")


# --- Sign-in -----------------------------------------------------------------------------------


def sign_in(
    factory: sessionmaker[Session], email: str, password: str, *, now: dt.datetime | None = None
) -> Actor:
    """Password sign-in. A failure is counted and audited (committed), then raised."""

    def attempt(session: Session) -> Actor | SignInFailed:
        try:
            return auth.authenticate(session, email, password, now=now)
        except SignInFailed as error:
            return error

    outcome = run_write(factory, attempt)
    if isinstance(outcome, SignInFailed):
        raise outcome
    return outcome


def sso_sign_in(
    factory: sessionmaker[Session], email: str | None, *, now: dt.datetime | None = None
) -> Actor:
    def attempt(session: Session) -> Actor | SignInFailed:
        try:
            return auth.sso_sign_in(session, email, now=now)
        except SignInFailed as error:
            return error

    outcome = run_write(factory, attempt)
    if isinstance(outcome, SignInFailed):
        raise outcome
    return outcome


def sign_out(factory: sessionmaker[Session], actor: Actor) -> None:
    run_write(factory, lambda session: auth.sign_out(session, actor))


# --- Validation --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgressInput:
    """What the update form (or one row of the bulk grid) asks for."""

    rag: Rag | None
    progress: str
    issue: str = ""
    remedy: str = ""
    percent_complete: int | None = None
    revised_deadline: dt.date | None = None
    revised_deadline_reason: str = ""
    evidence_link: str = ""
    completed_on: dt.date | None = None


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str

    def __str__(self) -> str:
        return self.message


class InvalidUpdate(Exception):
    """The update breaks one or more rules; nothing was saved."""

    def __init__(self, errors: Sequence[FieldError]):
        self.errors = list(errors)
        super().__init__(" ".join(e.message for e in self.errors))


def validate_progress(entry: ProgressInput, *, today: dt.date) -> list[FieldError]:
    """Every rule an update must meet, as sentences a person can act on."""
    errors: list[FieldError] = []

    def check(ok: bool, name: str, message: str) -> None:
        if not ok:
            errors.append(FieldError(name, message))

    check(entry.rag is not None, "rag", "Choose a RAG rating.")
    check(bool(entry.progress.strip()), "progress", "Say what progress has been made.")
    for name in ("progress", "issue", "remedy", "revised_deadline_reason"):
        check(
            len(getattr(entry, name)) <= MAX_TEXT,
            name,
            f"Keep the {name.replace('_', ' ')} under {MAX_TEXT} characters.",
        )
    if entry.rag in (Rag.RED, Rag.AMBER):
        check(
            bool(entry.issue.strip()),
            "issue",
            f"For {entry.rag.value}, say what the issue is.",
        )
        check(
            bool(entry.remedy.strip()),
            "remedy",
            f"For {entry.rag.value}, say what is being done about it.",
        )
    if entry.percent_complete is not None:
        check(
            0 <= entry.percent_complete <= 100,
            "percent_complete",
            "Percent complete must be between 0 and 100.",
        )
    reason = entry.revised_deadline_reason.strip()
    if entry.revised_deadline is not None:
        check(bool(reason), "revised_deadline_reason", "Give a reason for the revised deadline.")
        check(
            entry.revised_deadline >= today,
            "revised_deadline",
            "A revised deadline cannot be in the past.",
        )
    else:
        check(
            not reason,
            "revised_deadline",
            "Give the revised deadline date, or clear the reason.",
        )
    if entry.rag == Rag.BLUE:
        check(
            entry.completed_on is not None,
            "completed_on",
            "Blue means complete: give the date it was completed.",
        )
    else:
        check(
            entry.completed_on is None,
            "completed_on",
            "Only a Blue (complete) update has a completion date.",
        )
    if entry.completed_on is not None:
        check(
            entry.completed_on <= today,
            "completed_on",
            "The completion date cannot be in the future.",
        )
    link = entry.evidence_link.strip()
    if link:
        check(
            link.lower().startswith(("https://", "http://")) and " " not in link,
            "evidence_link",
            "The evidence link must be a web address starting https://.",
        )
        check(len(link) <= 2000, "evidence_link", "The evidence link is too long.")
    return errors


# --- Reading updates ---------------------------------------------------------------------------


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment


@dataclass(frozen=True)
class UpdateSummary:
    """One progress update as people see it (detached from any session)."""

    id: int
    action_id: int
    rag: Rag | None
    status: DeliveryStatus
    progress: str | None
    author: str
    recorded_at: dt.datetime
    source: str
    issue: str | None = None
    remedy: str | None = None
    percent_complete: int | None = None
    revised_deadline: dt.date | None = None
    revised_deadline_reason: str | None = None
    evidence_link: str | None = None
    completed_on: dt.date | None = None

    @classmethod
    def of(cls, update: ProgressUpdate) -> UpdateSummary:
        return cls(
            id=update.id,
            action_id=update.action_id,
            rag=update.rag,
            status=update.status,
            progress=update.progress,
            author=update.author,
            recorded_at=_aware(update.recorded_at),
            source=update.source.value,
            issue=update.issue,
            remedy=update.remedy,
            percent_complete=update.percent_complete,
            revised_deadline=update.revised_deadline,
            revised_deadline_reason=update.revised_deadline_reason,
            evidence_link=update.evidence_link,
            completed_on=update.completed_on,
        )

    def describe(self) -> str:
        when = self.recorded_at.astimezone(dt.UTC)
        return (
            f"{rag_label(self.rag)} by {self.author} on {format_uk_date(when.date())} at "
            f"{when:%H:%M} UTC: {self.progress or '(no progress text)'}"
        )


def _latest_update(session: Session, action_id: int) -> ProgressUpdate | None:
    return session.scalar(
        select(ProgressUpdate)
        .where(ProgressUpdate.action_id == action_id)
        .order_by(ProgressUpdate.recorded_at.desc(), ProgressUpdate.id.desc())
        .limit(1)
    )


def latest_update(session: Session, action_id: int) -> UpdateSummary | None:
    update = _latest_update(session, action_id)
    return UpdateSummary.of(update) if update else None


def latest_update_id(session: Session, action_id: int) -> int | None:
    """The concurrency token a form keeps from when it was opened."""
    update = _latest_update(session, action_id)
    return update.id if update else None


# --- Recording progress ------------------------------------------------------------------------


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


class ActionNotFound(Exception):
    pass


def _lock_actions(session: Session, action_ids: Sequence[int]) -> dict[int, Action]:
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


def _target(action: Action) -> str:
    return f"{action.plan.name} / action {action.ref or action.id}: {action.text[:120]}"


def _current_deadline(session: Session, action: Action) -> dt.date | None:
    revised = session.scalar(
        select(ProgressUpdate.revised_deadline)
        .where(ProgressUpdate.action_id == action.id, ProgressUpdate.revised_deadline.is_not(None))
        .order_by(ProgressUpdate.recorded_at.desc(), ProgressUpdate.id.desc())
        .limit(1)
    )
    return revised or action.deadline


def _insert_update(
    session: Session,
    actor: Actor,
    action: Action,
    entry: ProgressInput,
    previous: ProgressUpdate | None,
    *,
    source: UpdateSource,
    now: dt.datetime,
) -> ProgressUpdate:
    old_deadline = _current_deadline(session, action) if entry.revised_deadline else None
    update = ProgressUpdate(
        action=action,
        rag=entry.rag,
        status=DeliveryStatus.COMPLETE if entry.rag == Rag.BLUE else DeliveryStatus.IN_PROGRESS,
        progress=entry.progress.strip(),
        issue=entry.issue.strip() or None,
        remedy=entry.remedy.strip() or None,
        percent_complete=entry.percent_complete,
        revised_deadline=entry.revised_deadline,
        revised_deadline_reason=entry.revised_deadline_reason.strip() or None,
        evidence_link=entry.evidence_link.strip() or None,
        completed_on=entry.completed_on,
        author=actor.name,
        author_email=actor.email,
        source=source,
        source_detail=f"{source.value} by {actor.email}",
        reporting_period=None,
        recorded_at=now,
    )
    session.add(update)
    session.flush()
    record(
        session,
        actor=actor.email,
        event=AuditEvent.PROGRESS_RECORDED,
        target=_target(action),
        details={
            "action_id": action.id,
            "update_id": update.id,
            "rag": {"from": previous.rag if previous else None, "to": entry.rag},
            "percent_complete": entry.percent_complete,
            "completed_on": entry.completed_on,
            "evidence_link": update.evidence_link,
            "source": source.value,
        },
        now=now,
    )
    if entry.revised_deadline is not None:
        record(
            session,
            actor=actor.email,
            event=AuditEvent.DEADLINE_REVISED,
            target=_target(action),
            details={
                "action_id": action.id,
                "baseline": action.deadline,
                "from": old_deadline,
                "to": entry.revised_deadline,
                "reason": update.revised_deadline_reason,
            },
            now=now,
        )
    return update


def record_progress(
    session: Session,
    actor: Actor | None,
    action_id: int,
    entry: ProgressInput,
    *,
    expected_latest_update_id: int | None,
    now: dt.datetime | None = None,
    source: UpdateSource = UpdateSource.FORM,
) -> UpdateSummary:
    """Append a progress update to an action, inside the caller's (write) transaction.

    Raises PermissionDenied (not signed in, disabled, not the owner), InvalidUpdate (with every
    broken rule), or Conflict when the action's newest update is no longer
    `expected_latest_update_id` (the one shown when the form was opened).
    """
    now = now or utcnow()
    actor = auth.refresh(session, actor)
    auth.require(actor, Permission.UPDATE_OWN_ACTIONS)
    action = _lock_actions(session, [action_id])[action_id]
    auth.require(actor, Permission.UPDATE_OWN_ACTIONS, action)
    errors = validate_progress(entry, today=now.date())
    if errors:
        raise InvalidUpdate(errors)
    previous = _latest_update(session, action_id)
    if (previous.id if previous else None) != expected_latest_update_id:
        raise Conflict(action_id, UpdateSummary.of(previous) if previous else None)
    return UpdateSummary.of(
        _insert_update(session, actor, action, entry, previous, source=source, now=now)
    )


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


# --- Bulk updates ------------------------------------------------------------------------------


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
    actions = _lock_actions(session, [row.action_id for row in rows])
    problems: list[RowProblem] = []
    previous: dict[int, ProgressUpdate | None] = {}
    for row in rows:
        action = actions[row.action_id]
        label = row.label or f"{action.ref or action.id} {action.text[:60]}"
        messages = [str(e) for e in validate_progress(row.entry, today=now.date())]
        try:
            auth.require(actor, Permission.UPDATE_ANY_ACTION, action)
        except auth.PermissionDenied as error:
            messages.append(str(error))
        latest = _latest_update(session, row.action_id)
        previous[row.action_id] = latest
        newer = None
        if (latest.id if latest else None) != row.expected_latest_update_id:
            newer = UpdateSummary.of(latest) if latest else None
            messages.append(
                "Updated by someone else since the grid was opened"
                + (f" ({newer.describe()})." if newer else ".")
            )
        if messages:
            problems.append(RowProblem(row.action_id, label, tuple(messages), newer))
    if problems:
        raise BulkRejected(problems)
    saved = [
        UpdateSummary.of(
            _insert_update(
                session,
                actor,
                actions[row.action_id],
                row.entry,
                previous[row.action_id],
                source=UpdateSource.BULK,
                now=now,
            )
        )
        for row in rows
    ]
    if saved:
        record(
            session,
            actor=actor.email,
            event=AuditEvent.BULK_UPDATE,
            target=", ".join(sorted({a.plan.name for a in actions.values()}))[:500],
            details={"actions": [row.action_id for row in rows], "updates": len(saved)},
            now=now,
        )
    return saved


def submit_bulk(
    factory: sessionmaker[Session],
    actor: Actor | None,
    rows: Sequence[BulkRow],
    *,
    now: dt.datetime | None = None,
) -> list[UpdateSummary]:
    return run_write(factory, lambda session: record_bulk(session, actor, rows, now=now))


# --- Board decisions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionSummary:
    id: int
    action_id: int
    decision: str
    meeting_date: dt.date | None
    author: str
    recorded_at: dt.datetime


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
    action = _lock_actions(session, [action_id])[action_id]
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
        target=_target(action),
        details={"action_id": action.id, "decision": row.decision, "meeting_date": meeting_date},
        now=now,
    )
    return _decision_summary(row)


def _decision_summary(row: BoardDecision) -> DecisionSummary:
    return DecisionSummary(
        id=row.id,
        action_id=row.action_id,
        decision=row.decision,
        meeting_date=row.meeting_date,
        author=row.author,
        recorded_at=_aware(row.recorded_at),
    )


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


# --- "My actions" and one action's page --------------------------------------------------------


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
        keys = {" ".join(n.split()).lower() for n in actor.owner_names}
        if not keys:
            return []
        query = query.where(
            Action.id.in_(
                select(ActionOwner.action_id).where(func.lower(ActionOwner.name).in_(keys))
            )
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
                updated_at=_aware(row[12]),
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


@dataclass(frozen=True)
class ActionHistory:
    updates: list[UpdateSummary] = field(default_factory=list)  # newest first
    decisions: list[DecisionSummary] = field(default_factory=list)  # newest first


def action_history(session: Session, action_id: int, *, limit: int = 20) -> ActionHistory:
    updates = session.scalars(
        select(ProgressUpdate)
        .where(ProgressUpdate.action_id == action_id)
        .order_by(ProgressUpdate.recorded_at.desc(), ProgressUpdate.id.desc())
        .limit(limit)
    )
    decisions = session.scalars(
        select(BoardDecision)
        .where(BoardDecision.action_id == action_id)
        .order_by(BoardDecision.recorded_at.desc(), BoardDecision.id.desc())
    )
    return ActionHistory(
        updates=[UpdateSummary.of(u) for u in updates],
        decisions=[_decision_summary(d) for d in decisions],
    )


def may_update_action(session: Session, actor: Actor, action_id: int) -> bool:
    action = session.get(Action, action_id, options=[selectinload(Action.owners)])
    return action is not None and auth.may_update(actor, action)


# --- The audit log, for admins -----------------------------------------------------------------


def audit_log(
    session: Session, actor: Actor | None, where: AuditFilter | None = None
) -> list[AuditEntry]:
    actor = auth.refresh(session, actor)
    auth.require(actor, Permission.VIEW_AUDIT)
    return entries(session, where)


def audit_events(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEntry.event).distinct().order_by(AuditEntry.event)))


__all__ = [
    "ActionHistory",
    "ActionNotFound",
    "BulkRejected",
    "BulkRow",
    "Busy",
    "Conflict",
    "FieldError",
    "InvalidUpdate",
    "MyAction",
    "ProgressInput",
    "RowProblem",
    "UpdateSummary",
    "actions_for",
    "record_board_decision",
    "record_bulk",
    "record_progress",
    "run_write",
    "sign_in",
    "submit_bulk",
    "submit_progress",
    "validate_progress",
]
