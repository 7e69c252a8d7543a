"""The state of actions at a date: the one place that works out each action's RAG, status,
current deadline and newest update "as at" a day, and the shared selection filters.

An action's RAG and status at a date D come from its entry current as at D: the newest
ProgressUpdate describing D or an earlier day (rulebook.entries). An action with no such
entry is not rated and not started. A complete action counts as Blue
(rulebook.rag.effective_rag). Cancelled actions are listed but left out of rollups and
percentages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import (
    ColumnElement,
    ScalarSelect,
    Select,
    SQLColumnExpression,
    exists,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.selectable import FromClause, Subquery

from plan.models import Action, ActionOwner, ProgressUpdate, UpdateReview, UpdateSource
from rulebook.dates import end_of_day  # noqa: F401 (shared with plan.queries)
from rulebook.entries import describes_by_sql, newest_first_sql
from rulebook.movement import classify_movement_sql
from rulebook.overdue import DUE_SOON_DAYS, is_due_soon_sql, is_overdue_sql
from rulebook.owners import owner_key
from rulebook.rag import DeliveryStatus, Rag, effective_rag_sql
from rulebook.review import Entries, ReviewOutcome, counts_sql

CANCELLED = DeliveryStatus.CANCELLED.value
COMPLETE = DeliveryStatus.COMPLETE.value

T = TypeVar("T")

# The order that puts each action's current entry first (rulebook.entries).
NEWEST_FIRST = newest_first_sql(
    ProgressUpdate.described_on, ProgressUpdate.recorded_at, ProgressUpdate.id
)


@dataclass(frozen=True)
class Selection:
    """The filters every page and export share. Empty tuples mean "no filter"."""

    plan_id: int | None = None
    objective_ids: tuple[int, ...] = ()
    owners: tuple[str, ...] = ()
    # RAG as at the page's date; None in the tuple selects "not rated".
    rags: tuple[Rag | None, ...] = ()
    # Which history entries count (rulebook.review): published ones, unless an officer asks
    # to include submissions waiting for review; the owner's own view sees every entry.
    entries: Entries = Entries.PUBLISHED


ALL = Selection()


def selection_or_plan(selection: Selection | None, plan_id: int | None) -> Selection:
    if selection is None:
        return Selection(plan_id=plan_id)
    return selection


def selection_filters(selection: Selection, as_at: dt.date | None) -> list[ColumnElement]:
    """Conditions on Action for the selection (not the RAG filter, which needs a date)."""
    conditions: list[ColumnElement] = []
    if selection.plan_id is not None:
        conditions.append(Action.plan_id == selection.plan_id)
    if selection.objective_ids:
        conditions.append(Action.objective_id.in_(selection.objective_ids))
    if selection.owners:
        conditions.append(
            exists().where(ActionOwner.action_id == Action.id, owner_named(selection.owners))
        )
    if as_at is not None:
        conditions.append(Action.described_from <= as_at)
    return conditions


def owner_named(names: Sequence[str]) -> ColumnElement[bool]:
    """ActionOwner rows for any of `names` as written anywhere: "kylie  THORNTON" matches
    "Kylie Thornton". Compares the stored key with rulebook.owners.owner_key of each name."""
    return ActionOwner.name_key.in_(sorted({owner_key(name) for name in names}))


def rag_filter(selection: Selection, rag: ColumnElement) -> list[ColumnElement]:
    if not selection.rags:
        return []
    named = [r.value for r in selection.rags if r is not None]
    options = [rag.in_(named)] if named else []
    if None in selection.rags:
        options.append(rag.is_(None))
    return [or_(*options)]


def counted(entries: Entries, update: type[ProgressUpdate] = ProgressUpdate) -> tuple:
    """The condition on `update` (ProgressUpdate or an alias) for the entries that count:
    rulebook.review.counts_sql, with its "returned" as an EXISTS on the reviews."""
    if entries is Entries.ALL:
        return ()
    returned = exists().where(
        UpdateReview.update_id == update.id, UpdateReview.outcome == ReviewOutcome.RETURNED.value
    )
    return (counts_sql(update.review_state, returned, entries),)


def newest_update_field(
    column: SQLColumnExpression[T], as_at: dt.date | None, *conditions: ColumnElement[bool]
) -> ScalarSelect[T | None]:
    """Per action, `column` of its entry current as at `as_at` (rulebook.entries: the newest
    by the day it describes, then by when it was recorded), found with one index probe.

    With no `as_at`, of its newest entry of all.
    """
    if as_at is not None:
        conditions = (describes_by_sql(ProgressUpdate.described_on, as_at), *conditions)
    return (
        select(column)
        .where(ProgressUpdate.action_id == Action.id, *conditions)
        .order_by(*NEWEST_FIRST)
        .limit(1)
        .correlate(Action)
        .scalar_subquery()
    )


def state_at(
    selection: Selection,
    as_at: dt.date | None,
    name: str = "state",
    *,
    among: Select | None = None,
) -> Subquery:
    """Each selected action (of those `among` yields, if given) as at the end of `as_at`;
    with `as_at` None, as it stands now (its newest update of all, every action).

    `deadline` is the current one: the newest revised deadline, else the baseline. Each
    action's current entry is found through the (action_id, described_on, recorded_at, id)
    index rather than by ranking every update, so the cost follows the actions selected.
    Only the entries `selection.entries` counts are read (rulebook.review).
    """
    counting = counted(selection.entries)
    picked = (
        select(
            Action.id.label("action_id"),
            Action.plan_id,
            Action.objective_id,
            Action.deadline,
            Action.ongoing,
            newest_update_field(ProgressUpdate.id, as_at, *counting).label("update_id"),
            newest_update_field(
                ProgressUpdate.revised_deadline,
                as_at,
                ProgressUpdate.revised_deadline.is_not(None),
                *counting,
            ).label("revised_deadline"),
        )
        .where(*selection_filters(selection, as_at))
        .where(*([Action.id.in_(among)] if among is not None else []))
        .subquery(f"{name}_picked")
    )
    latest = aliased(ProgressUpdate, name=f"{name}_latest")
    status = func.coalesce(latest.status, literal(DeliveryStatus.NOT_STARTED.value))
    rag = effective_rag_sql(latest.rag, latest.status)
    query = (
        select(
            picked.c.action_id,
            picked.c.plan_id,
            picked.c.objective_id,
            func.coalesce(picked.c.revised_deadline, picked.c.deadline).label("deadline"),
            picked.c.ongoing,
            rag.label("rag"),
            status.label("status"),
            picked.c.update_id,
            latest.progress,
            latest.recorded_at,
            latest.described_on,
        )
        .select_from(picked)
        .outerjoin(latest, latest.id == picked.c.update_id)
        .where(*rag_filter(selection, rag))
    )
    return query.subquery(name)


def overdue_in(state: Subquery, as_at: dt.date) -> ColumnElement[bool]:
    return is_overdue_sql(state.c.deadline, state.c.status, as_at)


def due_soon_in(state: Subquery, as_at: dt.date, days: int = DUE_SOON_DAYS) -> ColumnElement[bool]:
    return is_due_soon_sql(state.c.deadline, state.c.status, as_at, days)


def in_rollup(state: Subquery) -> ColumnElement:
    return state.c.status != CANCELLED


def latest_updates(
    session: Session, plan_id: int, *, as_at: dt.date | None = None
) -> dict[int, ProgressUpdate]:
    """The current update of each action in a plan (as at `as_at`; None: the newest of all),
    loaded as ORM objects."""
    newest = newest_update_field(ProgressUpdate.id, as_at)
    query = select(ProgressUpdate).where(
        ProgressUpdate.id.in_(select(newest).select_from(Action).where(Action.plan_id == plan_id))
    )
    return {update.action_id: update for update in session.scalars(query)}


def movement_of(before: Subquery, after: Subquery) -> ColumnElement:
    """Each action's rulebook.movement.Movement value between two states (outer-joined)."""
    return classify_movement_sql(
        before.c.action_id.is_not(None), before.c.rag, before.c.status, after.c.rag, after.c.status
    )


