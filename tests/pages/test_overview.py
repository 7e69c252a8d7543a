"""The overview page shows the database's numbers, with words beside every RAG colour."""

import datetime as dt

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from plan.demo import DEMO_AS_AT
from plan.queries import Selection, plan_options, plan_overview
from rulebook.overdue import DUE_SOON_DAYS
from rulebook.rag import RAG_ORDER, Rag, rag_label
from tests.builders import (
    Q1_END,
    Q2_END,
    Q3_END,
    add_action,
    add_indicator,
    add_plan,
    add_update,
    add_value,
    build_three_quarter_plan,
    noon,
)
from tests.pages.conftest import APP, PAGES_NOW, chart_bars, metrics, off_track_items, shown


def _show(at, *, plan="All plans", as_at, compared_with, **filters):
    at.selectbox(key="plan").set_value(plan)
    at.date_input(key="as_at").set_value(as_at)
    at.date_input(key="compared_with").set_value(compared_with)
    for key, value in filters.items():
        at.multiselect(key=key).set_value(value)
    at.run()
    assert not at.exception
    return metrics(at)


def test_empty_database_says_how_to_import(app):
    app.run()
    assert not app.exception
    assert "python -m plan import PATH" in app.info[0].value


def _add_indicators(session, plan) -> None:
    """I1 Red in Q1 then Amber then Green; I2 from Q2 Green; I3 contextual (never rated)."""
    targets = {f"Q{q} 2026/27": 100.0 for q in (1, 2, 3)}
    first = add_indicator(session, plan, "I1", targets=targets)
    second = add_indicator(session, plan, "I2", targets=targets)
    context = add_indicator(session, plan, "I3", polarity="contextual")
    for period, end, one, two in [
        ("Q1 2026/27", Q1_END, 80.0, None),
        ("Q2 2026/27", Q2_END, 97.0, 100.0),
        ("Q3 2026/27", Q3_END, 100.0, 120.0),
    ]:
        add_value(session, first, period, one, at=noon(end))
        if two is not None:
            add_value(session, second, period, two, at=noon(end))
        add_value(session, context, period, 5.0, at=noon(end))
    add_indicator(session, add_plan(session, "Elsewhere"), "X1", targets=targets)
    session.commit()


@pytest.mark.parametrize(
    ("as_at", "compared_with", "expected"),
    [
        (
            Q1_END,
            dt.date(2026, 3, 31),
            {
                "✖ Red": 1,
                "▲ Amber": 1,
                "✔ Green": 1,
                "★ Blue": 0,
                "– Not rated": 1,
                "Indicators ✖ Red": 1,
                "Indicators ▲ Amber": 0,
                "Indicators ✔ Green": 0,
                "Indicators – Not rated": 2,
                "⚠ Overdue": 2,
                f"Due in {DUE_SOON_DAYS} days": 0,
                "Updates": 3,
                "↗ Improved": 0,
                "↘ Worsened": 0,
                "• New": 0,
                "★ Completed": 0,
            },
        ),
        (
            Q2_END,
            Q1_END,
            {
                "✖ Red": 1,
                "▲ Amber": 1,
                "✔ Green": 1,
                "★ Blue": 1,
                "– Not rated": 0,
                "Indicators ✖ Red": 0,
                "Indicators ▲ Amber": 1,
                "Indicators ✔ Green": 1,
                "Indicators – Not rated": 1,
                "⚠ Overdue": 2,
                f"Due in {DUE_SOON_DAYS} days": 0,
                "Updates": 3,
                "↗ Improved": 0,
                "↘ Worsened": 1,
                "• New": 0,
                "★ Completed": 1,
            },
        ),
        (
            Q3_END,
            Q2_END,
            {
                "✖ Red": 1,
                "▲ Amber": 0,
                "✔ Green": 1,
                "★ Blue": 1,
                "– Not rated": 0,
                "Indicators ✖ Red": 0,
                "Indicators ▲ Amber": 0,
                "Indicators ✔ Green": 2,
                "Indicators – Not rated": 1,
                "⚠ Overdue": 1,
                f"Due in {DUE_SOON_DAYS} days": 0,
                "Updates": 2,
                "↗ Improved": 0,
                "↘ Worsened": 1,
                "• New": 0,
                "★ Completed": 0,
            },
        ),
    ],
)
def test_each_quarter_end_shows_its_own_figures(app, factory, as_at, compared_with, expected):
    with factory() as session:
        plan = build_three_quarter_plan(session)
        _add_indicators(session, plan)
        from_queries = plan_overview(
            session, selection=Selection(plan_id=plan.id), as_at=as_at, compared_with=compared_with
        )
    app.run()
    shown = _show(app, plan="VAWG", as_at=as_at, compared_with=compared_with)
    assert shown == expected
    assert {rag_label(r): from_queries.rag.of(r) for r in RAG_ORDER}.items() <= shown.items()
    assert {
        f"Indicators {rag_label(r)}": n for r, n in from_queries.indicator_rag.items()
    }.items() <= shown.items()
    table = app.dataframe[0].value
    assert list(table["Ref"]) == ["1", "2", "3", "4"]


