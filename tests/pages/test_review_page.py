"""The Review page (officers): switch review on, the queue of submissions with what changed,
publish or return; the owner sees a returned update's comment; the Overview changes only once
published, unless an officer includes submitted updates."""

import datetime as dt

import pytest
from sqlalchemy import select

from pages.session import ACTOR_KEY, SIGNED_IN_AT_KEY
from plan.models import AuditEntry, Plan
from plan.services import ProgressInput, record_progress
from rulebook.rag import Rag
from tests.builders import actor_of, add_action, add_plan, add_update, add_user
from tests.pages.conftest import PAGES_NOW, metrics, shown

PAGE = "pages/review.py"
pytestmark = pytest.mark.time_machine(PAGES_NOW)
EARLIER = PAGES_NOW - dt.timedelta(days=20)


def _seed(factory, *, reviewed=True, submitted=True):
    with factory() as session:
        plan = add_plan(session, "VAWG")
        plan.review_required = reviewed
        action = add_action(session, plan, "Train staff", ref="1.1", owners=["Kylie Thornton"])
        first = add_update(session, action, Rag.GREEN, at=EARLIER)
        add_user(session, "officer@test.org", "officer")
        add_user(session, "kylie@test.org", "owner", owner_names=["Kylie Thornton"])
        session.commit()
        if submitted:
            record_progress(
                session,
                actor_of(session, "kylie@test.org"),
                action.id,
                ProgressInput(Rag.RED, "Venue lost", issue="No venue", remedy="Looking"),
                expected_latest_update_id=first.id,
            )
            session.commit()
        return plan.id


def _as(app, factory, email, page=PAGE):
    with factory() as session:
        app.session_state[ACTOR_KEY] = actor_of(session, email)
    app.session_state[SIGNED_IN_AT_KEY] = dt.datetime.now(dt.UTC)
    app.run()
    app.switch_page(page).run()
    assert not app.exception, app.exception
    return app


def _overview_rag(app):
    app.switch_page("pages/overview.py").run()
    assert not app.exception, app.exception
    return {k: v for k, v in metrics(app).items() if k in ("✖ Red", "✔ Green")}


def test_officer_sees_what_changed_and_publishes(app, factory):
    _seed(factory)
    _as(app, factory, "officer@test.org")
    assert app.subheader[0].value == "Waiting for review: 1"
    text = " ".join(shown(m.value) for m in app.markdown)
    assert "1.1 Train staff" in text and "submitted by kylie" in text
    assert "RAG: ✔ Green → ✖ Red" in text
    assert _overview_rag(app) == {"✖ Red": 0, "✔ Green": 1}
    app.toggle(key="include_submitted").set_value(True).run()
    assert {k: v for k, v in metrics(app).items() if k in ("✖ Red", "✔ Green")} == {
        "✖ Red": 1,
        "✔ Green": 0,
    }
    assert "including submitted updates" in shown(app.caption[0].value)

    app.switch_page(PAGE).run()
    app.button(key=next(b.key for b in app.button if b.key.startswith("publish_"))).click().run()
    assert not app.exception, app.exception
    assert [shown(s.value) for s in app.success] == ["Published the update on 1.1."]
    assert app.info[0].value == "Nothing is waiting for review."
    app.switch_page("pages/overview.py").run()
    app.toggle(key="include_submitted").set_value(False).run()
    assert _overview_rag(app) == {"✖ Red": 1, "✔ Green": 0}


def test_officer_returns_with_a_comment_the_owner_sees(app, factory):
    _seed(factory)
    _as(app, factory, "officer@test.org")
    update_key = next(b.key for b in app.button if b.key.startswith("return_"))
    update_id = update_key.removeprefix("return_")
    app.button(key=update_key).click().run()
    assert "Say why" in app.error[0].value
    app.text_input(key=f"review_comment_{update_id}").input("Which venue? Say more.").run()
    app.button(key=update_key).click().run()
    assert [shown(s.value) for s in app.success] == ["Returned the update on 1.1 to kylie."]

    app.session_state[ACTOR_KEY] = None
    _as(app, factory, "kylie@test.org", "pages/my_actions.py")
    warning = shown(app.warning[0].value)
    assert "1 of your updates came back from review" in warning
    assert "Which venue? Say more." in warning
    with factory() as session:
        events = list(session.scalars(select(AuditEntry.event)))
        assert "update returned" in events


def test_switching_review_on_is_audited_and_owners_then_submit(app, factory):
    plan_id = _seed(factory, reviewed=False, submitted=False)
    _as(app, factory, "officer@test.org")
    assert app.info[0].value == "Nothing is waiting for review."
    app.toggle(key=f"review_plan_{plan_id}").set_value(True).run()
    assert not app.exception, app.exception
    assert [shown(s.value) for s in app.success] == ["VAWG: owners' updates now reviewed."]
    with factory() as session:
        assert session.get(Plan, plan_id).review_required
        entry = session.scalar(select(AuditEntry).where(AuditEntry.event == "review switched"))
        assert (entry.actor, entry.target) == ("officer@test.org", "VAWG")


@pytest.mark.parametrize("email", ["kylie@test.org"])
def test_owners_cannot_review(app, factory, email):
    _seed(factory)
    _as(app, factory, email)
    assert not app.button  # no Publish, no Return
    assert "not allowed" in " ".join(e.value for e in app.error) or app.warning
    app.switch_page("pages/overview.py").run()
    assert not any(t.key == "include_submitted" for t in app.toggle)


def test_a_reminder_link_opens_the_form_for_its_action_after_signing_in(app, factory):
    """TRACKER_URL/my_actions?action=ID: signed out, the page asks for sign-in and keeps the
    id; once signed in, My actions opens with that action's form."""
    from plan.models import Action

    _seed(factory, submitted=False)
    with factory() as session:
        action_id = session.scalar(select(Action.id))
    app.query_params["action"] = str(action_id)
    app.run()
    app.switch_page("pages/my_actions.py").run()
    assert "Sign in first" in app.info[0].value
    _as(app, factory, "kylie@test.org", "pages/my_actions.py")
    assert app.radio(key=f"rag_{action_id}")  # the update form for that action
    assert app.get("form")
    assert any("Train staff" in m.value for m in app.markdown if "owner-card" in m.value)
