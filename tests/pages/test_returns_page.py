"""The Returns page (officers): open a round, replies per owner and objective, the list to
chase and its CSV, closing; and what My actions shows an owner of a round."""

import csv
import datetime as dt
import io

import pytest
from sqlalchemy import select

from pages.session import ACTOR_KEY, SIGNED_IN_AT_KEY
from plan.queries.rounds import rounds
from plan.services.rounds import open_round
from rulebook.dates import format_uk_date
from rulebook.rag import Rag
from tests.builders import actor_of, add_action, add_plan, add_update, add_user
from tests.pages.conftest import PAGES_NOW, downloaded, metrics, shown

pytestmark = pytest.mark.time_machine(PAGES_NOW)
PAGE = "pages/returns.py"
TODAY = PAGES_NOW.date()
OPENED = PAGES_NOW - dt.timedelta(days=10)
HOSTILE = "=cmd|' /C calc'!A0"


def _seed(factory, *, with_round=True):
    with factory() as session:
        plan = add_plan(session, "VAWG", "Prevention", "Protection")
        prevention, protection = plan.objectives
        kylie = add_action(
            session, plan, "Kylie's one", ref="1", objective=prevention, owners=["Kylie Thornton"]
        )
        add_action(session, plan, HOSTILE, ref="2", objective=protection, owners=["Kylie Thornton"])
        add_action(session, plan, "Ian's", ref="3", objective=protection, owners=["Ian Peet"])
        add_user(session, "officer@test.org", "officer")
        add_user(session, "kylie@test.org", "owner", owner_names=["Kylie Thornton"])
        session.commit()
        if with_round:
            officer = actor_of(session, "officer@test.org")
            open_round(
                session,
                officer,
                "Q3 2026/27",
                period_end=dt.date(2026, 12, 31),
                due=TODAY - dt.timedelta(days=1),
                now=OPENED,
            )
            add_update(session, kylie, Rag.GREEN, at=OPENED + dt.timedelta(days=1))
            session.commit()


def _signed_in(app, factory, email, page=PAGE):
    with factory() as session:
        app.session_state[ACTOR_KEY] = actor_of(session, email)
    app.session_state[SIGNED_IN_AT_KEY] = dt.datetime.now(dt.UTC)
    app.run()
    app.switch_page(page).run()
    assert not app.exception, app.exception
    return app


def _table(app, index):
    return app.dataframe[index].value.to_dict("records")


def _table_with(app, *columns):
    """The first table on the page with these columns."""
    frame = next(f.value for f in app.dataframe if set(columns) <= set(f.value.columns))
    return frame.to_dict("records")


def test_officer_sees_replies_per_owner_objective_and_who_to_chase(app, factory, downloads):
    _seed(factory)
    _signed_in(app, factory, "officer@test.org")
    assert app.title[0].value == "Returns"
    assert metrics(app) == {"Actions asked": 3, "Received": 1, "Outstanding": 0, "Overdue": 2}
    assert _table(app, 0) == [
        {"Owner": "Ian Peet", "Received": 0, "Outstanding": 0, "Overdue": 1},
        {"Owner": "Kylie Thornton", "Received": 1, "Outstanding": 0, "Overdue": 1},
    ]
    assert _table(app, 1) == [
        {"Plan": "VAWG", "Objective": "Prevention", "Received": 1, "Outstanding": 0, "Overdue": 0},
        {"Plan": "VAWG", "Objective": "Protection", "Received": 0, "Outstanding": 0, "Overdue": 2},
    ]
    chase = _table(app, 2)
    assert [(row["Reply"], row["Ref"], row["Action"]) for row in chase] == [
        ("⚠ Overdue", "2", HOSTILE),
        ("⚠ Overdue", "3", "Ian's"),
    ]
    rows = list(csv.reader(io.StringIO(downloaded(app, "download_chase", downloads).decode())))
    assert rows[0][0] == "\ufeffround"
    assert rows[1][5] == "'" + HOSTILE  # never a formula in a spreadsheet
    assert [row[7] for row in rows[1:]] == ["overdue", "overdue"]
    counts = downloaded(app, "download_counts", downloads).decode()
    assert "Q3 2026/27,owner,,Kylie Thornton,1,0,1" in counts


def test_officer_opens_and_closes_a_round(app, factory):
    _seed(factory, with_round=False)
    _signed_in(app, factory, "officer@test.org")
    assert "No update rounds yet" in app.info[0].value
    app.text_input(key="round_name").input("Q3 2026/27")
    app.date_input(key="round_due").set_value(TODAY + dt.timedelta(days=7))
    app.form_submit_button[0].click().run()
    assert not app.exception, app.exception
    assert shown(app.success[0].value).startswith("Opened Q3 2026/27: 3 actions asked")
    assert metrics(app)["Actions asked"] == 3
    assert metrics(app)["Outstanding"] == 3
    app.button(key="close_round").click().run()
    assert shown(app.success[0].value) == "Closed Q3 2026/27: 0 of 3 updates received."
    with factory() as session:
        assert [(r.name, r.is_open, r.closed_by) for r in rounds(session)] == [
            ("Q3 2026/27", False, "officer@test.org")
        ]


def test_a_refused_round_says_why(app, factory):
    _seed(factory)
    _signed_in(app, factory, "officer@test.org")
    app.text_input(key="round_name").input("Q3 2026/27")
    app.date_input(key="round_due").set_value(TODAY)
    app.form_submit_button[0].click().run()
    assert shown(app.error[0].value) == "There is already an update round called 'Q3 2026/27'."


def test_owners_cannot_see_returns(app, factory):
    _seed(factory)
    _signed_in(app, factory, "kylie@test.org")
    assert not app.title
    assert "cannot chase owners for updates" in app.warning[0].value


