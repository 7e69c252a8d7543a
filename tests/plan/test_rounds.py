"""Update rounds: who may open and close them, which actions they ask about, the replies per
owner and per objective, the list to chase, the audit trail and the command line."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from sqlalchemy import select

from plan.audit import AuditEvent, entries
from plan.auth import PermissionDenied
from plan.cli import main
from plan.models import AuditEntry
from plan.queries.rounds import (
    NO_OWNER,
    RoundNotFound,
    replies_by_objective,
    replies_by_owner,
    round_named,
    rounds,
    to_chase,
)
from plan.services.rounds import RoundError, close_round, open_round
from rulebook.owners import owner_key
from rulebook.rag import DeliveryStatus, Rag
from rulebook.rounds import Reply
from tests.builders import (
    actor_of,
    add_action,
    add_update,
    add_user,
    build_three_quarter_plan,
    noon,
)

OPENED = dt.datetime(2027, 1, 2, 9, 0, tzinfo=dt.UTC)
PERIOD_END = dt.date(2026, 12, 31)
DUE = dt.date(2027, 1, 15)


@pytest.fixture
def officer(session):
    build_three_quarter_plan(session)
    add_user(session, "officer@example.org", "officer")
    add_user(session, "kylie@example.org", "owner", owner_names=["Kylie Thornton"])
    add_user(session, "chair@example.org", "chair")
    session.commit()
    return actor_of(session, "officer@example.org")


def _open(session, actor, name="Q3 2026/27", plans=("VAWG",), now=OPENED):
    summary = open_round(
        session, actor, name, period_end=PERIOD_END, due=DUE, plan_names=plans, now=now
    )
    session.commit()
    return summary


def _action(session, text):
    from plan.models import Action

    return session.scalar(select(Action).where(Action.text == text))


def test_round_asks_about_actions_open_when_it_opens(session, officer):
    summary = _open(session, officer)
    # A (Red) and D (Green) are open; B was complete and C cancelled before the round.
    assert summary.actions == 2
    assert summary.plans == ("VAWG",)
    assert summary.received == 0 and summary.is_open
    chase = to_chase(session, summary.id, DUE)
    assert [item.action for item in chase] == ["A", "D"]
    assert [item.reply for item in chase] == [Reply.OUTSTANDING, Reply.OUTSTANDING]


def test_every_plan_when_none_is_named(session, officer):
    summary = _open(session, officer, plans=())
    assert summary.plans == ("Other", "VAWG")
    assert summary.actions == 3  # A, D and the unrated "Elsewhere"


def test_update_while_open_is_received_and_later_ones_are_not(session, officer):
    summary = _open(session, officer)
    a, d = _action(session, "A"), _action(session, "D")
    add_update(session, a, Rag.AMBER, at=OPENED + dt.timedelta(days=3))
    add_update(session, d, Rag.GREEN, at=OPENED - dt.timedelta(minutes=1))  # before it opened
    session.commit()
    assert round_named(session, summary.name).received == 1
    close_round(session, officer, summary.name, now=OPENED + dt.timedelta(days=20))
    session.commit()
    add_update(session, d, Rag.GREEN, at=OPENED + dt.timedelta(days=21))  # after it closed
    session.commit()
    closed = round_named(session, summary.name)
    assert (closed.received, closed.outstanding, closed.is_open) == (1, 1, False)
    assert closed.closed_by == "officer@example.org"
    assert [item.action for item in to_chase(session, summary.id, DUE)] == ["D"]


def test_overdue_after_the_due_day(session, officer):
    summary = _open(session, officer)
    assert {i.reply for i in to_chase(session, summary.id, DUE)} == {Reply.OUTSTANDING}
    after = DUE + dt.timedelta(days=1)
    assert {i.reply for i in to_chase(session, summary.id, after)} == {Reply.OVERDUE}


def test_replies_per_owner_and_objective(session, officer):
    from plan.models import Plan

    vawg = session.scalar(select(Plan).where(Plan.name == "VAWG"))
    add_action(session, vawg, "E", ref="5", owners=["kylie  THORNTON"])  # same owner, any case
    add_action(session, vawg, "F", ref="6")  # no owner
    session.commit()
    summary = _open(session, officer)
    add_update(session, _action(session, "A"), Rag.RED, at=OPENED + dt.timedelta(days=1))
    session.commit()
    after = DUE + dt.timedelta(days=1)
    owners = {
        c.name: (c.received, c.outstanding, c.overdue)
        for c in replies_by_owner(session, summary.id, after)
    }
    # A (received) and E (overdue) are Kylie's; D and F have no owner.
    assert owners == {"Kylie Thornton": (1, 0, 1), NO_OWNER: (0, 0, 2)}
    objectives = [
        (c.plan, c.name, c.received, c.overdue)
        for c in replies_by_objective(session, summary.id, after)
    ]
    # A, E and F are under Prevention (E and F by default the plan's first objective), D
    # under Protection.
    assert objectives == [("VAWG", "Prevention", 1, 2), ("VAWG", "Protection", 0, 1)]
    chase = to_chase(session, summary.id, after, owner_keys=(owner_key("Kylie Thornton"),))
    assert [item.action for item in chase] == ["E"]


def test_opening_and_closing_are_audited(session, officer):
    _open(session, officer)
    close_round(session, officer, "Q3 2026/27", now=OPENED + dt.timedelta(days=30))
    session.commit()
    opened, closed = sorted(
        (e for e in entries(session) if e.event.startswith("update round")),
        key=lambda e: e.id,
    )
    assert (opened.event, opened.actor, opened.target) == (
        AuditEvent.ROUND_OPENED.value,
        "officer@example.org",
        "Q3 2026/27",
    )
    assert opened.details["actions"] == 2 and opened.details["plans"] == ["VAWG"]
    assert closed.event == AuditEvent.ROUND_CLOSED.value
    assert closed.details["outstanding"] == 2


@pytest.mark.parametrize("email", ["kylie@example.org", "chair@example.org"])
def test_only_officers_run_rounds(session, officer, email):
    _open(session, officer)
    someone = actor_of(session, email)
    with pytest.raises(PermissionDenied, match="cannot chase owners"):
        open_round(session, someone, "Mine", period_end=PERIOD_END, due=DUE)
    session.rollback()
    with pytest.raises(PermissionDenied):
        close_round(session, someone, "Q3 2026/27")
    session.rollback()
    with pytest.raises(PermissionDenied, match="no longer exists"):
        close_round(session, _removed_account(), "Q3 2026/27")
    session.rollback()
    assert round_named(session, "Q3 2026/27").is_open
    assert not session.scalars(
        select(AuditEntry).where(AuditEntry.event == AuditEvent.ROUND_CLOSED.value)
    ).all()


def _removed_account():
    from plan.auth import Actor
    from plan.models import Role

    return Actor(user_id=10**6, email="gone@example.org", name="Gone", role=Role.OFFICER)


def test_refusals_say_why(session, officer):
    _open(session, officer)
    with pytest.raises(RoundError, match="already an update round called 'Q3 2026/27'"):
        open_round(session, officer, " Q3  2026/27 ", period_end=PERIOD_END, due=DUE)
    session.rollback()
    with pytest.raises(RoundError, match="no plan called 'Nope'; plans: Other, VAWG"):
        open_round(session, officer, "X", period_end=PERIOD_END, due=DUE, plan_names=["Nope"])
    session.rollback()
    with pytest.raises(RoundError, match="Give the round a name"):
        open_round(session, officer, "  ", period_end=PERIOD_END, due=DUE)
    session.rollback()
    close_round(session, officer, "Q3 2026/27")
    session.commit()
    with pytest.raises(RoundError, match=r"already closed by officer@example\.org"):
        close_round(session, officer, "Q3 2026/27")
    session.rollback()
    with pytest.raises(RoundNotFound, match="no update round called 'Q9'; rounds: Q3 2026/27"):
        close_round(session, officer, "Q9")


def test_round_with_nothing_to_ask_is_not_opened(session, officer):
    from plan.models import Plan

    done = Plan(name="Done")
    session.add(done)
    session.flush()
    action = add_action(session, done, "Finished")
    add_update(session, action, None, at=noon(dt.date(2026, 6, 1)), status=DeliveryStatus.COMPLETE)
    session.commit()
    with pytest.raises(RoundError, match="No open actions in Done"):
        open_round(session, officer, "Q3", period_end=PERIOD_END, due=DUE, plan_names=["Done"])
    session.rollback()
    assert rounds(session) == []


# --- The command line ------------------------------------------------------------------------


# The command line opens rounds now: travel to a day after the test plan's updates, so they
# were recorded before the round opened whatever day the suite runs.
@time_machine.travel(OPENED, tick=True)
def test_cli_open_list_status_close(database_url, monkeypatch, capsys, session, officer):
    monkeypatch.setenv("DATABASE_URL", database_url)
    code = main(
        [
            "rounds",
            "open",
            "Q3 2026/27",
            "--period-end",
            "2026-12-31",
            "--due",
            "2027-01-15",
            "--plan",
            "VAWG",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "Opened 'Q3 2026/27' (period ending 31 Dec 2026, due 15 Jan 2027): 2 actions" in out
    assert main(["rounds", "list"]) == 0
    out = capsys.readouterr().out
    assert "Q3 2026/27 (open): period ending 31 Dec 2026, due 15 Jan 2027; 0 of 2 received" in out
    assert main(["rounds", "status", "Q3 2026/27"]) == 0
    out = capsys.readouterr().out
    assert "Kylie Thornton" in out and NO_OWNER in out
    assert main(["rounds", "close", "Q3 2026/27"]) == 0
    assert "Closed 'Q3 2026/27': 0 of 2 updates received, 2 outstanding." in capsys.readouterr().out
    assert main(["rounds", "list"]) == 0
    assert "Q3 2026/27 (closed)" in capsys.readouterr().out
    session.expire_all()
    assert [e.actor for e in entries(session) if e.event == "update round closed"] == [
        "command line"
    ]


def test_cli_errors_are_one_sentence(database_url, monkeypatch, capsys, session, officer):
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert main(["rounds", "close", "Q9"]) == 2
    assert capsys.readouterr().err == (
        "Error: There is no update round called 'Q9'; rounds: none yet\n"
    )
    args = ["rounds", "open", "Q3", "--period-end", "2026-12-31", "--due", "2027-01-15"]
    assert main([*args, "--plan", "Nope"]) == 2
    assert "Error: There is no plan called 'Nope'" in capsys.readouterr().err