def movement_join(
    selection: Selection, as_at: dt.date, compared_with: dt.date
) -> tuple[Subquery, Subquery, FromClause]:
    after = state_at(selection, as_at, "after")
    before = state_at(selection, compared_with, "before")
    joined = after.outerjoin(before, before.c.action_id == after.c.action_id)
    return after, before, joined


def newest_update_ids(session: Session, action_ids: Sequence[int]) -> dict[int, int]:
    """Each action's newest update id (whatever the date): the token that spots a conflict."""
    newest = newest_update_field(ProgressUpdate.id, None)
    found: dict[int, int] = {}
    for start in range(0, len(action_ids), 5000):  # SQLite's bound-parameter limit
        chunk = list(action_ids[start : start + 5000])
        query = select(Action.id, newest).where(Action.id.in_(chunk))
        found.update({a: u for a, u in session.execute(query) if u is not None})
    return found


def newest_import_ids(session: Session, action_ids: Sequence[int]) -> dict[int, int | None]:
    """Each action's newest update that came from a file import (None: there is none)."""
    newest = newest_update_field(
        ProgressUpdate.id, None, ProgressUpdate.source == UpdateSource.IMPORT.value
    )
    found: dict[int, int | None] = {}
    for start in range(0, len(action_ids), 5000):  # SQLite's bound-parameter limit
        chunk = list(action_ids[start : start + 5000])
        query = select(Action.id, newest).where(Action.id.in_(chunk))
        found.update({action: update for action, update in session.execute(query)})
    return found


def newest_updates(session: Session, action_ids: Sequence[int]) -> dict[int, ProgressUpdate]:
    """Each action's newest update (whatever the date), loaded as ORM objects."""
    ids = list(newest_update_ids(session, action_ids).values())
    found: dict[int, ProgressUpdate] = {}
    for start in range(0, len(ids), 5000):  # SQLite's bound-parameter limit
        chunk = ids[start : start + 5000]
        for update in session.scalars(select(ProgressUpdate).where(ProgressUpdate.id.in_(chunk))):
            found[update.action_id] = update
    return found
