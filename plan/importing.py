"""Load a reader's rows into the database: one import is one transaction, re-imports add history."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypedDict, Unpack

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from importers import ActionRow, ReadResult, RowIssue, read_plan_file
from importers.gc_pause import collector_paused
from plan import audit
from plan.auth import Actor, Permission, refresh, require
from plan.database import insert_in_batches, run_write
from plan.import_history import CurrentEntries, Dated, dated_entries, new_entries, with_history
from plan.import_mappings import ColumnChoice, remember
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
from plan.queries import latest_updates, newest_import_ids
from plan.services.append import Appended, Author, Refused, UpdateRequest, append_updates
from plan.services.history import aware
from plan.services.validation import missing_reasons
from rulebook.dates import format_uk_date, quarter_label
from rulebook.entries import described_day_of
from rulebook.plan_periods import Period, check_period, period_after_import
from rulebook.rag import DeliveryStatus
from rulebook.text import clean_text


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
    # Every column read, with the role chosen for it and why ("'Title': action (header word)").
    column_roles: list[str] = field(default_factory=list)
    # Rows not applied because the action changed in the tracker after the file was saved.
    conflicts: list[RowIssue] = field(default_factory=list)
    # Rows recorded as the file states them, though the update form would ask for more
    # (an issue and remedy for Red/Amber, a completion date for Blue): see EntryRules.
    recorded_as_written: list[int] = field(default_factory=list)
    # The plan's period (start, end) after the import, and where it came from.
    period: tuple[dt.date | None, dt.date | None] = (None, None)
    period_source: str = ""
    # The day the file describes (its history entries are dated to it, or to their period).
    as_at: dt.date | None = None
    mapping: list[str] = field(default_factory=list)  # the column mapping used, as lines

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
            f"Progress updates recorded: {self.updates_recorded}"
            + (f" (as at {format_uk_date(self.as_at)})" if self.as_at else ""),
        ]
        if any(self.period):
            start, end = (format_uk_date(d) or "not recorded" for d in self.period)
            out.insert(1, f"Period: {start} to {end} ({self.period_source})")
        out.extend(self.mapping)
        if self.sheets_skipped:
            out.append("Sheets skipped: " + "; ".join(self.sheets_skipped))
        if self.column_roles:
            out.append("Columns read: " + "; ".join(self.column_roles))
        if self.unmapped_columns:
            out.append("Columns kept as extra fields: " + ", ".join(self.unmapped_columns))
        if self.recorded_as_written:
            # A row's period columns give it several entries: each row is named once.
            distinct = sorted(set(self.recorded_as_written))
            rows = ", ".join(str(r) for r in distinct[:10])
            more = " and more" if len(distinct) > 10 else ""
            count = len(self.recorded_as_written)
            out.append(
                f"Recorded as the file states them ({count} {'entry' if count == 1 else 'entries'}"
                f"; {'row' if len(distinct) == 1 else 'rows'} {rows}{more}): the update form "
                "would also ask for the issue and remedy "
                "of a Red or Amber rating, and the completion date of a Blue one"
            )
        if self.conflicts:
            out.append(f"Conflicts, not applied ({len(self.conflicts)}):")
            out.extend(f"  - {issue}" for issue in self.conflicts)
        if self.issues:
            out.append(f"Warnings ({len(self.issues)}):")
            out.extend(f"  - {issue}" for issue in self.issues)
        return out


class AsAtError(ValueError):
    """An import's as-at date that cannot be: the message says why in one sentence."""


def checked_as_at(as_at: dt.date | None, now: dt.datetime) -> dt.date:
    """The day an import describes: `as_at`, or today; never a day still to come."""
    today = described_day_of(now)
    if as_at is None:
        return today
    if as_at > today:
        raise AsAtError(
            f"the as-at date {format_uk_date(as_at)} has not come yet: a file can only say "
            "how things stood on a day that has passed (or today)"
        )
    return as_at


