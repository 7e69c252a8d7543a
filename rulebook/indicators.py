"""Indicator rules: RAG against a target with polarity and tolerance, direction of travel, and
what was known "as at" a date. Each rule once, with its SQL twin beside it (tested to agree).

- **RAG**: Green on or better than target; Amber worse than target by no more than the
  tolerance (a percent of the target, or an absolute amount); Red beyond it. Contextual
  indicators, and values or targets that are missing, have no RAG.
- **Direction of travel**: improving, worsening or no change between two values, in the
  indicator's own sense of better (polarity). Contextual indicators have none. For values
  cumulative through the financial year, the previous period is only comparable within the
  same financial year (Q1 starts again from nothing).
- **As at**: a value is known on a date when it was recorded by the end of that day.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, case, func, literal, null, or_

from rulebook.dates import end_of_day, financial_year_start
from rulebook.movement import Direction
from rulebook.rag import Rag


class Polarity(StrEnum):
    HIGHER_IS_BETTER = "higher is better"
    LOWER_IS_BETTER = "lower is better"
    CONTEXTUAL = "contextual"


class Frequency(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"


class ToleranceKind(StrEnum):
    PERCENT = "percent"  # of the target
    ABSOLUTE = "absolute"  # in the indicator's unit


class ValueStatus(StrEnum):
    """What a period's entry holds: a figure, or why there is none."""

    VALUE = "value"
    NOT_YET_AVAILABLE = "not yet available"
    SUPPRESSED = "suppressed"  # a small count withheld from public reports


UNITS: tuple[str, ...] = ("count", "%", "rate per 1,000", "£", "days")

# The plan-wide default when an indicator sets no tolerance of its own.
DEFAULT_TOLERANCE_KIND = ToleranceKind.PERCENT
DEFAULT_TOLERANCE = 5.0

# Figures are typed in by people and read from spreadsheets: a difference smaller than this
# (relative to the size of the figures) is rounding, not a difference.
_EPSILON = 1e-9


def _slack(target: float) -> float:
    return _EPSILON * max(1.0, abs(target))


def effective_tolerance(
    own_kind: ToleranceKind | None,
    own: float | None,
    plan_kind: ToleranceKind,
    plan_tolerance: float,
) -> tuple[ToleranceKind, float]:
    """An indicator's own tolerance (kind and amount set together), else its plan's."""
    if own_kind is not None and own is not None:
        return own_kind, own
    return plan_kind, plan_tolerance


def indicator_rag(
    value: float | None,
    target: float | None,
    polarity: Polarity,
    tolerance_kind: ToleranceKind,
    tolerance: float,
) -> Rag | None:
    """Green on or better than target, Amber within tolerance, Red beyond; None without one."""
    if polarity is Polarity.CONTEXTUAL or value is None or target is None:
        return None
    shortfall = target - value if polarity is Polarity.HIGHER_IS_BETTER else value - target
    margin = (
        tolerance if tolerance_kind is ToleranceKind.ABSOLUTE else abs(target) * tolerance / 100
    )
    if shortfall <= _slack(target):
        return Rag.GREEN
    if shortfall <= margin + _slack(target):
        return Rag.AMBER
    return Rag.RED


def indicator_rag_sql(
    value: ColumnElement,
    target: ColumnElement,
    polarity: ColumnElement,
    tolerance_kind: ColumnElement,
    tolerance: ColumnElement,
) -> ColumnElement:
    shortfall = case(
        (polarity == Polarity.HIGHER_IS_BETTER.value, target - value),
        else_=value - target,
    )
    margin = case(
        (tolerance_kind == ToleranceKind.ABSOLUTE.value, tolerance),
        else_=func.abs(target) * tolerance / 100.0,
    )
    slack = case((func.abs(target) > 1.0, func.abs(target) * _EPSILON), else_=literal(_EPSILON))
    return case(
        (
            or_(
                polarity.is_(None),
                polarity == Polarity.CONTEXTUAL.value,
                value.is_(None),
                target.is_(None),
            ),
            null(),
        ),
        (shortfall <= slack, literal(Rag.GREEN.value)),
        (shortfall <= margin + slack, literal(Rag.AMBER.value)),
        else_=literal(Rag.RED.value),
    )


def indicator_direction(
    before: float | None, after: float | None, polarity: Polarity
) -> Direction | None:
    """Improving, worsening or no change from `before` to `after`; None without both."""
    if polarity is Polarity.CONTEXTUAL or before is None or after is None:
        return None
    gain = after - before if polarity is Polarity.HIGHER_IS_BETTER else before - after
    if gain > _slack(before):
        return Direction.IMPROVING
    if gain < -_slack(before):
        return Direction.WORSENING
    return Direction.NO_CHANGE


def indicator_direction_sql(
    before: ColumnElement, after: ColumnElement, polarity: ColumnElement
) -> ColumnElement:
    gain = case(
        (polarity == Polarity.HIGHER_IS_BETTER.value, after - before),
        else_=before - after,
    )
    slack = case((func.abs(before) > 1.0, func.abs(before) * _EPSILON), else_=literal(_EPSILON))
    return case(
        (
            or_(
                polarity.is_(None),
                polarity == Polarity.CONTEXTUAL.value,
                before.is_(None),
                after.is_(None),
            ),
            null(),
        ),
        (gain > slack, literal(Direction.IMPROVING.value)),
        (gain < -slack, literal(Direction.WORSENING.value)),
        else_=literal(Direction.NO_CHANGE.value),
    )


def comparable_with_previous(
    cumulative: bool, period_start: dt.date, previous_start: dt.date
) -> bool:
    """A year-to-date figure restarts each April: Q1 is not comparable with last Q4."""
    if not cumulative:
        return True
    return financial_year_start(period_start) == financial_year_start(previous_start)


def known_as_at(recorded_at: dt.datetime, as_at: dt.date | None) -> bool:
    """Known on `as_at`: recorded by the end of that day (UTC). None means now: all known."""
    if as_at is None:
        return True
    if recorded_at.tzinfo is None:  # SQLite hands back naive UTC
        recorded_at = recorded_at.replace(tzinfo=dt.UTC)
    return recorded_at < end_of_day(as_at)


def known_as_at_sql(recorded_at: ColumnElement, as_at: dt.date | None) -> ColumnElement[bool]:
    if as_at is None:
        return recorded_at.is_not(None)
    return and_(recorded_at.is_not(None), recorded_at < end_of_day(as_at))


def direction_text(direction: Direction | str | None) -> str:
    """ "↗ Improving", or "" when there is no direction."""
    return Direction(direction).label if direction else ""
