"""The demo: the two bundled Trafford plans, each imported during its own period, then the
quarters of demo progress in data/demo_updates.csv, all dated inside the plans' periods.

So the demo is shown as the plans stood when they ended (31 March 2014): the dashboard's
closed-plan default. Every demo update says "DEMO" and is from "Demo data"; every one goes
through the one append path (plan/services/append.py) with the demo's rules. Red and Amber
updates say what the issue is and what is being done, except a few left without, as in a real
tracker, so the data-quality check has a handful to show.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from plan.database import DATA_DIR
from plan.models import Action, Plan, UpdateSource
from plan.services.append import Author, UpdateRequest, append_updates
from plan.services.validation import ProgressInput
from rulebook.dates import quarter_label
from rulebook.rag import DeliveryStatus, read_rag

DEMO_UPDATES = DATA_DIR / "demo_updates.csv"
DEMO_AUTHOR = "Demo data"


@dataclass(frozen=True)
class DemoPlan:
    key: str  # how data/demo_updates.csv names the plan
    file: str
    name: str
    imported_on: dt.date  # the plan's first review in the tracker, inside its period
    # None: the period its name says ("2011/14"), as any import reads it.
    period: tuple[dt.date, dt.date] | None = None

    @property
    def imported_at(self) -> dt.datetime:
        return dt.datetime.combine(self.imported_on, dt.time(9), tzinfo=dt.UTC)


DEMO_PLANS = (
    DemoPlan(
        "VAWC",
        "trafford_vawc_delivery_plan_2011_14.xlsx",
        "Reducing Violence Against Women and Children Delivery Plan 2011/14",
        imported_on=dt.date(2012, 5, 15),
    ),
    # The source gives no period; its milestones and deadlines are those of 2013/14 (some
    # deadlines run into 2014/15, beyond the plan's end, as they do in the source).
    DemoPlan(
        "DA",
        "trafford_domestic_abuse_action_plan.csv",
        "Domestic Abuse Steering Group Action Plan",
        imported_on=dt.date(2013, 10, 15),
        period=(dt.date(2013, 4, 1), dt.date(2014, 3, 31)),
    ),
)
# The day both plans had ended: the demo's figures are shown as at this date.
DEMO_AS_AT = dt.date(2014, 3, 31)


@dataclass(frozen=True)
class DemoUpdate:
    plan: str
    match: str  # the action's ref, or how its text starts
    day: dt.date
    entry: ProgressInput


def demo_updates() -> list[DemoUpdate]:
    """The rows of data/demo_updates.csv, oldest first."""
    names = {plan.key: plan.name for plan in DEMO_PLANS}
    rows = csv.DictReader(io.StringIO(DEMO_UPDATES.read_text(encoding="utf-8")))
    updates = []
    for number, row in enumerate(rows, start=2):
        if not row["Progress"].startswith("DEMO"):
            raise ValueError(f"{DEMO_UPDATES.name}, row {number}: progress must say DEMO")
        day = dt.date.fromisoformat(row["Date"])
        reading = read_rag(row["RAG"])
        revised = row["Revised deadline"]
        entry = ProgressInput(
            rag=reading.rag,
            progress=row["Progress"],
            issue=row["Issue"],
            remedy=row["Remedy"],
            status=reading.status or DeliveryStatus.IN_PROGRESS,
            revised_deadline=dt.date.fromisoformat(revised) if revised else None,
            revised_deadline_reason=row["Reason"],
            completed_on=day if reading.status == DeliveryStatus.COMPLETE else None,
            reporting_period=quarter_label(day),
        )
        updates.append(DemoUpdate(names[row["Plan"]], row["Action starts with"], day, entry))
    return sorted(updates, key=lambda update: update.day)


def demo_action(session: Session, update: DemoUpdate) -> Action:
    """The action a demo update is about: its ref, or how its text starts, in its plan."""
    action = session.scalar(
        select(Action)
        .join(Plan, Plan.id == Action.plan_id)
        .where(
            Plan.name == update.plan,
            (Action.ref == update.match) | Action.text.startswith(update.match),
        )
    )
    if action is None:
        raise LookupError(f"{DEMO_UPDATES.name}: no action '{update.match}' in '{update.plan}'")
    return action


def record_demo_updates(session: Session) -> int:
    """Add the demo progress from data/demo_updates.csv; returns how many were added."""
    updates = demo_updates()
    for update in updates:
        action = demo_action(session, update)
        append_updates(
            session,
            Author(DEMO_AUTHOR),
            [UpdateRequest(action.id, update.entry, None, DEMO_UPDATES.name)],
            source=UpdateSource.DEMO,
            now=dt.datetime.combine(update.day, dt.time(10), tzinfo=dt.UTC),
        )
    session.flush()
    return len(updates)
