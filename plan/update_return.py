"""Update returns: a workbook per owner listing their actions, filled in and imported back.

The return lists each action with its current RAG and last update, and empty columns for the
new RAG (a drop-down), the new update and a revised deadline. Two hidden columns carry the
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

from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from plan import auth
from plan.audit import AuditEvent, record
from plan.auth import Actor, Permission
from plan.board_paper import (
    RAG_COLUMN,
    Styles,
    Table,
    cell,
    row_height,
    set_print_setup,
    set_widths,
)
from plan.exporting import utc_date, written_deadline
from plan.models import Action, ProgressUpdate, UpdateSource, utcnow
from plan.queries import Selection, action_views, newest_update_ids
from rulebook.dates import format_uk_date
from rulebook.deadlines import read_deadline
from rulebook.rag import DeliveryStatus, Rag, rag_label, read_rag

RETURN_SHEET = "Return"
ABOUT_SHEET = "About"
ALL_OWNERS = "All owners"
RAG_CHOICES = ("Red", "Amber", "Green", "Blue (complete)")
UK_DATE_FORMAT = "d mmm yyyy"

REF, OBJECTIVE, ACTION, OWNER, DEADLINE = "Ref", "Objective", "Action", "Owner", "Deadline"
CURRENT_RAG, LAST_UPDATE, LAST_UPDATED = "Current RAG", "Last update", "Last updated"
NEW_RAG, NEW_UPDATE, REVISED_DEADLINE = "New RAG", "New update", "Revised deadline"
ACTION_ID, UPDATE_ID = "Action id", "Latest update id"
RETURN_COLUMNS = (
    REF,
    OBJECTIVE,
    ACTION,
    OWNER,
    DEADLINE,
    CURRENT_RAG,
    LAST_UPDATE,
    LAST_UPDATED,
    NEW_RAG,
    NEW_UPDATE,
    REVISED_DEADLINE,
    ACTION_ID,
    UPDATE_ID,
)
_WIDTHS = (7, 22, 40, 16, 12, 12, 40, 12, 14, 44, 14, 10, 10)
_HIDDEN = (ACTION_ID, UPDATE_ID)


class ReturnFileError(Exception):
    """The file is not an update return this tracker made; one sentence says why."""


# ----------------------------------------------------------------------------- export


@dataclass(frozen=True)
class ReturnExport:
    data: bytes
    owner: str | None
    actions: int

    @property
    def file_name(self) -> str:
        who = self.owner or "all owners"
        safe = "".join(c if c.isalnum() or c in " -_" else "-" for c in who).strip()
        return f"Update return - {safe or 'owner'}.xlsx"


def export_return(
    session: Session,
    *,
    owner: str | None,
    as_at: dt.date,
    selection: Selection | None = None,
    plan_title: str = "All plans",
) -> ReturnExport:
    """The update return for one owner (or, with owner None, every action selected)."""
    base = selection or Selection()
    chosen = Selection(
        plan_id=base.plan_id,
        objective_ids=base.objective_ids,
        owners=(owner,) if owner else base.owners,
        rags=base.rags,
    )
    views = [
        v
        for v in action_views(session, selection=chosen, as_at=as_at)
        if v.status not in (DeliveryStatus.CANCELLED, DeliveryStatus.COMPLETE)
    ]
    tokens = newest_update_ids(session, [v.id for v in views])
    workbook = Workbook(write_only=True)
    workbook.properties.title = f"Update return: {owner or ALL_OWNERS}"
    workbook.properties.creator = "Delivery Plan Tracker"
    styles = Styles(workbook)
    _about_sheet(workbook, styles, owner=owner, plan_title=plan_title, as_at=as_at)
    _return_sheet(workbook, styles, views, tokens, owner=owner, as_at=as_at)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return ReturnExport(data=buffer.getvalue(), owner=owner, actions=len(views))


def _about_sheet(
    workbook: Workbook, styles: Styles, *, owner: str | None, plan_title: str, as_at: dt.date
) -> None:
    sheet = workbook.create_sheet(ABOUT_SHEET)
    set_widths(sheet, (18, 90))
    set_print_setup(sheet, repeat_header=False)
    sheet.page_setup.fitToHeight = 1
    rows = [
        [cell(sheet, "Update return", styles.title)],
        [],
        [cell(sheet, "Owner", styles.label), cell(sheet, owner or ALL_OWNERS, styles.plain)],
        [cell(sheet, "Plan", styles.label), cell(sheet, plan_title, styles.plain)],
        [cell(sheet, "Made on", styles.label), cell(sheet, as_at, styles.plain_date)],
        [],
        [cell(sheet, "How to fill it in", styles.label)],
    ]
    for line in (
        "On the Return sheet, fill in the three yellow columns for each action that has news:",
        "New RAG: choose Red, Amber, Green or Blue (complete) from the drop-down.",
        "New update: what has happened since the last update (and, if Red or Amber, what is "
        "being done about it).",
        "Revised deadline: only if the deadline has to move; a date such as 31/03/2027.",
        "Leave a row empty when there is nothing new. You may sort or filter the rows, but "
        "please do not delete the hidden columns at the right: they match each row to its action.",
        "Save the file and send it back; the plan officer imports it.",
    ):
        rows.append([None, cell(sheet, line, styles.wrapped)])
        height = row_height([None, line], (18, 90))
        if height is not None:
            sheet.row_dimensions[len(rows)].height = height
    for row in rows:
        sheet.append(row)


def _return_sheet(workbook, styles, views, tokens, *, owner, as_at) -> None:
    text, date = styles.text, styles.date
    entry_text, entry_date = styles.entry_text, styles.entry_date
    column_styles = (
        text,
        text,
        text,
        text,
        date,
        RAG_COLUMN,
        text,
        date,
        entry_text,
        entry_text,
        entry_date,
        styles.number,
        styles.number,
    )
    title = f"Update return: {owner or ALL_OWNERS}"
    table = Table(
        workbook,
        styles,
        _PaperLike(title, as_at),
        RETURN_SHEET,
        list(zip(RETURN_COLUMNS, _WIDTHS, column_styles, strict=True)),
        title,
        hidden=tuple(RETURN_COLUMNS.index(name) for name in _HIDDEN),
    )
    sheet = table.sheet
    for view in views:
        table.add(
            (
                view.ref,
                view.objective,
                view.action,
                view.owner,
                view.deadline or written_deadline(view),
                rag_label(view.rag),
                view.latest_update,
                utc_date(view.updated_at),
                None,
                None,
                None,
                view.id,
                tokens.get(view.id),
            )
        )
    if views:
        choices = DataValidation(
            type="list",
            formula1='"' + ",".join(RAG_CHOICES) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="New RAG",
            error="Choose Red, Amber, Green or Blue (complete), or leave it empty.",
            promptTitle="New RAG",
            prompt="Red, Amber, Green or Blue (complete)",
            showInputMessage=True,
        )
        column = chr(ord("A") + RETURN_COLUMNS.index(NEW_RAG))
        choices.add(f"{column}2:{column}{len(views) + 1}")
        sheet.data_validations.append(choices)
    else:
        table.add_note("No open actions for this owner.")
    table.finish()


@dataclass(frozen=True)
class _PaperLike:
    """What the shared table writer needs from a paper: a title and a date for the footer."""

    title: str
    as_at: dt.date


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
