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
    DateTime,
    Integer,
    String,
    column,
    select,
    values,
)
from sqlalchemy.types import TypeEngine

from plan.database import make_engine
from rulebook.flags import (
    complete_without_date,
    complete_without_date_sql,
    deadline_revised_too_often,
    deadline_revised_too_often_sql,
    green_but_overdue,
    green_but_overdue_sql,
    missed_round,
    missed_round_sql,
    missed_two_rounds,
    missed_two_rounds_sql,
    no_issue_or_remedy,
    no_issue_or_remedy_sql,
    no_owner,
    no_owner_sql,
)
from rulebook.movement import (
    Direction,
    Movement,
    RatingChange,
    classify_movement,
    classify_movement_sql,
    direction_of_travel,
    is_exception,
    is_exception_sql,
    movement_label,
    rating_change,
    rating_change_sql,
)
from rulebook.overdue import (
    DUE_SOON_DAYS,
    days_overdue,
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
from rulebook.review import Entries, ReviewState, counts, counts_sql, state_for
from rulebook.rounds import (
    Reply,
    counts_for_round,
    counts_for_round_sql,
    is_due_in_round,
    is_due_in_round_sql,
    reply,
    reply_sql,
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


def _assert_agree(sql: list[tuple], python: list[tuple], reaches: set) -> None:
    """The whole lists must be equal; on failure every disagreeing case is listed, untruncated.

    `reaches` is every answer the table must produce, so that agreement is not vacuous.
    """
    assert {answer for _, *answers in python for answer in answers} == reaches
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
    _assert_agree(sql, _expected(cases, is_open), {True, False})


def test_is_overdue_agrees(connection):
    cases = list(itertools.product(DEADLINES, STATUSES))
    sql = _answers(
        connection,
        {"deadline": Date(), "status": _STORED},
        cases,
        lambda c: is_overdue_sql(c.deadline, c.status, AS_AT),
    )
    _assert_agree(
        sql,
        _expected(cases, lambda deadline, status: is_overdue(deadline, status, AS_AT)),
        {True, False},
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
        sql,
        _expected(cases, lambda deadline, status: is_due_soon(deadline, status, AS_AT, days)),
        {True, False},
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
        sql,
        _expected(cases, lambda deadline, status: is_due_soon(deadline, status, AS_AT)),
        {True, False},
    )


def test_effective_rag_agrees(connection):
    cases = list(itertools.product(RAGS, STATUSES))
    sql = _answers(
        connection,
        {"rag": _STORED, "status": _STORED},
        cases,
        lambda c: effective_rag_sql(c.rag, c.status),
    )
    _assert_agree(sql, _expected(cases, effective_rag), {None, *(r.value for r in Rag)})


def test_rag_severity_agrees(connection):
    cases = [(rag,) for rag in RAGS]
    sql = _answers(connection, {"rag": _STORED}, cases, lambda c: rag_severity_sql(c.rag))
    # Not rated has no severity in SQL (NULL never compares); Python ranks it below Blue
    # only for sorting, and the rules that use severity test for None first.
    _assert_agree(
        sql,
        _expected(cases, lambda rag: None if rag is None else RAG_SEVERITY[rag]),
        {None, 0, 1, 2, 3},
    )


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
    _assert_agree(sql, _expected(cases, classify_movement), {m.value for m in Movement})


def test_is_exception_agrees(connection):
    cases = list(itertools.product(RAGS, STATUSES, (True, False), MOVEMENTS))
    sql = _answers(
        connection,
        {"rag": _STORED, "status": _STORED, "overdue": Boolean(), "movement": _STORED},
        cases,
        lambda c: is_exception_sql(c.rag, c.status, c.overdue, c.movement),
    )
    _assert_agree(sql, _expected(cases, is_exception), {True, False})


def test_rating_change_agrees(connection):
    cases = list(itertools.product(RAGS, RAGS, STATUSES))
    sql = _answers(
        connection,
        {"previous_rag": _STORED, "rag": _STORED, "status": _STORED},
        cases,
        lambda c: rating_change_sql(c.previous_rag, c.rag, c.status),
    )
    _assert_agree(sql, _expected(cases, rating_change), {c.value for c in RatingChange})


# What the rules mean: plain tables for the Python predicates the twins are held to.

S = DeliveryStatus
M = Movement
C = RatingChange


@pytest.mark.parametrize(
    ("deadline", "status", "overdue", "due_soon"),
    [
        (AS_AT - DAY, S.IN_PROGRESS, True, False),
        # Overdue is strictly before as_at: due today is due soon, not overdue.
        (AS_AT, S.IN_PROGRESS, False, True),
        (AS_AT + DUE_SOON_DAYS * DAY, S.IN_PROGRESS, False, True),
        (AS_AT + (DUE_SOON_DAYS + 1) * DAY, S.IN_PROGRESS, False, False),
        # A missing status counts as open; a missing deadline is neither.
        (AS_AT - DAY, None, True, False),
        (None, S.IN_PROGRESS, False, False),
        # Complete and cancelled are never overdue or due soon.
        (AS_AT - DAY, S.COMPLETE, False, False),
        (AS_AT - DAY, S.CANCELLED, False, False),
        (AS_AT, S.COMPLETE, False, False),
        (AS_AT, S.CANCELLED, False, False),
        # Deferred is still open.
        (AS_AT - DAY, S.DEFERRED, True, False),
    ],
)
def test_overdue_and_due_soon_mean(deadline, status, overdue, due_soon):
    assert is_overdue(deadline, status, AS_AT) is overdue
    assert is_due_soon(deadline, status, AS_AT) is due_soon
    assert days_overdue(deadline, status, AS_AT) == (1 if overdue else 0)


def test_open_statuses():
    assert [s for s in STATUSES if is_open(s)] == [None, S.NOT_STARTED, S.IN_PROGRESS, S.DEFERRED]


@pytest.mark.parametrize("rag", RAGS)
def test_complete_shows_blue(rag):
    assert effective_rag(rag, S.COMPLETE) == Rag.BLUE
    assert effective_rag(rag, S.IN_PROGRESS) == rag
    assert effective_rag(rag, None) == rag


@pytest.mark.parametrize(
    ("existed_before", "before", "after", "movement"),
    [
        (False, (None, None), (Rag.RED, S.IN_PROGRESS), M.NEW),
        (False, (None, None), (Rag.BLUE, S.COMPLETE), M.NEW),
        (True, (Rag.RED, S.IN_PROGRESS), (Rag.BLUE, S.COMPLETE), M.COMPLETED),
        # Completing wins over the RAG moving.
        (True, (Rag.GREEN, S.IN_PROGRESS), (Rag.RED, S.COMPLETE), M.COMPLETED),
        (True, (None, None), (Rag.BLUE, S.COMPLETE), M.COMPLETED),
        # Already complete is not completed again.
        (True, (Rag.BLUE, S.COMPLETE), (Rag.BLUE, S.COMPLETE), M.UNCHANGED),
        (True, (Rag.RED, S.IN_PROGRESS), (Rag.AMBER, S.IN_PROGRESS), M.IMPROVED),
        (True, (Rag.GREEN, S.IN_PROGRESS), (Rag.RED, S.IN_PROGRESS), M.WORSENED),
        (True, (Rag.AMBER, S.IN_PROGRESS), (Rag.AMBER, S.DEFERRED), M.UNCHANGED),
        # A rating appearing or disappearing is not a movement.
        (True, (None, S.NOT_STARTED), (Rag.GREEN, S.IN_PROGRESS), M.UNCHANGED),
        (True, (None, S.NOT_STARTED), (Rag.RED, S.IN_PROGRESS), M.UNCHANGED),
        (True, (Rag.RED, S.IN_PROGRESS), (None, S.DEFERRED), M.UNCHANGED),
    ],
)
def test_movement_means(existed_before, before, after, movement):
    assert classify_movement(existed_before, *before, *after) == movement


def test_movement_labels_have_symbol_and_words():
    assert [m.label for m in Movement] == [
        "↗ Improved",
        "↘ Worsened",
        "• New",
        "★ Completed",
        "→ No change",
    ]
    assert movement_label(M.WORSENED.value) == "↘ Worsened"
    assert movement_label(None) == ""


@pytest.mark.parametrize(
    ("rag", "status", "overdue", "movement", "exception"),
    [
        (Rag.RED, S.IN_PROGRESS, False, M.UNCHANGED, True),
        (Rag.GREEN, S.IN_PROGRESS, True, M.UNCHANGED, True),
        (Rag.AMBER, S.IN_PROGRESS, False, M.WORSENED, True),
        (None, None, True, None, True),
        (Rag.AMBER, S.IN_PROGRESS, False, M.IMPROVED, False),
        (None, S.NOT_STARTED, False, None, False),
        # Cancelled is never an exception, whatever else is true.
        (Rag.RED, S.CANCELLED, True, M.WORSENED, False),
    ],
)
def test_exception_means(rag, status, overdue, movement, exception):
    assert is_exception(rag, status, overdue, movement) is exception


@pytest.mark.parametrize(
    ("previous", "rag", "status", "change"),
    [
        (None, None, S.NOT_STARTED, C.UNCHANGED),
        (None, Rag.RED, S.IN_PROGRESS, C.FIRST_RATING),
        (Rag.RED, None, S.DEFERRED, C.RATING_REMOVED),
        (Rag.RED, Rag.RED, S.IN_PROGRESS, C.UNCHANGED),
        (Rag.AMBER, Rag.RED, S.IN_PROGRESS, C.WORSENED),
        (Rag.RED, Rag.GREEN, S.IN_PROGRESS, C.IMPROVED),
        (Rag.GREEN, Rag.BLUE, S.COMPLETE, C.IMPROVED),
        # Cancelling wins over any change of rating.
        (Rag.RED, Rag.GREEN, S.CANCELLED, C.CANCELLED),
        (None, None, S.CANCELLED, C.CANCELLED),
    ],
)
def test_rating_change_means(previous, rag, status, change):
    assert rating_change(previous, rag, status) == change


@pytest.mark.parametrize(
    ("before", "after", "direction"),
    [
        (None, 2.0, Direction.NEW),
        (2.0, None, Direction.NO_CHANGE),
        (2.0, 1.5, Direction.IMPROVING),
        (2.0, 2.5, Direction.WORSENING),
        # Within the tolerance is noise, not a direction.
        (2.0, 2.04, Direction.NO_CHANGE),
        (2.0, 1.96, Direction.NO_CHANGE),
    ],
)
def test_direction_of_travel_means(before, after, direction):
    assert direction_of_travel(before, after) == direction


# --- Update rounds (rulebook.rounds) ----------------------------------------------------------

OPENED = datetime.datetime(2027, 1, 2, 9, 0, tzinfo=datetime.UTC)
SECOND = datetime.timedelta(seconds=1)


def test_is_due_in_round_agrees(connection):
    cases = [(status,) for status in STATUSES]
    sql = _answers(connection, {"status": _STORED}, cases, lambda c: is_due_in_round_sql(c.status))
    _assert_agree(sql, _expected(cases, is_due_in_round), {True, False})


def test_counts_for_round_agrees(connection):
    closed = OPENED + datetime.timedelta(days=20)
    moments = (OPENED - 30 * DAY, OPENED - SECOND, OPENED, OPENED + SECOND, closed - SECOND)
    moments += (closed, closed + SECOND)
    cases = list(itertools.product(moments, (OPENED,), (None, closed)))
    stamp = DateTime(timezone=True)
    sql = _answers(
        connection,
        {"recorded_at": stamp, "opened_at": stamp, "closed_at": stamp},
        cases,
        lambda c: counts_for_round_sql(c.recorded_at, c.opened_at, c.closed_at),
    )
    _assert_agree(sql, _expected(cases, counts_for_round), {True, False})


def test_reply_agrees(connection):
    dues = (AS_AT - 365 * DAY, AS_AT - DAY, AS_AT, AS_AT + DAY)
    cases = list(itertools.product((True, False), dues))
    sql = _answers(
        connection,
        {"received": Boolean(), "due": Date()},
        cases,
        lambda c: reply_sql(c.received, c.due, AS_AT),
    )
    _assert_agree(
        sql,
        _expected(cases, lambda received, due: reply(received, due, AS_AT)),
        {r.value for r in Reply},
    )


@pytest.mark.parametrize(
    ("received", "due", "expected"),
    [
        (True, AS_AT - 365 * DAY, Reply.RECEIVED),
        (False, AS_AT - DAY, Reply.OVERDUE),
        (False, AS_AT, Reply.OUTSTANDING),  # the due day itself is not yet overdue
        (False, AS_AT + DAY, Reply.OUTSTANDING),
    ],
)
def test_reply_means(received, due, expected):
    assert reply(received, due, AS_AT) is expected


def test_round_asks_about_open_actions_only():
    assert is_due_in_round(None) and is_due_in_round(DeliveryStatus.NOT_STARTED)
    assert not is_due_in_round(DeliveryStatus.COMPLETE)
    assert not is_due_in_round(DeliveryStatus.CANCELLED)


def test_update_answers_round_from_opening_until_closing():
    closed = OPENED + 10 * DAY
    assert not counts_for_round(OPENED - SECOND, OPENED, None)
    assert counts_for_round(OPENED, OPENED, None)
    assert counts_for_round(OPENED + 400 * DAY, OPENED, None)
    assert counts_for_round(closed - SECOND, OPENED, closed)
    assert not counts_for_round(closed, OPENED, closed)


# --- Automatic checks (rulebook.flags) ---------------------------------------------------------

TEXTS = (None, "", "   ", "Funding cut")


def test_green_but_overdue_agrees(connection):
    cases = list(itertools.product(RAGS, (True, False)))
    sql = _answers(
        connection,
        {"rag": _STORED, "overdue": Boolean()},
        cases,
        lambda c: green_but_overdue_sql(c.rag, c.overdue),
    )
    _assert_agree(sql, _expected(cases, green_but_overdue), {True, False})


def test_no_issue_or_remedy_agrees(connection):
    cases = list(itertools.product(RAGS, TEXTS, TEXTS))
    sql = _answers(
        connection,
        {"rag": _STORED, "issue": String(), "remedy": String()},
        cases,
        lambda c: no_issue_or_remedy_sql(c.rag, c.issue, c.remedy),
    )
    _assert_agree(sql, _expected(cases, no_issue_or_remedy), {True, False})


def test_count_rules_agree(connection):
    cases = [(n,) for n in range(4)]
    sql = _answers(
        connection,
        {"n": Integer()},
        cases,
        lambda c: deadline_revised_too_often_sql(c.n),
        lambda c: missed_round_sql(c.n),
        lambda c: missed_two_rounds_sql(c.n),
    )
    python = _expected(cases, deadline_revised_too_often, missed_round, missed_two_rounds)
    _assert_agree(sql, python, {True, False})


def test_complete_without_date_agrees(connection):
    cases = list(itertools.product(STATUSES, (None, AS_AT)))
    sql = _answers(
        connection,
        {"status": _STORED, "completed_on": Date()},
        cases,
        lambda c: complete_without_date_sql(c.status, c.completed_on),
    )
    _assert_agree(sql, _expected(cases, complete_without_date), {True, False})


def test_no_owner_agrees(connection):
    cases = list(itertools.product((0, 1, 2), STATUSES))
    sql = _answers(
        connection,
        {"owners": Integer(), "status": _STORED},
        cases,
        lambda c: no_owner_sql(c.owners, c.status),
    )
    _assert_agree(sql, _expected(cases, no_owner), {True, False})


def test_flags_mean():
    assert green_but_overdue(Rag.GREEN, True) and not green_but_overdue(Rag.AMBER, True)
    assert no_issue_or_remedy(Rag.RED, "Funding cut", "  ")
    assert not no_issue_or_remedy(Rag.AMBER, "Funding cut", "Bid to the PCC")
    assert not no_issue_or_remedy(Rag.GREEN, None, None)
    assert not deadline_revised_too_often(1) and deadline_revised_too_often(2)
    assert complete_without_date(DeliveryStatus.COMPLETE, None)
    assert not complete_without_date(DeliveryStatus.COMPLETE, AS_AT)
    assert no_owner(0, DeliveryStatus.IN_PROGRESS) and not no_owner(0, DeliveryStatus.CANCELLED)
    assert (missed_round(1), missed_two_rounds(1)) == (True, False)
    assert (missed_round(2), missed_two_rounds(2)) == (False, True)


# --- Review before publication (rulebook.review) -------------------------------------------


@pytest.mark.parametrize("entries", list(Entries))
def test_review_counts_agrees(connection, entries):
    cases = list(itertools.product(ReviewState, (False, True)))
    sql = _answers(
        connection,
        {"state": _STORED, "returned": Boolean()},
        cases,
        lambda c: counts_sql(c.state, c.returned, entries),
    )
    reaches = {True} if entries is Entries.ALL else {True, False}
    _assert_agree(sql, _expected(cases, lambda s, r: counts(s, r, entries)), reaches)


def test_review_counts_mean():
    published, submitted = ReviewState.PUBLISHED, ReviewState.SUBMITTED
    # The dashboard: published only.
    assert counts(published, False, Entries.PUBLISHED)
    assert not counts(submitted, False, Entries.PUBLISHED)
    # "Include submitted": the waiting ones too, never a returned one.
    assert counts(submitted, False, Entries.WITH_SUBMITTED)
    assert not counts(submitted, True, Entries.WITH_SUBMITTED)
    # The owner's own view and the conflict check: everything.
    assert counts(submitted, True, Entries.ALL)


def test_only_an_owner_on_a_reviewed_plan_submits():
    assert state_for(review_required=True, may_publish=False) is ReviewState.SUBMITTED
    assert state_for(review_required=True, may_publish=True) is ReviewState.PUBLISHED
    assert state_for(review_required=False, may_publish=False) is ReviewState.PUBLISHED


def test_describes_by_agrees(connection):
    from rulebook.entries import describes_by, describes_by_sql

    days = (AS_AT - 90 * DAY, AS_AT - DAY, AS_AT, AS_AT + DAY)
    for as_at in (AS_AT, None):
        cases = [(day,) for day in days]
        sql = _answers(
            connection,
            {"described_on": Date()},
            cases,
            lambda c, as_at=as_at: describes_by_sql(c.described_on, as_at),
        )
        expected = _expected(cases, lambda day, as_at=as_at: describes_by(day, as_at))
        _assert_agree(sql, expected, {True, False} if as_at else {True})


def test_current_entry_agrees(connection):
    """Over one action's history, the entry SQL puts first (of those counted as at D) is the
    one rulebook.entries.current_entry picks, for every D: the newest by day described, then
    by moment recorded, then by id; an entry recorded late for an early day stays behind."""
    from rulebook.entries import current_entry, describes_by_sql, entry_key, newest_first_sql

    at = datetime.datetime
    utc = datetime.UTC
    q1, q2 = D(2026, 6, 30), D(2026, 9, 30)
    entries = [  # (id, day described, moment recorded)
        (1, q2, at(2026, 10, 1, 9, 0, tzinfo=utc)),  # this quarter's file, loaded first
        (2, q1, at(2026, 10, 2, 9, 0, tzinfo=utc)),  # last quarter's, loaded after it
        (3, q1, at(2026, 10, 2, 9, 0, tzinfo=utc)),  # same day and moment: the higher id
        (4, q2 + DAY, at(2026, 10, 1, 8, 0, tzinfo=utc)),  # a form update on 1 Oct
        (5, q2 + DAY, at(2026, 10, 1, 7, 0, tzinfo=utc)),  # same day, recorded earlier
    ]
    table = (
        values(
            column("id", Integer),
            column("described_on", Date),
            column("recorded_at", DateTime(timezone=True)),
            name="entries",
        )
        .data(entries)
        .cte("entries")
    )
    days = (q1 - DAY, q1, q2 - DAY, q2, q2 + DAY, None)
    picked = []
    for day in days:
        query = (
            select(table.c.id)
            .where(describes_by_sql(table.c.described_on, day))
            .order_by(*newest_first_sql(table.c.described_on, table.c.recorded_at, table.c.id))
            .limit(1)
        )
        picked.append(connection.execute(query).scalar())
    python = [
        (
            found[0]
            if (found := current_entry(entries, day, lambda e: entry_key(e[1], e[2], e[0])))
            else None
        )
        for day in days
    ]
    assert python == [None, 3, 3, 1, 4, 4]
    assert picked == python
