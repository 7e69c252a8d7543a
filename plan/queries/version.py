"""The data version: changes whenever any figure can, so cached figures are never stale."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from plan.models import Action, AuditEntry, ProgressUpdate


def data_version(session: Session) -> tuple[int, int, int]:
    """Changes whenever any figure can: a new update, a new action, or any audited change.

    Every write path (updates, imports, returns, board decisions) appends to at least one of
    these tables, so cached figures keyed by this tuple are never stale. Three index lookups.
    """
    return (
        _newest_id(session, ProgressUpdate.id),
        _newest_id(session, Action.id),
        _newest_id(session, AuditEntry.id),
    )


def _newest_id(session: Session, column: InstrumentedAttribute[int]) -> int:
    """The largest id in `column`'s table, 0 when it is empty (an aggregate: one row)."""
    return session.execute(select(func.coalesce(func.max(column), 0))).scalar_one()
