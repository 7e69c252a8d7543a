"""Each rulebook predicate and its SQL twin agree, case by case, on SQLite and PostgreSQL.

Every rule gets a table of cases covering each combination that matters. The table goes to the
database as one VALUES list (a CTE, which both backends accept) holding the values as the
database stores them (enum value strings, dates, booleans), the twin is selected over its
columns in one query, and the whole list of answers must equal the Python predicate's: a failure
shows every disagreeing case. SQL answers must be two-valued too: NULL where Python says False
would flip under NOT.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable, Iterator, Sequence
from enum import Enum
from typing import Any

import pytest
from sqlalchemy import (
    Boolean,
    ColumnElement,
    Connection,
    Date,
    Integer,
    String,
    column,
    select,
    values,
)
from sqlalchemy.types import TypeEngine

from plan.database import make_engine
from rulebook.movement import (
    Movement,
    classify_movement,
    classify_movement_sql,
    is_exception,
    is_exception_sql,
    rating_change,
    rating_change_sql,
)
from rulebook.overdue import (
    DUE_SOON_DAYS,
    is_due_soon,
    is_due_soon_sql,
    is_open,
    is_open_sql,
    is_overdue,
    is_overdue_sql,
)
from rulebook.rag import (
    RAG_SEVERITY,
    DeliveryStatus,
    Rag,
    effective_rag,
    effective_rag_sql,
    rag_severity_sql,
)

D = datetime.date
DAY = datetime.timedelta(days=1)
# Mid-December, so "due soon" (as_at + 30 days) crosses a year end.
AS_AT = D(2026, 12, 10)

STATUSES: tuple[DeliveryStatus | None, ...] = (None, *DeliveryStatus)
RAGS: tuple[Rag | None, ...] = (None, *Rag)
MOVEMENTS: tuple[Movement | None, ...] = (None, *Movement)

# None (no deadline), long past, the day before, the day itself, after, and the due-soon edges.
DEADLINES: tuple[D | None, ...] = (
    None,
    AS_AT - 365 * DAY,
    AS_AT - DAY,
    AS_AT,
    AS_AT + DAY,
    AS_AT + (DUE_SOON_DAYS - 1) * DAY,
    AS_AT + DUE_SOON_DAYS * DAY,
    AS_AT + (DUE_SOON_DAYS + 1) * DAY,
)

_STORED = String(20)  # enums are stored by their value strings ("Red", "in progress")


@pytest.fixture
def connection(database_url) -> Iterator[Connection]:
    """A connection to an empty database on each backend: the twins need no tables."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def _stored(value: object) -> object:
    """A case value as the database holds it: enums by their value strings."""
    return value.value if isinstance(value, Enum) else value


def _answers(
    connection: Connection,
    columns: dict[str, TypeEngine],
    cases: Sequence[tuple],
    *twins: Callable[[Any], ColumnElement],
) -> list[tuple]:
    """Each case with the twins' answers over it, from one query over a VALUES list."""
    table = (
        values(
            column("case_no", Integer),
            *(column(name, type_) for name, type_ in columns.items()),
            name="cases",
        )
        .data([(number, *map(_stored, case)) for number, case in enumerate(cases)])
        .cte("cases")
    )
    query = select(*(twin(table.c) for twin in twins)).order_by(table.c.case_no)
    rows = connection.execute(query).all()
    assert len(rows) == len(cases)
    return [(case, *row) for case, row in zip(cases, rows, strict=True)]


def _expected(cases: Sequence[tuple], *predicates: Callable[..., object]) -> list[tuple]:
    """Each case with the Python predicates' answers, enums as their stored strings."""
    return [(case, *(_stored(predicate(*case)) for predicate in predicates)) for case in cases]


def _assert_agree(sql: list[tuple], python: list[tuple]) -> None:
    """The whole lists must be equal; on failure every disagreeing case is listed, untruncated."""
    assert [row[0] for row in sql] == [row[0] for row in python]
    disagreeing = [
        f"  {tuple(map(_stored, case))}: python {tuple(p)!r}, sql {tuple(q)!r}"
        for (case, *p), (_, *q) in zip(python, sql, strict=True)
        if p != q
    ]
    if disagreeing:
        pytest.fail(f"{len(disagreeing)} of {len(sql)} cases disagree:\n" + "\n".join(disagreeing))
    assert sql == python