def default_plan_name(filename: str) -> str:
    stem = re.sub(r"\.[A-Za-z0-9]+$", "", filename.rsplit("/", 1)[-1])
    return re.sub(r"[_\s]+", " ", stem).strip() or "Imported plan"


def _normalised(text: str | None) -> str:
    return " ".join((text or "").split()).lower()


@dataclass
class _Load:
    """One import's working state: what is matched, created and to be recorded."""

    session: Session
    result: ReadResult
    plan: Plan
    report: ImportReport
    author: Author
    now: dt.datetime
    period: str
    as_at: dt.date
    objectives: dict[str, Objective] = field(default_factory=dict)
    by_ref: dict[str, Action | _NewAction] = field(default_factory=dict)
    by_text: dict[str, Action | _NewAction] = field(default_factory=dict)
    seen: set[int] = field(default_factory=set)
    fresh: list[_NewAction] = field(default_factory=list)
    changed: list[tuple[Action, ActionRow, bool]] = field(default_factory=list)
    next_position: int = 0
    next_objective_position: int = 0


def import_rows(
    session: Session,
    result: ReadResult,
    *,
    plan_name: str | None = None,
    author: str | Author,
    now: dt.datetime | None = None,
    period: Period = (None, None),
    as_at: dt.date | None = None,
    mapping: ColumnChoice | None = None,
) -> ImportReport:
    """Create or update the plan from `result` inside the caller's transaction.

    The file says what it says as at `as_at` (default: today); its period column groups as at
    each period's end (importers.periods). Every history entry it adds describes that day.

    `period` (start, end) is recorded on the plan where given; a plan without one takes the
    period its name says ("2011/14", "2013-14"), if any.

    Actions match by ref, else by action text; a changed RAG, status or progress becomes a new
    history entry through the one append path, so re-importing the same file changes nothing,
    and a row from a file older than an action's newest update is a conflict, not applied.
    """
    now = now or utcnow()
    as_at = checked_as_at(as_at, now)
    who = author if isinstance(author, Author) else Author(name=author)
    name = clean_text(plan_name or default_plan_name(result.file)).strip()
    plan, created = _locked_plan(session, name)
    _record_period(plan, period, report := _report_of(result, name, created, as_at))
    result = with_history(result, as_at, report.period)
    report.issues = list(result.issues)
    report.unmapped_columns = list(result.unmapped_columns)
    if mapping:
        remember(session, plan, mapping, who.audit_name, now)
        report.mapping = mapping.lines()
    load = _Load(
        session=session,
        result=result,
        plan=plan,
        report=report,
        author=who,
        now=now,
        period=quarter_label(as_at),
        as_at=as_at,
        objectives={_normalised(o.title): o for o in plan.objectives},
        by_ref={_normalised(a.ref): a for a in plan.actions if a.ref},
        by_text={_normalised(a.text): a for a in plan.actions},
        next_position=max((a.position for a in plan.actions), default=0),
        next_objective_position=max((o.position for o in plan.objectives), default=0),
    )
    for row in result.rows:
        _load_row(load, row)
    session.flush()
    new_ids = _insert_new_actions(session, plan, load.fresh, now=now, as_at=as_at)
    _record_updates(load, new_ids)
    return load.report


def _record_period(plan: Plan, period: Period, report: ImportReport) -> None:
    """Set the plan's period from the import's, else (when it has none) from its name."""
    check_period(*period)
    (start, end), source = period_after_import(
        period, (plan.period_start, plan.period_end), plan.name
    )
    check_period(start, end)
    plan.period_start, plan.period_end = start, end
    report.period_source = source
    report.period = (start, end)


def _report_of(result: ReadResult, name: str, created: bool, as_at: dt.date) -> ImportReport:
    return ImportReport(
        plan=name,
        file=result.file,
        as_at=as_at,
        plan_created=created,
        rows_read=result.rows_read,
        rows_skipped=len(result.rows_skipped),
        issues=list(result.issues),
        sheets_skipped=[f"{s.sheet} ({s.reason})" for s in result.sheets_skipped],
        unmapped_columns=list(result.unmapped_columns),
        column_roles=_column_roles(result),
    )


