"""Figures from SQL, as at a date, from the append-only history."""

import datetime as dt

from plan.queries import RagCounts, action_views, overdue_count, plan_options, rag_counts
from plan.rules.rag import DeliveryStatus, Rag
from tests.builders import add_action, add_plan, add_update

Q1_END = dt.date(2026, 6, 30)
Q2_END = dt.date(2026, 9, 30)
Q3_END = dt.date(2026, 12, 31)


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def _build(session):
    plan = add_plan(session, "VAWG")
    other = add_plan(session, "Other")
    a = add_action(session, plan, "A", ref="1", deadline=dt.date(2026, 8, 1))
    b = add_action(session, plan, "B", ref="2", deadline=dt.date(2026, 5, 1))
    c = add_action(session, plan, "C", ref="3", deadline=dt.date(2026, 5, 1))
    d = add_action(session, plan, "D", ref="4")
    add_action(session, other, "Elsewhere", deadline=dt.date(2020, 1, 1))
    add_update(session, a, Rag.GREEN, at=at(dt.date(2026, 5, 1)))
    add_update(session, a, Rag.AMBER, at=at(dt.date(2026, 8, 15)))
    add_update(session, a, Rag.RED, at=at(dt.date(2026, 11, 1)), progress="Blocked")
    add_update(session, b, Rag.AMBER, at=at(dt.date(2026, 4, 10)))
    add_update(session, b, None, at=at(dt.date(2026, 9, 1)), status=DeliveryStatus.COMPLETE)
    add_update(session, c, Rag.RED, at=at(dt.date(2026, 6, 1)))
    add_update(session, c, None, at=at(dt.date(2026, 10, 1)), status=DeliveryStatus.CANCELLED)
    add_update(session, d, Rag.GREEN, at=at(dt.date(2026, 9, 30)))
    session.commit()
    return plan


def test_rag_counts_differ_correctly_at_each_quarter_end(session):
    plan = _build(session)
    assert rag_counts(session, plan_id=plan.id, as_at=Q1_END) == RagCounts(
        green=1, amber=1, red=1, not_rated=1
    )
    assert rag_counts(session, plan_id=plan.id, as_at=Q2_END) == RagCounts(
        amber=1, blue=1, red=1, green=1
    )
    assert rag_counts(session, plan_id=plan.id, as_at=Q3_END) == RagCounts(
        red=1, blue=1, green=1, cancelled=1
    )
    assert rag_counts(session, plan_id=plan.id, as_at=Q3_END).total == 3


def test_overdue_at_each_quarter_end(session):
    plan = _build(session)
    # Q1: B and C are past 1 May and still open.
    assert overdue_count(session, plan_id=plan.id, as_at=Q1_END) == 2
    # Q2: B complete; C open; A (1 Aug) now late.
    assert overdue_count(session, plan_id=plan.id, as_at=Q2_END) == 2
    # Q3: C cancelled; only A.
    assert overdue_count(session, plan_id=plan.id, as_at=Q3_END) == 1
    assert overdue_count(session, plan_id=None, as_at=Q3_END) == 2


def test_actions_created_after_the_date_are_not_counted(session):
    plan = add_plan(session, "New")
    add_action(session, plan, "Later", created_at=at(dt.date(2026, 10, 1)))
    session.commit()
    assert rag_counts(session, plan_id=plan.id, as_at=Q2_END).total == 0
    assert rag_counts(session, plan_id=plan.id, as_at=Q3_END).not_rated == 1


def test_action_views_show_latest_update_as_at(session):
    plan = _build(session)
    views = {v.ref: v for v in action_views(session, plan_id=plan.id, as_at=Q3_END)}
    assert (views["1"].rag, views["1"].latest_update, views["1"].overdue) == (
        Rag.RED,
        "Blocked",
        True,
    )
    assert (views["2"].rag, views["2"].status, views["2"].overdue) == (
        Rag.BLUE,
        DeliveryStatus.COMPLETE,
        False,
    )
    assert views["3"].status == DeliveryStatus.CANCELLED
    before = {v.ref: v for v in action_views(session, plan_id=plan.id, as_at=Q1_END)}
    assert (before["1"].rag, before["4"].rag, before["4"].status) == (
        Rag.GREEN,
        None,
        DeliveryStatus.NOT_STARTED,
    )


def test_plan_options_count_actions(session):
    _build(session)
    assert [(p.name, p.actions) for p in plan_options(session)] == [("Other", 1), ("VAWG", 4)]
