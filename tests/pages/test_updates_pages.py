"""Signing in as each role: what each can see and do on the update, bulk, audit and users pages."""

import datetime as dt
import html
import json
import re
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from plan import throttle
from plan.models import AuditEntry, BoardDecision, Plan, ProgressUpdate, Role, User
from rulebook.dates import format_uk_date
from rulebook.overdue import DUE_SOON_DAYS
from rulebook.rag import Rag
from tests.builders import (
    DEMO_TEST_PASSWORD,
    add_action,
    add_plan,
    add_update,
    add_user,
    cheap_hasher,
)
from tests.pages.conftest import PAGES_NOW, shown

pytestmark = pytest.mark.time_machine(PAGES_NOW)
APP = Path(__file__).resolve().parents[2] / "app.py"
PAST = PAGES_NOW - dt.timedelta(days=3)
TODAY = PAGES_NOW.date()


@pytest.fixture(autouse=True)
def fast_passwords(monkeypatch):
    monkeypatch.setattr("plan.auth._hasher", cheap_hasher())


@pytest.fixture
def seeded(factory):
    """A plan with actions for two owners and one account per role."""
    with factory() as session:
        plan = add_plan(session, "VAWG")
        late = add_action(
            session,
            plan,
            "Train frontline staff",
            ref="1.1",
            owners=["Kylie Thornton"],
            deadline=TODAY - dt.timedelta(days=10),
        )
        add_update(session, late, Rag.AMBER, at=PAST, progress="Half the staff trained")
        add_action(
            session,
            plan,
            "Publish the leaflet",
            ref="1.2",
            owners=["Kylie Thornton", "GMP"],
            deadline=TODAY + dt.timedelta(days=7),
        )
        add_action(
            session,
            plan,
            "Later work",
            ref="1.3",
            owners=["Probation"],
            deadline=dt.date(2028, 11, 18),  # two years after TODAY
        )
        add_action(session, plan, "Someone else's", ref="2.1", owners=["Ian Peet"])
        for role in Role:
            add_user(
                session,
                f"{role.value}@test.org",
                role.value,
                owner_names=["kylie thornton", "Probation"] if role == Role.OWNER else (),
            )
        session.commit()
        ids = {a.ref: a.id for a in plan.actions}
    return ids


@pytest.fixture
def new_app(database_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("TRACKER_LOAD_DEMO", "0")
    st.cache_resource.clear()

    def make() -> AppTest:
        return AppTest.from_file(str(APP), default_timeout=30)

    yield make
    st.cache_resource.clear()


def sign_in(at: AppTest, email: str, password: str = DEMO_TEST_PASSWORD) -> AppTest:
    at.switch_page("pages/sign_in.py").run()
    at.text_input(key="sign_in_email").input(email)
    at.text_input(key="sign_in_password").input(password)
    at.form_submit_button[0].click().run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("info", "warning", "error", "success") for e in getattr(at, kind)]
    parts += [m.value for m in at.markdown] + [c.value for c in at.caption]
    return shown("\n".join(str(p) for p in parts))


def my_actions(at: AppTest) -> AppTest:
    at.switch_page("pages/my_actions.py").run()
    assert not at.exception, at.exception
    return at


def choose(at: AppTest, action_id: int) -> AppTest:
    at.selectbox(key="chosen_action").set_value(action_id).run()
    assert not at.exception, at.exception
    return at


def fill(at: AppTest, action_id: int, **values) -> AppTest:
    keys = {
        "rag": "radio",
        "progress": "text_area",
        "issue": "text_area",
        "remedy": "text_area",
        "percent": "number_input",
        "revised": "date_input",
        "reason": "text_input",
        "link": "text_input",
        "done": "date_input",
    }
    for field, value in values.items():
        widget = getattr(at, keys[field])(key=f"{field}_{action_id}")
        if keys[field] in ("text_area", "text_input"):
            widget.input(value)
        else:
            widget.set_value(value)
    return at


def save(at: AppTest) -> AppTest:
    button = next(b for b in at.button if b.label == "Save update")
    button.click().run()
    assert not at.exception, at.exception
    return at


def count(factory, model, *where) -> int:
    with factory() as session:
        return session.scalar(select(func.count(model.id)).where(*where))