def test_is_open_agrees(connection):
    cases = [(status,) for status in STATUSES]
    sql = _answers(connection, {"status": _STORED}, cases, lambda c: is_open_sql(c.status))
    _assert_agree(sql, _expected(cases, is_open))


def test_is_overdue_agrees(connection):
    cases = list(itertools.product(DEADLINES, STATUSES))
    sql = _answers(
        connection,
        {"deadline": Date(), "status": _STORED},
        cases,
        lambda c: is_overdue_sql(c.deadline, c.status, AS_AT),
    )
    _assert_agree(
        sql, _expected(cases, lambda deadline, status: is_overdue(deadline, status, AS_AT))
    )


@pytest.mark.parametrize("days", [0, 7])
def test_is_due_soon_agrees(connection, days):
    # The default window's edges, and those of this one.
    edges = (AS_AT + (days - 1) * DAY, AS_AT + days * DAY, AS_AT + (days + 1) * DAY)
    deadlines = sorted(set(DEADLINES[1:]) | set(edges))
    cases = list(itertools.product([None, *deadlines], STATUSES))
    sql = _answers(
        connection,
        {"deadline": Date(), "status": _STORED},
        cases,
        lambda c: is_due_soon_sql(c.deadline, c.status, AS_AT, days),
    )
    _assert_agree(
        sql, _expected(cases, lambda deadline, status: is_due_soon(deadline, status, AS_AT, days))
    )


def test_is_due_soon_default_window_agrees(connection):
    cases = list(itertools.product(DEADLINES, STATUSES))
    sql = _answers(
        connection,
        {"deadline": Date(), "status": _STORED},
        cases,
        lambda c: is_due_soon_sql(c.deadline, c.status, AS_AT),
    )
    _assert_agree(
        sql, _expected(cases, lambda deadline, status: is_due_soon(deadline, status, AS_AT))
    )


def test_effective_rag_agrees(connection):
    cases = list(itertools.product(RAGS, STATUSES))
    sql = _answers(
        connection,
        {"rag": _STORED, "status": _STORED},
        cases,
        lambda c: effective_rag_sql(c.rag, c.status),
    )
    _assert_agree(sql, _expected(cases, effective_rag))


def test_rag_severity_agrees(connection):
    cases = [(rag,) for rag in RAGS]
    sql = _answers(connection, {"rag": _STORED}, cases, lambda c: rag_severity_sql(c.rag))
    # Not rated has no severity in SQL (NULL never compares); Python ranks it below Blue
    # only for sorting, and the rules that use severity test for None first.
    _assert_agree(sql, _expected(cases, lambda rag: None if rag is None else RAG_SEVERITY[rag]))


def test_classify_movement_agrees(connection):
    cases = list(itertools.product((True, False), RAGS, STATUSES, RAGS, STATUSES))
    sql = _answers(
        connection,
        {
            "existed_before": Boolean(),
            "before_rag": _STORED,
            "before_status": _STORED,
            "after_rag": _STORED,
            "after_status": _STORED,
        },
        cases,
        lambda c: classify_movement_sql(
            c.existed_before, c.before_rag, c.before_status, c.after_rag, c.after_status
        ),
    )
    _assert_agree(sql, _expected(cases, classify_movement))


def test_is_exception_agrees(connection):
    cases = list(itertools.product(RAGS, STATUSES, (True, False), MOVEMENTS))
    sql = _answers(
        connection,
        {"rag": _STORED, "status": _STORED, "overdue": Boolean(), "movement": _STORED},
        cases,
        lambda c: is_exception_sql(c.rag, c.status, c.overdue, c.movement),
    )
    _assert_agree(sql, _expected(cases, is_exception))


def test_rating_change_agrees(connection):
    cases = list(itertools.product(RAGS, RAGS, STATUSES))
    sql = _answers(
        connection,
        {"previous_rag": _STORED, "rag": _STORED, "status": _STORED},
        cases,
        lambda c: rating_change_sql(c.previous_rag, c.rag, c.status),
    )
    _assert_agree(sql, _expected(cases, rating_change))
