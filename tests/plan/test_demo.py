"""The demo: both Trafford plans, each imported inside its own period, with quarters of demo
progress, so that as at the plans' end the figures look like a real partnership's."""

import datetime as dt

from sqlalchemy import select

from plan.bootstrap import load_demo_plans
from plan.demo import DEMO_AS_AT, DEMO_PLANS, DemoUpdate, demo_action, demo_updates
from plan.models import ProgressUpdate, UpdateSource
from plan.queries import (
    MovementCounts,
    RagCounts,
    Selection,
    meeting_exceptions,
    plan_options,
    plan_overview,
)
from plan.queries.flags import action_flags
from rulebook.dates import previous_quarter_end
from rulebook.flags import Flag
from rulebook.plan_periods import closed_plans_as_at
from rulebook.rag import Rag

VAWC = "Reducing Violence Against Women and Children Delivery Plan 2011/14"
DA = "Domestic Abuse Steering Group Action Plan"


def test_demo_loads_every_transcribed_action_with_its_period(factory):
    reports = load_demo_plans(factory)
    assert [(r.plan, r.actions_created, len(r.issues)) for r in reports] == [
        (VAWC, 29, 1),
        (DA, 34, 0),
    ]
    with factory() as session:
        plans = {p.name: p for p in plan_options(session)}
    assert plans[VAWC].period == (dt.date(2011, 4, 1), dt.date(2014, 3, 31))  # from its name
    assert plans[DA].period == (dt.date(2013, 4, 1), dt.date(2014, 3, 31))
    assert [p.actions for p in plans.values()] == [34, 29]
    # Both plans have ended, so the dashboard opens as at their end, whenever it is run.
    ends = [p.period_end for p in plans.values()]
    assert closed_plans_as_at(ends, dt.date.today()) == DEMO_AS_AT == dt.date(2014, 3, 31)


def test_every_demo_update_is_marked_and_dated_inside_its_plans_period(factory):
    load_demo_plans(factory)
    periods = {d.name: (d.period or (dt.date(2011, 4, 1), DEMO_AS_AT)) for d in DEMO_PLANS}
    for update in demo_updates():
        start, end = periods[update.plan]
        assert start <= update.day <= end, update
        assert update.entry.progress.startswith("DEMO: ")
    with factory() as session:
        demo = session.scalars(
            select(ProgressUpdate).where(ProgressUpdate.source == UpdateSource.DEMO)
        ).all()
        recorded = sorted(u.recorded_at.date() for u in demo)
    assert len(demo) == len(demo_updates()) == 90
    assert (recorded[0], recorded[-1]) == (dt.date(2012, 6, 5), dt.date(2014, 3, 27))
    # Several quarters of history: every quarter of 2012/13 and 2013/14 has demo progress.
    quarters = {(d.year, (d.month - 1) // 3) for d in recorded}
    assert len(quarters) == 8


def test_as_at_the_plans_end_the_figures_look_like_a_real_partnership(factory):
    load_demo_plans(factory)
    compared_with = previous_quarter_end(DEMO_AS_AT)
    assert compared_with == dt.date(2013, 12, 31)
    with factory() as session:
        overview = plan_overview(
            session, selection=Selection(), as_at=DEMO_AS_AT, compared_with=compared_with
        )
        exceptions = meeting_exceptions(
            session, selection=Selection(), as_at=DEMO_AS_AT, compared_with=compared_with
        )
    assert overview.rag == RagCounts(red=4, amber=11, green=13, blue=33, not_rated=2)
    assert overview.movement == MovementCounts(
        improved=7, worsened=4, new=0, completed=7, unchanged=45
    )
    assert (overview.overdue, overview.due_soon, overview.updates_since) == (5, 8, 32)
    # Overdue by weeks or months, not years.
    late = sorted(v.days_overdue for v in overview.actions if v.overdue)
    assert late == [31, 31, 59, 59, 90]
    # A handful of exceptions for the meeting, the worst first.
    assert len(exceptions) == 8
    assert [(v.ref, v.rag.value, v.movement) for v in exceptions[:3]] == [
        ("3.3", "Red", "worsened"),
        (None, "Red", "worsened"),
        ("2.2", "Red", "worsened"),
    ]


def _unexplained(updates: list[DemoUpdate]) -> list[DemoUpdate]:
    """Red or Amber demo updates that do not say both what the issue is and what is being done."""
    return [
        u
        for u in updates
        if u.entry.rag in (Rag.RED, Rag.AMBER) and not (u.entry.issue and u.entry.remedy)
    ]


def test_red_and_amber_demo_updates_say_the_issue_and_remedy_but_for_a_few_current_ones():
    updates = demo_updates()
    rated = [u for u in updates if u.entry.rag in (Rag.RED, Rag.AMBER)]
    left = _unexplained(updates)
    assert (len(rated), len(left)) == (33, 3)
    # The few left say neither (nobody half-filled the form), and each is its action's newest
    # update, so it is what the action shows as at the plans' end.
    assert [(u.entry.issue, u.entry.remedy) for u in left] == [("", "")] * 3
    newest = {(u.plan, u.match): u for u in updates}  # demo_updates() is oldest first
    assert all(newest[(u.plan, u.match)] is u for u in left)
    # Only Red and Amber updates carry an issue and remedy.
    assert [u for u in updates if u.entry.rag not in (Rag.RED, Rag.AMBER) and u.entry.issue] == []
    assert [u for u in updates if u.entry.rag not in (Rag.RED, Rag.AMBER) and u.entry.remedy] == []


def test_as_at_the_plans_end_a_handful_of_actions_need_an_issue_or_remedy(factory):
    load_demo_plans(factory)
    with factory() as session:
        flags = action_flags(session, Selection(), DEMO_AS_AT)
        left = {demo_action(session, u).id for u in _unexplained(demo_updates())}
    unexplained = {action for action, found in flags.items() if Flag.NO_ISSUE_OR_REMEDY in found}
    # The data-quality check flags exactly the actions whose Red or Amber was left unexplained.
    assert unexplained == left
    assert len(unexplained) == 3
    # The whole data-quality picture: the other flags come from the plans' own history (a
    # deadline revised twice; "Complete" in the imported files, which give no date).
    counts = {flag: sum(flag in found for found in flags.values()) for flag in Flag}
    assert {flag: n for flag, n in counts.items() if n} == {
        Flag.NO_ISSUE_OR_REMEDY: 3,
        Flag.DEADLINE_REVISED: 4,
        Flag.COMPLETE_WITHOUT_DATE: 8,
    }