# --- Signed out ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "page",
    ["pages/my_actions.py", "pages/bulk_update.py", "pages/audit_log.py", "pages/users.py"],
)
def test_signed_out_nobody_changes_anything(new_app, seeded, page):
    at = new_app().run()
    at.switch_page(page).run()
    assert not at.exception
    assert "Sign in first" in at.info[0].value
    # Nothing but a way to sign in (My actions has the sign-in form itself).
    assert [b.label for b in at.form_submit_button] in ([], ["Sign in"]) and not at.data_editor


def test_wrong_password_is_refused_and_counted(new_app, seeded, factory):
    at = sign_in(new_app().run(), "owner@test.org", "not the password")
    assert "Wrong e-mail or password" in shown(at.error[0].value)
    assert at.text_input(key="sign_in_email")  # still on the form
    with factory() as session:
        assert throttle.failures(session, "owner@test.org", "local") == 1


def test_sign_in_and_out(new_app, seeded, factory):
    at = sign_in(new_app().run(), "Owner@Test.org")
    assert "role **owner**" in at.success[0].value
    assert "owned by: Probation, kylie thornton" in texts(at)
    at.button(key="sign_out").click().run()
    assert at.text_input(key="sign_in_email")
    my_actions(at)
    assert "Sign in first" in at.info[0].value
    with factory() as session:
        events = list(session.scalars(select(AuditEntry.event).order_by(AuditEntry.id)))
    assert events[-2:] == ["sign in", "sign out"]


# --- Owner -------------------------------------------------------------------------------------


def test_owner_sees_only_their_actions_overdue_first(new_app, seeded):
    at = my_actions(sign_in(new_app().run(), "owner@test.org"))
    table = at.dataframe[0].value
    assert list(table["Ref"]) == ["1.1", "1.2", "1.3"]
    assert list(table["Due"]) == ["⚠ Overdue", "Due soon", ""]
    assert f"3 actions as at {format_uk_date(TODAY)}: 1 overdue, 1 due in the next " in texts(at)
    assert f"due in the next {DUE_SOON_DAYS} days." in texts(at)
    assert list(table["RAG"]) == ["▲ Amber", "– Not rated", "– Not rated"]
    assert table["Last update"][0] == "Half the staff trained"
    assert "Test Author" in table["Updated"][0]


def test_owner_updates_an_action_through_the_form(new_app, seeded, factory):
    at = choose(my_actions(sign_in(new_app().run(), "owner@test.org")), seeded["1.1"])
    fill(
        at,
        seeded["1.1"],
        rag=Rag.RED,
        progress="Trainer left",
        percent=40,
        revised=TODAY + dt.timedelta(days=60),
        reason="New trainer starts in a month",
        link="https://intranet.example/evidence",
    )
    save(at)
    # Red without the issue and what is being done: refused, nothing saved, text kept.
    assert "Nothing was saved" in at.error[0].value
    assert "say what the issue is" in at.error[0].value
    assert at.text_area(key=f"progress_{seeded['1.1']}").value == "Trainer left"
    assert count(factory, ProgressUpdate, ProgressUpdate.action_id == seeded["1.1"]) == 1

    fill(at, seeded["1.1"], issue="No trainer", remedy="Recruiting a new trainer")
    save(at)
    assert "Saved: ✖ Red" in at.success[0].value
    assert not at.form_submit_button  # the confirmation stands where the form was
    with factory() as session:
        update = session.scalars(
            select(ProgressUpdate).order_by(ProgressUpdate.id.desc()).limit(1)
        ).one()
    assert (update.rag, update.progress, update.issue, update.percent_complete) == (
        Rag.RED,
        "Trainer left",
        "No trainer",
        40,
    )
    assert update.author_email == "owner@test.org"
    assert update.revised_deadline == TODAY + dt.timedelta(days=60)
    # Until the owner moves on; then a fresh, empty form.
    at.button(key=f"another_update_{seeded['1.1']}").click().run()
    assert not at.success
    assert at.text_area(key=f"progress_{seeded['1.1']}_1").value == ""
    # Back to the list: the table shows the new RAG and the revised deadline.
    at.button(key="back_to_list").click().run()
    table = at.dataframe[0].value
    row = table[table["Ref"] == "1.1"].iloc[0]
    assert row["RAG"] == "✖ Red"
    assert "baseline" in row["Deadline"]


