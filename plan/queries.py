"""Typed read queries. Every figure is aggregated in SQL, and "today" is always a parameter.

An action's RAG and status at a date D come from its newest ProgressUpdate recorded on or
before D; an action with no update by then is not rated and not started. A complete action
counts as Blue. Cancelled actions are listed but left out of rollups and percentages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, literal, or_, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.selectable import Subquery

from plan.models import Action, ActionOwner, AuditEntry, Objective, Plan, ProgressUpdate
from rulebook.overdue import CLOSED_STATUSES
from rulebook.rag import RAG_ORDER, RAG_SEVERITY, DeliveryStatus, Rag

DUE_SOON_DAYS = 30
_CLOSED = tuple(s.value for s in CLOSED_STATUSES)
_CANCELLED = DeliveryStatus.CANCELLED.value
_COMPLETE = DeliveryStatus.COMPLETE.value


def end_of_day(day: dt.date) -> dt.datetime:
    """The first instant after `day`: updates recorded before it count as at `day`."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)


@dataclass(frozen=True)
class Selection:
    """The filters every page and export share. Empty tuples mean "no filter"."""

    plan_id: int | None = None
    objective_ids: tuple[int, ...] = ()
    owners: tuple[str, ...] = ()
    # RAG as at the page's date; None in the tuple selects "not rated".
    rags: tuple[Rag | None, ...] = ()


ALL = Selection()


def _selection(selection: Selection | None, plan_id: int | None) -> Selection:
    if selection is None:
        return Selection(plan_id=plan_id)
    return selection


def _filters(selection: Selection, as_at: dt.date | None) -> list[ColumnElement]:
    """Conditions on Action for the selection (not the RAG filter, which needs a date)."""
    conditions: list[ColumnElement] = []
    if selection.plan_id is not None:
        conditions.append(Action.plan_id == selection.plan_id)
    if selection.objective_ids:
        conditions.append(Action.objective_id.in_(selection.objective_ids))
    if selection.owners:
        conditions.append(
            exists().where(
                ActionOwner.action_id == Action.id, ActionOwner.name.in_(selection.owners)
            )
        )
    if as_at is not None:
        conditions.append(Action.created_at < end_of_day(as_at))
    return conditions


def _rag_filter(selection: Selection, rag: ColumnElement) -> list[ColumnElement]:
    if not selection.rags:
        return []
    named = [r.value for r in selection.rags if r is not None]
    options = [rag.in_(named)] if named else []
    if None in selection.rags:
        options.append(rag.is_(None))
    return [or_(*options)]


def _newest_update_field(column, as_at: dt.date | None, *conditions: ColumnElement):
    """Per action, `column` of its newest update by the end of `as_at` (one index probe).

    With no `as_at`, of its newest update of all.
    """
    if as_at is not None:
        conditions = (ProgressUpdate.recorded_at < end_of_day(as_at), *conditions)
    return (
        select(column)
        .where(ProgressUpdate.action_id == Action.id, *conditions)
        .order_by(ProgressUpdate.recorded_at.desc(), ProgressUpdate.id.desc())
        .limit(1)
        .correlate(Action)
        .scalar_subquery()
    )


def _state(
    selection: Selection,
    as_at: dt.date,
    name: str = "state",
    *,
    among: Select | None = None,
) -> Subquery:
    """Each selected action (of those `among` yields, if given) as at the end of `as_at`.

    `deadline` is the current one: the newest revised deadline, else the baseline. Each
    action's newest update is found through the (action_id, recorded_at, id) index rather
    than by ranking every update, so the cost follows the actions selected, not the history.
    """
    picked = (
        select(
            Action.id.label("action_id"),
            Action.plan_id,
            Action.objective_id,
            Action.deadline,
            Action.ongoing,
            _newest_update_field(ProgressUpdate.id, as_at).label("update_id"),
            _newest_update_field(
                ProgressUpdate.revised_deadline,
                as_at,
                ProgressUpdate.revised_deadline.is_not(None),
            ).label("revised_deadline"),
        )
        .where(*_filters(selection, as_at))
        .where(*([Action.id.in_(among)] if among is not None else []))
        .subquery(f"{name}_picked")
    )
    latest = aliased(ProgressUpdate, name=f"{name}_latest")
    status = func.coalesce(latest.status, literal(DeliveryStatus.NOT_STARTED.value))
    rag = case((latest.status == _COMPLETE, literal(Rag.BLUE.value)), else_=latest.rag)
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
        )
        .select_from(picked)
        .outerjoin(latest, latest.id == picked.c.update_id)
        .where(*_rag_filter(selection, rag))
    )
    return query.subquery(name)


