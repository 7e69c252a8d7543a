"""How an action moved between two dates, which actions are exceptions, and the direction of
travel of a group: each rule once, with its SQL twin beside it (tested to agree)."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import ColumnElement, SQLColumnExpression, and_, case, literal, or_

from rulebook.rag import RAG_SEVERITY, DeliveryStatus, Rag, SqlExpr, rag_severity_sql

_COMPLETE = DeliveryStatus.COMPLETE.value
_CANCELLED = DeliveryStatus.CANCELLED.value


class Movement(StrEnum):
    """An action's movement since the comparison date. RAG values here are effective RAGs."""

    IMPROVED = "improved"
    WORSENED = "worsened"
    NEW = "new"
    COMPLETED = "completed"
    UNCHANGED = "unchanged"

    @property
    def symbol(self) -> str:
        return _MOVEMENT_SYMBOLS[self]

    @property
    def label(self) -> str:
        """Symbol and words, e.g. "↘ Worsened": never colour or an arrow alone."""
        words = "No change" if self is Movement.UNCHANGED else self.value.capitalize()
        return f"{self.symbol} {words}"


_MOVEMENT_SYMBOLS = {
    Movement.IMPROVED: "↗",
    Movement.WORSENED: "↘",
    Movement.NEW: "•",
    Movement.COMPLETED: "★",
    Movement.UNCHANGED: "→",
}


def movement_label(movement: str | None) -> str:
    """The label of a movement value, or "" when there was no comparison."""
    return Movement(movement).label if movement else ""


def classify_movement(
    existed_before: bool,
    before_rag: Rag | None,
    before_status: DeliveryStatus | None,
    after_rag: Rag | None,
    after_status: DeliveryStatus | None,
) -> Movement:
    """New (not there then), completed (complete now, not then), else better or worse RAG.

    A rating that appears or disappears is not a movement: it is unchanged.
    """
    if not existed_before:
        return Movement.NEW
    if after_status == DeliveryStatus.COMPLETE and before_status != DeliveryStatus.COMPLETE:
        return Movement.COMPLETED
    if before_rag is not None and after_rag is not None:
        if RAG_SEVERITY[after_rag] < RAG_SEVERITY[before_rag]:
            return Movement.IMPROVED
        if RAG_SEVERITY[after_rag] > RAG_SEVERITY[before_rag]:
            return Movement.WORSENED
    return Movement.UNCHANGED


def classify_movement_sql(
    existed_before: SQLColumnExpression[bool],
    before_rag: SqlExpr,
    before_status: SqlExpr,
    after_rag: SqlExpr,
    after_status: SqlExpr,
) -> ColumnElement:
    before, after = rag_severity_sql(before_rag), rag_severity_sql(after_rag)
    return case(
        (~existed_before, literal(Movement.NEW.value)),
        (
            and_(
                after_status == _COMPLETE,
                or_(before_status.is_(None), before_status != _COMPLETE),
            ),
            literal(Movement.COMPLETED.value),
        ),
        (after < before, literal(Movement.IMPROVED.value)),
        (after > before, literal(Movement.WORSENED.value)),
        else_=literal(Movement.UNCHANGED.value),
    )


def is_exception(
    rag: Rag | None, status: DeliveryStatus | None, overdue: bool, movement: str | None
) -> bool:
    """What a meeting goes through: Red, overdue, or worse than at the comparison date."""
    if status == DeliveryStatus.CANCELLED:
        return False
    return rag == Rag.RED or overdue or movement == Movement.WORSENED


def is_exception_sql(
    rag: SqlExpr,
    status: SqlExpr,
    overdue: SQLColumnExpression[bool],
    movement: SqlExpr,
) -> ColumnElement[bool]:
    # The NULL tests keep the answer two-valued: not rated, or no comparison, is False, not NULL.
    return and_(
        or_(status.is_(None), status != _CANCELLED),
        or_(
            and_(rag.is_not(None), rag == Rag.RED.value),
            overdue,
            and_(movement.is_not(None), movement == Movement.WORSENED.value),
        ),
    )


def exception_reasons(
    rag: Rag | None, overdue: bool, days_overdue: int, movement: str | None
) -> list[str]:
    """Why an action is an exception, in words (the meeting view and the board paper)."""
    reasons = []
    if rag == Rag.RED:
        reasons.append("Red")
    if overdue:
        reasons.append(f"overdue by {days_overdue:,} day{'s' if days_overdue != 1 else ''}")
    if movement == Movement.WORSENED:
        reasons.append("worse than at the comparison date")
    return reasons


class RatingChange(StrEnum):
    """What one update did to the action's RAG (the board paper's Changes sheet)."""

    FIRST_RATING = "first rating"
    IMPROVED = "improved"
    WORSENED = "worsened"
    UNCHANGED = "unchanged"
    RATING_REMOVED = "rating removed"
    CANCELLED = "cancelled"


def rating_change(
    previous_rag: Rag | None, rag: Rag | None, status: DeliveryStatus | None
) -> RatingChange:
    if status == DeliveryStatus.CANCELLED:
        return RatingChange.CANCELLED
    if previous_rag is None:
        return RatingChange.UNCHANGED if rag is None else RatingChange.FIRST_RATING
    if rag is None:
        return RatingChange.RATING_REMOVED
    if RAG_SEVERITY[rag] < RAG_SEVERITY[previous_rag]:
        return RatingChange.IMPROVED
    if RAG_SEVERITY[rag] > RAG_SEVERITY[previous_rag]:
        return RatingChange.WORSENED
    return RatingChange.UNCHANGED


def rating_change_sql(previous_rag: SqlExpr, rag: SqlExpr, status: SqlExpr) -> ColumnElement:
    before, after = rag_severity_sql(previous_rag), rag_severity_sql(rag)
    return case(
        (status == _CANCELLED, literal(RatingChange.CANCELLED.value)),
        (and_(previous_rag.is_(None), rag.is_(None)), literal(RatingChange.UNCHANGED.value)),
        (previous_rag.is_(None), literal(RatingChange.FIRST_RATING.value)),
        (rag.is_(None), literal(RatingChange.RATING_REMOVED.value)),
        (after < before, literal(RatingChange.IMPROVED.value)),
        (after > before, literal(RatingChange.WORSENED.value)),
        else_=literal(RatingChange.UNCHANGED.value),
    )


class Direction(StrEnum):
    """Direction of travel of a group's mean RAG severity (lower is better)."""

    IMPROVING = "improving"
    WORSENING = "worsening"
    NO_CHANGE = "no change"
    NEW = "new"

    @property
    def label(self) -> str:
        symbol = {"improving": "↗", "worsening": "↘", "no change": "→", "new": "•"}[self.value]
        return f"{symbol} {self.value.capitalize()}"


# A change in mean severity smaller than this is noise, not a direction.
_DIRECTION_TOLERANCE = 0.05


def direction_of_travel(before: float | None, after: float | None) -> Direction:
    if before is None:
        return Direction.NEW
    if after is None:
        return Direction.NO_CHANGE
    if after < before - _DIRECTION_TOLERANCE:
        return Direction.IMPROVING
    if after > before + _DIRECTION_TOLERANCE:
        return Direction.WORSENING
    return Direction.NO_CHANGE
