"""Shared builders: small workbooks, CSV bytes and plans made in the test."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from openpyxl import Workbook
from sqlalchemy.orm import Session

from plan.models import Action, ActionOwner, Objective, Plan, ProgressUpdate, UpdateSource
from plan.rules.rag import DeliveryStatus, Rag

NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def xlsx_bytes(*sheets: tuple[str, Sequence[Sequence[object]]]) -> bytes:
    """A workbook with the given (sheet name, rows) sheets."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets:
        worksheet = workbook.create_sheet(name)
        for row in rows:
            worksheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: Sequence[Sequence[object]], *, delimiter: str = ",", encoding="utf-8") -> bytes:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().encode(encoding)


def add_plan(session: Session, name: str = "Test plan", *objectives: str) -> Plan:
    plan = Plan(name=name)
    session.add(plan)
    for position, title in enumerate(objectives or ("Objective A",), start=1):
        session.add(Objective(plan=plan, title=title, position=position))
    session.flush()
    return plan


def add_action(
    session: Session,
    plan: Plan,
    text: str,
    *,
    ref: str | None = None,
    objective: Objective | None = None,
    deadline: dt.date | None = None,
    owners: Sequence[str] = (),
    created_at: dt.datetime = NOW - dt.timedelta(days=365),
) -> Action:
    action = Action(
        plan=plan,
        objective=objective if objective is not None else (plan.objectives or [None])[0],
        ref=ref,
        text=text,
        lead_text=" / ".join(owners) or None,
        deadline=deadline,
        deadline_text=deadline.strftime("%d/%m/%Y") if deadline else None,
        created_at=created_at,
        owners=[ActionOwner(name=n, position=i) for i, n in enumerate(owners)],
    )
    session.add(action)
    session.flush()
    return action


def add_update(
    session: Session,
    action: Action,
    rag: Rag | None,
    *,
    at: dt.datetime,
    status: DeliveryStatus = DeliveryStatus.IN_PROGRESS,
    progress: str = "update",
    author: str = "Test Author",
) -> ProgressUpdate:
    update = ProgressUpdate(
        action=action,
        rag=rag,
        status=status,
        progress=progress,
        author=author,
        source=UpdateSource.FORM,
        recorded_at=at,
    )
    session.add(update)
    session.flush()
    return update