def _column_roles(result: ReadResult) -> list[str]:
    """Each column's role and why, naming the sheet when the file has several tables."""
    sheets = {role.sheet for role in result.column_roles}
    return [
        (f"{role.sheet}: " if len(sheets) > 1 else "") + str(role) for role in result.column_roles
    ]


def _locked_plan(session: Session, name: str) -> tuple[Plan, bool]:
    """The plan by name, locked for this import, or a new one: two imports of one plan at
    once run one after the other, so the second sees the first's actions (no duplicates)."""
    if session.get_bind().dialect.name == "postgresql":
        # Serialises imports of a plan that does not exist yet, too (SQLite's BEGIN IMMEDIATE
        # already serialises every writer).
        session.execute(select(func.pg_advisory_xact_lock(_PLAN_LOCK, func.hashtext(name))))
    plan = session.scalar(
        select(Plan)
        .where(Plan.name == name)
        .with_for_update()
        .options(
            selectinload(Plan.objectives), selectinload(Plan.actions).selectinload(Action.owners)
        )
    )
    if plan is not None:
        return plan, False
    plan = Plan(name=name)
    session.add(plan)
    session.flush()
    return plan, True


def _objective_for(load: _Load, row: ActionRow) -> Objective | None:
    if not row.objective:
        return None
    key = _normalised(row.objective)
    objective = load.objectives.get(key)
    if objective is None:
        load.next_objective_position += 1
        objective = Objective(
            plan=load.plan,
            ref=row.objective_ref,
            title=row.objective,
            description=row.objective_description,
            position=load.next_objective_position,
        )
        load.session.add(objective)
        load.objectives[key] = objective
        load.report.objectives_created += 1
    elif row.objective_description and not objective.description:
        objective.description = row.objective_description
    return objective


def _load_row(load: _Load, row: ActionRow) -> None:
    objective = _objective_for(load, row)
    found = (load.by_ref.get(_normalised(row.ref)) if row.ref else None) or load.by_text.get(
        _normalised(row.action)
    )
    if found is not None and id(found) in load.seen:
        load.report.issues.append(_issue(load, row, _REPEATED_ROW))
        found = None
    if found is None:
        # New actions are inserted in bulk after the loop: per-row ORM objects cost ~1 ms
        # each, which dominated a 20,000-action import.
        load.next_position += 1
        found = _NewAction(row=row, position=load.next_position, objective=objective)
        if row.ref and _normalised(row.ref) in load.by_ref:
            found.ref = None  # a plan holds each ref once; the row's ref stays in the warning
        load.fresh.append(found)
        load.report.actions_created += 1
    else:
        assert isinstance(found, Action)
        load.changed.append((found, row, _apply_fields(found, row, objective)))
    load.seen.add(id(found))
    if row.ref:
        load.by_ref.setdefault(_normalised(row.ref), found)
    load.by_text.setdefault(_normalised(row.action), found)


_NOT_STARTED = DeliveryStatus.NOT_STARTED
_REPEATED_ROW = "same ref or action text as an earlier row: kept as a separate action"
_PLAN_LOCK = 7_346_202  # with the plan name's hash: a PostgreSQL advisory lock per plan name


def _issue(load: _Load, row: ActionRow, message: str) -> RowIssue:
    return RowIssue(file=load.result.file, sheet=row.sheet, row=row.row, message=message)


