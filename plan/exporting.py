"""Action records for JSON and CSV export. Cells that would start a formula are neutralised."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from sqlalchemy.orm import Session

from plan.queries import ActionView, action_views
from rulebook.dates import format_uk_date
from rulebook.rag import rag_label

EXPORT_COLUMNS = (
    "plan",
    "objective",
    "ref",
    "action",
    "owner",
    "owners",
    "deadline",
    "deadline_text",
    "ongoing",
    "rag",
    "status",
    "latest_update",
    "updated_at",
    "overdue",
)
# Spreadsheet programs run a cell starting with these as a formula (CSV/formula injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Text as a spreadsheet shows it literally: a leading apostrophe stops a formula."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def action_record(view: ActionView) -> dict[str, Any]:
    return {
        "plan": view.plan,
        "objective": view.objective,
        "ref": view.ref,
        "action": view.action,
        "owner": view.owner,
        "owners": list(view.owners),
        "deadline": view.deadline.isoformat() if view.deadline else None,
        "deadline_text": view.deadline_text,
        "ongoing": view.ongoing,
        "rag": view.rag.value if view.rag else None,
        "status": view.status.value,
        "latest_update": view.latest_update,
        "updated_at": _iso_utc(view.updated_at),
        "overdue": view.overdue,
    }


def _iso_utc(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.isoformat(timespec="seconds")


def action_records(
    session: Session, *, as_at: dt.date, plan_name: str | None = None
) -> list[dict[str, Any]]:
    return [
        action_record(v)
        for v in action_views(session, plan_id=None, plan_name=plan_name, as_at=as_at)
    ]


def records_to_json(records: list[dict[str, Any]]) -> str:
    return json.dumps(records, ensure_ascii=False, indent=2)


def records_to_csv(records: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for record in records:
        writer.writerow([_csv_cell(record[column]) for column in EXPORT_COLUMNS])
    return buffer.getvalue()


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        value = "; ".join(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return neutralise(str(value))


# ----------------------------------------------------------------------------- board papers

# The board paper's Actions sheet, column by column; the CSV export of the same selection has
# these columns too, after Plan and Objective (which the sheet shows as section rows).
ACTION_SHEET_COLUMNS = (
    "Ref",
    "Action",
    "Owner",
    "Deadline",
    "Deadline as written",
    "RAG",
    "Previous RAG",
    "Direction of travel",
    "Days overdue",
    "Latest update",
    "Last updated",
)
ACTIONS_CSV_COLUMNS = ("Plan", "Objective", *ACTION_SHEET_COLUMNS)

DIRECTION_WORDS: dict[str | None, str] = {
    "improved": "↗ Improved",
    "worsened": "↘ Worsened",
    "new": "• New",
    "completed": "★ Completed",
    "unchanged": "→ No change",
    None: "",
}


def written_deadline(view: ActionView) -> str | None:
    """The deadline as written, when it says something its UK date does not."""
    text = (view.deadline_text or "").strip()
    if not text:
        return None
    if view.deadline is not None and text in (
        format_uk_date(view.deadline),
        view.deadline.isoformat(),
    ):
        return None
    return text


def utc_date(moment: dt.datetime | None) -> dt.date | None:
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.date()


def action_sheet_values(view: ActionView, *, compared: bool) -> tuple[Any, ...]:
    """One action as the Actions sheet's columns: dates as dates, RAG as its label."""
    return (
        view.ref,
        view.action,
        view.owner,
        view.deadline,
        written_deadline(view),
        rag_label(view.rag),
        rag_label(view.previous_rag) if compared and view.movement != "new" else None,
        DIRECTION_WORDS[view.movement] or None,
        view.days_overdue or None,
        view.latest_update,
        utc_date(view.updated_at),
    )


def actions_csv(views: list[ActionView], *, compared: bool = True) -> str:
    """The board paper's Actions sheet as CSV (UTF-8 with BOM so Excel reads the symbols)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(ACTIONS_CSV_COLUMNS)
    for view in views:
        values = (view.plan, view.objective, *action_sheet_values(view, compared=compared))
        writer.writerow([_csv_cell(v) for v in values])
    return buffer.getvalue()
