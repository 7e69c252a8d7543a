"""Indicator rules: what they mean (plain tables) and that each SQL twin agrees with its
Python rule on SQLite and PostgreSQL (the harness of test_sql_twins)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from sqlalchemy import DateTime, Float, String

from rulebook.indicators import (
    Polarity,
    ToleranceKind,
    comparable_with_previous,
    direction_text,
    indicator_direction,
    indicator_direction_sql,
    indicator_rag,
    indicator_rag_sql,
    known_as_at,
    known_as_at_sql,
)
from rulebook.movement import Direction
from rulebook.rag import Rag
from tests.rulebook.test_sql_twins import _answers, _assert_agree, _expected, connection

__all__ = ["connection"]  # the fixture, used by the twin tests below

H, L, C = Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER, Polarity.CONTEXTUAL
PCT, ABS = ToleranceKind.PERCENT, ToleranceKind.ABSOLUTE
G, A, R = Rag.GREEN, Rag.AMBER, Rag.RED


@pytest.mark.parametrize(
    ("value", "target", "polarity", "kind", "tolerance", "rag"),
    [
        # Higher is better, 5% of target: 100 on target, 95 the edge of Amber.
        (110, 100, H, PCT, 5, G),
        (100, 100, H, PCT, 5, G),
        (99.9, 100, H, PCT, 5, A),
        (95, 100, H, PCT, 5, A),
        (94.9, 100, H, PCT, 5, R),
        # 10% tolerance widens the band.
        (91, 100, H, PCT, 10, A),
        (89, 100, H, PCT, 10, R),
        # Lower is better: above target is worse.
        (90, 100, L, PCT, 5, G),
        (100, 100, L, PCT, 5, G),
        (105, 100, L, PCT, 5, A),
        (105.1, 100, L, PCT, 5, R),
        # Absolute tolerance, in the indicator's unit (percentage points here).
        (28, 30, H, ABS, 2, A),
        (27.9, 30, H, ABS, 2, R),
        (32, 30, L, ABS, 2, A),
        (32.5, 30, L, ABS, 2, R),
        # Decimal figures as typed: 0.27 is within 10% of 0.3, not lost to rounding.
        (0.27, 0.3, H, PCT, 10, A),
        (0.33, 0.3, L, PCT, 10, A),
        # A target of nought with a percent tolerance has no Amber band.
        (0, 0, L, PCT, 5, G),
        (1, 0, L, PCT, 5, R),
        (-2, 0, H, ABS, 2, A),
        # No RAG: contextual, no value, no target.
        (50, 100, C, PCT, 5, None),
        (None, 100, H, PCT, 5, None),
        (50, None, H, PCT, 5, None),
    ],
)
def test_rag_against_target_means(value, target, polarity, kind, tolerance, rag):
    assert indicator_rag(value, target, polarity, kind, tolerance) == rag


@pytest.mark.parametrize(
    ("before", "after", "polarity", "direction"),
    [
        (10, 12, H, Direction.IMPROVING),
        (10, 8, H, Direction.WORSENING),
        (10, 12, L, Direction.WORSENING),
        (10, 8, L, Direction.IMPROVING),
        (10, 10, H, Direction.NO_CHANGE),
        (0.1 + 0.2, 0.3, L, Direction.NO_CHANGE),
        (10, 12, C, None),
        (None, 12, H, None),
        (10, None, L, None),
    ],
)
def test_direction_of_travel_means(before, after, polarity, direction):
    assert indicator_direction(before, after, polarity) == direction


def test_direction_labels():
    assert direction_text(Direction.IMPROVING) == "↗ Improving"
    assert direction_text("worsening") == "↘ Worsening"
    assert direction_text(None) == ""


D = dt.date


@pytest.mark.parametrize(
    ("cumulative", "start", "previous_start", "comparable"),
    [
        (False, D(2016, 4, 1), D(2016, 1, 1), True),
        (True, D(2016, 7, 1), D(2016, 4, 1), True),
        # A year-to-date figure starts again in April.
        (True, D(2016, 4, 1), D(2016, 1, 1), False),
    ],
)
def test_cumulative_comparable_within_the_year(cumulative, start, previous_start, comparable):
    assert comparable_with_previous(cumulative, start, previous_start) is comparable


AS_AT = D(2026, 12, 10)
UTC = dt.UTC
MOMENTS = (
    dt.datetime(2026, 12, 10, 0, 0, tzinfo=UTC),
    dt.datetime(2026, 12, 10, 23, 59, 59, tzinfo=UTC),
    dt.datetime(2026, 12, 11, 0, 0, tzinfo=UTC),
    dt.datetime(2025, 12, 11, 0, 0, tzinfo=UTC),
)


@pytest.mark.parametrize(
    ("moment", "known"), [(MOMENTS[0], True), (MOMENTS[1], True), (MOMENTS[2], False)]
)
def test_known_as_at_means(moment, known):
    assert known_as_at(moment, AS_AT) is known
    assert known_as_at(moment.replace(tzinfo=None), AS_AT) is known
    assert known_as_at(moment, None) is True


VALUES = (None, -2.0, 0.0, 0.27, 27.9, 28.0, 30.0, 32.0, 32.5, 95.0, 100.0, 105.0, 110.0)
TARGETS = (None, 0.0, 0.3, 30.0, 100.0)
POLARITIES = (None, *Polarity)


def test_indicator_rag_agrees(connection):
    cases = [
        case
        for case in itertools.product(VALUES, TARGETS, POLARITIES, ToleranceKind, (2.0, 5.0, 10.0))
    ]
    sql = _answers(
        connection,
        {
            "value": Float(),
            "target": Float(),
            "polarity": String(20),
            "tolerance_kind": String(20),
            "tolerance": Float(),
        },
        cases,
        lambda c: indicator_rag_sql(c.value, c.target, c.polarity, c.tolerance_kind, c.tolerance),
    )

    def python(value, target, polarity, kind, tolerance):
        if polarity is None:
            return None
        return indicator_rag(value, target, polarity, kind, tolerance)

    _assert_agree(sql, _expected(cases, python), {None, "Red", "Amber", "Green"})


def test_indicator_direction_agrees(connection):
    cases = list(itertools.product(VALUES, VALUES, POLARITIES))
    sql = _answers(
        connection,
        {"before": Float(), "after": Float(), "polarity": String(20)},
        cases,
        lambda c: indicator_direction_sql(c.before, c.after, c.polarity),
    )

    def python(before, after, polarity):
        return None if polarity is None else indicator_direction(before, after, polarity)

    _assert_agree(sql, _expected(cases, python), {None, "improving", "worsening", "no change"})


@pytest.mark.parametrize("as_at", [AS_AT, None])
def test_known_as_at_agrees(connection, as_at):
    cases = [(moment,) for moment in MOMENTS]
    sql = _answers(
        connection,
        {"recorded_at": DateTime(timezone=True)},
        cases,
        lambda c: known_as_at_sql(c.recorded_at, as_at),
    )
    reaches = {True, False} if as_at else {True}
    _assert_agree(sql, _expected(cases, lambda moment: known_as_at(moment, as_at)), reaches)
