"""The demo indicators: six measures a VAWG partnership reports, with eight quarters of invented
values dated inside the plan's period, so that as at the plan's end (31 Mar 2014) the
Indicators page shows a believable mix, whatever day the tests run."""

import datetime as dt

from sqlalchemy import func, select

from plan.bootstrap import load_demo_plans
from plan.demo import DEMO_AS_AT, DEMO_AUTHOR
from plan.demo_indicators import DEMO_INDICATOR_PLAN, demo_values
from plan.models import Action, IndicatorAction, IndicatorValue, UpdateSource
from plan.queries.indicators import (
    indicator_rag_counts,
    indicator_rows,
    red_indicators,
    value_history,
)
from plan.queries.state import Selection
from rulebook.rag import Rag


def _rows(factory, as_at=DEMO_AS_AT):
    with factory() as session:
        return {row.ref: row for row in indicator_rows(session, Selection(), as_at)}


def test_as_at_the_plans_end_the_indicators_are_a_believable_mix(factory):
    load_demo_plans(factory)
    with factory() as session:
        counts = indicator_rag_counts(session, Selection(), DEMO_AS_AT)
    assert counts == {Rag.RED: 1, Rag.AMBER: 1, Rag.GREEN: 3, None: 1}
    rows = _rows(factory)
    shown = {
        ref: (
            row.latest.period.label,
            row.latest.value,
            row.latest.target,
            row.latest.rag.value if row.latest.rag else None,
            row.direction_previous.value if row.direction_previous else None,
            row.direction_last_year.value if row.direction_last_year else None,
        )
        for ref, row in rows.items()
    }
    assert shown == {
        "VAWG1": ("Q3 2013/14", 1196.0, None, None, None, None),  # contextual
        "VAWG2": ("Q3 2013/14", 29.3, 28.0, "Amber", "worsening", "worsening"),
        "VAWG3": ("Q3 2013/14", 97.0, 90.0, "Green", "improving", "improving"),
        "VAWG4": ("Q3 2013/14", 36.2, 42.0, "Red", "worsening", "worsening"),
        "VAWG5": ("Q3 2013/14", 56.0, 54.0, "Green", "improving", "improving"),
        "VAWG6": ("Q3 2013/14", 86.0, 85.0, "Green", "worsening", "improving"),
    }
    assert rows["VAWG4"].latest.note.startswith("DEMO: Corrective action:")
    with factory() as session:  # the meeting view steps on to it after the actions
        assert [r.ref for r in red_indicators(session, Selection(), DEMO_AS_AT)] == ["VAWG4"]
    assert rows["VAWG2"].owners == ("Kylie Thornton",)  # the demo owner account's name
    assert all(row.demo and row.plan == DEMO_INDICATOR_PLAN for row in rows.values())
    # Q4 2013/14 has its target, waiting for the figure (reported after the quarter ends).
    last = rows["VAWG2"].figures[-1]
    assert (last.period.label, last.target, last.status) == ("Q4 2013/14", 28.0, None)


def test_eight_quarters_all_recorded_inside_the_plans_period_and_marked_demo(factory):
    load_demo_plans(factory)
    with factory() as session:
        entries = session.scalars(select(IndicatorValue)).all()
        links = session.execute(
            select(IndicatorAction.indicator_id, Action.ref).join(
                Action, Action.id == IndicatorAction.action_id
            )
        ).all()
    assert len(entries) == len([v for v in demo_values() if v.recorded]) == 49
    recorded = sorted(entry.recorded_at.date() for entry in entries)
    assert (recorded[0], recorded[-1]) == (dt.date(2012, 7, 20), dt.date(2014, 1, 17))
    assert all(dt.date(2011, 4, 1) <= day <= DEMO_AS_AT for day in recorded)
    assert all(
        e.source is UpdateSource.DEMO and e.author == DEMO_AUTHOR and e.note.startswith("DEMO")
        for e in entries
    )
    periods = {(entry.indicator_id, entry.period_end) for entry in entries}
    per_indicator = {
        indicator: sum(1 for i, _ in periods if i == indicator) for indicator, _ in periods
    }
    assert sorted(per_indicator.values()) == [8] * 6
    assert len(links) == 11


def test_a_correction_keeps_what_it_replaced(factory):
    load_demo_plans(factory)
    rows = _rows(factory)
    with factory() as session:
        history = value_history(session, rows["VAWG4"].id, DEMO_AS_AT)
        before = value_history(session, rows["VAWG4"].id, dt.date(2013, 12, 31))
    q2 = [(e.value, e.current) for e in history if e.period.label == "Q2 2013/14"]
    assert q2 == [(39.4, True), (40.1, False)]
    assert [(e.value, e.current) for e in before if e.period.label == "Q2 2013/14"] == [
        (40.1, True)
    ]


def test_a_year_earlier_the_figures_were_those_known_then(factory):
    load_demo_plans(factory)
    rows = _rows(factory, dt.date(2013, 3, 31))
    assert {ref: row.latest.period.label for ref, row in rows.items()} == dict.fromkeys(
        rows, "Q3 2012/13"
    )
    assert rows["VAWG3"].latest.rag is Rag.GREEN
    with factory() as session:
        assert session.scalar(select(func.count(IndicatorValue.id))) == 49
