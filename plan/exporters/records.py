"""One record per action with the export keys (README: "Importing and exporting from the
command line"), as JSON or CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from sqlalchemy.orm import Session

from plan.exporters.safe_cells import csv_text
from plan.queries import ActionView, action_views

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


def action_record(view: ActionView) -> dict[str, Any]:
    """The action as JSON values: ISO dates, RAG and status as their words, or None."""
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
        "updated_at": iso_utc(view.updated_at),
        "overdue": view.overdue,
    }


def iso_utc(moment: dt.datetime | None) -> str | None:
    """e.g. "2026-10-15T12:00:00+00:00"."""
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
        writer.writerow([csv_text(record[column]) for column in EXPORT_COLUMNS])
    return buffer.getvalue()
