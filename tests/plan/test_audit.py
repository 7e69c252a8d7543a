"""The audit log: what is recorded, filtering, CSV export, and that entries cannot change."""

import csv
import datetime as dt
import io

import pytest
from sqlalchemy import select

from plan import audit, services
from plan.audit import AuditEvent, AuditFilter
from plan.auth import PermissionDenied
from plan.importing import import_file
from plan.models import AuditEntry, HistoryIsAppendOnly
from plan.services.append import Author
from tests.builders import actor_of, add_user, cheap_hasher, csv_bytes

DAY1 = dt.datetime(2026, 10, 1, 9, tzinfo=dt.UTC)
DAY2 = dt.datetime(2026, 10, 2, 9, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def fast_passwords(monkeypatch):
    monkeypatch.setattr("plan.auth._hasher", cheap_hasher())


def test_an_import_is_audited_with_its_counts(factory):
    data = csv_bytes([["Ref", "Action", "Owner"], ["1", "Do it", "GMP"]])
    import_file(
        factory, data, "plan.csv", plan_name="P", author=Author("Jo (command line)", "jo@x.org")
    )
    with factory() as session:
        entry = session.scalars(select(AuditEntry)).one()
    assert (entry.actor, entry.event, entry.target) == ("jo@x.org", "import", "P")
    assert entry.details["actions_created"] == 1 and entry.details["file"] == "plan.csv"


def test_filters_and_newest_first(session):
    audit.record(session, actor="a@x.org", event=AuditEvent.SIGN_IN, now=DAY1)
    audit.record(
        session, actor="b@x.org", event=AuditEvent.ROLE_CHANGED, target="c@x.org", now=DAY2
    )
    audit.record(session, actor="a@x.org", event=AuditEvent.SIGN_OUT, now=DAY2)
    session.flush()
    assert [e.event for e in audit.entries(session)] == ["sign out", "role changed", "sign in"]
    assert [e.event for e in audit.entries(session, AuditFilter(actor="A@X"))] == [
        "sign out",
        "sign in",
    ]
    assert [e.event for e in audit.entries(session, AuditFilter(events=("role changed",)))] == [
        "role changed"
    ]
    assert [e.event for e in audit.entries(session, AuditFilter(until=DAY1.date()))] == ["sign in"]
    assert len(audit.entries(session, AuditFilter(since=DAY2.date()))) == 2
    assert [e.actor for e in audit.entries(session, AuditFilter(target="c@"))] == ["b@x.org"]
    assert audit.entries(session, AuditFilter(actor="%")) == []


def test_csv_export_neutralises_formulas(session):
    audit.record(
        session,
        actor="=cmd|' /C calc'!A0",
        event=AuditEvent.SIGN_IN_FAILED,
        details={"reason": "unknown e-mail"},
        now=DAY1,
    )
    session.flush()
    rows = list(csv.DictReader(io.StringIO(audit.entries_to_csv(audit.entries(session)))))
    assert rows == [
        {
            "when": "2026-10-01T09:00:00+00:00",
            "who": "'=cmd|' /C calc'!A0",
            "event": "sign in failed",
            "target": "",
            "details": '{"reason": "unknown e-mail"}',
        }
    ]


def test_entries_are_append_only(session):
    entry = audit.record(session, actor="a@x.org", event=AuditEvent.SIGN_IN)
    session.commit()
    entry.actor = "someone else"
    with pytest.raises(HistoryIsAppendOnly):
        session.flush()
    session.rollback()
    session.delete(entry)
    with pytest.raises(HistoryIsAppendOnly):
        session.flush()


def test_only_admins_read_the_audit_log(session):
    add_user(session, "admin@x.org", "admin")
    add_user(session, "officer@x.org", "officer")
    assert services.audit_log(session, actor_of(session, "admin@x.org"))  # two "user added"
    with pytest.raises(PermissionDenied, match="see the audit log"):
        services.audit_log(session, actor_of(session, "officer@x.org"))
