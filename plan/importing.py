"""Load a reader's rows into the database: one import is one transaction, re-imports add history."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from importers import ActionRow, ReadResult, RowIssue, read_plan_file
from importers.gc_pause import collector_paused
from plan import audit
from plan.auth import Actor, Permission, refresh, require
from plan.database import transaction
from plan.models import (
    Action,
    ActionOwner,
    Objective,
    Plan,
    ProgressUpdate,
    UpdateSource,
    owner_name_values,
    utcnow,
)
from plan.queries import latest_updates
from rulebook.dates import quarter_label
from rulebook.rag import DeliveryStatus


@dataclass
class ImportReport:
    plan: str
    file: str
    plan_created: bool = False
    objectives_created: int = 0
    actions_created: int = 0
    actions_updated: int = 0
    actions_unchanged: int = 0
    updates_recorded: int = 0
    rows_read: int = 0
    rows_skipped: int = 0
    issues: list[RowIssue] = field(default_factory=list)
    sheets_skipped: list[str] = field(default_factory=list)
    unmapped_columns: list[str] = field(default_factory=list)

    @property
    def actions_total(self) -> int:
        return self.actions_created + self.actions_updated + self.actions_unchanged

    def lines(self) -> list[str]:
        """The report as a person reads it, one fact a line."""
        out = [
            f"Plan: {self.plan}" + (" (new)" if self.plan_created else ""),
            f"File: {self.file}: {self.rows_read} rows read, {self.rows_skipped} skipped",
            f"Objectives: {self.objectives_created} new",
            f"Actions: {self.actions_created} created, {self.actions_updated} updated, "
            f"{self.actions_unchanged} unchanged",
            f"Progress updates recorded: {self.updates_recorded}",
        ]
        if self.sheets_skipped:
            out.append("Sheets skipped: " + "; ".join(self.sheets_skipped))
        if self.unmapped_columns:
            out.append("Columns kept as extra fields: " + ", ".join(self.unmapped_columns))
        if self.issues:
            out.append(f"Warnings ({len(self.issues)}):")
            out.extend(f"  - {issue}" for issue in self.issues)
        return out


def default_plan_name(filename: str) -> str:
    stem = re.sub(r"\.[A-Za-z0-9]+$", "", filename.rsplit("/", 1)[-1])
    return re.sub(r"[_\s]+", " ", stem).strip() or "Imported plan"


def _normalised(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "").strip().lower())


def import_rows(
    session: Session,
    result: ReadResult,
    *,
    plan_name: str | None = None,
    author: str,
    source: UpdateSource = UpdateSource.IMPORT,
    now: dt.datetime | None = None,
) -> ImportReport:
    """Create or update the plan from `result` inside the caller's transaction.

    Actions match by ref, else by action text; a changed RAG, status or progress becomes a new
    ProgressUpdate, so re-importing the same file changes nothing.
    """
    now = now or utcnow()
    name = (plan_name or default_plan_name(result.file)).strip()
    report = ImportReport(
        plan=name,
        file=result.file,
        rows_read=result.rows_read,
        rows_skipped=len(result.rows_skipped),
        issues=list(result.issues),
        sheets_skipped=[f"{s.sheet} ({s.reason})" for s in result.sheets_skipped],
        unmapped_columns=list(result.unmapped_columns),
    )
    plan = session.scalar(
        select(Plan)
        .where(Plan.name == name)
        .options(
            selectinload(Plan.objectives), selectinload(Plan.actions).selectinload(Action.owners)
        )
    )
    if plan is None:
        plan = Plan(name=name)
        session.add(plan)
        session.flush()
        report.plan_created = True

    objectives = {_normalised(o.title): o for o in plan.objectives}
    by_ref = {_normalised(a.ref): a for a in plan.actions if a.ref}
    by_text = {_normalised(a.text): a for a in plan.actions}
    current = latest_updates(session, plan.id) if plan.actions else {}
    # Keyed by object identity: new actions have no id until the final flush.
    latest = {id(a): current[a.id] for a in plan.actions if a.id in current}
    seen: set[int] = set()
    fresh: list[_NewAction] = []
    period = quarter_label(now.date())
    next_position = max((a.position for a in plan.actions), default=0)
    next_objective_position = max((o.position for o in plan.objectives), default=0)

    for row in result.rows:
        objective = None
        if row.objective:
            key = _normalised(row.objective)
            objective = objectives.get(key)
            if objective is None:
                next_objective_position += 1
                objective = Objective(
                    plan=plan,
                    ref=row.objective_ref,
                    title=row.objective,
                    description=row.objective_description,
                    position=next_objective_position,
                )
                session.add(objective)
                objectives[key] = objective
                report.objectives_created += 1
            elif row.objective_description and not objective.description:
                objective.description = row.objective_description

        action = (by_ref.get(_normalised(row.ref)) if row.ref else None) or by_text.get(
            _normalised(row.action)
        )
        if action is not None and id(action) in seen:
            report.issues.append(
                RowIssue(
                    file=result.file,
                    sheet=row.sheet,
                    row=row.row,
                    message="same ref or action text as an earlier row: kept as a separate action",
                )
            )
            action = None
        if action is None:
            # New actions are inserted in bulk after the loop: per-row ORM objects cost ~1 ms
            # each, which dominated a 20,000-action import.
            next_position += 1
            action = _NewAction(row=row, position=next_position, objective=objective)
            fresh.append(action)
            report.actions_created += 1
            changed_fields = False
        else:
            changed_fields = _apply_fields(action, row, objective)
        seen.add(id(action))
        if row.ref:
            by_ref.setdefault(_normalised(row.ref), action)
        by_text.setdefault(_normalised(row.action), action)
        if isinstance(action, _NewAction):
            continue

        recorded = _record_if_changed(
            session, action, row, latest.get(id(action)), author, source, result.file, period, now
        )
        if recorded is not None:
            latest[id(action)] = recorded
            report.updates_recorded += 1
        if changed_fields or recorded is not None:
            report.actions_updated += 1
        else:
            report.actions_unchanged += 1
    session.flush()
    report.updates_recorded += _insert_new_actions(
        session,
        plan,
        fresh,
        author=author,
        source=source,
        filename=result.file,
        period=period,
        now=now,
    )
    return report


@dataclass
class _NewAction:
    row: ActionRow
    position: int
    objective: Objective | None


def _insert_new_actions(
    session: Session,
    plan: Plan,
    fresh: list[_NewAction],
    *,
    author: str,
    source: UpdateSource,
    filename: str,
    period: str,
    now: dt.datetime,
) -> int:
    """Insert new actions, their owners and first updates with three executemany statements."""
    if not fresh:
        return 0
    session.execute(
        insert(Action.__table__),
        [
            {
                "plan_id": plan.id,
                "objective_id": item.objective.id if item.objective else None,
                "position": item.position,
                "created_at": now,
                **_action_values(item.row),
            }
            for item in fresh
        ],
    )
    first_position = fresh[0].position
    ids = dict(
        session.execute(
            select(Action.position, Action.id).where(
                Action.plan_id == plan.id, Action.position >= first_position
            )
        ).all()
    )
    owners = [
        {"action_id": ids[item.position], "position": index, **owner_name_values(name)}
        for item in fresh
        for index, name in enumerate(item.row.owners)
    ]
    if owners:
        session.execute(insert(ActionOwner.__table__), owners)
    updates = []
    for item in fresh:
        values = _new_update_values(item.row, author, source, filename, period, now)
        if values is not None:
            updates.append({"action_id": ids[item.position], **values})
    if updates:
        session.execute(insert(ProgressUpdate.__table__), updates)
    # The plan's relationship collections were loaded before these inserts.
    session.expire(plan)
    return len(updates)


def _action_values(row: ActionRow) -> dict:
    return {
        "ref": row.ref,
        "text": row.action,
        "milestone": row.milestone,
        "lead_text": row.lead,
        "deadline": row.deadline,
        "deadline_text": row.deadline_text or None,
        "ongoing": row.ongoing,
        "target": row.target,
        "resourcing": row.resourcing,
        "indicator_link": row.indicator,
        "extra": dict(row.extra),
    }


def _new_update_values(
    row: ActionRow,
    author: str,
    source: UpdateSource,
    filename: str,
    period: str,
    now: dt.datetime,
) -> dict | None:
    """The first history entry for a new action, when the file gives it a RAG or progress."""
    if row.rag is None and row.status is None and row.rag_text is None and not row.progress:
        return None
    return {
        "rag": row.rag,
        "rag_text": row.rag_text,
        "status": row.status
        or (DeliveryStatus.IN_PROGRESS if row.rag else DeliveryStatus.NOT_STARTED),
        "progress": row.progress,
        "author": author,
        "source": source,
        "source_detail": f"{filename}, row {row.row}",
        "reporting_period": period,
        "recorded_at": now,
    }


def _apply_fields(action: Action, row: ActionRow, objective: Objective | None) -> bool:
    """Copy the row's descriptive fields onto the action; True if anything changed."""
    wanted = {"objective": objective, **_action_values(row)}
    changed = False
    for attribute, value in wanted.items():
        if getattr(action, attribute) != value:
            setattr(action, attribute, value)
            changed = True
    if action.owner_names != row.owners:
        # Reuse rows by name: replacing them wholesale would insert before deleting and
        # trip the (action, name) unique constraint.
        existing = {owner.name: owner for owner in action.owners}
        kept = []
        for position, name in enumerate(row.owners):
            owner = existing.pop(name, None) or ActionOwner(name=name)
            owner.position = position
            kept.append(owner)
        action.owners = kept
        changed = True
    return changed


