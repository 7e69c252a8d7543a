"""The Overview's "off track and late": Red or overdue actions, worst first, and their count."""

import datetime as dt

from plan.queries import ALL, Selection, action_views, off_track_actions
from rulebook.movement import is_exception
from rulebook.rag import Rag
from tests.builders import (
    Q2_END,
    Q3_END,
    add_action,
    add_plan,
    add_update,
    build_three_quarter_plan,
    noon,
)


def _shown(found):
    return [(v.ref, v.rag, v.days_overdue) for v in found.worst]


def test_red_first_then_most_overdue(session):
    plan = build_three_quarter_plan(session)
    vawg = Selection(plan_id=plan.id)
    # As at Q2: C is Red and 152 days overdue, A Amber and 60 days overdue.
    found = off_track_actions(session, selection=vawg, as_at=Q2_END, limit=5)
    assert (found.total, _shown(found)) == (2, [("3", Rag.RED, 152), ("1", Rag.AMBER, 60)])
    # As at Q3: C was cancelled (never off track), A is Red with a deadline passed.
    found = off_track_actions(session, selection=vawg, as_at=Q3_END, limit=5)
    assert [v.ref for v in found.worst] == ["1"] and found.total == 1


def test_the_count_is_of_all_while_the_list_is_the_worst_few(session):
    plan = add_plan(session, "P")
    for number in range(1, 5):
        action = add_action(
            session, plan, f"Late {number}", ref=str(number), deadline=dt.date(2026, 1, number)
        )
        add_update(session, action, Rag.GREEN, at=noon(dt.date(2025, 12, 1)))
    red = add_action(session, plan, "Red, not due", ref="9", deadline=dt.date(2027, 1, 1))
    add_update(session, red, Rag.RED, at=noon(dt.date(2025, 12, 1)))
    session.commit()
    found = off_track_actions(session, selection=ALL, as_at=dt.date(2026, 3, 31), limit=3)
    assert found.total == 5
    assert [v.ref for v in found.worst] == ["9", "1", "2"]


def test_it_is_the_meeting_rule_without_the_movement(session):
    build_three_quarter_plan(session)
    for as_at in (Q2_END, Q3_END):
        every = action_views(session, selection=ALL, as_at=as_at)
        expected = {v.id for v in every if is_exception(v.rag, v.status, v.overdue, None)}
        found = off_track_actions(session, selection=ALL, as_at=as_at, limit=100)
        assert {v.id for v in found.worst} == expected and found.total == len(expected)
