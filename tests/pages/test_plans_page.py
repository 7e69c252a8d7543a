"""The Plans page: officers see and set each plan's period; others cannot."""

import datetime as dt

import pytest
from sqlalchemy import select

from pages.session import ACTOR_KEY, SIGNED_IN_AT_KEY
from plan.models import AuditEntry, Plan
from tests.builders import actor_of, add_action, add_plan, add_user
from tests.pages.conftest import PAGES_NOW, shown

PAGE = "pages/plans.py"
pytestmark = pytest.mark.time_machine(PAGES_NOW)


def _open(app, factory, role: str):
    with factory() as session:
        old = add_plan(session, "VAWC 2011/14")
        old.period_start, old.period_end = dt.date(2011, 4, 1), dt.date(2014, 3, 31)
        add_action(session, old, "Act")
        add_plan(session, "DA plan")
        add_user(session, f"{role}@test.org", role)
        session.commit()
        app.session_state[ACTOR_KEY] = actor_of(session, f"{role}@test.org")
    app.session_state[SIGNED_IN_AT_KEY] = dt.datetime.now(dt.UTC)
    app.run()
    app.switch_page(PAGE).run()
    assert not app.exception
    return app


def test_officer_sees_periods_and_sets_one(app, factory):
    _open(app, factory, "officer")
    table = app.dataframe[0].value
    assert list(table["Plan"]) == ["DA plan", "VAWC 2011/14"]
    assert list(table["Period end"]) == ["", "31 Mar 2014"]
    assert list(table["Status"]) == ["Running", "Ended"]

    app.selectbox(key="plans_plan").set_value("DA plan").run()
    plan_id = next(p for p in _plans(factory) if p.name == "DA plan").id
    app.date_input(key=f"plans_start_{plan_id}").set_value(dt.date(2013, 4, 1)).run()
    app.date_input(key=f"plans_end_{plan_id}").set_value(dt.date(2014, 3, 31)).run()
    app.button(key="plans_save").click().run()
    assert not app.exception
    assert [shown(s.value) for s in app.success] == [
        "Saved: 'DA plan' runs 1 Apr 2013 to 31 Mar 2014."
    ]
    assert list(app.dataframe[0].value["Status"]) == ["Ended", "Ended"]
    with factory() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.event == "plan period set"))
        assert (entry.actor, entry.target) == ("officer@test.org", "DA plan")


def test_a_backwards_period_is_refused_with_a_sentence(app, factory):
    _open(app, factory, "admin")
    plan_id = next(p for p in _plans(factory) if p.name == "VAWC 2011/14").id
    app.selectbox(key="plans_plan").set_value("VAWC 2011/14").run()
    app.date_input(key=f"plans_end_{plan_id}").set_value(dt.date(2010, 3, 31)).run()
    app.button(key="plans_save").click().run()
    assert [shown(e.value) for e in app.error] == [
        "the period cannot end (31/03/2010) before it starts (01/04/2011)"
    ]
    assert next(p for p in _plans(factory) if p.id == plan_id).period_end == dt.date(2014, 3, 31)


@pytest.mark.parametrize("role", ["chair", "owner", "viewer"])
def test_others_cannot_edit_plans(app, factory, role):
    _open(app, factory, role)
    assert "cannot edit a plan's details" in app.warning[0].value
    assert not app.dataframe


def _plans(factory):
    with factory() as session:
        return session.scalars(select(Plan)).all()


def test_officer_writes_the_plans_rag_key_and_the_overview_shows_it(app, factory):
    from rulebook.rag import Rag
    from rulebook.rag_key import DEFAULT_DEFINITIONS, rag_key_from

    _open(app, factory, "officer")
    app.selectbox(key="plans_plan").set_value("VAWC 2011/14").run()
    plan_id = next(p for p in _plans(factory) if p.name == "VAWC 2011/14").id
    amber = app.text_area(key=f"rag_key_Amber_{plan_id}")
    assert amber.value == DEFAULT_DEFINITIONS[Rag.AMBER]  # the common UK definitions
    amber.input("Slippage of up to three months")
    app.checkbox(key=f"blue_{plan_id}").uncheck()
    _save_key(app)
    assert not app.exception, app.exception
    assert "Saved the RAG key of 'VAWC 2011/14'." in [shown(s.value) for s in app.success]
    [saved] = [p for p in _plans(factory) if p.id == plan_id]
    key = rag_key_from(saved.rag_key)
    assert key.meaning(Rag.AMBER) == "Slippage of up to three months" and not key.uses_blue
    with factory() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.event == "plan RAG key set"))
        assert (entry.actor, entry.target) == ("officer@test.org", "VAWC 2011/14")

    app.switch_page("pages/overview.py").run()
    app.selectbox(key="plan").set_value("VAWC 2011/14").run()
    expander = next(e for e in app.expander if e.label.startswith("RAG key"))
    text = shown(" ".join(m.value for m in expander.markdown))
    assert "▲ Amber: Slippage of up to three months" in text.replace("**", "")
    assert "Blue is not used" in text


def test_an_empty_definition_is_refused(app, factory):
    _open(app, factory, "admin")
    plan_id = next(p for p in _plans(factory) if p.name == "DA plan").id
    app.selectbox(key="plans_plan").set_value("DA plan").run()
    app.text_area(key=f"rag_key_Red_{plan_id}").input(" ")
    _save_key(app)
    assert [shown(e.value) for e in app.error] == ["Say what Red means for this plan."]
    assert next(p for p in _plans(factory) if p.id == plan_id).rag_key is None


def _save_key(app):
    button = next(b for b in app.button if b.label == "Save the RAG key")
    button.click().run()