def _record_updates(load: _Load, new_ids: dict[int, int]) -> None:
    """Every row's new dated entries (plan.import_history), through the one append path, in
    one batch."""
    requests: list[UpdateRequest] = []
    rows_of: dict[int, ActionRow] = {}
    for item in load.fresh:
        action_id = new_ids[item.position]
        said = new_entries(dated_entries(item.row, load.as_at, load.period), None, action_id)
        requests.extend(_requests(load, action_id, item.row, said, None))
        rows_of[action_id] = item.row
    latest = latest_updates(load.session, load.plan.id) if load.changed else {}
    stored = CurrentEntries(load.session, load.plan.id, latest)
    based_on = _based_on(load, latest)
    updated: set[int] = set()
    for action, row, fields_changed in load.changed:
        dated = dated_entries(row, load.as_at, load.period)
        _described_from(action, dated, load.as_at)
        current = latest.get(action.id)
        expected = based_on.get(action.id, current.id if current else None)
        said = new_entries(dated, stored, action.id)
        requests.extend(_requests(load, action.id, row, said, expected))
        rows_of[action.id] = row
        if fields_changed:
            updated.add(action.id)
    outcome = append_updates(
        load.session,
        load.author,
        requests,
        source=UpdateSource.IMPORT,
        now=load.now,
        created_here=set(new_ids.values()),
    )
    _report_updates(load, outcome, rows_of, updated)


def _requests(
    load: _Load, action_id: int, row: ActionRow, said: list[Dated], expected: int | None
) -> list[UpdateRequest]:
    detail = _detail(load, row)
    return [UpdateRequest(action_id, d.entry, expected, detail, describes=d.day) for d in said]


def _described_from(action: Action, dated: list[Dated], as_at: dt.date) -> None:
    """A file as at an earlier day (or an earlier period column) that lists the action moves
    the first day the plan is known to hold it back to then."""
    first = min([as_at, *(d.day for d in dated)])
    if first < action.described_from:
        action.described_from = first


def _detail(load: _Load, row: ActionRow) -> str:
    return f"{load.result.file}, row {row.row}"


def _based_on(load: _Load, latest: dict[int, ProgressUpdate]) -> dict[int, int | None]:
    """For actions whose newest update came from elsewhere (a form, a return) after this file
    was saved: the update the file can have known, the newest from an import. The append
    path then sees that the file missed the newer one: a conflict, as in the update form."""
    saved = load.result.saved_at
    if saved is not None and saved > load.now:
        saved = None  # a file from the future is not trusted
    stale = [
        action_id
        for action_id, update in latest.items()
        if update.source != UpdateSource.IMPORT
        and (saved is None or aware(update.recorded_at) > saved)
    ]
    return newest_import_ids(load.session, stale) if stale else {}


def _report_updates(
    load: _Load, outcome: Appended, rows_of: dict[int, ActionRow], updated: set[int]
) -> None:
    report = load.report
    existing = {action.id for action, _, _ in load.changed}
    report.updates_recorded = len(outcome.saved)
    for request, _ in outcome.saved:
        if request.action_id in existing:
            updated.add(request.action_id)
        if missing_reasons(request.entry):
            report.recorded_as_written.append(rows_of[request.action_id].row)
    for refused in outcome.refused:
        row = rows_of[refused.request.action_id]
        report.conflicts.append(_issue(load, row, _conflict_message(refused)))
    report.actions_updated = len(updated)
    report.actions_unchanged = len(existing) - len(updated)


def _conflict_message(refused: Refused) -> str:
    newer = refused.newer
    what = newer.describe() if newer else "a newer update"
    return (
        f"not applied: the action was updated in the tracker after this file was saved "
        f"({what}); update it on the Updates pages, or import a newer copy of the file"
    )


@dataclass(slots=True)  # one per new action: 20k at once in a large import
class _NewAction:
    row: ActionRow
    position: int
    objective: Objective | None
    ref: str | None = None

    def __post_init__(self) -> None:
        self.ref = self.row.ref


