"""Whether an action is overdue at a given date."""

from __future__ import annotations

import datetime

from rulebook.rag import DeliveryStatus

CLOSED_STATUSES: frozenset[DeliveryStatus] = frozenset(
    {DeliveryStatus.COMPLETE, DeliveryStatus.CANCELLED}
)


def is_overdue(
    deadline: datetime.date | None, status: DeliveryStatus | None, as_at: datetime.date
) -> bool:
    """True when the deadline is strictly before as_at and the action is still open.

    A missing status counts as open; a missing deadline is never overdue.
    """
    if deadline is None or status in CLOSED_STATUSES:
        return False
    return deadline < as_at


def days_overdue(
    deadline: datetime.date | None, status: DeliveryStatus | None, as_at: datetime.date
) -> int:
    """Whole days past the deadline at as_at; 0 when not overdue."""
    if deadline is None or not is_overdue(deadline, status, as_at):
        return 0
    return (as_at - deadline).days
