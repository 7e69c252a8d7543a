"""The overview page shows the database's numbers, with words beside every RAG colour."""

import datetime as dt
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from plan.bootstrap import load_demo_plans
from plan.queries import overdue_count, plan_options, rag_counts
from plan.rules.rag import RAG_ORDER, Rag, rag_label
from tests.builders import add_action, add_plan, add_update

APP = Path(__file__).resolve().parents[2] / "app.py"


@pytest.fixture
def app(database_url, monkeypatch):
    """An AppTest of the whole app on the test's own database, without the demo plans."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("TRACKER_LOAD_DEMO", "0")
    st.cache_resource.clear()
    at = AppTest.from_file(str(APP), default_timeout=30)
    yield at
    st.cache_resource.clear()


def _metrics(at):
    return {m.label: int(m.value) for m in at.metric}


def test_empty_database_says_how_to_import(app):
    app.run()
    assert not app.exception
    assert "python -m plan import PATH" in app.info[0].value


def test_figures_match_the_database_for_each_plan(app, factory):
    with factory() as session:
        plan = add_plan(session, "VAWG")
        other = add_plan(session, "Other")
        now = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
        red = add_action(session, plan, "Late and red", ref="1", deadline=dt.date(2020, 1, 1))
        add_update(session, red, Rag.RED, at=now, progress="Stuck")
        green = add_action(session, plan, "On track", ref="2", deadline=dt.date(2099, 1, 1))
        add_update(session, green, Rag.GREEN, at=now)
        add_action(session, plan, "Unrated", ref="3")
        add_action(session, other, "Elsewhere", deadline=dt.date(2020, 1, 1))
        session.commit()

    app.run()
    assert not app.exception
    assert _metrics(app) == {
        "✖ Red": 1,
        "▲ Amber": 0,
        "✔ Green": 1,
        "★ Blue": 0,
        "– Not rated": 2,
        "⚠ Overdue": 2,
    }
    app.selectbox(key="plan").set_value("VAWG").run()
    with factory() as session:
        plan_id = next(o.id for o in plan_options(session) if o.name == "VAWG")
        counts = rag_counts(session, plan_id=plan_id, as_at=dt.date.today())
        overdue = overdue_count(session, plan_id=plan_id, as_at=dt.date.today())
    expected = {rag_label(rag): counts.of(rag) for rag in RAG_ORDER} | {"⚠ Overdue": overdue}
    assert (
        _metrics(app)
        == expected
        == {
            "✖ Red": 1,
            "▲ Amber": 0,
            "✔ Green": 1,
            "★ Blue": 0,
            "– Not rated": 1,
            "⚠ Overdue": 1,
        }
    )
    table = app.dataframe[0].value
    assert list(table["Ref"]) == ["1", "2", "3"]
    assert list(table["RAG"]) == ["✖ Red", "✔ Green", "– Not rated"]
    assert list(table["Deadline"]) == ["1 Jan 2020 (01/01/2020)", "1 Jan 2099 (01/01/2099)", ""]
    assert list(table["Latest update"]) == ["Stuck", "update", ""]
    assert list(table["Overdue"]) == ["Yes", "", ""]


def test_as_at_date_shows_the_past(app, factory):
    with factory() as session:
        plan = add_plan(session, "VAWG")
        action = add_action(session, plan, "A", created_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
        add_update(session, action, Rag.GREEN, at=dt.datetime(2025, 5, 1, tzinfo=dt.UTC))
        add_update(session, action, Rag.RED, at=dt.datetime(2025, 8, 1, tzinfo=dt.UTC))
        session.commit()
    app.run()
    app.date_input(key="as_at").set_value(dt.date(2025, 6, 30)).run()
    assert _metrics(app)["✔ Green"] == 1 and _metrics(app)["✖ Red"] == 0
    app.date_input(key="as_at").set_value(dt.date(2025, 9, 30)).run()
    assert _metrics(app)["✔ Green"] == 0 and _metrics(app)["✖ Red"] == 1


def test_first_run_loads_the_demo_plans(database_url, monkeypatch, factory):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("TRACKER_LOAD_DEMO", raising=False)
    st.cache_resource.clear()
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    st.cache_resource.clear()
    assert not at.exception
    with factory() as session:
        names = [o.name for o in plan_options(session)]
        counts = rag_counts(session, plan_id=None, as_at=dt.date.today())
    assert len(names) == 2
    assert sum(_metrics(at)[rag_label(r)] for r in RAG_ORDER) == counts.total == 63
    assert len(at.dataframe[0].value) == 63


def test_demo_plans_load_every_transcribed_action(factory):
    reports = load_demo_plans(factory)
    assert [(r.actions_created, len(r.issues)) for r in reports] == [(29, 1), (34, 0)]
