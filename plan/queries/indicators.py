"""Indicators as at a date: each period's current value (its newest entry known by then), the
period's target, RAG and direction of travel, and RAG counts (aggregated in SQL).

A period's value as at D is its newest entry recorded by the end of D
(rulebook.indicators.known_as_at); later corrections are not known yet. An indicator's
latest figure is its newest period with an entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import Subquery

from plan.models import (
    Indicator,
    IndicatorOwner,
    IndicatorTarget,
    IndicatorValue,
    Objective,
    Plan,
)
from plan.queries.state import Selection
from rulebook.indicators import (
    Frequency,
    Polarity,
    ToleranceKind,
    ValueStatus,
    comparable_with_previous,
    effective_tolerance,
    indicator_direction,
    indicator_rag,
    indicator_rag_sql,
    known_as_at_sql,
)
from rulebook.movement import Direction
from rulebook.owners import owner_key
from rulebook.periods import Period, previous_period, same_period_last_year
from rulebook.rag import Rag

TREND_PERIODS = 8  # the small trend on the Indicators page


@dataclass(frozen=True)
class Figure:
    """One period of one indicator as at the date asked about."""

    period: Period
    status: ValueStatus | None  # None: no entry for the period (a target only)
    value: float | None
    target: float | None
    rag: Rag | None
    note: str | None = None
    entry_id: int | None = None


@dataclass(frozen=True)
class IndicatorRow:
    id: int
    plan: str
    objective: str | None
    objective_id: int | None
    ref: str
    name: str
    unit: str
    polarity: Polarity
    frequency: Frequency
    cumulative: bool
    owners: tuple[str, ...]
    demo: bool
    tolerance: tuple[ToleranceKind, float]
    figures: tuple[Figure, ...]  # every period with a value or a target, oldest first
    latest: Figure | None
    direction_previous: Direction | None
    direction_last_year: Direction | None

    @property
    def trend(self) -> list[float | None]:
        """The last few periods' values up to the latest one, for a sparkline."""
        with_entries = [f for f in self.figures if f.status is not None]
        return [f.value for f in with_entries[-TREND_PERIODS:]]


def selected_indicators(selection: Selection) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if selection.plan_id is not None:
        conditions.append(Indicator.plan_id == selection.plan_id)
    if selection.objective_ids:
        conditions.append(Indicator.objective_id.in_(selection.objective_ids))
    if selection.owners:
        keys = sorted({owner_key(name) for name in selection.owners})
        conditions.append(
            exists().where(
                IndicatorOwner.indicator_id == Indicator.id, IndicatorOwner.name_key.in_(keys)
            )
        )
    return conditions


def current_values(as_at: dt.date | None, name: str = "current") -> Subquery:
    """Each (indicator, period)'s newest entry known as at `as_at` (None: of all)."""
    newer = IndicatorValue.__table__.alias(f"{name}_newer")
    known = IndicatorValue.__table__.alias(f"{name}_known")
    newer_known = and_(
        newer.c.indicator_id == known.c.indicator_id,
        newer.c.period_end == known.c.period_end,
        known_as_at_sql(newer.c.recorded_at, as_at),
        (newer.c.recorded_at > known.c.recorded_at)
        | and_(newer.c.recorded_at == known.c.recorded_at, newer.c.id > known.c.id),
    )
    return (
        select(known)
        .where(known_as_at_sql(known.c.recorded_at, as_at), ~exists().where(newer_known))
        .subquery(name)
    )


def indicator_rows(
    session: Session,
    selection: Selection,
    as_at: dt.date | None,
    indicator_ids: Sequence[int] | None = None,
) -> list[IndicatorRow]:
    """Every selected indicator in plan order (only `indicator_ids`, when given), with its
    figures as at `as_at`."""
    indicators = session.execute(
        select(
            Indicator,
            Plan.name.label("plan_name"),
            Plan.indicator_tolerance_kind,
            Plan.indicator_tolerance,
            Objective.title.label("objective_title"),
            Objective.position.label("objective_position"),
        )
        .join(Plan, Plan.id == Indicator.plan_id)
        .outerjoin(Objective, Objective.id == Indicator.objective_id)
        .where(
            *selected_indicators(selection),
            *([] if indicator_ids is None else [Indicator.id.in_(list(indicator_ids))]),
        )
        .order_by(Plan.name, Objective.position, Indicator.position, Indicator.id)
    ).all()
    ids = [row.Indicator.id for row in indicators]
    values = _by_indicator(session, select(current_values(as_at)), ids)
    targets = _by_indicator(session, select(IndicatorTarget.__table__), ids)
    owners = _owners(session, ids)
    rows = []
    for found in indicators:
        indicator: Indicator = found.Indicator
        tolerance = effective_tolerance(
            indicator.tolerance_kind,
            indicator.tolerance,
            found.indicator_tolerance_kind,
            found.indicator_tolerance,
        )
        figures = _figures(
            indicator, values.get(indicator.id, []), targets.get(indicator.id, []), tolerance
        )
        latest, previous, last_year = _comparisons(indicator, figures)
        row = IndicatorRow(
            id=indicator.id,
            plan=found.plan_name,
            objective=found.objective_title,
            objective_id=indicator.objective_id,
            ref=indicator.ref,
            name=indicator.name,
            unit=indicator.unit,
            polarity=indicator.polarity,
            frequency=indicator.frequency,
            cumulative=indicator.cumulative,
            owners=tuple(owners.get(indicator.id, [])),
            demo=indicator.demo,
            tolerance=tolerance,
            figures=tuple(figures),
            latest=latest,
            direction_previous=_direction(previous, latest, indicator.polarity),
            direction_last_year=_direction(last_year, latest, indicator.polarity),
        )
        if not selection.rags or (latest.rag if latest else None) in selection.rags:
            rows.append(row)
    return rows