def _insert_new_actions(
    session: Session, plan: Plan, fresh: list[_NewAction], *, now: dt.datetime, as_at: dt.date
) -> dict[int, int]:
    """Insert new actions and their owners by executemany (in batches); their ids by
    position in the plan."""
    if not fresh:
        return {}
    insert_in_batches(
        session,
        Action.__table__,
        (
            {
                "plan_id": plan.id,
                "objective_id": item.objective.id if item.objective else None,
                "position": item.position,
                "created_at": now,
                "described_from": min([as_at, *(p.end for p in item.row.periods)]),
                **_action_values(item.row),
                "ref": item.ref,
            }
            for item in fresh
        ),
    )
    first_position = fresh[0].position
    ids = dict(
        session.execute(
            select(Action.position, Action.id).where(
                Action.plan_id == plan.id, Action.position >= first_position
            )
        ).all()
    )
    owners = (
        {"action_id": ids[item.position], "position": index, **owner_name_values(name)}
        for item in fresh
        for index, name in enumerate(item.row.owners)
    )
    insert_in_batches(session, ActionOwner.__table__, owners)
    # The plan's relationship collections were loaded before these inserts.
    session.expire(plan)
    return ids


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


class ImportOptions(TypedDict, total=False):
    """The plan's period (start, end), the day the file describes (default today) and the
    column mapping it was read with (remembered for the plan's next import)."""

    period: Period
    as_at: dt.date | None
    mapping: ColumnChoice


def import_file(
    factory: sessionmaker[Session],
    data: bytes,
    filename: str,
    *,
    plan_name: str | None = None,
    author: str | Author,
    now: dt.datetime | None = None,
    progress: Callable[[float, str], None] | None = None,
    **options: Unpack[ImportOptions],
) -> ImportReport:
    """Read and load a file as one transaction: all of it lands, or (on any error) none of it.

    Raises `ImportFileError` for a file that cannot be read; the database is untouched then.
    For the command line and the demo, which run with the machine owner's authority.
    `progress(fraction, message)` is called while the file is read.
    """
    result = read_plan_file(data, filename, progress=progress)
    who = author if isinstance(author, Author) else Author(author)
    return load_result(factory, result, plan_name=plan_name, author=who, now=now, **options)


def import_as(
    factory: sessionmaker[Session],
    actor: Actor | None,
    result: ReadResult,
    *,
    plan_name: str,
    now: dt.datetime | None = None,
    **options: Unpack[ImportOptions],
) -> ImportReport:
    """Load a file already read (and previewed) on behalf of a signed-in user who may import.

    Raises `PermissionDenied` for anyone else, checked against the account as it is now, in
    the same write transaction as the import.
    """

    def signed_in_author(session: Session) -> Author:
        current = require(refresh(session, actor), Permission.IMPORT)
        return Author(current.name, current.email)

    return load_result(
        factory,
        result,
        plan_name=plan_name,
        author=signed_in_author,
        now=now,
        **options,
    )


def load_result(
    factory: sessionmaker[Session],
    result: ReadResult,
    *,
    plan_name: str | None,
    author: Author | Callable[[Session], Author],
    now: dt.datetime | None = None,
    **options: Unpack[ImportOptions],
) -> ImportReport:
    """Load read rows and write the audit entry in one retried write transaction."""
    moment = now or utcnow()

    def load(session: Session) -> ImportReport:
        who = author(session) if callable(author) else author
        report = import_rows(
            session,
            result,
            plan_name=plan_name,
            author=who,
            now=moment,
            **options,
        )
        audit.record(
            session,
            actor=who.audit_name,
            event=audit.AuditEvent.IMPORT,
            target=report.plan,
            details={
                "file": result.file,
                "plan_created": report.plan_created,
                "actions_created": report.actions_created,
                "actions_updated": report.actions_updated,
                "updates_recorded": report.updates_recorded,
                "conflicts": len(report.conflicts),
                "warnings": len(report.issues),
                "period": [d.isoformat() if d else None for d in report.period],
                "as_at": report.as_at.isoformat() if report.as_at else None,
            },
            now=moment,
        )
        return report

    with collector_paused():
        return run_write(factory, load)