def _is_overdue(state: Subquery, as_at: dt.date) -> ColumnElement:
    return and_(
        state.c.deadline.is_not(None),
        state.c.deadline < as_at,
        state.c.status.not_in(_CLOSED),
    )


def _in_rollup(state: Subquery) -> ColumnElement:
    return state.c.status != _CANCELLED


# ----------------------------------------------------------------------------- plans


@dataclass(frozen=True)
class PlanOption:
    id: int
    name: str
    actions: int


def plan_options(session: Session) -> list[PlanOption]:
    counts = (
        select(Plan.id, Plan.name, func.count(Action.id))
        .outerjoin(Action, Action.plan_id == Plan.id)
        .group_by(Plan.id, Plan.name)
        .order_by(Plan.name)
    )
    return [PlanOption(id=i, name=n, actions=c) for i, n, c in session.execute(counts)]


@dataclass(frozen=True)
class ObjectiveOption:
    id: int
    plan_id: int
    label: str


def objective_options(session: Session, plan_id: int | None) -> list[ObjectiveOption]:
    query = (
        select(Objective.id, Objective.plan_id, Objective.ref, Objective.title, Plan.name)
        .join(Plan, Plan.id == Objective.plan_id)
        .order_by(Plan.name, Objective.position, Objective.id)
    )
    if plan_id is not None:
        query = query.where(Objective.plan_id == plan_id)
    return [
        ObjectiveOption(
            id=i,
            plan_id=p,
            label=(f"{ref}. {title}" if ref else title)
            + ("" if plan_id is not None else f" ({plan})"),
        )
        for i, p, ref, title, plan in session.execute(query)
    ]


def owner_options(session: Session, plan_id: int | None) -> list[str]:
    query = select(ActionOwner.name).distinct().order_by(ActionOwner.name)
    if plan_id is not None:
        query = query.join(Action, Action.id == ActionOwner.action_id).where(
            Action.plan_id == plan_id
        )
    return list(session.scalars(query))


def latest_updates(session: Session, plan_id: int) -> dict[int, ProgressUpdate]:
    """The current (newest) update of each action in a plan, loaded as ORM objects."""
    newest = _newest_update_field(ProgressUpdate.id, None)
    query = select(ProgressUpdate).where(
        ProgressUpdate.id.in_(select(newest).select_from(Action).where(Action.plan_id == plan_id))
    )
    return {update.action_id: update for update in session.scalars(query)}


# ----------------------------------------------------------------------------- counts


@dataclass(frozen=True)
class RagCounts:
    """Actions by RAG at a date. Cancelled actions are left out and counted apart."""

    red: int = 0
    amber: int = 0
    green: int = 0
    blue: int = 0
    not_rated: int = 0
    cancelled: int = 0

    def of(self, rag: Rag | None) -> int:
        return {
            Rag.RED: self.red,
            Rag.AMBER: self.amber,
            Rag.GREEN: self.green,
            Rag.BLUE: self.blue,
            None: self.not_rated,
        }[rag]

    @property
    def total(self) -> int:
        """Actions in the rollup: everything but cancelled."""
        return sum(self.of(rag) for rag in RAG_ORDER)

    @property
    def percent_complete(self) -> float | None:
        """Blue as a share of the rollup; None when there is nothing to rate."""
        return round(100 * self.blue / self.total, 1) if self.total else None

    @property
    def worst(self) -> Rag | None:
        rated = [rag for rag in RAG_ORDER if rag is not None and self.of(rag)]
        return max(rated, key=RAG_SEVERITY.__getitem__) if rated else None


def _counts_from(rows: Sequence[tuple[str | None, bool, int]]) -> RagCounts:
    counts = {"cancelled": 0}
    for value, in_rollup, number in rows:
        if not in_rollup:
            counts["cancelled"] += number
        else:
            key = Rag(value).name.lower() if value else "not_rated"
            counts[key] = counts.get(key, 0) + number
    return RagCounts(**counts)