def _by_indicator(
    session: Session, query: Select[*tuple[Any, ...]], ids: Sequence[int]
) -> dict[int, list]:
    table = query.selected_columns
    found: dict[int, list] = {}
    for start in range(0, len(ids), 5000):  # SQLite's bound-parameter limit
        chunk = list(ids[start : start + 5000])
        for row in session.execute(query.where(table.indicator_id.in_(chunk))):
            found.setdefault(row.indicator_id, []).append(row)
    return found


def _owners(session: Session, ids: Sequence[int]) -> dict[int, list[str]]:
    query = select(IndicatorOwner.indicator_id, IndicatorOwner.name).order_by(
        IndicatorOwner.indicator_id, IndicatorOwner.position
    )
    return {
        key: [row.name for row in rows] for key, rows in _by_indicator(session, query, ids).items()
    }


def _figures(
    indicator: Indicator, values: list, targets: list, tolerance: tuple[ToleranceKind, float]
) -> list[Figure]:
    by_end = {row.period_end: row for row in values}
    target_of = {row.period_end: row.target for row in targets}
    periods = {row.period_end: Period(row.period_start, row.period_end) for row in targets}
    periods.update({row.period_end: Period(row.period_start, row.period_end) for row in values})
    figures = []
    for end in sorted(periods):
        entry = by_end.get(end)
        value = entry.value if entry is not None else None
        target = target_of.get(end)
        figures.append(
            Figure(
                period=periods[end],
                status=ValueStatus(entry.status) if entry is not None else None,
                value=value,
                target=target,
                rag=indicator_rag(value, target, indicator.polarity, *tolerance),
                note=entry.note if entry is not None else None,
                entry_id=entry.id if entry is not None else None,
            )
        )
    return figures


def _comparisons(
    indicator: Indicator, figures: list[Figure]
) -> tuple[Figure | None, Figure | None, Figure | None]:
    """The latest figure with an entry, the previous period's and the same period last year's."""
    entered = [f for f in figures if f.status is not None]
    if not entered:
        return None, None, None
    return (entered[-1], *compared_figures(indicator.cumulative, entered, entered[-1]))


def compared_figures(
    cumulative: bool, figures: Sequence[Figure], figure: Figure
) -> tuple[Figure | None, Figure | None]:
    """The figures `figure` is compared with: the previous period's (when comparable, see
    rulebook.indicators.comparable_with_previous) and the same period last year's."""
    by_period = {f.period: f for f in figures if f.status is not None}
    before = previous_period(figure.period)
    previous = (
        by_period.get(before)
        if comparable_with_previous(cumulative, figure.period.start, before.start)
        else None
    )
    return previous, by_period.get(same_period_last_year(figure.period))


def figure_directions(row: IndicatorRow, figure: Figure) -> tuple[Direction | None, ...]:
    """Direction of travel of one period against the previous period and last year."""
    if figure.status is None:
        return None, None
    previous, last_year = compared_figures(row.cumulative, row.figures, figure)
    return (
        _direction(previous, figure, row.polarity),
        _direction(last_year, figure, row.polarity),
    )


def _direction(before: Figure | None, after: Figure | None, polarity: Polarity) -> Direction | None:
    if before is None or after is None:
        return None
    return indicator_direction(before.value, after.value, polarity)


# --- RAG counts, in SQL --------------------------------------------------------------------


