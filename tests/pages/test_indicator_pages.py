"""The Indicators and Indicator pages as a user sees them: figures, RAG in words and symbols,
directions of travel, the chart's target line and band, corrections, and entering a value."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from plan.models import IndicatorValue
from rulebook.periods import read_period
from tests.builders import add_indicator, add_plan, add_user, add_value, cheap_hasher, noon
from tests.pages.conftest import PAGES_NOW, metrics
from tests.pages.test_updates_pages import new_app, sign_in, texts

__all__ = ["new_app"]
pytestmark = pytest.mark.time_machine(PAGES_NOW)  # 18 Nov 2026: Q3 2026/27, last is Q2


@pytest.fixture(autouse=True)
def fast_passwords(monkeypatch):
    monkeypatch.setattr("plan.auth._hasher", cheap_hasher())


@pytest.fixture
def seeded(factory):
    with factory() as session:
        plan = add_plan(session, "VAWG", "Protection", "Justice")
        protection, justice = plan.objectives
        targets = {f"Q{q} {y}": 28.0 for y in ("2025/26", "2026/27") for q in (1, 2, 3, 4)}
        marac = add_indicator(
            session,
            plan,
            "DA1",
            "Repeat MARAC referrals",
            polarity="lower is better",
            unit="%",
            owners=["Kylie Thornton"],
            objective=protection,
            targets=targets,
        )
        sanction = add_indicator(
            session,
            plan,
            "DA2",
            "Sanction detection rate",
            unit="%",
            objective=justice,
            owners=["Police"],
            targets={"Q1 2026/27": 15.0, "Q2 2026/27": 15.0},
        )
        incidents = add_indicator(
            session,
            plan,
            "DA3",
            "Police-recorded domestic abuse incidents",
            polarity="contextual",
            objective=justice,
        )
        for period, m, s, i in [
            ("Q2 2025/26", 31.0, None, 1010.0),
            ("Q1 2026/27", 29.0, 15.5, 1050.0),
            ("Q2 2026/27", 27.5, 12.0, 990.0),
        ]:
            day = noon(read_period(period).end + dt.timedelta(days=20))
            add_value(session, marac, period, m, at=day)
            if s is not None:
                add_value(session, sanction, period, s, at=day)
            add_value(session, incidents, period, i, at=day)
        add_user(session, "owner@test.org", "owner", owner_names=["kylie thornton"])
        add_user(session, "viewer@test.org", "viewer")
        session.commit()
        return {"DA1": marac.id, "DA2": sanction.id}


def _table(at, index: int) -> list[dict]:
    return at.dataframe[index].value.to_dict("records")


def test_indicators_page_shows_latest_figures(new_app, seeded):
    at = new_app()
    at.run()
    at.switch_page("pages/indicators.py").run()
    assert not at.exception, at.exception
    assert metrics(at) == {
        "Indicators ✖ Red": 1,
        "Indicators ▲ Amber": 0,
        "Indicators ✔ Green": 1,
        "Indicators – Not rated": 1,
    }
    assert [s.value for s in at.subheader] == ["Protection", "Justice"]
    protection = _table(at, 0)
    assert [
        {
            k: r[k]
            for k in ("Ref", "Period", "Value", "Target", "RAG", "vs last period", "vs last year")
        }
        for r in protection
    ] == [
        {
            "Ref": "DA1",
            "Period": "Q2 2026/27",
            "Value": "27.5%",
            "Target": "28%",
            "RAG": "✔ Green",
            "vs last period": "↗ Improving",
            "vs last year": "↗ Improving",
        }
    ]
    assert list(protection[0]["Trend"]) == [31.0, 29.0, 27.5]
    justice = _table(at, 1)
    assert [(r["Ref"], r["Value"], r["RAG"], r["vs last period"]) for r in justice] == [
        ("DA2", "12%", "✖ Red", "↘ Worsening"),
        ("DA3", "990", "– Not rated", ""),
    ]


def test_indicator_page_chart_table_and_entry(new_app, seeded, factory):
    at = new_app()
    at.run()
    sign_in(at, "owner@test.org")
    at.query_params["indicator"] = str(seeded["DA1"])
    at.switch_page("pages/indicator.py").run()
    assert not at.exception, at.exception
    assert "✔ Green" in texts(at)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    traces = {trace["name"]: trace for trace in spec["data"]}
    assert traces["Value"]["y"] == [31.0, 29.0, 27.5]
    assert set(traces["Target"]["y"]) == {28.0}
    # Lower is better: the Amber band runs from the target up to 5% above it.
    assert traces["Amber band (within tolerance)"]["y"][0] == pytest.approx(29.4)
    rows = _table(at, 0)
    assert (rows[0]["Period"], rows[0]["Value"], rows[0]["RAG"]) == (
        "Q4 2026/27",
        "",
        "– Not rated",
    )
    q2 = next(r for r in rows if r["Period"] == "Q2 2026/27")
    assert (q2["Value"], q2["RAG"], q2["vs last period"]) == ("27.5%", "✔ Green", "↗ Improving")

    # The owner corrects Q2 2026/27 to a Red value: refused without a note, saved with one.
    at.selectbox(key=f"ind_period_{seeded['DA1']}").set_value(read_period("Q2 2026/27")).run()
    at.number_input(key=f"ind_value_{seeded['DA1']}").set_value(31.0)
    at.form_submit_button[0].click().run()
    assert "corrective action" in texts(at)
    at.text_area(key=f"ind_note_{seeded['DA1']}").input("Extra IDVA capacity from January")
    at.form_submit_button[0].click().run()
    assert not at.exception, at.exception
    assert "Saved Q2 2026/27 for DA1." in texts(at)
    assert "✖ Red" in texts(at)
    corrections = _table(at, 1)
    assert [(r["Period"], r["Entry"], r["Value"]) for r in corrections[:2]] == [
        ("Q2 2026/27", "current", "31%"),
        ("Q2 2026/27", "superseded", "27.5%"),
    ]
    with factory() as session:
        assert (
            session.scalars(
                select(IndicatorValue.note).order_by(IndicatorValue.id.desc()).limit(1)
            ).one()
            == "Extra IDVA capacity from January"
        )


def test_viewer_sees_no_form(new_app, seeded):
    at = new_app()
    at.run()
    sign_in(at, "viewer@test.org")
    at.switch_page("pages/indicator.py").run()
    assert not at.exception, at.exception
    assert "Only this indicator's owners and officers can enter its values." in texts(at)
    assert not at.form_submit_button


def test_indicator_page_keeps_the_indicator_chosen_after_a_link(new_app, seeded):
    at = new_app()
    at.run()
    at.query_params["indicator"] = str(seeded["DA1"])
    at.switch_page("pages/indicator.py").run()
    at.selectbox(key="indicator_id").set_value(seeded["DA2"]).run()
    assert at.selectbox(key="indicator_id").value == seeded["DA2"]
    assert at.query_params["indicator"] == str(seeded["DA2"])
