"""Update returns, read back: each filled row of a return becomes a progress update.

The workbook itself is made by `plan.exporters.update_return`, whose hidden columns carry the
action's id and the id of its newest update when the return was made, so rows still match
after the owner re-sorts or edits the visible columns, and an action updated in the app since
then is reported as a conflict instead of being overwritten.

Importing a filled return records each filled row as a new ProgressUpdate (author: the owner
named in the return; source: "return", with the file name), in one transaction. Empty rows do
nothing; a row already imported from the same return counts as unchanged, so importing a file
twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from plan import auth
from plan.audit import AuditEvent, record
from plan.auth import Actor, Permission
from plan.exporters.update_return import (
    ABOUT_SHEET,
    ACTION_ID,
    ALL_OWNERS,
    NEW_RAG,
    NEW_UPDATE,
    RAG_CHOICES,
    REF,
    RETURN_COLUMNS,
    RETURN_SHEET,
    REVISED_DEADLINE,
    UPDATE_ID,
)
from plan.models import Action, ProgressUpdate, UpdateSource, utcnow
from plan.queries import newest_update_ids
from rulebook.dates import format_uk_date, utc_date
from rulebook.deadlines import read_deadline
from rulebook.rag import DeliveryStatus, Rag, rag_label, read_rag


class ReturnFileError(Exception):
    """The file is not an update return this tracker made; one sentence says why."""


# ----------------------------------------------------------------------------- import


@dataclass(frozen=True)
class RowIssue:
    row: int
    ref: str | None
    message: str

    def __str__(self) -> str:
        ref = f" (action {self.ref})" if self.ref else ""
        return f"row {self.row}{ref}: {self.message}"


@dataclass(frozen=True)
class ReturnRow:
    row: int
    action_id: int | None
    expected_update_id: int | None
    ref: str | None
    rag_text: str | None
    update: str | None
    revised_deadline: Any

    @property
    def is_empty(self) -> bool:
        return not (self.rag_text or self.update or self.revised_deadline)


@dataclass(frozen=True)
class ParsedReturn:
    owner: str | None
    rows: list[ReturnRow]


@dataclass
class ReturnReport:
    file_name: str
    owner: str | None
    applied: list[RowIssue] = field(default_factory=list)  # row, ref and what was recorded
    unchanged: int = 0
    conflicts: list[RowIssue] = field(default_factory=list)
    errors: list[RowIssue] = field(default_factory=list)

    def lines(self) -> list[str]:
        lines = [
            f"Update return {self.file_name} from {self.owner or ALL_OWNERS}: "
            f"{len(self.applied)} applied, {self.unchanged} unchanged, "
            f"{len(self.conflicts)} conflicts, {len(self.errors)} errors."
        ]
        lines += [f"Applied {issue}" for issue in self.applied]
        lines += [f"Conflict {issue}" for issue in self.conflicts]
        lines += [f"Error {issue}" for issue in self.errors]
        return lines


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _int(value: Any) -> int | None:
    text = _text(value)
    if text is None:
        return None
    try:
        return int(float(text))
    except ValueError:
        return None


def read_return(data: bytes) -> ParsedReturn:
    """The filled rows of a return, matched to columns by their headings (any order)."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ReturnFileError("it is not an .xlsx workbook") from error
    try:
        if RETURN_SHEET not in workbook.sheetnames:
            raise ReturnFileError(f"it has no '{RETURN_SHEET}' sheet: is it an update return?")
        owner = None
        if ABOUT_SHEET in workbook.sheetnames:
            for row in workbook[ABOUT_SHEET].iter_rows(max_row=10, values_only=True):
                if row and row[0] == "Owner" and len(row) > 1:
                    owner = _text(row[1])
        if owner == ALL_OWNERS:
            owner = None
        rows = workbook[RETURN_SHEET].iter_rows(values_only=True)
        header = [(_text(v) or "") for v in next(rows, ())]
        missing = [
            name for name in (ACTION_ID, UPDATE_ID, NEW_RAG, NEW_UPDATE) if name not in header
        ]
        if missing:
            raise ReturnFileError(
                f"the '{RETURN_SHEET}' sheet has no {', '.join(repr(m) for m in missing)} "
                "column: please send the return as it was made, with its hidden columns"
            )
        at = {name: header.index(name) for name in RETURN_COLUMNS if name in header}

        def get(values: Sequence[Any], name: str) -> Any:
            index = at.get(name)
            return values[index] if index is not None and index < len(values) else None

        parsed = []
        for number, values in enumerate(rows, start=2):
            if not any(v not in (None, "") for v in values):
                continue
            parsed.append(
                ReturnRow(
                    row=number,
                    action_id=_int(get(values, ACTION_ID)),
                    expected_update_id=_int(get(values, UPDATE_ID)),
                    ref=_text(get(values, REF)),
                    rag_text=_text(get(values, NEW_RAG)),
                    update=_text(get(values, NEW_UPDATE)),
                    revised_deadline=get(values, REVISED_DEADLINE),
                )
            )
        return ParsedReturn(owner=owner, rows=parsed)
    finally:
        workbook.close()


