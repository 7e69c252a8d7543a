"""The update-return workbook: one owner's open actions, with columns for them to fill in.

The return lists each action with its current RAG and last update, and empty yellow columns
for the new RAG (a drop-down), the new update and a revised deadline. Two hidden columns carry
the action's id and the id of its newest update when the return was made, so rows still match
after the owner re-sorts or edits the visible columns (`plan.services.returns` reads it back).
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy.orm import Session

from plan.audit import AuditEvent, record
from plan.exporters.safe_cells import SheetWriter
from plan.exporters.styles import Styles
from plan.exporters.table import (
    RAG,
    Column,
    Footer,
    Table,
    row_height,
    set_print_setup,
    set_widths,
)
from plan.queries import ActionView, Selection, action_views, newest_update_ids
from rulebook.dates import utc_date, written_deadline
from rulebook.rag import DeliveryStatus, rag_label

RETURN_SHEET = "Return"
ABOUT_SHEET = "About"
ALL_OWNERS = "All owners"
RAG_CHOICES = ("Red", "Amber", "Green", "Blue (complete)")

REF, OBJECTIVE, ACTION, OWNER, DEADLINE = "Ref", "Objective", "Action", "Owner", "Deadline"
CURRENT_RAG, LAST_UPDATE, LAST_UPDATED = "Current RAG", "Last update", "Last updated"
NEW_RAG, NEW_UPDATE, REVISED_DEADLINE = "New RAG", "New update", "Revised deadline"
# What the update form also asks for: the same rules apply when the return is read back.
ISSUE, REMEDY = "Issue (if Red or Amber)", "What is being done (if Red or Amber)"
COMPLETED_ON, DEADLINE_REASON = "Completed on (if Blue)", "Reason for the new deadline"
ACTION_ID, UPDATE_ID = "Action id", "Latest update id"
RETURN_ID = "Return id"


class ReturnFileError(Exception):
    """The file is not an update return this tracker made; one sentence says why."""


def return_audit_target(return_id: str) -> str:
    """How the audit log names a return, so reading it back finds what it was made for."""
    return f"update return {return_id}"


def _nothing(view: ActionView) -> None:
    return None  # an entry column: the owner fills it in


def _return_columns(tokens: Mapping[int, int]) -> tuple[Column, ...]:
    """The Return sheet's columns; `tokens` is each action's newest update id."""
    return (
        Column(REF, 7, "text", attrgetter("ref")),
        Column(OBJECTIVE, 22, "text", attrgetter("objective")),
        Column(ACTION, 40, "text", attrgetter("action")),
        Column(OWNER, 16, "text", attrgetter("owner")),
        Column(
            DEADLINE,
            12,
            "date",
            lambda view: view.deadline or written_deadline(view.deadline, view.deadline_text),
        ),
        Column(CURRENT_RAG, 12, RAG, lambda view: rag_label(view.rag)),
        Column(LAST_UPDATE, 40, "text", attrgetter("latest_update")),
        Column(LAST_UPDATED, 12, "date", lambda view: utc_date(view.updated_at)),
        Column(NEW_RAG, 14, "entry_text", _nothing),
        Column(NEW_UPDATE, 44, "entry_text", _nothing),
        Column(ISSUE, 30, "entry_text", _nothing),
        Column(REMEDY, 30, "entry_text", _nothing),
        Column(COMPLETED_ON, 14, "entry_date", _nothing),
        Column(REVISED_DEADLINE, 14, "entry_date", _nothing),
        Column(DEADLINE_REASON, 24, "entry_text", _nothing),
        Column(ACTION_ID, 10, "number", attrgetter("id"), hidden=True),
        Column(UPDATE_ID, 10, "number", lambda view: tokens.get(view.id), hidden=True),
    )


RETURN_COLUMNS = tuple(column.heading for column in _return_columns({}))


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
    made_by: str,
    selection: Selection | None = None,
    plan_title: str = "All plans",
) -> ReturnExport:
    """The update return for one owner (or, with owner None, every action selected).

    Records in the audit log (in the caller's transaction, which must commit) the return's
    id, who it is for and the actions it lists: reading it back trusts that, not the file.
    """
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
    return_id = uuid.uuid4().hex
    record(
        session,
        actor=made_by,
        event=AuditEvent.RETURN_MADE,
        target=return_audit_target(return_id),
        details={"owner": owner, "plan": plan_title, "actions": [v.id for v in views]},
    )
    title = f"Update return: {owner or ALL_OWNERS}"
    workbook = Workbook(write_only=True)
    workbook.properties.title = title
    workbook.properties.creator = "Delivery Plan Tracker"
    styles = Styles(workbook)
    about = _About(owner=owner, plan_title=plan_title, as_at=as_at, return_id=return_id)
    _about_sheet(workbook, styles, about)
    columns = _return_columns(tokens)
    _return_sheet(
        Table(workbook, styles, RETURN_SHEET, columns, Footer(title, as_at, title)), views
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return ReturnExport(data=buffer.getvalue(), owner=owner, actions=len(views))


_HOW_TO = (
    "On the Return sheet, fill in the yellow columns for each action that has news:",
    "New RAG: choose Red, Amber, Green or Blue (complete) from the drop-down.",
    "New update: what has happened since the last update.",
    "If Red or Amber: what the issue is, and what is being done about it.",
    "If Blue (complete): the date it was completed.",
    "Revised deadline: only if the deadline has to move; a date such as 31/03/2027, with "
    "the reason.",
    "Leave a row empty when there is nothing new. You may sort or filter the rows, but "
    "please do not delete the hidden columns at the right: they match each row to its action.",
    "Save the file and send it back; the plan officer imports it.",
)
_ABOUT_WIDTHS = (18, 90)


@dataclass(frozen=True)
class _About:
    owner: str | None
    plan_title: str
    as_at: dt.date
    return_id: str


def _about_sheet(workbook: Workbook, styles: Styles, about: _About) -> None:
    writer = SheetWriter(workbook, ABOUT_SHEET)
    sheet = writer.sheet
    set_widths(sheet, _ABOUT_WIDTHS)
    set_print_setup(sheet, repeat_header=False)
    sheet.page_setup.fitToHeight = 1
    label, plain = styles.label, styles.plain
    writer.append(["Update return"], [styles.title])
    writer.append([], [])
    writer.append(["Owner", about.owner or ALL_OWNERS], [label, plain])
    writer.append(["Plan", about.plan_title], [label, plain])
    writer.append(["Made on", about.as_at], [label, styles.plain_date])
    writer.append([RETURN_ID, about.return_id], [label, plain])
    writer.append([], [])
    writer.append(["How to fill it in"], [label])
    for row, line in enumerate(_HOW_TO, start=9):
        height = row_height([None, line], _ABOUT_WIDTHS)
        if height is not None:
            writer.set_height(row, height)
        writer.append([None, line], [None, styles.wrapped])


def _return_sheet(table: Table, views: Sequence[ActionView]) -> None:
    for view in views:
        table.add(view)
    if views:
        table.sheet.data_validations.append(_rag_choices(len(views)))
    else:
        table.add_note("No open actions for this owner.")
    table.finish()


def _rag_choices(rows: int) -> DataValidation:
    """The New RAG drop-down, on every action row."""
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
    column = get_column_letter(RETURN_COLUMNS.index(NEW_RAG) + 1)
    choices.add(f"{column}2:{column}{rows + 1}")
    return choices