def rag_counts(
    session: Session,
    *,
    as_at: dt.date,
    plan_id: int | None = None,
    selection: Selection | None = None,
) -> RagCounts:
    state = _state(_selection(selection, plan_id), as_at)
    in_rollup = _in_rollup(state).label("in_rollup")
    query = select(state.c.rag, in_rollup, func.count()).group_by(state.c.rag, in_rollup)
    return _counts_from(session.execute(query).all())


def overdue_count(
    session: Session,
    *,
    as_at: dt.date,
    plan_id: int | None = None,
    selection: Selection | None = None,
) -> int:
    state = _state(_selection(selection, plan_id), as_at)
    return session.scalar(select(func.count()).where(_is_overdue(state, as_at))) or 0


@dataclass(frozen=True)
class Movement:
    """How actions moved between the comparison date and the as-at date."""

    improved: int = 0
    worsened: int = 0
    new: int = 0
    completed: int = 0
    unchanged: int = 0


def _severity(rag: ColumnElement) -> ColumnElement:
    return case(
        *((rag == r.value, literal(RAG_SEVERITY[r])) for r in Rag),
        else_=literal(None),
    )


def _movement_class(before: Subquery, after: Subquery) -> ColumnElement:
    """'new', 'completed', 'improved', 'worsened' or 'unchanged' for each action."""
    before_severity, after_severity = _severity(before.c.rag), _severity(after.c.rag)
    return case(
        (before.c.action_id.is_(None), literal("new")),
        (
            and_(after.c.status == _COMPLETE, before.c.status != _COMPLETE),
            literal("completed"),
        ),
        (
            and_(
                before_severity.is_not(None),
                after_severity.is_not(None),
                after_severity < before_severity,
            ),
            literal("improved"),
        ),
        (
            and_(
                before_severity.is_not(None),
                after_severity.is_not(None),
                after_severity > before_severity,
            ),
            literal("worsened"),
        ),
        else_=literal("unchanged"),
    )


def _movement_join(selection: Selection, as_at: dt.date, compared_with: dt.date):
    after = _state(selection, as_at, "after")
    before = _state(selection, compared_with, "before")
    joined = after.outerjoin(before, before.c.action_id == after.c.action_id)
    return after, before, joined


def movement(
    session: Session, *, selection: Selection, as_at: dt.date, compared_with: dt.date
) -> Movement:
    after, before, joined = _movement_join(selection, as_at, compared_with)
    kind = _movement_class(before, after).label("kind")
    query = (
        select(kind, func.count())
        .select_from(joined)
        .where(after.c.status != _CANCELLED)
        .group_by(kind)
    )
    return Movement(**{k: n for k, n in session.execute(query)})


def updates_between(session: Session, *, selection: Selection, start: dt.date, end: dt.date) -> int:
    """Progress updates recorded after the end of `start` up to the end of `end`."""
    query = (
        select(func.count(ProgressUpdate.id))
        .join(Action, Action.id == ProgressUpdate.action_id)
        .where(
            ProgressUpdate.recorded_at >= end_of_day(start),
            ProgressUpdate.recorded_at < end_of_day(end),
            *_filters(selection, None),
        )
    )
    return session.scalar(query) or 0


def _is_due_soon(state: Subquery, as_at: dt.date, days: int = DUE_SOON_DAYS) -> ColumnElement:
    return and_(
        state.c.deadline >= as_at,
        state.c.deadline <= as_at + dt.timedelta(days=days),
        state.c.status.not_in(_CLOSED),
    )


def due_soon_count(
    session: Session, *, selection: Selection, as_at: dt.date, days: int = DUE_SOON_DAYS
) -> int:
    state = _state(selection, as_at)
    return session.scalar(select(func.count()).where(_is_due_soon(state, as_at, days))) or 0


# ----------------------------------------------------------------------------- objectives


@dataclass(frozen=True)
class ObjectiveRollup:
    objective_id: int | None
    plan: str
    ref: str | None
    title: str
    rag: RagCounts
    overdue: int
    score: float | None  # mean RAG severity of rated actions: lower is better
    due_soon: int = 0


@dataclass(frozen=True)
class PlanRollup:
    plan: str
    rag: RagCounts
    overdue: int
    due_soon: int
    objectives: int


