"""Update rounds: which actions a round asks about, and where each one's reply stands.

A round asks for an update on every action in its plans that is open (neither complete nor
cancelled) when the round opens. An action's reply is *received* once an update is recorded
on it while the round is open (from its opening until it closes), *overdue* when none has
come and the round's due date has passed, and *outstanding* otherwise. The due day itself is
not yet overdue.

Each rule has its SQL twin beside it (tests/rulebook/test_sql_twins.py checks they agree).
"""

from __future__ import annotations

import datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, case, literal, or_

from rulebook.overdue import is_open, is_open_sql
from rulebook.rag import DeliveryStatus


class Reply(StrEnum):
    RECEIVED = "received"
    OUTSTANDING = "outstanding"
    OVERDUE = "overdue"


def is_due_in_round(status_at_opening: DeliveryStatus | None) -> bool:
    """An action is asked about when it is open as the round opens."""
    return is_open(status_at_opening)


def is_due_in_round_sql(status_at_opening: ColumnElement) -> ColumnElement[bool]:
    return is_open_sql(status_at_opening)


def counts_for_round(
    recorded_at: datetime.datetime,
    opened_at: datetime.datetime,
    closed_at: datetime.datetime | None,
) -> bool:
    """An update answers a round when recorded from its opening until it closed."""
    return recorded_at >= opened_at and (closed_at is None or recorded_at < closed_at)


def counts_for_round_sql(
    recorded_at: ColumnElement, opened_at: ColumnElement, closed_at: ColumnElement
) -> ColumnElement[bool]:
    return and_(recorded_at >= opened_at, or_(closed_at.is_(None), recorded_at < closed_at))


def reply(received: bool, due: datetime.date, as_at: datetime.date) -> Reply:
    """Received, overdue (nothing by the due date, as at `as_at`) or outstanding."""
    if received:
        return Reply.RECEIVED
    return Reply.OVERDUE if due < as_at else Reply.OUTSTANDING


def reply_sql(
    received: ColumnElement[bool], due: ColumnElement, as_at: datetime.date
) -> ColumnElement[str]:
    return case(
        (received, literal(Reply.RECEIVED.value)),
        (due < as_at, literal(Reply.OVERDUE.value)),
        else_=literal(Reply.OUTSTANDING.value),
    )


# A reply is never shown by colour alone: a symbol and the word.
REPLY_LABELS: dict[Reply, str] = {
    Reply.RECEIVED: "✔ Received",
    Reply.OUTSTANDING: "… Outstanding",
    Reply.OVERDUE: "⚠ Overdue",
}


def reply_label(value: Reply) -> str:
    return REPLY_LABELS[value]
