"""A plan's period: from the import (given or read from the plan's name), set by officers."""

import datetime as dt

import pytest
from sqlalchemy import select

from plan.auth import PermissionDenied
from plan.importing import import_file
from plan.models import AuditEntry, Plan
from plan.services.plans import PlanNotFound, set_plan_period, submit_plan_period
from rulebook.plan_periods import PeriodError
from tests.builders import NOW, actor_of, add_plan, add_user, csv_bytes

D = dt.date
ROWS = [["Objective", "Ref", "Action", "Lead", "Deadline"], ["Victims", "1.1", "Act", "GMP", ""]]


def _period(factory, name):
    with factory() as session:
        plan = session.scalar(select(Plan).where(Plan.name == name))
        return plan.period_start, plan.period_end


def test_a_new_plan_takes_its_period_from_its_name(factory):
    report = import_file(factory, csv_bytes(ROWS), "p.csv", plan_name="DA Plan 2013-14", author="A")
    assert _period(factory, "DA Plan 2013-14") == (D(2013, 4, 1), D(2014, 3, 31))
    assert "Period: 1 Apr 2013 to 31 Mar 2014 (from the plan's name)" in report.lines()
    report = import_file(factory, csv_bytes(ROWS), "p.csv", plan_name="No period", author="A")
    assert _period(factory, "No period") == (None, None)
    assert not [line for line in report.lines() if line.startswith("Period")]


def test_a_period_given_with_the_import_wins_and_is_audited(factory):
    given = (D(2013, 10, 1), D(2015, 3, 31))
    report = import_file(
        factory, csv_bytes(ROWS), "p.csv", plan_name="Plan 2013/14", author="A", period=given
    )
    assert _period(factory, "Plan 2013/14") == given
    assert "Period: 1 Oct 2013 to 31 Mar 2015 (as given)" in report.lines()
    with factory() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.event == "import"))
        assert entry.details["period"] == ["2013-10-01", "2015-03-31"]
    # A later import that gives only an end keeps the start; one that gives none keeps both.
    import_file(
        factory,
        csv_bytes(ROWS),
        "p.csv",
        plan_name="Plan 2013/14",
        author="A",
        period=(None, D(2016, 3, 31)),
    )
    assert _period(factory, "Plan 2013/14") == (D(2013, 10, 1), D(2016, 3, 31))
    report = import_file(factory, csv_bytes(ROWS), "p.csv", plan_name="Plan 2013/14", author="A")
    assert _period(factory, "Plan 2013/14") == (D(2013, 10, 1), D(2016, 3, 31))
    assert "Period: 1 Oct 2013 to 31 Mar 2016 (as recorded)" in report.lines()


def test_a_backwards_period_stops_the_import_and_changes_nothing(factory):
    with pytest.raises(PeriodError, match="cannot end"):
        import_file(
            factory,
            csv_bytes(ROWS),
            "p.csv",
            plan_name="P",
            author="A",
            period=(D(2014, 4, 1), D(2014, 3, 31)),
        )
    with factory() as session:
        assert session.scalar(select(Plan)) is None


def test_officers_set_a_plan_period_with_an_audit_entry(session):
    plan = add_plan(session, "Plan")
    add_user(session, "officer@x.org", "officer")
    officer = actor_of(session, "officer@x.org")
    result = set_plan_period(session, officer, plan.id, D(2011, 4, 1), D(2014, 3, 31), now=NOW)
    assert (result.start, result.end) == (D(2011, 4, 1), D(2014, 3, 31))
    assert (plan.period_start, plan.period_end) == (D(2011, 4, 1), D(2014, 3, 31))
    entry = session.scalar(select(AuditEntry).where(AuditEntry.event == "plan period set"))
    assert (entry.actor, entry.target) == ("officer@x.org", "Plan")
    assert entry.details["before"] == [None, None]
    assert entry.details["after"] == ["2011-04-01", "2014-03-31"]
    # Saving the same period again records nothing new.
    set_plan_period(session, officer, plan.id, D(2011, 4, 1), D(2014, 3, 31), now=NOW)
    period_entries = select(AuditEntry).where(AuditEntry.event == "plan period set")
    assert len(session.scalars(period_entries).all()) == 1


@pytest.mark.parametrize("role", ["owner", "chair", "viewer"])
def test_only_officers_and_admins_set_a_period(session, role):
    plan = add_plan(session, "Plan")
    add_user(session, "x@x.org", role)
    with pytest.raises(PermissionDenied):
        set_plan_period(session, actor_of(session, "x@x.org"), plan.id, None, D(2014, 3, 31))
    with pytest.raises(PermissionDenied, match="Sign in first"):
        set_plan_period(session, None, plan.id, None, D(2014, 3, 31))
    assert plan.period_end is None
    assert session.scalar(select(AuditEntry).where(AuditEntry.event == "plan period set")) is None


def test_a_bad_period_or_plan_is_refused(factory):
    with factory() as session:
        plan_id = add_plan(session, "Plan").id
        add_user(session, "admin@x.org", "admin")
        admin = actor_of(session, "admin@x.org")
        session.commit()
    with pytest.raises(PeriodError):
        submit_plan_period(factory, admin, plan_id, D(2014, 4, 1), D(2014, 3, 1))
    with pytest.raises(PlanNotFound):
        submit_plan_period(factory, admin, plan_id + 99, None, None)
    assert _period(factory, "Plan") == (None, None)
    submit_plan_period(factory, admin, plan_id, None, D(2014, 3, 31))
    assert _period(factory, "Plan") == (None, D(2014, 3, 31))