def _summed(counts: Sequence[RagCounts]) -> RagCounts:
    totals: dict[str, int] = {}
    for each in counts:
        for key, value in each.__dict__.items():
            totals[key] = totals.get(key, 0) + value
    return RagCounts(**totals)


def plan_rollups(by_objective: Sequence[ObjectiveRollup]) -> list[PlanRollup]:
    """Objective rollups (already counted in SQL) summed per plan, in plan order."""
    grouped: dict[str, list[ObjectiveRollup]] = {}
    for rollup in by_objective:
        grouped.setdefault(rollup.plan, []).append(rollup)
    return [
        PlanRollup(
            plan=plan,
            rag=_summed([r.rag for r in rollups]),
            overdue=sum(r.overdue for r in rollups),
            due_soon=sum(r.due_soon for r in rollups),
            objectives=sum(1 for r in rollups if r.objective_id is not None),
        )
        for plan, rollups in grouped.items()
    ]


def _rollup_score(rag: RagCounts) -> float | None:
    rated = [(RAG_SEVERITY[r], rag.of(r)) for r in RAG_ORDER if r is not None]
    count = sum(n for _, n in rated)
    return sum(s * n for s, n in rated) / count if count else None


def objective_rollups(
    session: Session, *, selection: Selection, as_at: dt.date
) -> list[ObjectiveRollup]:
    """One row per objective (and one for actions with none), in plan order."""
    state = _state(selection, as_at)
    in_rollup = _in_rollup(state).label("in_rollup")
    overdue = func.sum(case((_is_overdue(state, as_at), 1), else_=0))
    soon = func.sum(case((_is_due_soon(state, as_at), 1), else_=0))
    query = select(
        state.c.objective_id, state.c.rag, in_rollup, func.count(), overdue, soon
    ).group_by(state.c.objective_id, state.c.rag, in_rollup)
    grouped: dict[int | None, list[tuple]] = {}
    overdue_by: dict[int | None, int] = {}
    soon_by: dict[int | None, int] = {}
    for objective_id, rag, rolled, number, late, due in session.execute(query):
        grouped.setdefault(objective_id, []).append((rag, rolled, number))
        overdue_by[objective_id] = overdue_by.get(objective_id, 0) + int(late or 0)
        soon_by[objective_id] = soon_by.get(objective_id, 0) + int(due or 0)
    names = {
        i: (plan, ref, title, position)
        for i, plan, ref, title, position in session.execute(
            select(Objective.id, Plan.name, Objective.ref, Objective.title, Objective.position)
            .join(Plan, Plan.id == Objective.plan_id)
            .where(Objective.id.in_([k for k in grouped if k is not None]))
        )
    }
    rollups = []
    for objective_id, rows in grouped.items():
        plan, ref, title, _ = names.get(objective_id, ("", None, "No objective", 10**9))
        counts = _counts_from(rows)
        rollups.append(
            ObjectiveRollup(
                objective_id=objective_id,
                plan=plan,
                ref=ref,
                title=title,
                rag=counts,
                overdue=overdue_by[objective_id],
                score=_rollup_score(counts),
                due_soon=soon_by[objective_id],
            )
        )
    return sorted(
        rollups,
        key=lambda r: (r.plan, names.get(r.objective_id, ("", None, "", 10**9))[3]),
    )


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