def test_blue_asks_for_the_completion_date(new_app, seeded, factory):
    at = choose(my_actions(sign_in(new_app().run(), "owner@test.org")), seeded["1.2"])
    fill(at, seeded["1.2"], rag=Rag.BLUE, progress="Leaflet published")
    save(at)
    assert "give the date it was completed" in at.error[0].value
    fill(at, seeded["1.2"], done=TODAY)
    save(at)
    assert at.success
    with factory() as session:
        update = session.scalars(
            select(ProgressUpdate).where(ProgressUpdate.action_id == seeded["1.2"])
        ).one()
    assert update.completed_on == TODAY and update.status.value == "complete"


def test_owner_cannot_use_officer_or_admin_pages(new_app, seeded):
    at = sign_in(new_app().run(), "owner@test.org")
    for page in ("pages/bulk_update.py", "pages/audit_log.py", "pages/users.py"):
        at.switch_page(page).run()
        assert not at.exception
        assert "cannot" in at.warning[0].value
        assert not at.data_editor and not at.form_submit_button


def test_two_sessions_conflict_keeps_the_typed_text(new_app, seeded, factory):
    action_id = seeded["1.1"]
    first = choose(my_actions(sign_in(new_app().run(), "owner@test.org")), action_id)
    second = choose(my_actions(sign_in(new_app().run(), "officer@test.org")), action_id)

    fill(second, action_id, rag=Rag.GREEN, progress="All trained now")
    save(second)
    assert second.success

    fill(first, action_id, rag=Rag.AMBER, progress="Owner's careful words", issue="i", remedy="r")
    save(first)
    assert "nothing was saved" in first.error[0].value
    assert "All trained now" in first.warning[0].value  # the newer update is shown
    assert first.text_area(key=f"progress_{action_id}").value == "Owner's careful words"
    assert count(factory, ProgressUpdate, ProgressUpdate.action_id == action_id) == 2

    save(first)  # having read the newer update, saving again records theirs after it
    assert first.success
    with factory() as session:
        texts_ = list(
            session.scalars(
                select(ProgressUpdate.progress)
                .where(ProgressUpdate.action_id == action_id)
                .order_by(ProgressUpdate.id)
            )
        )
    assert texts_ == ["Half the staff trained", "All trained now", "Owner's careful words"]


# --- Viewer and chair --------------------------------------------------------------------------


def test_viewer_sees_every_action_and_changes_nothing(new_app, seeded):
    at = my_actions(sign_in(new_app().run(), "viewer@test.org"))
    assert at.selectbox(key="chosen_action").label == "Action to open"
    assert [shown(b.label) for b in at.button if b.key and b.key.startswith("update_")][:2] == [
        "Open 1.1",
        "Open 1.2",
    ]
    assert "cannot" in texts(at) or "not change any" in texts(at)
    assert len(at.dataframe[0].value) == 4
    choose(at, seeded["2.1"])
    assert not at.form_submit_button
    assert "can see this action but not update it" in at.info[-1].value


def test_chair_records_a_board_decision_but_cannot_update(new_app, seeded, factory):
    at = my_actions(sign_in(new_app().run(), "chair@test.org"))
    # The list offers what a chair can do: record a decision, not "Update".
    assert at.selectbox(key="chosen_action").label == "Action to record a board decision on"
    assert [shown(b.label) for b in at.button if b.key and b.key.startswith("update_")][:2] == [
        "Record a decision on 1.1",
        "Record a decision on 1.2",
    ]
    at = choose(at, seeded["1.1"])
    assert not [b for b in at.button if b.label == "Save update"]
    at.text_area(key=f"decision_{seeded['1.1']}").input("Escalate to the executive")
    at.date_input(key=f"meeting_{seeded['1.1']}").set_value(TODAY)
    next(b for b in at.button if b.label == "Record decision").click().run()
    assert not at.exception
    assert "Board decision recorded" in at.success[0].value
    assert "Escalate to the executive" in texts(at)
    assert count(factory, BoardDecision) == 1
    at.switch_page("pages/bulk_update.py").run()
    assert "cannot" in at.warning[0].value