def latest_figures(selection: Selection, as_at: dt.date | None, name: str = "latest") -> Subquery:
    """Per selected indicator: its latest period with an entry as at `as_at`, the value,
    the target and the RAG (rulebook.indicators.indicator_rag_sql); no entry: no row.

    Grouped in SQL: the newest period end known per indicator (one pass over the values'
    index), then that period's newest entry known by then (one index probe each).
    """
    values = IndicatorValue.__table__
    latest_period = (
        select(values.c.indicator_id, func.max(values.c.period_end).label("period_end"))
        .where(known_as_at_sql(values.c.recorded_at, as_at))
        .group_by(values.c.indicator_id)
        .subquery(f"{name}_periods")
    )
    entry = values.alias(f"{name}_entry")
    newest_id = (
        select(entry.c.id)
        .where(
            entry.c.indicator_id == latest_period.c.indicator_id,
            entry.c.period_end == latest_period.c.period_end,
            known_as_at_sql(entry.c.recorded_at, as_at),
        )
        .order_by(entry.c.recorded_at.desc(), entry.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    current = values.alias(f"{name}_values")
    # An indicator's own tolerance (kind and amount set together), else its plan's.
    has_own = and_(Indicator.tolerance_kind.is_not(None), Indicator.tolerance.is_not(None))
    rag = indicator_rag_sql(
        current.c.value,
        IndicatorTarget.__table__.c.target,
        Indicator.__table__.c.polarity,
        case((has_own, Indicator.tolerance_kind), else_=Plan.indicator_tolerance_kind),
        case((has_own, Indicator.tolerance), else_=Plan.indicator_tolerance),
    )
    return (
        select(
            Indicator.id.label("indicator_id"),
            Indicator.plan_id,
            Indicator.objective_id,
            current.c.period_end,
            current.c.value,
            IndicatorTarget.target,
            rag.label("rag"),
        )
        .join(Plan, Plan.id == Indicator.plan_id)
        .join(latest_period, latest_period.c.indicator_id == Indicator.id)
        .join(current, current.c.id == newest_id)
        .outerjoin(
            IndicatorTarget,
            and_(
                IndicatorTarget.indicator_id == Indicator.id,
                IndicatorTarget.period_end == current.c.period_end,
            ),
        )
        .where(*selected_indicators(selection))
        .subquery(name)
    )


def indicator_rag_counts(
    session: Session, selection: Selection, as_at: dt.date | None
) -> dict[Rag | None, int]:
    """How many selected indicators are Red, Amber, Green or not rated (contextual, no value,
    no target, or no entry at all) on their latest figure as at `as_at`."""
    latest = latest_figures(selection, as_at)
    total = session.scalar(
        select(func.count()).select_from(Indicator).where(*selected_indicators(selection))
    )
    counts: dict[Rag | None, int] = {Rag.RED: 0, Rag.AMBER: 0, Rag.GREEN: 0, None: 0}
    for rag, count in session.execute(select(latest.c.rag, func.count()).group_by(latest.c.rag)):
        counts[Rag(rag) if rag else None] += count
    counts[None] += (total or 0) - sum(counts.values())
    return counts


def red_indicators(
    session: Session, selection: Selection, as_at: dt.date | None
) -> list[IndicatorRow]:
    """The selected indicators whose latest figure as at `as_at` is Red (found in SQL), in
    plan order: the meeting view steps through them after the action exceptions."""
    latest = latest_figures(selection, as_at)
    ids = session.scalars(select(latest.c.indicator_id).where(latest.c.rag == Rag.RED.value)).all()
    return indicator_rows(session, selection, as_at, ids) if ids else []


# --- One indicator's history ---------------------------------------------------------------


@dataclass(frozen=True)
class EntrySummary:
    """One recorded entry, as people read the history (corrections and what they replaced)."""

    id: int
    period: Period
    status: ValueStatus
    value: float | None
    note: str | None
    author: str
    source: str
    recorded_at: dt.datetime
    current: bool  # the period's newest entry as at the date asked about


def value_history(session: Session, indicator_id: int, as_at: dt.date | None) -> list[EntrySummary]:
    """Every entry known as at `as_at`, newest period first, newest entry first within it."""
    entries = session.scalars(
        select(IndicatorValue)
        .where(
            IndicatorValue.indicator_id == indicator_id,
            known_as_at_sql(IndicatorValue.__table__.c.recorded_at, as_at),
        )
        .order_by(
            IndicatorValue.period_end.desc(),
            IndicatorValue.recorded_at.desc(),
            IndicatorValue.id.desc(),
        )
    ).all()
    seen: set[dt.date] = set()
    history = []
    for entry in entries:
        moment = entry.recorded_at
        if moment.tzinfo is None:  # SQLite hands back naive UTC
            moment = moment.replace(tzinfo=dt.UTC)
        history.append(
            EntrySummary(
                id=entry.id,
                period=entry.period,
                status=entry.status,
                value=entry.value,
                note=entry.note,
                author=entry.author,
                source=entry.source.value,
                recorded_at=moment,
                current=entry.period_end not in seen,
            )
        )
        seen.add(entry.period_end)
    return history
