"""Lists of actions as tables show them, one action's detail, and the meeting's exceptions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TypedDict, Unpack

from sqlalchemy import ColumnElement, RowMapping, Select, case, func, null, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import Subquery

from plan.models import Action, ActionOwner, Objective, Plan, ProgressUpdate
from plan.queries.state import (
    NEWEST_FIRST,
    Selection,
    counted,
    movement_of,
    overdue_in,
    selection_filters,
    selection_or_plan,
    state_at,
)
from rulebook.entries import described_day_of, describes_by_sql
from rulebook.movement import Movement, is_exception, is_exception_sql
from rulebook.rag import DeliveryStatus, Rag
from rulebook.review import Entries

# ----------------------------------------------------------------------------- actions


@dataclass(frozen=True)
class ActionView:
    """One action as a table row shows it."""

    id: int
    plan: str
    objective: str | None
    ref: str | None
    action: str
    owner: str | None
    owners: tuple[str, ...]
    deadline: dt.date | None  # current: the newest revised deadline, else the baseline
    deadline_text: str | None
    ongoing: bool
    rag: Rag | None
    status: DeliveryStatus
    latest_update: str | None
    updated_at: dt.datetime | None
    overdue: bool
    days_overdue: int = 0
    baseline_deadline: dt.date | None = None
    previous_rag: Rag | None = None
    movement: str | None = None


@dataclass(frozen=True)
class ListOptions:
    """Which actions a list shows and in what order (beyond the shared Selection)."""

    compared_with: dt.date | None = None
    only_overdue: bool = False
    only_exceptions: bool = False
    # Red or overdue (not cancelled): the exceptions that need no comparison date.
    only_off_track: bool = False
    most_overdue_first: bool = False
    plan_name: str | None = None
    action_id: int | None = None
    limit: int | None = None
    offset: int = 0

    @property
    def plain_page(self) -> bool:
        """A page of the list in plan order, which needs no history to pick."""
        return self.limit is not None and not (
            self.only_overdue
            or self.only_exceptions
            or self.only_off_track
            or self.most_overdue_first
        )


class ListOptionArguments(TypedDict, total=False):
    """ListOptions' fields as action_views' keyword arguments; mypy checks each is one of
    ListOptions' fields, of its type (add a field to both)."""

    compared_with: dt.date | None
    only_overdue: bool
    only_exceptions: bool
    only_off_track: bool
    most_overdue_first: bool
    plan_name: str | None
    action_id: int | None
    limit: int | None
    offset: int


def action_views(
    session: Session,
    *,
    as_at: dt.date,
    plan_id: int | None = None,
    selection: Selection | None = None,
    **options: Unpack[ListOptionArguments],
) -> list[ActionView]:
    """Actions in plan order with RAG, status and latest update as at `as_at`.

    `options` are ListOptions' fields: with `compared_with`, each action also carries its
    RAG then and how it moved since; `limit` and `offset` pick one page of the list.
    """
    return list_actions(
        session, selection_or_plan(selection, plan_id), as_at, ListOptions(**options)
    )


def list_actions(
    session: Session, chosen: Selection, as_at: dt.date, options: ListOptions
) -> list[ActionView]:
    among = None
    if options.plain_page and not chosen.rags:
        # Plan order needs no history: pick the page first, then work out the state of
        # those actions only (not of every selected action, to sort and drop most of them).
        among = (
            _plan_order(select(Action.id).where(*selection_filters(chosen, as_at)), options)
            .limit(options.limit)
            .offset(options.offset)
        )
    query = _ordered(_list_query(chosen, as_at, options, among), options)
    if options.limit is not None and among is None:
        query = query.limit(options.limit).offset(options.offset or None)
    # Plain columns, no ORM entities: the Core result skips the ORM's per-row loading.
    rows = session.connection().execute(query).mappings().all()
    ids = [row["id"] for row in rows]
    if len(ids) > _OWNERS_BY_ID_LIMIT:  # e.g. a board paper: ask by selection, not 20k ids
        owners = _owners_by_action(
            session, select(Action.id).where(*selection_filters(chosen, as_at))
        )
    else:
        owners = _owners_by_action(session, ids)
    return [_action_view(row, owners.get(row["id"], ()), as_at) for row in rows]


