"""One record per action with the export keys (README: "Importing and exporting from the
command line"), and those records as JSON."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from plan.queries import ActionView

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
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def actions_json(views: Iterable[ActionView]) -> str:
    return json.dumps([action_record(v) for v in views], ensure_ascii=False, indent=2)
