"""When an action is overdue or due soon, as Python predicates with their SQL twins beside them.

Each pair is tested to agree on a table of cases (tests/rulebook/test_sql_twins.py), on SQLite
and PostgreSQL. The SQL twins take column expressions, so any query can use them.
"""

from __future__ import annotations

import datetime

from sqlalchemy import ColumnElement, and_, or_

from rulebook.rag import DeliveryStatus, SqlExpr

CLOSED_STATUSES: frozenset[DeliveryStatus] = frozenset(
    {DeliveryStatus.COMPLETE, DeliveryStatus.CANCELLED}
)
_CLOSED_VALUES = tuple(sorted(s.value for s in CLOSED_STATUSES))

# The one setting for "due soon": the Overview, My actions and the board paper all use it.
DUE_SOON_DAYS = 30


def is_open(status: DeliveryStatus | None) -> bool:
    """Neither complete nor cancelled; a missing status counts as open."""
    return status not in CLOSED_STATUSES


def is_open_sql(status: SqlExpr) -> ColumnElement[bool]:
    return or_(status.is_(None), status.not_in(_CLOSED_VALUES))


def is_overdue(
    deadline: datetime.date | None, status: DeliveryStatus | None, as_at: datetime.date
) -> bool:
    """True when the deadline is strictly before as_at and the action is still open.

    A missing deadline is never overdue.
    """
    return deadline is not None and deadline < as_at and is_open(status)


def is_overdue_sql(deadline: SqlExpr, status: SqlExpr, as_at: datetime.date) -> ColumnElement[bool]:
    return and_(deadline.is_not(None), deadline < as_at, is_open_sql(status))


def days_overdue(
    deadline: datetime.date | None, status: DeliveryStatus | None, as_at: datetime.date
) -> int:
    """Whole days past the deadline at as_at; 0 when not overdue."""
    if deadline is None or not is_overdue(deadline, status, as_at):
        return 0
    return (as_at - deadline).days


def is_due_soon(
    deadline: datetime.date | None,
    status: DeliveryStatus | None,
    as_at: datetime.date,
    days: int = DUE_SOON_DAYS,
) -> bool:
    """Open, and due on as_at or within the next `days` days."""
    if deadline is None or not is_open(status):
        return False
    return as_at <= deadline <= as_at + datetime.timedelta(days=days)


def is_due_soon_sql(
    deadline: SqlExpr,
    status: SqlExpr,
    as_at: datetime.date,
    days: int = DUE_SOON_DAYS,
) -> ColumnElement[bool]:
    # The NULL test keeps the answer two-valued: False, never NULL, for a missing deadline.
    return and_(
        deadline.is_not(None),
        deadline >= as_at,
        deadline <= as_at + datetime.timedelta(days=days),
        is_open_sql(status),
    )