def _list_query(
    chosen: Selection, as_at: dt.date, options: ListOptions, among: Select | None
) -> Select:
    state = state_at(chosen, as_at, among=among)
    overdue = overdue_in(state, as_at)
    columns = [
        Action.id,
        Plan.name.label("plan"),
        Objective.title.label("objective"),
        Action.ref,
        Action.text,
        Action.lead_text,
        state.c.deadline,
        Action.deadline_text,
        Action.ongoing,
        state.c.rag,
        state.c.status,
        state.c.progress,
        state.c.recorded_at,
        overdue.label("overdue"),
        Action.deadline.label("baseline_deadline"),
    ]
    source = state.join(Action, Action.id == state.c.action_id)
    conditions: list[ColumnElement] = []
    if options.compared_with is not None:
        before = state_at(chosen, options.compared_with, "before", among=among)
        source = source.outerjoin(before, before.c.action_id == state.c.action_id)
        moved = movement_of(before, state)
        columns += [before.c.rag.label("previous_rag"), moved.label("movement")]
        if options.only_exceptions:
            conditions.append(is_exception_sql(state.c.rag, state.c.status, overdue, moved))
    if options.only_overdue:
        conditions.append(overdue)
    if options.only_off_track:
        conditions.append(off_track_in(state, overdue))
    query = (
        select(*columns)
        .select_from(source)
        .join(Plan, Plan.id == Action.plan_id)
        .outerjoin(Objective, Objective.id == Action.objective_id)
        .where(*conditions)
    )
    if options.most_overdue_first and options.only_off_track:
        # Red first, then the most overdue: the order the meeting view goes through them.
        red_first = case((state.c.rag == Rag.RED.value, 0), else_=1)
        return query.order_by(red_first, state.c.deadline.asc().nulls_last())
    return query.order_by(state.c.deadline) if options.most_overdue_first else query


def off_track_in(state: Subquery, overdue: ColumnElement[bool]) -> ColumnElement[bool]:
    """Red or overdue, not cancelled: a meeting's exceptions without the movement."""
    return is_exception_sql(state.c.rag, state.c.status, overdue, null())


def _ordered(query: Select, options: ListOptions) -> Select:
    if options.most_overdue_first:
        return query.order_by(Plan.name, func.coalesce(Action.ref, ""), Action.id).where(
            *_named(options)
        )
    return _plan_order(query, options, joined=True)


def _named(options: ListOptions) -> list[ColumnElement]:
    return [
        *([Plan.name == options.plan_name] if options.plan_name is not None else []),
        *([Action.id == options.action_id] if options.action_id is not None else []),
    ]


def _plan_order(query: Select, options: ListOptions, *, joined: bool = False) -> Select:
    """Actions in plan order: plan name, objective, position in the plan."""
    if not joined:
        query = query.join(Plan, Plan.id == Action.plan_id).outerjoin(
            Objective, Objective.id == Action.objective_id
        )
    return query.where(*_named(options)).order_by(
        Plan.name, func.coalesce(Objective.position, 0), Action.position, Action.id
    )


def _action_view(row: RowMapping, owners: tuple[str, ...], as_at: dt.date) -> ActionView:
    deadline, overdue = row["deadline"], bool(row["overdue"])
    previous, moved = row.get("previous_rag"), row.get("movement")
    return ActionView(
        id=row["id"],
        plan=row["plan"],
        objective=row["objective"],
        ref=row["ref"],
        action=row["text"],
        owner=row["lead_text"],
        owners=owners,
        deadline=deadline,
        deadline_text=row["deadline_text"],
        ongoing=bool(row["ongoing"]),
        rag=Rag(row["rag"]) if row["rag"] else None,
        status=DeliveryStatus(row["status"]),
        latest_update=row["progress"],
        updated_at=row["recorded_at"],
        overdue=overdue,
        days_overdue=(as_at - deadline).days if overdue else 0,
        baseline_deadline=row["baseline_deadline"],
        previous_rag=Rag(previous) if previous else None,
        movement=moved,
    )


_OWNERS_BY_ID_LIMIT = 1000


def _owners_by_action(
    session: Session, action_ids: list[int] | Select
) -> dict[int, tuple[str, ...]]:
    """Owner names per action, for a list of ids or for the ids a query selects."""
    grouped: dict[int, list[str]] = {}
    # Chunked: SQLite limits the number of bound parameters in one statement.
    chunks = (
        [action_ids]
        if isinstance(action_ids, Select)
        else [action_ids[i : i + 5000] for i in range(0, len(action_ids), 5000)]
    )
    for chunk in chunks:
        query = (
            select(ActionOwner.action_id, ActionOwner.name)
            .where(ActionOwner.action_id.in_(chunk))
            .order_by(ActionOwner.action_id, ActionOwner.position)
        )
        for action_id, name in session.connection().execute(query):
            grouped.setdefault(action_id, []).append(name)
    return {key: tuple(value) for key, value in grouped.items()}


def overdue_actions(
    session: Session,
    *,
    selection: Selection,
    as_at: dt.date,
    limit: int | None = None,
    offset: int = 0,
) -> list[ActionView]:
    """Overdue actions, most overdue first (`limit` of them from `offset`)."""
    return action_views(
        session,
        selection=selection,
        as_at=as_at,
        only_overdue=True,
        most_overdue_first=True,
        limit=limit,
        offset=offset,
    )


