"""Long lists show a page at a time, so a page costs the same at any size (issue 7)."""

import datetime as dt

import pytest

from rulebook.rag import Rag, rag_label
from tests.builders import add_update, build_long_plans, noon
from tests.pages.conftest import PAGES_NOW, chart_bars, metrics

# build_long_plans rates every action on 2026-04-01; the pages show figures as at today.
pytestmark = pytest.mark.time_machine(PAGES_NOW)


def _open(at, page):
    at.run()
    at.switch_page(page).run()
    assert not at.exception
    return at


def test_overview_lists_a_hundred_actions_a_page(app, factory):
    with factory() as session:
        build_long_plans(session, plans=3, objectives=10, actions_per_objective=5)
    _open(app, "pages/overview.py")
    assert metrics(app)["✖ Red"] == 30 and metrics(app)["✔ Green"] == 120

    first = app.dataframe[0].value
    assert len(first) == 100
    assert list(first["Action"][:2]) == ["P1-01-1", "P1-01-2"]
    assert first["Action"].iloc[-1] == "P2-10-5"
    assert _has_caption(app, "Actions 1 to 100 of 150, in plan order.")

    app.number_input(key="overview_page").set_value(2).run()
    second = app.dataframe[0].value
    assert list(second["Action"]) == [f"P3-{o:02d}-{a}" for o in range(1, 11) for a in range(1, 6)]
    assert _has_caption(app, "Actions 101 to 150 of 150, in plan order.")
    assert metrics(app)["✖ Red"] == 30  # the figures are for every action, not the page


def test_changing_a_filter_goes_back_to_the_first_page(app, factory):
    with factory() as session:
        build_long_plans(session, plans=5, objectives=10, actions_per_objective=5)
    _open(app, "pages/overview.py")
    app.number_input(key="overview_page").set_value(3).run()
    assert app.dataframe[0].value["Action"].iloc[0] == "P5-01-1"

    app.multiselect(key="owners").set_value(["Kylie Thornton"]).run()
    assert app.number_input(key="overview_page").value == 1
    shown = app.dataframe[0].value
    assert set(shown["Owner"]) == {"Kylie Thornton"}
    assert shown["Action"].iloc[0] == "P1-01-1"
    assert _has_caption(app, "Actions 1 to 100 of 125, in plan order.")


def test_a_short_list_has_no_page_picker(app, factory):
    with factory() as session:
        build_long_plans(session, plans=1, objectives=4, actions_per_objective=5)
    _open(app, "pages/overview.py")
    assert len(app.dataframe[0].value) == 20
    assert not app.number_input


def test_overview_charts_plans_when_objectives_would_not_fit_a_screen(app, factory):
    with factory() as session:
        build_long_plans(session, plans=3, objectives=10, actions_per_objective=2)
    _open(app, "pages/overview.py")
    assert app.subheader[0].value == "RAG by plan"
    bars = chart_bars(app)
    assert list(bars) == ["Plan 1", "Plan 2", "Plan 3"]
    assert [bar[rag_label(Rag.RED)] for bar in bars.values()] == [10, 10, 10]
    assert [bar[rag_label(Rag.GREEN)] for bar in bars.values()] == [10, 10, 10]
    assert _has_caption(app, "30 objectives in 3 plans: choose a plan")

    app.selectbox(key="plan").set_value("Plan 2").run()
    assert app.subheader[0].value == "RAG by objective"
    assert list(chart_bars(app)) == [f"P2 objective {o:02d}" for o in range(1, 11)]


def test_overdue_page_pages_most_overdue_first(app, factory):
    with factory() as session:
        build_long_plans(session, plans=3, objectives=10, actions_per_objective=10)
    _open(app, "pages/overdue.py")
    assert metrics(app)["⚠ Overdue"] == 150
    first = app.dataframe[0].value
    assert len(first) == 100
    days = list(first["Days overdue"])
    assert days == sorted(days, reverse=True)
    app.number_input(key="overdue_page").set_value(2).run()
    second = app.dataframe[0].value
    assert len(second) == 50
    assert second["Days overdue"].iloc[0] < days[-1]
    assert _has_caption(app, "Actions 101 to 150 of 150, most overdue first.")


def test_objectives_page_orders_worst_first_and_pages_by_fifty(app, factory):
    with factory() as session:
        plans = build_long_plans(session, plans=6, objectives=10, actions_per_objective=2)
        # One objective in the last plan goes all Red: worst first puts it at the top.
        worst = next(a for a in plans[-1].actions if a.text == "P6-07-2")
        add_update(session, worst, Rag.RED, at=noon(dt.date(2026, 6, 1)))  # after 2026-04-01
        session.commit()
    _open(app, "pages/objectives.py")
    frame = app.dataframe[0].value
    assert len(frame) == 50
    assert frame["Objective"].iloc[0] == "P1 objective 01"
    assert _has_caption(app, "Objectives 1 to 50 of 60, plan order.")

    app.radio(key="objectives_order").set_value("Most off track first").run()
    frame = app.dataframe[0].value
    assert frame["Objective"].iloc[0] == "P6 objective 07"
    assert frame["✖ Red"].iloc[0] == 2
    app.number_input(key="objectives_page").set_value(2).run()
    assert len(app.dataframe[0].value) == 10


def _has_caption(at, start: str) -> bool:
    return any(caption.value.startswith(start) for caption in at.caption)


def test_county_wide_counts_show_thousands_separators(app, factory):
    with factory() as session:
        build_long_plans(session, plans=1, objectives=21, actions_per_objective=50)
    _open(app, "pages/overview.py")
    shown = {m.label: m.value for m in app.metric}
    assert shown["✔ Green"] == "1,029" and shown["✖ Red"] == "21"
    assert shown["⚠ Overdue"] == "525"
    assert _has_caption(app, "Actions 1 to 100 of 1,050, in plan order.")