def test_a_plan_without_indicators_says_so_instead_of_four_zeros(app, factory):
    with factory() as session:
        build_three_quarter_plan(session)
        _add_indicators(session, add_plan(session, "With indicators"))
    app.run()
    shown = _show(app, plan="VAWG", as_at=Q2_END, compared_with=Q1_END)
    assert not [label for label in shown if label.startswith("Indicators")]
    assert "No indicators for the plans shown." in [c.value for c in app.caption]
    _show(app, plan="With indicators", as_at=Q2_END, compared_with=Q1_END)
    assert "No indicators for the plans shown." not in [c.value for c in app.caption]


def test_table_chart_and_filters(app, factory):
    with factory() as session:
        build_three_quarter_plan(session)
    app.run()
    shown = _show(app, as_at=Q2_END, compared_with=Q1_END, owners=["Kylie Thornton"])
    assert shown["✖ Red"] == 1 and shown["▲ Amber"] == 1 and shown["⚠ Overdue"] == 2
    table = app.dataframe[0].value
    assert list(table["Ref"]) == ["1", "3"]
    assert list(table["RAG"]) == ["▲ Amber", "✖ Red"]
    assert list(table["Deadline"]) == ["1 Aug 2026 (01/08/2026)", "1 May 2026 (01/05/2026)"]
    assert list(table["Since"]) == ["↘ Worsened", "→ No change"]
    assert list(table["Latest update"]) == ["Slipping", "No funding"]
    # The chart: a bar per objective, a segment per RAG with its symbol and count.
    assert chart_bars(app) == {"Prevention": {"▲ Amber": 1}, "Protection": {"✖ Red": 1}}
    # Off track and late: Red first, then the most overdue, with what makes each late.
    assert off_track_items(app) == [
        "✖ Red Overdue 152 days: 3 C (Kylie Thornton / Ian Peet)",
        "▲ Amber Overdue 60 days: 1 A (Kylie Thornton)",
    ]

    _show(app, as_at=Q2_END, compared_with=Q1_END, owners=[], rags=["★ Blue"])
    assert list(app.dataframe[0].value["Ref"]) == ["2"]
    _show(app, as_at=dt.date(2020, 1, 1), compared_with=Q1_END, rags=[])
    assert "No actions match these filters" in app.info[0].value


def test_filters_survive_moving_between_pages(app, factory):
    with factory() as session:
        build_three_quarter_plan(session)
    app.run()
    _show(app, plan="VAWG", as_at=Q2_END, compared_with=Q1_END, owners=["Ian Peet"])
    app.switch_page("pages/overdue.py").run()
    assert app.selectbox(key="plan").value == "VAWG"
    assert app.multiselect(key="owners").value == ["Ian Peet"]
    assert app.date_input(key="as_at").value == Q2_END
    app.switch_page("pages/overview.py").run()
    assert app.date_input(key="compared_with").value == Q1_END
    assert list(app.dataframe[0].value["Ref"]) == ["2", "3"]


@pytest.mark.time_machine(PAGES_NOW)  # the page shows today; add_action's actions are older
def test_update_made_elsewhere_shows_at_once(app, factory):
    with factory() as session:
        plan = add_plan(session, "P")
        action = add_action(session, plan, "Act", deadline=dt.date(2099, 1, 1))
        session.commit()
    app.run()
    assert metrics(app)["– Not rated"] == 1
    with factory() as session:
        add_update(
            session,
            session.get(type(action), action.id),
            Rag.RED,
            at=PAGES_NOW - dt.timedelta(minutes=1),
        )
        session.commit()
    app.run()
    assert metrics(app)["✖ Red"] == 1 and metrics(app)["– Not rated"] == 0


@pytest.mark.time_machine(dt.datetime(2031, 3, 15, 12, 0, tzinfo=dt.UTC))
def test_as_at_defaults_to_the_clocks_today(app, factory):
    # AppTest runs the page in this process, so the page's "today" is the (moved) clock's.
    with factory() as session:
        add_action(session, add_plan(session, "P"), "Act")
        session.commit()
    app.run()
    assert not app.exception
    assert app.date_input(key="as_at").value == dt.date(2031, 3, 15)
    assert app.date_input(key="compared_with").value == dt.date(2030, 12, 31)


def test_as_at_can_go_back_more_than_ten_years(app, factory):
    # Streamlit's own limit is ten years either side of today; plans from 2012 are real.
    with factory() as session:
        plan = add_plan(session, "P")
        add_action(session, plan, "Act", deadline=dt.date(2012, 4, 30))
        session.commit()
    app.run()
    _show(app, as_at=dt.date(2013, 3, 31), compared_with=dt.date(2012, 12, 31))
    assert app.date_input(key="as_at").value == dt.date(2013, 3, 31)
    assert app.date_input(key="compared_with").value == dt.date(2012, 12, 31)


