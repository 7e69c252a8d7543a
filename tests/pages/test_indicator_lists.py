"""The Indicators page a page at a time (counts for all), the Indicator page reading only the
chosen indicator, its select box and address agreeing, and the demo indicators as a user
sees them at the demo plans' end."""

from __future__ import annotations

import datetime as dt

import pytest

import plan.queries.indicators as indicator_queries
from plan.bootstrap import load_demo_plans
from plan.demo import DEMO_AS_AT
from plan.queries.indicator_lists import indicator_options
from plan.queries.state import Selection
from rulebook.periods import read_period
from tests.builders import add_indicator, add_plan, add_value, noon
from tests.pages.conftest import PAGES_NOW, metrics
from tests.pages.conftest import shown as unescaped
from tests.pages.test_updates_pages import new_app, texts

__all__ = ["new_app"]


def _rows(at) -> list[dict]:
    return [row for frame in at.dataframe for row in frame.value.to_dict("records")]


@pytest.fixture
def sixty(factory):
    """60 indicators in one objective: 20 Red, 40 Green as at Q2 2026/27's report."""
    with factory() as session:
        plan = add_plan(session, "VAWG", "Protection")
        (protection,) = plan.objectives
        day = noon(read_period("Q2 2026/27").end + dt.timedelta(days=20))
        for number in range(1, 61):
            indicator = add_indicator(
                session,
                plan,
                f"I{number:02d}",
                f"Indicator {number:02d}",
                objective=protection,
                targets={"Q2 2026/27": 100.0},
            )
            add_value(session, indicator, "Q2 2026/27", 50.0 if number % 3 == 0 else 120.0, at=day)
        session.commit()


@pytest.mark.time_machine(PAGES_NOW)
def test_objective_and_plan_names_are_shown_as_written(new_app, factory):
    with factory() as session:
        plan = add_plan(session, "VAWG_2026 *draft*", "**Protect** [victims](http://x.test)")
        add_indicator(session, plan, "P1", "Refuge places", objective=plan.objectives[0])
        session.commit()
    at = new_app()
    at.run()
    at.switch_page("pages/indicators.py").run()
    assert not at.exception, at.exception
    assert unescaped(at.subheader[0].value) == "**Protect** [victims](http://x.test)"
    assert at.subheader[0].value != unescaped(at.subheader[0].value)  # escaped, not Markdown
    assert unescaped(at.caption[-1].value) == "VAWG_2026 *draft*"
    assert at.caption[-1].value != "VAWG_2026 *draft*"


@pytest.mark.time_machine(PAGES_NOW)
def test_indicators_page_shows_fifty_a_page_and_counts_them_all(new_app, sixty):
    at = new_app()
    at.run()
    at.switch_page("pages/indicators.py").run()
    assert not at.exception, at.exception
    assert metrics(at) == {
        "Indicators ✖ Red": 20,
        "Indicators ▲ Amber": 0,
        "Indicators ✔ Green": 40,
        "Indicators – Not rated": 0,
    }
    assert [r["Ref"] for r in _rows(at)] == [f"I{n:02d}" for n in range(1, 51)]
    assert "Indicators 1 to 50 of 60, in plan order." in texts(at)
    assert at.number_input(key="indicators_page").label == "Page (of 2)"
    at.number_input(key="indicators_page").set_value(2).run()
    assert [r["Ref"] for r in _rows(at)] == [f"I{n:02d}" for n in range(51, 61)]
    assert "Indicators 51 to 60 of 60, in plan order." in texts(at)
    assert metrics(at)["Indicators ✔ Green"] == 40  # the counts still count all 60

    # The RAG filter is applied before paging: 20 Red fit on one page, and a new filter
    # goes back to page 1.
    at.multiselect(key="rags").select("✖ Red").run()
    assert not at.exception, at.exception
    assert [r["Ref"] for r in _rows(at)] == [f"I{n:02d}" for n in range(3, 61, 3)]
    assert all(r["RAG"] == "✖ Red" for r in _rows(at))


