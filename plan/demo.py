"""Demo history: the bundled plans as first imported last quarter, plus later demo updates.

Dates are relative to `today`, so whenever the demo is loaded the dashboard has movement since
the previous quarter end to show. Every demo update says "DEMO" and is from "Demo data".
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from sqlalchemy import select
from sqlalchemy.orm import Session

from plan.database import DATA_DIR
from plan.models import Action, Plan, UpdateSource
from plan.services.append import Author, UpdateRequest, append_updates
from plan.services.validation import ProgressInput
from rulebook.dates import previous_quarter_end, quarter_label
from rulebook.rag import DeliveryStatus, read_rag

DEMO_UPDATES = DATA_DIR / "demo_updates.csv"
DEMO_AUTHOR = "Demo data"


def first_import_time(today: dt.date) -> dt.datetime:
    """Well inside the previous quarter, so the plans predate the default comparison date."""
    day = previous_quarter_end(today) - dt.timedelta(days=45)
    return dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)


def record_demo_updates(session: Session, today: dt.date) -> int:
    """Add the later demo updates from data/demo_updates.csv; returns how many were added."""
    added = 0
    rows = csv.DictReader(io.StringIO(DEMO_UPDATES.read_text(encoding="utf-8")))
    for row in rows:
        match = row["Action starts with"]
        action = session.scalar(
            select(Action)
            .join(Plan, Plan.id == Action.plan_id)
            .where(
                Plan.name == row["Plan"],
                (Action.ref == match) | Action.text.startswith(match),
            )
        )
        if action is None:
            raise LookupError(f"{DEMO_UPDATES.name}: no action '{match}' in '{row['Plan']}'")
        # After the comparison date, so the default dashboard view shows the movement.
        day = max(
            today - dt.timedelta(days=int(row["Days ago"])),
            previous_quarter_end(today) + dt.timedelta(days=1),
        )
        reading = read_rag(row["RAG"])
        entry = ProgressInput(
            rag=reading.rag,
            progress=row["Progress"],
            status=reading.status or DeliveryStatus.IN_PROGRESS,
            reporting_period=quarter_label(day),
        )
        append_updates(
            session,
            Author(DEMO_AUTHOR),
            [UpdateRequest(action.id, entry, None, DEMO_UPDATES.name)],
            source=UpdateSource.DEMO,
            now=dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC),
        )
        added += 1
    session.flush()
    return added