@pytest.mark.time_machine(PAGES_NOW)
def test_first_run_loads_the_demo_plans_shown_as_they_ended(database_url, monkeypatch, factory):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("TRACKER_LOAD_DEMO", "1")  # a database named by DATABASE_URL: asked for
    st.cache_resource.clear()
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    st.cache_resource.clear()
    assert not at.exception
    # Both demo plans ended on 31 Mar 2014: the page opens as at that day, and says so.
    assert at.date_input(key="as_at").value == DEMO_AS_AT
    assert at.date_input(key="compared_with").value == dt.date(2013, 12, 31)
    assert [c for c in at.caption if "Every plan shown ended by 31 Mar 2014" in c.value]
    with factory() as session:
        names = [o.name for o in plan_options(session)]
        overview = plan_overview(
            session, selection=Selection(), as_at=DEMO_AS_AT, compared_with=dt.date(2013, 12, 31)
        )
    assert len(names) == 2
    assert sum(metrics(at)[rag_label(r)] for r in RAG_ORDER) == overview.rag.total == 63
    assert metrics(at)["⚠ Overdue"] == overview.overdue == 5
    assert metrics(at)["↘ Worsened"] == overview.movement.worsened == 4
    assert len(at.dataframe[0].value) == 63


def test_rag_is_never_colour_alone():
    assert [rag_label(r) for r in (*Rag, None)] == [
        "✖ Red",
        "▲ Amber",
        "✔ Green",
        "★ Blue",
        "– Not rated",
    ]


@pytest.mark.time_machine(dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC))
def test_closed_plans_are_shown_as_they_ended(app, factory):
    """Every selected plan ended before today: "as at" is the latest end, said on screen."""
    with factory() as session:
        old = add_plan(session, "Old 2011/14")
        old.period_start, old.period_end = dt.date(2011, 4, 1), dt.date(2014, 3, 31)
        older = add_plan(session, "Older")
        older.period_end = dt.date(2013, 3, 31)
        running = add_plan(session, "Running")
        running.period_end = dt.date(2027, 3, 31)
        for plan in (old, older, running):
            add_action(session, plan, f"Act of {plan.name}")
        session.commit()
    app.run()
    # "All plans" includes one still running: today stands, and nothing is said.
    assert app.date_input(key="as_at").value == dt.date(2026, 11, 25)
    assert not [c for c in app.caption if "shown as it ended" in c.value]

    app.selectbox(key="plan").set_value("Old 2011/14").run()
    assert app.date_input(key="as_at").value == dt.date(2014, 3, 31)
    assert app.date_input(key="compared_with").value == dt.date(2013, 12, 31)
    said = [shown(c.value) for c in app.caption if "shown as it ended" in c.value]
    assert said == [
        ":material/event_available: This plan ended by 31 Mar 2014, so it is shown as it "
        "ended. Choose another **As at** date in the sidebar to see a different day."
    ]
    assert "as at 31 Mar 2014, compared with 31 Dec 2013" in shown(app.caption[1].value)

    # The date picker still moves it; the note goes once the date is not the plan's end.
    app.date_input(key="as_at").set_value(dt.date(2013, 6, 30)).run()
    assert app.date_input(key="as_at").value == dt.date(2013, 6, 30)
    assert not [c for c in app.caption if "shown as it ended" in c.value]

    # The running plan removed, a new visitor: all plans are closed, shown at the latest end.
    with factory() as session:
        session.delete(session.get(type(running), running.id))
        session.commit()
    again = AppTest.from_file(str(APP), default_timeout=30).run()
    assert again.date_input(key="as_at").value == dt.date(2014, 3, 31)
    assert again.date_input(key="compared_with").value == dt.date(2013, 12, 31)
    assert [c for c in again.caption if "Every plan shown ended by 31 Mar 2014" in c.value]


def test_compared_with_follows_as_at_until_chosen_and_never_lies_after_it(app, factory):
    with factory() as session:
        build_three_quarter_plan(session)
    app.run()
    app.date_input(key="as_at").set_value(dt.date(2017, 10, 10)).run()
    assert app.date_input(key="compared_with").value == dt.date(2017, 9, 30)
    assert "as at 10 Oct 2017, compared with 30 Sep 2017" in shown(app.caption[0].value)
    # Chosen by the person, it stays while "As at" moves on…
    app.date_input(key="compared_with").set_value(dt.date(2017, 3, 31)).run()
    app.date_input(key="as_at").set_value(dt.date(2018, 1, 15)).run()
    assert app.date_input(key="compared_with").value == dt.date(2017, 3, 31)
    # …until "As at" goes back before it: then it follows again.
    app.date_input(key="as_at").set_value(dt.date(2016, 8, 1)).run()
    assert app.date_input(key="compared_with").value == dt.date(2016, 6, 30)
    app.date_input(key="as_at").set_value(dt.date(2017, 2, 1)).run()
    assert app.date_input(key="compared_with").value == dt.date(2016, 12, 31)