def _record_if_changed(
    session: Session,
    action: Action,
    row: ActionRow,
    latest: ProgressUpdate | None,
    author: str,
    source: UpdateSource,
    filename: str,
    period: str,
    now: dt.datetime,
) -> ProgressUpdate | None:
    """A new history entry when the row's RAG, status or progress differ from the newest."""
    values = _new_update_values(row, author, source, filename, period, now)
    if values is None:
        return None
    if latest is not None and (
        latest.rag == values["rag"]
        and latest.rag_text == values["rag_text"]
        and latest.status == values["status"]
        and (latest.progress or None) == (values["progress"] or None)
    ):
        return None
    update = ProgressUpdate(action=action, **values)
    session.add(update)
    return update


def import_file(
    factory: sessionmaker[Session],
    data: bytes,
    filename: str,
    *,
    plan_name: str | None = None,
    author: str,
    now: dt.datetime | None = None,
    actor_email: str | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> ImportReport:
    """Read and load a file as one transaction: all of it lands, or (on any error) none of it.

    Raises `ImportFileError` for a file that cannot be read; the database is untouched then.
    For the command line and the demo, which run with the machine owner's authority.
    `progress(fraction, message)` is called while the file is read.
    """
    result = read_plan_file(data, filename, progress=progress)
    return load_result(
        factory, result, plan_name=plan_name, author=author, now=now, actor_email=actor_email
    )


def import_as(
    factory: sessionmaker[Session],
    actor: Actor | None,
    result: ReadResult,
    *,
    plan_name: str,
    now: dt.datetime | None = None,
) -> ImportReport:
    """Load a file already read (and previewed) on behalf of a signed-in user who may import.

    Raises `PermissionDenied` for anyone else, checked against the account as it is now.
    """
    with factory() as session:
        current = refresh(session, actor)
    require(current, Permission.IMPORT)
    return load_result(
        factory,
        result,
        plan_name=plan_name,
        author=current.name,
        now=now,
        actor_email=current.email,
    )


def load_result(
    factory: sessionmaker[Session],
    result: ReadResult,
    *,
    plan_name: str | None,
    author: str,
    now: dt.datetime | None = None,
    actor_email: str | None = None,
) -> ImportReport:
    """Load read rows and write the audit entry in one transaction."""
    with collector_paused(), transaction(factory) as session:
        report = import_rows(session, result, plan_name=plan_name, author=author, now=now)
        audit.record(
            session,
            actor=actor_email or author,
            event=audit.AuditEvent.IMPORT,
            target=report.plan,
            details={
                "file": result.file,
                "plan_created": report.plan_created,
                "actions_created": report.actions_created,
                "actions_updated": report.actions_updated,
                "updates_recorded": report.updates_recorded,
                "warnings": len(report.issues),
            },
            now=now,
        )
        return report