def _read_new_rag(text: str) -> tuple[Rag | None, DeliveryStatus | None, bool]:
    """(rag, status, understood) for the New RAG cell; the drop-down's words included."""
    reading = read_rag(text.replace("(complete)", "").strip())
    return reading.rag, reading.status, reading.unrecognised is None


def import_return(
    factory: sessionmaker[Session],
    data: bytes,
    file_name: str,
    *,
    imported_by: str | None = None,
    actor: Actor | None = None,
    now: dt.datetime | None = None,
) -> ReturnReport:
    """Record each filled row of a return as a progress update, in one write transaction.

    From a page, `actor` is the signed-in person, who needs the import permission; from the
    command line there is no actor and `imported_by` names who ran it.
    """
    parsed = read_return(data)
    from plan.database import run_write

    def work(session: Session) -> ReturnReport:
        who = imported_by or "unknown"
        if actor is not None:
            who = auth.require(auth.refresh(session, actor), Permission.IMPORT).email
        return _apply(session, parsed, file_name, who, now or utcnow())

    return run_write(factory, work)


def _apply(
    session: Session, parsed: ParsedReturn, file_name: str, imported_by: str, now: dt.datetime
) -> ReturnReport:
    report = ReturnReport(file_name=file_name, owner=parsed.owner)
    filled = [row for row in parsed.rows if not row.is_empty]
    report.unchanged = len(parsed.rows) - len(filled)
    ids = sorted({row.action_id for row in filled if row.action_id is not None})
    actions = {
        a.id: a
        for a in session.scalars(
            select(Action).where(Action.id.in_(ids)).order_by(Action.id).with_for_update()
        )
    }
    latest_ids = newest_update_ids(session, ids)
    latest = {
        u.id: u
        for u in session.scalars(
            select(ProgressUpdate).where(ProgressUpdate.id.in_(list(latest_ids.values())))
        )
    }
    seen: set[int] = set()
    for row in filled:
        action = actions.get(row.action_id) if row.action_id is not None else None
        if action is None:
            report.errors.append(
                RowIssue(row.row, row.ref, "no matching action (was the hidden id removed?)")
            )
            continue
        if action.id in seen:
            report.errors.append(RowIssue(row.row, row.ref, "the same action appears twice"))
            continue
        seen.add(action.id)
        ref = action.ref or row.ref
        current = latest.get(latest_ids.get(action.id, -1))
        problems, update = _new_update(row, action, current, parsed, file_name, now)
        if problems:
            report.errors.extend(RowIssue(row.row, ref, p) for p in problems)
            continue
        if (current.id if current else None) != row.expected_update_id:
            if current is not None and _same(current, update):
                report.unchanged += 1  # this row was imported before
                continue
            when = utc_date(current.recorded_at) if current else None
            report.conflicts.append(
                RowIssue(
                    row.row,
                    ref,
                    "updated in the tracker after this return was made"
                    + (
                        f" ({rag_label(current.rag)} by {current.author} on "
                        f"{format_uk_date(when)}): not applied"
                        if current
                        else ": not applied"
                    ),
                )
            )
            continue
        session.add(update)
        report.applied.append(
            RowIssue(row.row, ref, f"{rag_label(update.rag)}: {update.progress or '(no text)'}")
        )
    session.flush()
    record(
        session,
        actor=imported_by,
        event=AuditEvent.IMPORT,
        target=f"update return {file_name}"[:500],
        details={
            "owner": parsed.owner,
            "applied": len(report.applied),
            "unchanged": report.unchanged,
            "conflicts": len(report.conflicts),
            "errors": len(report.errors),
        },
        now=now,
    )
    return report


def _new_update(
    row: ReturnRow,
    action: Action,
    current: ProgressUpdate | None,
    parsed: ParsedReturn,
    file_name: str,
    now: dt.datetime,
) -> tuple[list[str], ProgressUpdate | None]:
    problems: list[str] = []
    if row.rag_text:
        rag, status, understood = _read_new_rag(row.rag_text)
        if not understood:
            problems.append(f"New RAG '{row.rag_text}' is not one of {', '.join(RAG_CHOICES)}")
        status = status or DeliveryStatus.IN_PROGRESS
    else:  # an update without a new RAG keeps the current one
        rag = current.rag if current else None
        status = current.status if current else DeliveryStatus.IN_PROGRESS
    revised = None
    if row.revised_deadline not in (None, ""):
        reading = read_deadline(row.revised_deadline)
        if reading.date is None:
            problems.append(f"revised deadline '{reading.text}' is not a date")
        revised = reading.date
    if problems:
        return problems, None
    author = parsed.owner or action.lead_text or "Owner (update return)"
    return [], ProgressUpdate(
        action_id=action.id,
        rag=rag,
        status=status,
        progress=row.update,
        revised_deadline=revised,
        revised_deadline_reason="Revised in an update return" if revised else None,
        author=author[:200],
        source=UpdateSource.RETURN,
        source_detail=file_name[:500],
        recorded_at=now,
    )


def _same(current: ProgressUpdate, update: ProgressUpdate | None) -> bool:
    return (
        update is not None
        and current.source == UpdateSource.RETURN
        and current.author == update.author
        and current.rag == update.rag
        and current.status == update.status
        and (current.progress or None) == (update.progress or None)
        and current.revised_deadline == update.revised_deadline
    )