# --- Officer: bulk update -------------------------------------------------------------------


def _bulk(at: AppTest, edits: dict[int, dict]) -> AppTest:
    at.switch_page("pages/bulk_update.py").run()
    assert not at.exception, at.exception
    key = at.data_editor[0].key if hasattr(at.data_editor[0], "key") else None
    plan_id = key or next(k for k in at.session_state.filtered_state if k.startswith("bulk_grid_"))
    at.session_state[plan_id] = {"edited_rows": edits, "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="bulk_save").click().run()
    assert not at.exception, at.exception
    return at


def test_officer_bulk_update_saves_every_valid_row(new_app, seeded, factory):
    at = sign_in(new_app().run(), "officer@test.org")
    _bulk(
        at,
        {
            0: {"New RAG": "✔ Green", "Progress": "Back on track", "% complete": 60},
            3: {
                "New RAG": "▲ Amber",
                "Progress": "Slipping",
                "Issue (Red/Amber)": "Staff off sick",
                "Being done (Red/Amber)": "Cover arranged",
                "Revised deadline": (TODAY + dt.timedelta(days=30)).isoformat(),
                "Reason": "Sickness",
            },
        },
    )
    assert "Saved 2 updates" in at.success[0].value
    with factory() as session:
        rows = session.execute(
            select(ProgressUpdate.action_id, ProgressUpdate.rag, ProgressUpdate.source)
            .where(ProgressUpdate.author == "officer")
            .order_by(ProgressUpdate.action_id)
        ).all()
    assert [(r[1], r[2].value) for r in rows] == [(Rag.GREEN, "bulk"), (Rag.AMBER, "bulk")]


def test_officer_bulk_update_with_an_invalid_row_saves_nothing(new_app, seeded, factory):
    before = count(factory, ProgressUpdate)
    at = sign_in(new_app().run(), "officer@test.org")
    _bulk(
        at,
        {
            0: {"New RAG": "✔ Green", "Progress": "Fine"},
            1: {"New RAG": "✖ Red", "Progress": "Stuck"},  # no issue, no remedy
            2: {"Progress": "No RAG given"},
        },
    )
    assert "2 of 3 rows need attention" in at.error[0].value
    problems = at.dataframe[-1].value
    assert list(problems["Row"]) == ["1.2 Publish the leaflet", "1.3 Later work"]
    assert "say what the issue is" in problems["Problem"][0]
    assert "Choose a RAG rating" in problems["Problem"][1]
    assert count(factory, ProgressUpdate) == before


# --- Admin: users and audit ------------------------------------------------------------------


def test_admin_adds_a_user_and_sees_it_in_the_audit_log(new_app, seeded, factory):
    at = sign_in(new_app().run(), "admin@test.org")
    at.switch_page("pages/users.py").run()
    assert not at.exception
    assert "owner@test.org" in list(at.dataframe[0].value["E-mail"])
    assert at.selectbox(key="add_role").value == Role.VIEWER  # never admin by default
    at.text_input(key="add_email").input("New.Person@test.org")
    at.text_input(key="add_name").input("New Person")
    at.selectbox(key="add_role").set_value(Role.OWNER)
    at.text_input(key="add_password").input("a long enough password")
    at.text_area(key="add_owners").input("Ian Peet; GMP")
    next(b for b in at.button if b.label == "Add account").click().run()
    assert not at.exception, at.exception
    assert "Added new.person@test.org as owner" in shown(at.success[0].value)
    with factory() as session:
        user = session.scalar(select(User).where(User.email == "new.person@test.org"))
        assert [n.name for n in user.owner_names] == ["GMP", "Ian Peet"]

    at.switch_page("pages/audit_log.py").run()
    assert not at.exception
    log = at.dataframe[0].value
    assert log["Event"][0] == "user added"
    assert log["Who"][0] == "admin@test.org"
    assert log["Target"][0] == "new.person@test.org"
    # A UK date and time, and the details in words, not ISO and JSON (the CSV keeps those).
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d", log["When"][0])
    assert log["Details"][0] == ("owner names: Ian Peet, GMP; password: yes; role: owner")
    at.multiselect(key="audit_events").set_value(["sign in"]).run()
    assert set(at.dataframe[0].value["Event"]) == {"sign in"}
    assert at.get("download_button")


def test_admin_changes_an_account(new_app, seeded, factory):
    at = sign_in(new_app().run(), "admin@test.org")
    at.switch_page("pages/users.py").run()
    at.selectbox(key="change_email").set_value("owner@test.org").run()
    assert not at.exception, at.exception
    [*_, role] = [s for s in at.selectbox if s.label == "Role"]  # the first adds an account
    role.set_value(Role.VIEWER)
    next(c for c in at.checkbox if c.label.startswith("Disabled")).check()
    next(t for t in at.text_area if t.label.startswith("Owner names (")).input("Probation; GMP")
    next(b for b in at.button if b.label == "Save changes").click().run()
    assert not at.exception, at.exception
    assert "Saved the changes to owner@test.org" in shown(at.success[0].value)
    with factory() as session:
        user = session.scalar(select(User).where(User.email == "owner@test.org"))
        assert (user.role, user.disabled) == (Role.VIEWER, True)
        assert sorted(n.name for n in user.owner_names) == ["GMP", "Probation"]


def test_officer_cannot_see_audit_or_users(new_app, seeded):
    at = sign_in(new_app().run(), "officer@test.org")
    for page in ("pages/audit_log.py", "pages/users.py"):
        at.switch_page(page).run()
        assert "cannot" in at.warning[0].value


def test_disabled_account_is_signed_out_on_the_next_page(new_app, seeded, factory):
    at = my_actions(sign_in(new_app().run(), "owner@test.org"))
    assert at.dataframe
    with factory() as session:
        session.scalar(select(User).where(User.email == "owner@test.org")).disabled = True
        session.commit()
    my_actions(at)
    assert "Sign in first" in at.info[0].value


# --- Owner on a phone: cards, one-tap RAG, lasting confirmation, reminder links (issue 19) -----


def _cards(at: AppTest) -> list[str]:
    return [html.unescape(m.value) for m in at.markdown if 'class="owner-card"' in m.value]


def test_owner_sees_each_action_as_a_card_before_any_table(new_app, seeded):
    at = my_actions(sign_in(new_app().run(), "owner@test.org"))
    cards = _cards(at)
    assert len(cards) == 3
    # RAG word and symbol in its colour, the whole text, the due date and whether it is late.
    assert ">▲ Amber</span>" in cards[0] and "background:#F2A900" in cards[0]
    assert "Train frontline staff" in cards[0]
    assert f"Due {format_uk_date(TODAY - dt.timedelta(days=10))} · ⚠ Overdue" in cards[0]
    assert "Due soon" in cards[1] and "– Not rated" in cards[1]
    assert [shown(b.label) for b in at.button if b.key and b.key.startswith("update_")] == [
        "Update 1.1",
        "Update 1.2",
        "Update 1.3",
    ]
    # The wide table is still there for a wide screen, folded below the cards.
    assert at.expander[-1].label.startswith("All of these as a table")
    assert list(at.expander[-1].dataframe[0].value["Ref"]) == ["1.1", "1.2", "1.3"]


def test_a_card_opens_the_form_with_a_one_tap_rag_choice(new_app, seeded):
    at = my_actions(sign_in(new_app().run(), "owner@test.org"))
    at.button(key=f"update_{seeded['1.2']}").click().run()
    assert not at.exception, at.exception
    assert at.query_params["action"] == str(seeded["1.2"])  # a reload keeps it
    rag = at.radio(key=f"rag_{seeded['1.2']}")
    assert rag.value is None  # nothing chosen for the owner
    assert rag.options == ["✖ Red", "▲ Amber", "✔ Green", "★ Blue (complete)"]
    assert rag.proto.horizontal
    assert not at.selectbox  # no drop-down on the way to Save
    assert "Publish the leaflet" in _cards(at)[0]
    at.button(key="back_to_list").click().run()
    assert len(_cards(at)) == 3 and "action" not in at.query_params


def test_saved_confirmation_stays_until_the_owner_moves_on(new_app, seeded, factory):
    action_id = seeded["1.1"]
    at = choose(my_actions(sign_in(new_app().run(), "owner@test.org")), action_id)
    fill(at, action_id, rag=Rag.AMBER, progress="Half done", issue="Sickness", remedy="Cover")
    save(at)
    message = "Saved: ▲ Amber for 1.1 (Train frontline staff)."
    assert [shown(s.value) for s in at.success] == [message]
    assert not at.toast  # a toast would cover the top of a phone's screen, and go
    at.run()  # any other rerun: still there
    assert [shown(s.value) for s in at.success] == [message]
    at.button(key="back_to_list").click().run()
    assert not at.success
    at.button(key=f"update_{action_id}").click().run()
    assert not at.success and at.radio(key=f"rag_{action_id}_1").value is None


def test_a_reminder_link_opens_that_actions_form(new_app, seeded):
    at = sign_in(new_app().run(), "owner@test.org")
    at.query_params["action"] = str(seeded["1.3"])
    my_actions(at)
    assert "Later work" in _cards(at)[0]
    assert at.radio(key=f"rag_{seeded['1.3']}")
    assert [b.label for b in at.button if b.label == "Save update"]


def test_a_reminder_link_signed_out_signs_in_then_opens_the_form(new_app, seeded):
    at = new_app()
    at.query_params["action"] = str(seeded["1.2"])
    at.switch_page("pages/my_actions.py").run()
    # The sign-in form on the page itself, saying where the link goes next.
    assert "its update form opens next" in at.info[0].value
    assert not at.radio and [b.label for b in at.form_submit_button] == ["Sign in"]
    at.text_input(key="sign_in_email").input("owner@test.org")
    at.text_input(key="sign_in_password").input(DEMO_TEST_PASSWORD)
    at.form_submit_button[0].click().run()
    assert not at.exception, at.exception
    assert "Publish the leaflet" in _cards(at)[0]
    assert at.radio(key=f"rag_{seeded['1.2']}")
    assert at.query_params["action"] == str(seeded["1.2"])


def test_a_link_to_someone_elses_action_shows_the_list(new_app, seeded):
    at = sign_in(new_app().run(), "owner@test.org")
    at.query_params["action"] = str(seeded["2.1"])
    my_actions(at)
    assert "not one of your actions" in at.warning[0].value
    assert len(_cards(at)) == 3 and not at.form_submit_button


def test_bulk_grid_keeps_the_columns_to_fill_near(new_app, seeded):
    """At 1366x768 the read-only columns are narrow, so New RAG and Progress start on screen;
    an empty cell is blank, not "None"."""
    at = sign_in(new_app().run(), "officer@test.org")
    at.switch_page("pages/bulk_update.py").run()
    assert not at.exception, at.exception
    columns = json.loads(at.data_editor[0].proto.columns)
    assert {name: columns[name]["width"] for name in ("Owner", "RAG", "Deadline")} == {
        "Owner": "small",
        "RAG": "small",
        "Deadline": 95,
    }
    # Empty text cells are empty, not the word "None".
    grid = at.data_editor[0].value
    assert set(grid["Progress"]) == {""} and set(grid["New RAG"]) == {""}
    proto = at.data_editor[0].proto
    assert proto.HasField("placeholder") and proto.placeholder == ""


def test_my_actions_says_when_their_plans_have_ended(new_app, seeded, factory):
    """The dashboard shows ended plans as they ended; My actions counts overdue as at today,
    and says why the two differ."""
    at = my_actions(sign_in(new_app().run(), "owner@test.org"))
    assert at.caption[0].value == (
        f"3 actions as at {format_uk_date(TODAY)}: 1 overdue, 1 due in the next "
        f"{DUE_SOON_DAYS} days."
    )
    with factory() as session:
        plan = session.scalar(select(Plan))
        plan.period_start, plan.period_end = dt.date(2023, 4, 1), dt.date(2026, 3, 31)
        session.commit()
    at.run()
    assert at.caption[0].value == (
        f"3 actions as at {format_uk_date(TODAY)}: 1 overdue, 1 due in the next "
        f"{DUE_SOON_DAYS} days. Their plans ended by 31 Mar 2026: the dashboard shows them as "
        "they stood then, so its figures differ."
    )