def action_views(
    session: Session,
    *,
    as_at: dt.date,
    plan_id: int | None = None,
    plan_name: str | None = None,
    selection: Selection | None = None,
    compared_with: dt.date | None = None,
    only_overdue: bool = False,
    only_exceptions: bool = False,
    most_overdue_first: bool = False,
    action_id: int | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[ActionView]:
    """Actions in plan order with RAG, status and latest update as at `as_at`.

    With `compared_with`, each also carries its RAG then and how it moved since.
    `limit` and `offset` pick one page of the list.
    """
    chosen = _selection(selection, plan_id)
    among = None
    plain_page = limit is not None and not (
        chosen.rags or only_overdue or only_exceptions or most_overdue_first
    )
    if plain_page:
        # Plan order needs no history: pick the page first, then work out the state of
        # those actions only (not of every selected action, to sort and drop most of them).
        among = (
            _plan_order(select(Action.id).where(*_filters(chosen, as_at)), plan_name, action_id)
            .limit(limit)
            .offset(offset)
        )
    state = _state(chosen, as_at, among=among)
    columns = [
        Action.id,
        Plan.name,
        Objective.title,
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
        _is_overdue(state, as_at),
        Action.deadline,
    ]
    source = state.join(Action, Action.id == state.c.action_id)
    if compared_with is not None:
        before = _state(chosen, compared_with, "before", among=among)
        source = source.outerjoin(before, before.c.action_id == state.c.action_id)
        columns += [before.c.rag, _movement_class(before, state)]
        if only_exceptions:
            # Red, overdue or worse than at the comparison date: filtered in SQL.
            source_filter = and_(
                state.c.status != _CANCELLED,
                or_(
                    state.c.rag == Rag.RED.value,
                    _is_overdue(state, as_at),
                    _movement_class(before, state) == "worsened",
                ),
            )
    # Row positions: 0-13 as listed, 14 baseline deadline, 15-16 the comparison.
    query = (
        select(*columns)
        .select_from(source)
        .join(Plan, Plan.id == Action.plan_id)
        .outerjoin(Objective, Objective.id == Action.objective_id)
    )
    if most_overdue_first:
        query = query.order_by(
            state.c.deadline, Plan.name, func.coalesce(Action.ref, ""), Action.id
        ).where(*_named(plan_name, action_id))
    else:
        query = _plan_order(query, plan_name, action_id, joined=True)
    if only_overdue:
        query = query.where(_is_overdue(state, as_at))
    if only_exceptions and compared_with is not None:
        query = query.where(source_filter)
    if limit is not None and not plain_page:
        query = query.limit(limit)
        if offset:
            query = query.offset(offset)
    # Plain columns, no ORM entities: the Core result skips the ORM's per-row loading.
    rows = session.connection().execute(query).all()
    ids = [row[0] for row in rows]
    if len(ids) > _OWNERS_BY_ID_LIMIT:  # e.g. a board paper: ask by selection, not 20k ids
        ids_of = select(Action.id).where(*_filters(chosen, as_at))
        owners = _owners_by_action(session, ids_of)
    else:
        owners = _owners_by_action(session, ids)
    return [_action_view(row, owners, as_at, compared_with is not None) for row in rows]


def _named(plan_name: str | None, action_id: int | None) -> list[ColumnElement]:
    return [
        *([Plan.name == plan_name] if plan_name is not None else []),
        *([Action.id == action_id] if action_id is not None else []),
    ]


def _plan_order(
    query: Select, plan_name: str | None, action_id: int | None, *, joined: bool = False
) -> Select:
    """Actions in plan order: plan name, objective, position in the plan."""
    if not joined:
        query = query.join(Plan, Plan.id == Action.plan_id).outerjoin(
            Objective, Objective.id == Action.objective_id
        )
    return query.where(*_named(plan_name, action_id)).order_by(
        Plan.name, func.coalesce(Objective.position, 0), Action.position, Action.id
    )


def _action_view(row, owners, as_at: dt.date, compared: bool) -> ActionView:
    deadline, overdue = row[6], bool(row[13])
    return ActionView(
        id=row[0],
        plan=row[1],
        objective=row[2],
        ref=row[3],
        action=row[4],
        owner=row[5],
        owners=owners.get(row[0], ()),
        deadline=deadline,
        deadline_text=row[7],
        ongoing=bool(row[8]),
        rag=Rag(row[9]) if row[9] else None,
        status=DeliveryStatus(row[10]),
        latest_update=row[11],
        updated_at=row[12],
        overdue=overdue,
        days_overdue=(as_at - deadline).days if overdue else 0,
        baseline_deadline=row[14],
        previous_rag=(Rag(row[15]) if row[15] else None) if compared else None,
        movement=row[16] if compared else None,
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
class OverdueCounts:
    dated: int
    ongoing: int  # the deadline passed but the plan marks the action as carrying on


def overdue_counts(session: Session, *, selection: Selection, as_at: dt.date) -> OverdueCounts:
    state = _state(selection, as_at)
    query = (
        select(state.c.ongoing, func.count())
        .where(_is_overdue(state, as_at))
        .group_by(state.c.ongoing)
    )
    counts = {bool(ongoing): number for ongoing, number in session.execute(query)}
    return OverdueCounts(dated=counts.get(False, 0), ongoing=counts.get(True, 0))


# ----------------------------------------------------------------------------- owners


@dataclass(frozen=True)
class OwnerSummary:
    owner: str
    rag: RagCounts
    overdue: int
    not_updated_since: int  # actions in the rollup with no update after the comparison date


def owner_summaries(
    session: Session, *, selection: Selection, as_at: dt.date, compared_with: dt.date
) -> list[OwnerSummary]:
    state = _state(selection, as_at)
    in_rollup = _in_rollup(state).label("in_rollup")
    stale = func.sum(
        case(
            (
                and_(
                    _in_rollup(state),
                    or_(
                        state.c.recorded_at.is_(None),
                        state.c.recorded_at < end_of_day(compared_with),
                    ),
                ),
                1,
            ),
            else_=0,
        )
    )
    overdue = func.sum(case((_is_overdue(state, as_at), 1), else_=0))
    query = (
        select(ActionOwner.name, state.c.rag, in_rollup, func.count(), overdue, stale)
        .join(ActionOwner, ActionOwner.action_id == state.c.action_id)
        .group_by(ActionOwner.name, state.c.rag, in_rollup)
    )
    if selection.owners:
        query = query.where(ActionOwner.name.in_(selection.owners))
    rows: dict[str, list[tuple]] = {}
    totals: dict[str, list[int]] = {}
    for name, rag, rolled, number, late, not_updated in session.execute(query):
        rows.setdefault(name, []).append((rag, rolled, number))
        total = totals.setdefault(name, [0, 0])
        total[0] += int(late or 0)
        total[1] += int(not_updated or 0)
    return sorted(
        (
            OwnerSummary(
                owner=name,
                rag=_counts_from(rows[name]),
                overdue=totals[name][0],
                not_updated_since=totals[name][1],
            )
            for name in rows
        ),
        key=lambda s: (-s.not_updated_since, -s.overdue, s.owner.lower()),
    )


# ----------------------------------------------------------------------------- one action


def action_options(
    session: Session, *, selection: Selection, as_at: dt.date
) -> list[tuple[int, str]]:
    """(id, "ref action text") for each selected action, in plan order: no history loaded."""
    state = _state(selection, as_at)
    query = (
        select(Action.id, Action.ref, Action.text)
        .join(state, state.c.action_id == Action.id)
        .join(Plan, Plan.id == Action.plan_id)
        .outerjoin(Objective, Objective.id == Action.objective_id)
        .order_by(Plan.name, func.coalesce(Objective.position, 0), Action.position, Action.id)
    )
    return [
        (action_id, f"{ref + ' ' if ref else ''}{text[:90]}")
        for action_id, ref, text in session.execute(query)
    ]


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


def action_detail(session: Session, *, action_id: int, as_at: dt.date) -> ActionDetail | None:
    """Everything about one action, with its history up to `as_at`, oldest first."""
    action = session.get(Action, action_id)
    if action is None:
        return None
    views = action_views(
        session, selection=Selection(plan_id=action.plan_id), as_at=as_at, action_id=action_id
    )
    if not views:
        return None
    view = views[0]
    updates = session.scalars(
        select(ProgressUpdate)
        .where(
            ProgressUpdate.action_id == action_id,
            ProgressUpdate.recorded_at < end_of_day(as_at),
        )
        .order_by(ProgressUpdate.recorded_at, ProgressUpdate.id)
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
            )
            for u in updates
        ],
    )