@dataclass(frozen=True)
class OffTrack:
    """The Red or overdue actions: how many, and the worst few (Red first, most overdue)."""

    total: int
    worst: list[ActionView]


def off_track_actions(
    session: Session, *, selection: Selection, as_at: dt.date, limit: int
) -> OffTrack:
    state = state_at(selection, as_at)
    total = session.execute(
        select(func.count()).select_from(state).where(off_track_in(state, overdue_in(state, as_at)))
    ).scalar_one()
    worst = action_views(
        session,
        selection=selection,
        as_at=as_at,
        only_off_track=True,
        most_overdue_first=True,
        limit=limit,
    )
    return OffTrack(total=total, worst=worst)


@dataclass(frozen=True)
class OverdueCounts:
    dated: int
    ongoing: int  # the deadline passed but the plan marks the action as carrying on


def overdue_counts(session: Session, *, selection: Selection, as_at: dt.date) -> OverdueCounts:
    state = state_at(selection, as_at)
    query = (
        select(state.c.ongoing, func.count())
        .where(overdue_in(state, as_at))
        .group_by(state.c.ongoing)
    )
    counts = {bool(ongoing): number for ongoing, number in session.execute(query)}
    return OverdueCounts(dated=counts.get(False, 0), ongoing=counts.get(True, 0))


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    recorded_at: dt.datetime
    rag: Rag | None
    rag_text: str | None
    status: DeliveryStatus
    progress: str | None
    author: str
    source: str
    source_detail: str | None
    reporting_period: str | None
    # The day the entry describes (rulebook.entries); None: the day it was recorded.
    described_on: dt.date | None = None

    @property
    def day(self) -> dt.date:
        """The day the entry describes: what "as at" figures and the history chart follow."""
        return self.described_on or described_day_of(self.recorded_at)


@dataclass(frozen=True)
class ActionDetail:
    view: ActionView
    milestone: str | None
    target: str | None
    resourcing: str | None
    indicator_link: str | None
    extra: dict[str, str]
    objective_description: str | None
    history: list[HistoryEntry] = field(default_factory=list)


def action_detail(
    session: Session, *, action_id: int, as_at: dt.date, entries: Entries = Entries.PUBLISHED
) -> ActionDetail | None:
    """Everything about one action, with its history up to `as_at`, oldest first: the entries
    that count (rulebook.review: published only, unless a reviewer asks for submissions)."""
    action = session.get(Action, action_id)
    if action is None:
        return None
    selection = Selection(plan_id=action.plan_id, entries=entries)
    views = action_views(session, selection=selection, as_at=as_at, action_id=action_id)
    if not views:
        return None
    view = views[0]
    updates = session.scalars(
        select(ProgressUpdate)
        .where(
            ProgressUpdate.action_id == action_id,
            describes_by_sql(ProgressUpdate.described_on, as_at),
            *counted(entries),
        )
        .order_by(*(term.element.asc() for term in NEWEST_FIRST))
    )
    return ActionDetail(
        view=view,
        milestone=action.milestone,
        target=action.target,
        resourcing=action.resourcing,
        indicator_link=action.indicator_link,
        extra={str(k): str(v) for k, v in (action.extra or {}).items()},
        objective_description=action.objective.description if action.objective else None,
        history=[
            HistoryEntry(
                id=u.id,
                recorded_at=u.recorded_at,
                rag=u.rag,
                rag_text=u.rag_text,
                status=u.status,
                progress=u.progress,
                author=u.author,
                source=u.source.value,
                source_detail=u.source_detail,
                reporting_period=u.reporting_period,
                described_on=u.described_on,
            )
            for u in updates
        ],
    )


def meeting_exceptions(
    session: Session, *, selection: Selection, as_at: dt.date, compared_with: dt.date
) -> list[ActionView]:
    """Red, overdue or worsened actions, for going through one at a time in a meeting."""
    views = action_views(
        session,
        selection=selection,
        as_at=as_at,
        compared_with=compared_with,
        only_exceptions=True,
    )
    return exceptions_of(views)


def exceptions_of(views: list[ActionView]) -> list[ActionView]:
    """The exceptions among action views that carry their movement, worst first."""
    exceptions = [v for v in views if is_exception(v.rag, v.status, v.overdue, v.movement)]
    return sorted(
        exceptions,
        key=lambda v: (
            v.rag != Rag.RED,
            v.movement != Movement.WORSENED,
            -v.days_overdue,
            v.plan,
            v.ref or "",
            v.id,
        ),
    )