@pytest.mark.time_machine(PAGES_NOW)
def test_indicator_page_reads_only_the_chosen_indicator(new_app, sixty, factory, monkeypatch):
    asked: list[object] = []
    real = indicator_queries.indicator_rows

    def indicator_rows(session, selection, as_at, indicator_ids=None):
        asked.append(indicator_ids)
        return real(session, selection, as_at, indicator_ids)

    monkeypatch.setattr(indicator_queries, "indicator_rows", indicator_rows)
    with factory() as session:
        options = indicator_options(session, Selection(), None)
    assert len(options) == 60
    twelfth = list(options)[11]
    at = new_app()
    at.run()
    at.query_params["indicator"] = str(twelfth)
    at.switch_page("pages/indicator.py").run()
    assert not at.exception, at.exception
    # The select box offers all 60 and shows the one the address names; only its figures
    # were read.
    box = at.selectbox(key="indicator_id")
    assert len(box.options) == 60
    assert box.value == twelfth
    assert at.query_params["indicator"] == str(twelfth)
    assert asked == [(twelfth,)]
    # Picking another writes it into the address; the address does not pull it back.
    box.set_value(list(options)[2]).run()
    assert at.selectbox(key="indicator_id").value == list(options)[2]
    assert at.query_params["indicator"] == str(list(options)[2])
    assert asked[-1] == (list(options)[2],)
    assert at.subheader[0].value == "I03 Indicator 03"


def test_demo_indicators_as_at_the_plans_end(new_app, factory):
    load_demo_plans(factory)
    at = new_app()
    at.run()
    at.switch_page("pages/indicators.py").run()
    assert not at.exception, at.exception
    assert at.date_input(key="as_at").value == DEMO_AS_AT
    assert metrics(at) == {
        "Indicators ✖ Red": 1,
        "Indicators ▲ Amber": 1,
        "Indicators ✔ Green": 3,
        "Indicators – Not rated": 1,
    }
    assert "Demo data" in texts(at)
    shown = {
        r["Ref"]: (r["Period"], r["Value"], r["Target"], r["RAG"], r["vs last period"])
        for r in _rows(at)
    }
    assert shown == {
        "VAWG1": ("Q3 2013/14", "1,196", "", "– Not rated", ""),
        "VAWG3": ("Q3 2013/14", "97", "90", "✔ Green", "↗ Improving"),
        "VAWG6": ("Q3 2013/14", "86%", "85%", "✔ Green", "↘ Worsening"),
        "VAWG4": ("Q3 2013/14", "36.2%", "42%", "✖ Red", "↘ Worsening"),
        "VAWG2": ("Q3 2013/14", "29.3%", "28%", "▲ Amber", "↘ Worsening"),
        "VAWG5": ("Q3 2013/14", "56", "54", "✔ Green", "↗ Improving"),
    }

    with factory() as session:
        options = indicator_options(session, Selection(), DEMO_AS_AT)
    red = next(i for i, label in options.items() if label.startswith("VAWG4"))
    at.query_params["indicator"] = str(red)
    at.switch_page("pages/indicator.py").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="indicator_id").value == red
    assert "✖ Red" in texts(at)
    assert "Amber within:** 5% of target" in texts(at)  # the plan's tolerance
    periods = {r["Period"]: r for r in at.dataframe[0].value.to_dict("records")}
    assert periods["Q3 2013/14"]["Note"].startswith("DEMO: Corrective action:")
    assert periods["Q4 2013/14"]["Value"] == ""  # the target waits for its figure
    corrections = at.dataframe[1].value.to_dict("records")
    assert [(r["Entry"], r["Value"]) for r in corrections if r["Period"] == "Q2 2013/14"] == [
        ("current", "39.4%"),
        ("superseded", "40.1%"),
    ]
    # A contextual indicator is watched, not rated: no tolerance, no target, no better or worse.
    police = next(i for i, label in options.items() if label.startswith("VAWG1"))
    at.selectbox(key="indicator_id").set_value(police).run()
    assert "Watched for context: no target, so not rated" in texts(at)
    assert "Amber within" not in texts(at)
    assert "**Latest:** Q3 2013/14: 1,196" in [unescaped(m.value) for m in at.markdown]
    marac = next(i for i, label in options.items() if label.startswith("VAWG2"))
    at.selectbox(key="indicator_id").set_value(marac).run()
    assert at.query_params["indicator"] == str(marac)
    assert "▲ Amber" in texts(at)
    assert "Amber within:** 2 percentage points of target" in texts(at)  # its own
