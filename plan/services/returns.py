"""Update returns, read back: each filled row becomes a progress update through the one
append path, with the same rules as the update form.

A return is trusted only as far as the tracker's own record of it: when a return is made, an
audit entry records its id (also written in the file), the owner it is for and the actions it
lists. Importing it may touch only those actions; the author is the signed-in person (or the
command-line user) importing it on the owner's behalf, never text from the file. Every row
the form would refuse is reported with its row number and not applied; the rest are applied
in one transaction. Importing the same file twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from importers.errors import ImportFileError
from importers.sheet import Sheet
from importers.xlsx import read_xlsx_sheets
from plan import auth
from plan.audit import AuditEvent, record
from plan.auth import Actor, Permission
from plan.database import run_write
from plan.exporters.update_return import (
    ABOUT_SHEET,
    ACTION_ID,
    COMPLETED_ON,
    DEADLINE_REASON,
    ISSUE,
    NEW_RAG,
    NEW_UPDATE,
    RAG_CHOICES,
    REF,
    REMEDY,
    RETURN_ID,
    RETURN_SHEET,
    REVISED_DEADLINE,
    UPDATE_ID,
    ReturnFileError,
    return_audit_target,
)
from plan.models import AuditEntry, ProgressUpdate, UpdateSource, utcnow
from plan.queries import newest_updates
from plan.services.append import Appended, Author, UpdateRequest, append_updates
from plan.services.validation import ProgressInput
from rulebook.deadlines import read_deadline
from rulebook.rag import read_rag

# A return lists one owner's open actions: far fewer rows and columns than these.
MAX_RETURN_ROWS = 20_000
MAX_RETURN_BYTES = 20 * 1024 * 1024
_READ_COLUMNS = (
    REF,
    ACTION_ID,
    UPDATE_ID,
    NEW_RAG,
    NEW_UPDATE,
    ISSUE,
    REMEDY,
    COMPLETED_ON,
    REVISED_DEADLINE,
    DEADLINE_REASON,
)


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
    cells: dict[str, Any]

    def text(self, name: str) -> str | None:
        return _text(self.cells.get(name))

    @property
    def is_empty(self) -> bool:
        filled = (NEW_RAG, NEW_UPDATE, ISSUE, REMEDY, COMPLETED_ON, REVISED_DEADLINE)
        return not any(self.text(name) for name in filled)


@dataclass(frozen=True)
class ParsedReturn:
    return_id: str | None
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
            f"Update return {self.file_name} from {self.owner or 'all owners'}: "
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
    try:
        return int(float(_text(value) or ""))
    except ValueError:
        return None


# ----------------------------------------------------------------------------- reading


def read_return(data: bytes) -> ParsedReturn:
    """The rows of a return, matched to columns by their headings (any order).

    Read by the importers' guarded workbook reader: the same limits on size, rows, columns,
    cells and zip bombs as a plan file, counted while reading, before memory is spent.
    """
    if len(data) > MAX_RETURN_BYTES:
        raise ReturnFileError("it is larger than any update return (over 20 MB)")
    try:
        sheets = {sheet.name: sheet for sheet in read_xlsx_sheets(data, "The return")}
    except ImportFileError as error:
        problem = f"it is not an .xlsx workbook the tracker can read: {error.problem}"
        raise ReturnFileError(problem) from error
    if RETURN_SHEET not in sheets:
        raise ReturnFileError(f"it has no '{RETURN_SHEET}' sheet: is it an update return?")
    about = sheets.get(ABOUT_SHEET)
    return ParsedReturn(_return_id(about), list(_rows(sheets[RETURN_SHEET])))


def _return_id(about: Sheet | None) -> str | None:
    for row in about.rows[:20] if about else []:
        if len(row) > 1 and row[0] == RETURN_ID:
            return _text(row[1])
    return None


def _rows(sheet: Sheet) -> Iterator[ReturnRow]:
    header = [(_text(v) or "") for v in (sheet.rows[0] if sheet.rows else [])]
    missing = [name for name in (ACTION_ID, UPDATE_ID, NEW_RAG, NEW_UPDATE) if name not in header]
    if missing:
        raise ReturnFileError(
            f"the '{RETURN_SHEET}' sheet has no {', '.join(repr(m) for m in missing)} "
            "column: please send the return as it was made, with its hidden columns"
        )
    if len(sheet.rows) > MAX_RETURN_ROWS + 1:
        raise ReturnFileError(f"it has more than {MAX_RETURN_ROWS:,} rows")
    at = {name: header.index(name) for name in _READ_COLUMNS if name in header}
    numbers = sheet.numbers or range(1, len(sheet.rows) + 1)
    for values, number in zip(sheet.rows[1:], numbers[1:], strict=True):
        if any(v not in (None, "") for v in values):
            cells = {name: values[i] if i < len(values) else None for name, i in at.items()}
            yield ReturnRow(row=number, cells=cells)


# ----------------------------------------------------------------------------- importing


@dataclass(frozen=True)
class _MadeFor:
    """What the tracker recorded when it made the return."""

    owner: str | None
    action_ids: frozenset[int]


def _made_for(session: Session, return_id: str | None) -> _MadeFor:
    entry = None
    if return_id:
        entry = session.scalar(
            select(AuditEntry).where(
                AuditEntry.event == AuditEvent.RETURN_MADE.value,
                AuditEntry.target == return_audit_target(return_id),
            )
        )
    if entry is None:
        raise ReturnFileError(
            "it is not a return this tracker made (its return id is missing or unknown): "
            "make a new return from the Board papers page and send that"
        )
    details = entry.details or {}
    return _MadeFor(details.get("owner"), frozenset(int(i) for i in details.get("actions", [])))


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
    moment = now or utcnow()

    def work(session: Session) -> ReturnReport:
        importer = Author(imported_by or "unknown (command line)")
        if actor is not None:
            current = auth.require(auth.refresh(session, actor), Permission.IMPORT)
            importer = Author(current.name, current.email)
        made_for = _made_for(session, parsed.return_id)
        report = _apply(session, parsed, made_for, importer, file_name, moment)
        _audit(session, report, importer, moment)
        return report

    return run_write(factory, work)


def _on_behalf(importer: Author, made_for: _MadeFor) -> Author:
    owner = made_for.owner or "the actions' owners"
    return Author(f"{importer.name} for {owner}"[:200], importer.email)


def _apply(
    session: Session,
    parsed: ParsedReturn,
    made_for: _MadeFor,
    importer: Author,
    file_name: str,
    now: dt.datetime,
) -> ReturnReport:
    report = ReturnReport(file_name=file_name, owner=made_for.owner)
    filled = [row for row in parsed.rows if not row.is_empty]
    report.unchanged = len(parsed.rows) - len(filled)
    listed = {_int(row.cells.get(ACTION_ID)) for row in filled}
    latest = newest_updates(session, sorted(made_for.action_ids & listed))
    author = _on_behalf(importer, made_for)
    requests: list[UpdateRequest] = []
    rows_of: dict[int, ReturnRow] = {}
    for row in filled:
        request = _request(row, made_for, latest, rows_of, report, file_name)
        if request is None:
            continue
        current = latest.get(request.action_id)
        if current is not None and _already_imported(current, request, author):
            report.unchanged += 1
            continue
        rows_of[request.action_id] = row
        requests.append(request)
    outcome = append_updates(session, author, requests, source=UpdateSource.RETURN, now=now)
    _report(report, outcome, rows_of)
    return report


def _request(
    row: ReturnRow,
    made_for: _MadeFor,
    latest: dict[int, ProgressUpdate],
    seen: dict[int, ReturnRow],
    report: ReturnReport,
    file_name: str,
) -> UpdateRequest | None:
    action_id = _int(row.cells.get(ACTION_ID))
    ref = row.text(REF)
    problem = None
    if action_id is None:
        problem = "no matching action (was the hidden id removed?)"
    elif action_id not in made_for.action_ids:
        problem = "not one of the actions this return was made for: not applied"
    elif action_id in seen:
        problem = "the same action appears twice"
    entry, problems = _entry(row, latest.get(action_id) if action_id else None)
    problems = [problem] if problem else problems
    if problems or entry is None or action_id is None:
        report.errors.extend(RowIssue(row.row, ref, p) for p in problems)
        return None
    expected = _int(row.cells.get(UPDATE_ID))
    return UpdateRequest(action_id, entry, expected, file_name[:500], label=ref or "")


def _entry(
    row: ReturnRow, current: ProgressUpdate | None
) -> tuple[ProgressInput | None, list[str]]:
    problems: list[str] = []
    rag = current.rag if current else None  # an update without a new RAG keeps the current one
    if (written := row.text(NEW_RAG)) is not None:
        reading = read_rag(written.replace("(complete)", "").strip())
        rag = reading.rag
        if rag is None:
            problems.append(f"New RAG '{written}' is not one of {', '.join(RAG_CHOICES)}")
    revised, problem = _date(row, REVISED_DEADLINE, "revised deadline")
    completed, completed_problem = _date(row, COMPLETED_ON, "completion date")
    problems += [p for p in (problem, completed_problem) if p]
    if problems:
        return None, problems
    return ProgressInput(
        rag=rag,
        progress=row.text(NEW_UPDATE) or "",
        issue=row.text(ISSUE) or "",
        remedy=row.text(REMEDY) or "",
        revised_deadline=revised,
        revised_deadline_reason=row.text(DEADLINE_REASON) or "",
        completed_on=completed,
    ), []


def _date(row: ReturnRow, column: str, name: str) -> tuple[dt.date | None, str | None]:
    value = row.cells.get(column)
    if value in (None, ""):
        return None, None
    reading = read_deadline(value)
    if reading.date is None:
        return None, f"{name} '{reading.text}' is not a date"
    return reading.date, None


def _already_imported(current: ProgressUpdate, request: UpdateRequest, author: Author) -> bool:
    entry = request.entry
    return (
        current.source == UpdateSource.RETURN
        and current.author == author.name
        and current.rag == entry.rag
        and (current.progress or "") == entry.progress.strip()
        and current.revised_deadline == entry.revised_deadline
    )


def _report(report: ReturnReport, outcome: Appended, rows_of: dict[int, ReturnRow]) -> None:
    for request, _ in outcome.saved:
        row = rows_of[request.action_id]
        rag = request.entry.rag.value if request.entry.rag else "Not rated"
        said = request.entry.progress or "(no text)"
        report.applied.append(RowIssue(row.row, request.label or None, f"{rag}: {said}"))
    for refused in outcome.refused:
        row = rows_of[refused.request.action_id]
        issue = RowIssue(row.row, refused.request.label or None, " ".join(refused.messages))
        (report.conflicts if refused.conflict else report.errors).append(issue)


def _audit(session: Session, report: ReturnReport, importer: Author, now: dt.datetime) -> None:
    record(
        session,
        actor=importer.audit_name,
        event=AuditEvent.IMPORT,
        target=f"update return {report.file_name}"[:500],
        details={
            "owner": report.owner,
            "applied": len(report.applied),
            "unchanged": report.unchanged,
            "conflicts": len(report.conflicts),
            "errors": len(report.errors),
        },
        now=now,
    )
