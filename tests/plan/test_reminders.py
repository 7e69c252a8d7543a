"""Reminder e-mails, sent through a real SMTP server (aiosmtpd) started by the test: the
messages that arrive, one a day at most, failures reported and audited, the command line."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from plan.audit import AuditEvent, entries
from plan.auth import PermissionDenied
from plan.cli import main
from plan.mail import MailError, mail_settings
from plan.models import Action, Plan, ReminderSend
from plan.queries.rounds import NO_OWNER
from plan.services.reminders import MAX_FAILED_DAYS, send_reminders
from plan.services.rounds import RoundError, close_round, open_round
from tests.builders import actor_of, add_action, add_user, build_three_quarter_plan
from tests.smtp_server import free_port, smtp_server

OPENED = dt.datetime(2027, 1, 2, 9, 0, tzinfo=dt.UTC)
DUE = dt.date(2027, 1, 15)
TODAY = dt.date(2027, 1, 10)
BASE = "https://tracker.example.gov.uk"
LINK = re.compile(r"Update it: (\S+)")


@pytest.fixture
def seeded(session):
    build_three_quarter_plan(session)
    vawg = session.scalar(select(Plan).where(Plan.name == "VAWG"))
    add_action(session, vawg, "Ian's action", ref="5", owners=["Ian Peet"])
    add_action(session, vawg, "Police's action", ref="6", owners=["GMP"])
    add_user(session, "officer@example.org", "officer")
    add_user(session, "kylie@example.org", "owner", owner_names=["Kylie Thornton"], name="Kylie")
    add_user(session, "deputy@example.org", "owner", owner_names=["kylie thornton", "Ian Peet"])
    add_user(session, "gone@example.org", "owner", owner_names=["GMP"])
    session.commit()
    from plan.accounts import set_disabled

    set_disabled(session, None, "gone@example.org", disabled=True)
    officer = actor_of(session, "officer@example.org")
    open_round(
        session,
        officer,
        "Q3 2026/27",
        period_end=dt.date(2026, 12, 31),
        due=DUE,
        plan_names=["VAWG"],
        now=OPENED,
    )
    session.commit()
    return officer


def _settings(port: int):
    return mail_settings({"SMTP_URL": f"smtp://127.0.0.1:{port}", "MAIL_FROM": "tracker@x.org"})


def _send(factory, actor, port, today=TODAY, **options):
    return send_reminders(
        factory,
        actor,
        "Q3 2026/27",
        settings=_settings(port),
        base_url=BASE,
        today=today,
        **options,
    )


def _ids(session, *texts):
    return [session.scalar(select(Action.id).where(Action.text == t)) for t in texts]


def test_each_address_gets_one_message_listing_its_actions(factory, session, seeded):
    with smtp_server() as (server, port):
        found, outcomes = _send(factory, seeded, port)
    assert [(o.email, o.outcome, o.actions) for o in outcomes] == [
        ("deputy@example.org", "sent", 2),
        ("kylie@example.org", "sent", 1),
    ]
    by_address = {m.recipients[0]: m for m in server.received}
    assert set(by_address) == {"deputy@example.org", "kylie@example.org"}
    kylie = by_address["kylie@example.org"]
    assert kylie.sender == "tracker@x.org"
    assert kylie.message["Subject"] == "Update due by 15 Jan 2027: Q3 2026/27 (1 action)"
    assert kylie.body.startswith("Dear Kylie,\n")
    assert "- VAWG 1: A\n" in kylie.body
    a_id, ian_id = _ids(session, "A", "Ian's action")
    assert LINK.findall(kylie.body) == [f"{BASE}/my_actions?action={a_id}"]
    deputy = by_address["deputy@example.org"]
    assert LINK.findall(deputy.body) == [
        f"{BASE}/my_actions?action={a_id}",
        f"{BASE}/my_actions?action={ian_id}",
    ]
    # GMP's only account is disabled; D has no owner: the officer chases them by hand.
    assert found.no_address == ((NO_OWNER, 1), ("GMP", 1))


def test_a_rerun_the_same_day_sends_nothing_twice(factory, session, seeded):
    with smtp_server() as (server, port):
        _send(factory, seeded, port)
        _, again = _send(factory, seeded, port)
        assert {o.outcome for o in again} == {"already sent today"}
        assert len(server.received) == 2
        _, next_day = _send(factory, seeded, port, today=TODAY + dt.timedelta(days=1))
        assert {o.outcome for o in next_day} == {"sent"}
        assert len(server.received) == 4
    sent = [e for e in entries(session) if e.event == AuditEvent.REMINDER_SENT.value]
    assert len(sent) == 4
    assert {e.actor for e in sent} == {"officer@example.org"}


def test_only_whats_outstanding_is_listed(factory, session, seeded):
    from rulebook.rag import Rag
    from tests.builders import add_update

    a = session.get(Action, _ids(session, "A")[0])
    add_update(session, a, Rag.RED, at=OPENED + dt.timedelta(days=1))
    session.commit()
    with smtp_server() as (server, port):
        _, outcomes = _send(factory, seeded, port)
    assert [(o.email, o.actions) for o in outcomes] == [("deputy@example.org", 1)]
    assert "Ian's action" in server.received[0].body and "VAWG 1: A" not in server.received[0].body


def test_a_refused_address_is_reported_audited_and_given_up_on(factory, session, seeded):
    with smtp_server(refuse={"kylie@example.org"}) as (server, port):
        _, outcomes = _send(factory, seeded, port)
        failed = [o for o in outcomes if o.outcome == "failed"]
        assert [o.email for o in failed] == ["kylie@example.org"]
        assert "550" in failed[0].detail and "No such mailbox" in failed[0].detail
        _, again = _send(factory, seeded, port)
        assert {o.outcome for o in again} == {"already sent today"}
        for day in range(1, MAX_FAILED_DAYS):
            _send(factory, seeded, port, today=TODAY + dt.timedelta(days=day))
        _, last = _send(factory, seeded, port, today=TODAY + dt.timedelta(days=10))
    outcome = {o.email: o.outcome for o in last}
    assert outcome["kylie@example.org"] == f"given up after {MAX_FAILED_DAYS} failed days"
    assert outcome["deputy@example.org"] == "sent"
    assert all(m.recipients == ["deputy@example.org"] for m in server.received)
    failures = [e for e in entries(session) if e.event == AuditEvent.REMINDER_FAILED.value]
    assert len(failures) == MAX_FAILED_DAYS
    assert failures[0].details["email"] == "kylie@example.org"
    rows = session.scalars(select(ReminderSend).where(ReminderSend.email == "kylie@example.org"))
    assert [row.outcome for row in rows] == ["failed"] * MAX_FAILED_DAYS


def test_an_unreachable_server_is_a_reported_failure(factory, seeded):
    _, outcomes = _send(factory, seeded, free_port())
    assert {o.outcome for o in outcomes} == {"failed"}
    assert all("cannot send through 127.0.0.1" in o.detail for o in outcomes)


def test_only_officers_send_and_only_for_open_rounds(factory, session, seeded):
    owner = actor_of(session, "kylie@example.org")
    with smtp_server() as (server, port):
        with pytest.raises(PermissionDenied, match="cannot chase owners"):
            _send(factory, owner, port)
        close_round(session, seeded, "Q3 2026/27", now=OPENED + dt.timedelta(days=20))
        session.commit()
        with pytest.raises(RoundError, match="is closed: nobody is reminded"):
            _send(factory, seeded, port)
    assert server.received == []


def test_without_mail_settings_nothing_is_sent_silently(factory, seeded):
    with pytest.raises(RoundError, match=r"Mail is not set up \(SMTP_URL\)"):
        send_reminders(factory, seeded, "Q3 2026/27", settings=None, base_url=BASE, today=TODAY)
    found, outcomes = send_reminders(
        factory, seeded, "Q3 2026/27", settings=None, base_url=BASE, today=TODAY, dry_run=True
    )
    assert [o.outcome for o in outcomes] == ["would send", "would send"]
    assert len(found.reminders) == 2


@pytest.mark.parametrize(
    ("url", "host", "port", "tls", "starttls", "user", "password"),
    [
        ("smtp://relay.local:25", "relay.local", 25, False, False, None, None),
        ("smtp://relay.local", "relay.local", 25, False, False, None, None),
        (
            "smtp://me%40x.org:p%3Ass@mail.x.org:587",
            "mail.x.org",
            587,
            False,
            True,
            "me@x.org",
            "p:ss",
        ),
        ("smtp://me:pw@mail.x.org", "mail.x.org", 587, False, True, "me", "pw"),
        ("smtps://me:pw@mail.x.org", "mail.x.org", 465, True, False, "me", "pw"),
    ],
)
def test_mail_settings_from_the_environment(url, host, port, tls, starttls, user, password):
    settings = mail_settings({"SMTP_URL": url, "MAIL_FROM": "tracker@x.org"})
    assert settings is not None
    assert (settings.host, settings.port, settings.tls, settings.starttls) == (
        host,
        port,
        tls,
        starttls,
    )
    assert (settings.username, settings.password) == (user, password)
    assert "pw" not in settings.described and "p:ss" not in settings.described


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"SMTP_URL": "http://x.org", "MAIL_FROM": "a@x.org"}, "must start with smtp://"),
        ({"SMTP_URL": "smtp://x.org:abc", "MAIL_FROM": "a@x.org"}, "port that is not a number"),
        ({"SMTP_URL": "smtp://x.org"}, "MAIL_FROM must be"),
    ],
)
def test_bad_mail_settings_say_why(environ, message):
    with pytest.raises(MailError, match=message):
        mail_settings(environ)
    assert mail_settings({}) is None


# --- The command line ------------------------------------------------------------------------


@pytest.fixture
def cli_env(database_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("TRACKER_URL", BASE + "/")
    monkeypatch.setenv("MAIL_FROM", "tracker@x.org")
    monkeypatch.delenv("SMTP_URL", raising=False)
    return monkeypatch


def test_cli_remind_sends_once_a_day(cli_env, capsys, factory, session, seeded):
    with smtp_server() as (server, port):
        cli_env.setenv("SMTP_URL", f"smtp://127.0.0.1:{port}")
        assert main(["remind", "--round", "Q3 2026/27"]) == 0
        out = capsys.readouterr().out
        assert "deputy@example.org: sent (2 actions)" in out
        assert "kylie@example.org: sent (1 actions)" in out
        assert "GMP: no address (1 actions): chase by hand" in out
        assert main(["remind", "--round", "Q3 2026/27"]) == 0
        assert "kylie@example.org: already sent today (1 actions)" in capsys.readouterr().out
    assert len(server.received) == 2
    a_id = _ids(session, "A")[0]
    assert f"{BASE}/my_actions?action={a_id}" in server.received[0].body
    session.expire_all()
    assert {e.actor for e in entries(session) if e.event == "reminder sent"} == {"command line"}


def test_cli_dry_run_and_no_mail_settings_send_nothing(cli_env, capsys, seeded):
    with smtp_server() as (server, port):
        cli_env.setenv("SMTP_URL", f"smtp://127.0.0.1:{port}")
        assert main(["remind", "--round", "Q3 2026/27", "--dry-run"]) == 0
        out = capsys.readouterr().out
        assert "To: Kylie <kylie@example.org>" in out
        assert "Subject: Update due by 15 Jan 2027: Q3 2026/27 (1 action)" in out
        assert "kylie@example.org: would send (1 actions)" in out
    assert server.received == []
    cli_env.delenv("SMTP_URL")
    assert main(["remind", "--round", "Q3 2026/27"]) == 1
    captured = capsys.readouterr()
    assert "To: Kylie <kylie@example.org>" in captured.out
    assert "SMTP_URL is not set: nothing was sent" in captured.err
    assert main(["remind", "--round", "Q9"]) == 2
    assert "no update round called 'Q9'" in capsys.readouterr().err