# ----------------------------------------------------------------------------- pages


@dataclass(frozen=True)
class Overview:
    """The overview page's figures as at a date, compared with an earlier one."""

    as_at: dt.date
    compared_with: dt.date | None
    rag: RagCounts
    overdue: int
    actions: list[ActionView]
    due_soon: int = 0
    updates_since: int = 0
    movement: Movement = field(default_factory=Movement)
    by_objective: list[ObjectiveRollup] = field(default_factory=list)
    by_plan: list[PlanRollup] = field(default_factory=list)


def plan_overview(
    session: Session,
    *,
    as_at: dt.date,
    plan_id: int | None = None,
    selection: Selection | None = None,
    compared_with: dt.date | None = None,
    action_limit: int | None = None,
) -> Overview:
    """Headline figures, rollups and the action list (the first `action_limit` of it;
    0 for none, when a page lists the actions one page at a time with `action_views`).

    The RAG counts, overdue and due-soon figures are sums of the per-objective groups, so
    one grouped query answers them all.
    """
    chosen = _selection(selection, plan_id)
    by_objective = objective_rollups(session, selection=chosen, as_at=as_at)
    overview = Overview(
        as_at=as_at,
        compared_with=compared_with,
        rag=_summed([r.rag for r in by_objective]),
        overdue=sum(r.overdue for r in by_objective),
        actions=[]
        if action_limit == 0
        else action_views(
            session,
            selection=chosen,
            as_at=as_at,
            compared_with=compared_with,
            limit=action_limit,
        ),
        due_soon=sum(r.due_soon for r in by_objective),
        by_objective=by_objective,
        by_plan=plan_rollups(by_objective),
    )
    if compared_with is None:
        return overview
    return replace(
        overview,
        updates_since=updates_between(session, selection=chosen, start=compared_with, end=as_at),
        movement=movement(session, selection=chosen, as_at=as_at, compared_with=compared_with),
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
    exceptions = [
        v
        for v in views
        if v.status != DeliveryStatus.CANCELLED
        and (v.rag == Rag.RED or v.overdue or v.movement == "worsened")
    ]
    return sorted(
        exceptions,
        key=lambda v: (
            v.rag != Rag.RED,
            v.movement != "worsened",
            -v.days_overdue,
            v.plan,
            v.ref or "",
            v.id,
        ),
    )


# ----------------------------------------------------------------------------- trends


@dataclass(frozen=True)
class ObjectiveTrend:
    """An objective's rollup now, and its direction of travel against two earlier dates."""

    rollup: ObjectiveRollup
    since_comparison: str  # "improving", "worsening", "no change" or "new"
    since_year_earlier: str


def direction(before: float | None, after: float | None) -> str:
    """Direction of travel of a mean RAG severity (lower is better)."""
    if before is None:
        return "new"
    if after is None:
        return "no change"
    if after < before - 0.05:
        return "improving"
    if after > before + 0.05:
        return "worsening"
    return "no change"


def year_earlier(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def objective_trends(
    session: Session,
    *,
    selection: Selection,
    as_at: dt.date,
    compared_with: dt.date,
) -> list[ObjectiveTrend]:
    """Each objective's rollup and its direction of travel, in plan order."""
    now = objective_rollups(session, selection=selection, as_at=as_at)
    then = {
        r.objective_id: r.score
        for r in objective_rollups(session, selection=selection, as_at=compared_with)
    }
    last_year = {
        r.objective_id: r.score
        for r in objective_rollups(session, selection=selection, as_at=year_earlier(as_at))
    }
    return [
        ObjectiveTrend(
            rollup=r,
            since_comparison=direction(then.get(r.objective_id), r.score),
            since_year_earlier=direction(last_year.get(r.objective_id), r.score),
        )
        for r in now
    ]


def worst_first(trends: list[ObjectiveTrend]) -> list[ObjectiveTrend]:
    """By mean RAG severity, worst first (unrated last), then by overdue actions."""
    return sorted(
        trends,
        key=lambda t: (t.rollup.score is None, -(t.rollup.score or 0), -t.rollup.overdue),
    )


# ----------------------------------------------------------------------------- changes


@dataclass(frozen=True)
class ChangeRow:
    """One progress update recorded between two dates, with the RAG it replaced."""

    update_id: int
    action_id: int
    plan: str
    objective: str | None
    ref: str | None
    action: str
    owner: str | None
    recorded_at: dt.datetime
    previous_rag: Rag | None
    rag: Rag | None
    status: DeliveryStatus
    # "first rating", "improved", "worsened", "unchanged", "rating removed" or "cancelled"
    change: str
    progress: str | None
    author: str
    source: str

    @property
    def rag_changed(self) -> bool:
        return self.change != "unchanged"


def changes_between(
    session: Session, *, selection: Selection, start: dt.date, end: dt.date
) -> list[ChangeRow]:
    """Every update recorded after the end of `start` up to the end of `end`, oldest first.

    Each carries the action's RAG just before it (complete counts as Blue), so RAG changes
    show. Actions are those the selection picks as at `end`.
    """
    rag = case(
        (ProgressUpdate.status == _COMPLETE, literal(Rag.BLUE.value)), else_=ProgressUpdate.rag
    )
    # The update just before each one, by (recorded_at, id): one index probe per update in
    # the window, not a window function ranking the whole history.
    prior = aliased(ProgressUpdate, name="prior")
    previous = (
        select(case((prior.status == _COMPLETE, literal(Rag.BLUE.value)), else_=prior.rag))
        .where(
            prior.action_id == ProgressUpdate.action_id,
            prior.recorded_at <= ProgressUpdate.recorded_at,
            or_(prior.recorded_at < ProgressUpdate.recorded_at, prior.id < ProgressUpdate.id),
        )
        .order_by(prior.recorded_at.desc(), prior.id.desc())
        .limit(1)
        .correlate(ProgressUpdate)
        .scalar_subquery()
    )
    ranked = (
        select(
            ProgressUpdate.id,
            ProgressUpdate.action_id,
            rag.label("rag"),
            previous.label("previous_rag"),
            ProgressUpdate.status,
            ProgressUpdate.progress,
            ProgressUpdate.author,
            ProgressUpdate.source,
            ProgressUpdate.recorded_at,
        )
        .where(
            ProgressUpdate.recorded_at >= end_of_day(start),
            ProgressUpdate.recorded_at < end_of_day(end),
        )
        .subquery("ranked_changes")
    )
    before, after = _severity(ranked.c.previous_rag), _severity(ranked.c.rag)
    change = case(
        (ranked.c.status == _CANCELLED, literal("cancelled")),
        (
            and_(ranked.c.previous_rag.is_(None), ranked.c.rag.is_(None)),
            literal("unchanged"),
        ),
        (ranked.c.previous_rag.is_(None), literal("first rating")),
        (ranked.c.rag.is_(None), literal("rating removed")),
        (after < before, literal("improved")),
        (after > before, literal("worsened")),
        else_=literal("unchanged"),
    )
    state = _state(selection, end)
    query = (
        select(
            ranked.c.id,
            ranked.c.action_id,
            Plan.name,
            Objective.title,
            Action.ref,
            Action.text,
            Action.lead_text,
            ranked.c.recorded_at,
            ranked.c.previous_rag,
            ranked.c.rag,
            ranked.c.status,
            change,
            ranked.c.progress,
            ranked.c.author,
            ranked.c.source,
        )
        .select_from(ranked)
        .join(state, state.c.action_id == ranked.c.action_id)
        .join(Action, Action.id == ranked.c.action_id)
        .join(Plan, Plan.id == Action.plan_id)
        .outerjoin(Objective, Objective.id == Action.objective_id)
        .where(ranked.c.recorded_at >= end_of_day(start))
        .order_by(
            ranked.c.recorded_at,
            Plan.name,
            func.coalesce(Objective.position, 0),
            Action.position,
            ranked.c.id,
        )
    )
    return [
        ChangeRow(
            update_id=row[0],
            action_id=row[1],
            plan=row[2],
            objective=row[3],
            ref=row[4],
            action=row[5],
            owner=row[6],
            recorded_at=row[7] if row[7].tzinfo else row[7].replace(tzinfo=dt.UTC),
            previous_rag=Rag(row[8]) if row[8] else None,
            rag=Rag(row[9]) if row[9] else None,
            status=DeliveryStatus(row[10]),
            change=row[11],
            progress=row[12],
            author=row[13],
            source=str(row[14]),
        )
        for row in session.execute(query)
    ]


def newest_update_ids(session: Session, action_ids: Sequence[int]) -> dict[int, int]:
    """Each action's newest update id (whatever the date): the token that spots a conflict."""
    newest = _newest_update_field(ProgressUpdate.id, None)
    found: dict[int, int] = {}
    for start in range(0, len(action_ids), 5000):  # SQLite's bound-parameter limit
        chunk = list(action_ids[start : start + 5000])
        query = select(Action.id, newest).where(Action.id.in_(chunk))
        found.update({a: u for a, u in session.execute(query) if u is not None})
    return found


def data_version(session: Session) -> tuple[int, int, int]:
    """Changes whenever any figure can: a new update, a new action, or any audited change.

    Every write path (updates, imports, returns, board decisions) appends to at least one of
    these tables, so cached figures keyed by this tuple are never stale. Three index lookups.
    """
    return tuple(
        session.scalar(select(func.coalesce(func.max(column), 0)))
        for column in (ProgressUpdate.id, Action.id, AuditEntry.id)
    )