def test_my_actions_shows_what_the_round_asks(app, factory):
    _seed(factory)
    _signed_in(app, factory, "kylie@test.org", page="pages/my_actions.py")
    due = format_uk_date(TODAY - dt.timedelta(days=1))
    assert shown(app.info[0].value) == (
        f"Update round Q3 2026/27: an update is asked for on 2 of these actions by {due}; "
        "1 received, 1 still to do."
    )
    asked = {row["Ref"]: row["Update round"] for row in _table(app, 0)}
    assert asked == {
        "1": f"✔ Received · Q3 2026/27, due {due}",
        "2": f"⚠ Overdue · Q3 2026/27, due {due}",
    }


def test_officer_sends_reminders_from_the_page(app, factory, monkeypatch):
    from tests.smtp_server import smtp_server

    _seed(factory)
    with factory() as session:
        add_user(session, "ian@test.org", "owner", owner_names=["Ian Peet"], name="Ian")
        session.commit()
    monkeypatch.setenv("TRACKER_URL", "https://tracker.test")
    monkeypatch.setenv("MAIL_FROM", "tracker@test.org")
    with smtp_server() as (server, port):
        monkeypatch.setenv("SMTP_URL", f"smtp://127.0.0.1:{port}")
        _signed_in(app, factory, "officer@test.org")
        assert _table_with(app, "Subject") == [
            {
                "To": "Ian <ian@test.org>",
                "Actions": 1,
                "Subject": f"Update due by {format_uk_date(TODAY - dt.timedelta(days=1))}: "
                "Q3 2026/27 (1 action)",
            },
            {
                "To": "kylie <kylie@test.org>",
                "Actions": 1,
                "Subject": f"Update due by {format_uk_date(TODAY - dt.timedelta(days=1))}: "
                "Q3 2026/27 (1 action)",
            },
        ]
        app.button(key="send_reminders").click().run()
        assert not app.exception, app.exception
        assert [(r["To"], r["Outcome"]) for r in _table_with(app, "Outcome")] == [
            ("ian@test.org", "sent"),
            ("kylie@test.org", "sent"),
        ]
        app.button(key="send_reminders").click().run()
        assert {r["Outcome"] for r in _table_with(app, "Outcome")} == {"already sent today"}
    assert sorted(m.recipients[0] for m in server.received) == ["ian@test.org", "kylie@test.org"]
    assert "https://tracker.test/my_actions?action=" in server.received[0].body


def test_without_mail_the_reminders_are_downloadable(app, factory, monkeypatch, downloads):
    _seed(factory)
    monkeypatch.delenv("SMTP_URL", raising=False)
    monkeypatch.delenv("TRACKER_URL", raising=False)
    _signed_in(app, factory, "officer@test.org")
    assert any("Mail is not set up (SMTP_URL)" in info.value for info in app.info)
    assert not [b for b in app.button if b.key == "send_reminders"]
    text = downloaded(app, "download_reminders", downloads).decode()
    assert "To: kylie <kylie@test.org>" in text
    assert f"- VAWG 2: {HOSTILE} (overdue)" in text
    assert "No address (chase by hand):\n- Ian Peet: 1 actions" in text
    assert "no address" in shown(app.warning[0].value).lower()
    assert "Ian Peet (1)" in shown(app.warning[0].value)


def test_data_quality_counts_flags_per_owner_and_objective(app, factory):
    _seed(factory)
    _signed_in(app, factory, "officer@test.org")
    owners = {row["Owner"]: row for row in _table_with(app, "⚑ No update in this round")}
    # The round is past its due date: Ian's and Kylie's second action had no update.
    assert owners["Ian Peet"]["⚑ No update in this round"] == 1
    assert owners["Kylie Thornton"]["⚑ No update in this round"] == 1
    assert owners["Kylie Thornton"]["Flags"] == 1
    flagged = _table_with(app, "Objective", "Flags")
    objectives = [(row["Objective"], row["Flags"]) for row in flagged]
    assert objectives == [("Protection", 2)]


def test_my_actions_shows_each_check_in_words(app, factory):
    _seed(factory)
    with factory() as session:
        from sqlalchemy import select

        from plan.models import Action

        action = session.scalar(select(Action).where(Action.ref == "1"))
        add_update(session, action, Rag.AMBER, at=PAGES_NOW - dt.timedelta(hours=1))
        session.commit()
    _signed_in(app, factory, "kylie@test.org", page="pages/my_actions.py")
    checks = {row["Ref"]: row["Checks"] for row in _table(app, 0)}
    assert checks == {
        "1": "⚑ Rated Red or Amber without saying what the issue is or what is being done",
        "2": "",
    }


def test_choosing_a_round_sets_as_at_to_its_period_end(app, factory):
    """The sidebar's 'As at a round's period end' moves every page (and the board paper) to
    the round's period end, and the caption names the round."""
    from plan.models import UpdateRound

    _seed(factory)
    with factory() as session:
        round_id = session.scalar(select(UpdateRound.id))
    _signed_in(app, factory, "officer@test.org", "pages/overview.py")
    app.selectbox(key="as_at_round").set_value(round_id).run()
    assert not app.exception, app.exception
    assert app.date_input(key="as_at").value == dt.date(2026, 12, 31)
    assert app.date_input(key="compared_with").value == dt.date(2026, 9, 30)
    assert "as at 31 Dec 2026 (the end of round Q3 2026/27)" in shown(app.caption[0].value)
    app.switch_page("pages/export.py").run()
    assert "the end of round Q3 2026/27" in shown(app.caption[0].value)
