"""The one write path for indicator values: validation (a Red value needs a corrective-action
note), permission (owners of the indicator, officers), conflict detection, audit, and the
append-only history; and the queries reading values back as at a date."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from plan.auth import PermissionDenied
from plan.models import AuditEntry, HistoryIsAppendOnly, IndicatorValue
from plan.queries.indicators import indicator_rag_counts, indicator_rows
from plan.queries.state import Selection
from plan.services.indicator_values import (
    ValueConflict,
    ValueInput,
    record_indicator_value,
    submit_indicator_value,
)
from plan.services.validation import InvalidUpdate
from rulebook.indicators import ValueStatus
from rulebook.movement import Direction
from rulebook.periods import read_period
from rulebook.rag import Rag
from tests.builders import actor_of, add_indicator, add_plan, add_user, add_value, noon

NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
Q1 = read_period("Q1 2026/27")
Q2 = read_period("Q2 2026/27")
assert Q1 is not None and Q2 is not None


@pytest.fixture
def world(session):
    plan = add_plan(session, "VAWG")
    incidents = add_indicator(
        session,
        plan,
        "DA1",
        "Repeat MARAC referrals",
        polarity="lower is better",
        unit="%",
        owners=["Kylie Thornton"],
        targets={"Q1 2026/27": 28.0, "Q2 2026/27": 28.0},
    )
    add_user(session, "owner@x.gov.uk", "owner", owner_names=["kylie THORNTON"])
    add_user(session, "other@x.gov.uk", "owner", owner_names=["Ian Peet"])
    add_user(session, "officer@x.gov.uk", "officer")
    add_user(session, "chair@x.gov.uk", "chair")
    session.commit()
    return incidents


def _record(session, email, indicator, entry, expected=None):
    return record_indicator_value(
        session, actor_of(session, email), indicator.id, entry, expected_latest_id=expected, now=NOW
    )


def test_owner_records_a_value_audited(session, world):
    entry_id = _record(session, "owner@x.gov.uk", world, ValueInput(Q2, ValueStatus.VALUE, 27.5))
    stored = session.get(IndicatorValue, entry_id)
    assert (stored.period_start, stored.period_end, stored.value) == (Q2.start, Q2.end, 27.5)
    assert (stored.author_email, stored.source.value, stored.note) == (
        "owner@x.gov.uk",
        "form",
        None,
    )
    audit = session.scalars(
        select(AuditEntry).where(AuditEntry.event == "indicator value recorded")
    ).one()
    assert audit.actor == "owner@x.gov.uk"
    assert audit.details["period"] == "Q2 2026/27"
    assert audit.details["value"] == 27.5
    assert "indicator DA1" in audit.target


@pytest.mark.parametrize("email", ["other@x.gov.uk", "chair@x.gov.uk"])
def test_others_may_not(session, world, email):
    with pytest.raises(PermissionDenied):
        _record(session, email, world, ValueInput(Q2, ValueStatus.VALUE, 20.0))
    assert session.scalar(select(func.count()).select_from(IndicatorValue)) == 0


def test_signed_out_may_not(session, world):
    with pytest.raises(PermissionDenied, match="Sign in"):
        record_indicator_value(
            session,
            None,
            world.id,
            ValueInput(Q2, ValueStatus.VALUE, 20.0),
            expected_latest_id=None,
        )


def test_officer_may(session, world):
    assert _record(session, "officer@x.gov.uk", world, ValueInput(Q2, ValueStatus.VALUE, 20.0))


def test_red_needs_a_corrective_action_note(session, world):
    # Lower is better, target 28, 5%: above 29.4 is Red.
    with pytest.raises(InvalidUpdate) as refused:
        _record(session, "owner@x.gov.uk", world, ValueInput(Q2, ValueStatus.VALUE, 31.0))
    assert [e.field for e in refused.value.errors] == ["note"]
    assert "corrective action" in str(refused.value)
    # Amber needs none; Red with a note is recorded.
    assert _record(session, "owner@x.gov.uk", world, ValueInput(Q1, ValueStatus.VALUE, 29.0))
    assert _record(
        session,
        "owner@x.gov.uk",
        world,
        ValueInput(Q2, ValueStatus.VALUE, 31.0, note="Extra IDVA capacity from January"),
    )


@pytest.mark.parametrize(
    ("entry", "field", "words"),
    [
        (ValueInput(Q2, ValueStatus.VALUE, None), "value", "Give the figure"),
        (ValueInput(Q2, ValueStatus.SUPPRESSED, 3.0), "value", "has no figure"),
        (ValueInput(Q2, ValueStatus.VALUE, -1.0), "value", "below nought"),
        (ValueInput(Q2, ValueStatus.VALUE, float("nan")), "value", "must be a number"),
        (ValueInput(read_period("Oct 2026"), ValueStatus.VALUE, 1.0), "period", "not a quarter"),
        (ValueInput(read_period("Q4 2026/27"), ValueStatus.VALUE, 1.0), "period", "not started"),
        (ValueInput(Q2, ValueStatus.VALUE, 1.0, note="x" * 5001), "note", "under 5000"),
    ],
)
def test_invalid_entries_are_refused(session, world, entry, field, words):
    with pytest.raises(InvalidUpdate) as refused:
        _record(session, "owner@x.gov.uk", world, entry)
    assert [e.field for e in refused.value.errors] == [field]
    assert words in str(refused.value)
    assert session.scalar(select(func.count()).select_from(IndicatorValue)) == 0


def test_not_yet_available_and_suppressed_are_entries(session, world):
    _record(session, "owner@x.gov.uk", world, ValueInput(Q1, ValueStatus.SUPPRESSED))
    _record(session, "owner@x.gov.uk", world, ValueInput(Q2, ValueStatus.NOT_YET_AVAILABLE))
    row = indicator_rows(session, Selection(), None)[0]
    assert [(f.period.label, f.status, f.value, f.rag) for f in row.figures] == [
        ("Q1 2026/27", ValueStatus.SUPPRESSED, None, None),
        ("Q2 2026/27", ValueStatus.NOT_YET_AVAILABLE, None, None),
    ]


def test_conflict_when_the_period_changed_after_the_form_opened(session, world):
    first = _record(session, "owner@x.gov.uk", world, ValueInput(Q2, ValueStatus.VALUE, 27.0))
    # Someone opened the form before `first` was saved: they expected no entry.
    with pytest.raises(ValueConflict) as conflict:
        _record(session, "officer@x.gov.uk", world, ValueInput(Q2, ValueStatus.VALUE, 26.0))
    assert conflict.value.newer_id == first
    assert "Q2 2026/27" in str(conflict.value)
    # Another period is not a conflict, and a correction naming the entry it saw is saved.
    _record(session, "officer@x.gov.uk", world, ValueInput(Q1, ValueStatus.VALUE, 25.0))
    _record(session, "officer@x.gov.uk", world, ValueInput(Q2, ValueStatus.VALUE, 26.0), first)


def test_a_correction_supersedes_and_both_stay(session, world):
    first = _record(session, "owner@x.gov.uk", world, ValueInput(Q2, ValueStatus.VALUE, 27.0))
    session.commit()
    later = NOW + dt.timedelta(days=3)
    record_indicator_value(
        session,
        actor_of(session, "owner@x.gov.uk"),
        world.id,
        ValueInput(Q2, ValueStatus.VALUE, 30.0, note="Corrected: late police data"),
        expected_latest_id=first,
        now=later,
    )
    entries = session.scalars(select(IndicatorValue).order_by(IndicatorValue.id)).all()
    assert [e.value for e in entries] == [27.0, 30.0]
    # As at the first day only the first was known; now the correction is current.
    before = indicator_rows(session, Selection(), NOW.date())[0]
    after = indicator_rows(session, Selection(), later.date())[0]
    assert (before.latest.value, before.latest.rag) == (27.0, Rag.GREEN)
    assert (after.latest.value, after.latest.rag) == (30.0, Rag.RED)
    with pytest.raises(HistoryIsAppendOnly):
        entries[0].value = 1.0
        session.flush()


def test_submit_runs_in_its_own_transaction(factory, session, world):
    submit_indicator_value(
        factory,
        actor_of(session, "owner@x.gov.uk"),
        world.id,
        ValueInput(Q2, ValueStatus.VALUE, 27.0),
        expected_latest_id=None,
        now=NOW,
    )
    with factory() as other:
        assert other.scalar(select(IndicatorValue.value)) == 27.0


def test_rows_and_counts_as_at(session):
    plan = add_plan(session, "VAWG")
    targets = {f"Q{q} {y}": 100.0 for y in ("2025/26", "2026/27") for q in (1, 2, 3, 4)}
    up = add_indicator(session, plan, "A", targets=targets)
    down = add_indicator(session, plan, "B", polarity="lower is better", targets=targets)
    add_indicator(session, plan, "C", polarity="contextual")
    add_indicator(session, plan, "D", targets=targets)  # no values at all
    ytd = add_indicator(session, plan, "E", cumulative=True, targets=targets)
    for period, a, b, e in [
        ("Q1 2025/26", 90.0, 100.0, 30.0),
        ("Q4 2025/26", 97.0, 90.0, 120.0),
        ("Q1 2026/27", 110.0, 120.0, 25.0),
    ]:
        day = read_period(period).end + dt.timedelta(days=20)
        add_value(session, up, period, a, at=noon(day))
        add_value(session, down, period, b, at=noon(day))
        add_value(session, ytd, period, e, at=noon(day))
    session.commit()
    rows = {row.ref: row for row in indicator_rows(session, Selection(), dt.date(2026, 8, 1))}
    a, b, c, d, e = (rows[r] for r in "ABCDE")
    assert (a.latest.period.label, a.latest.value, a.latest.target, a.latest.rag) == (
        "Q1 2026/27",
        110.0,
        100.0,
        Rag.GREEN,
    )
    assert (a.direction_previous, a.direction_last_year) == (Direction.IMPROVING,) * 2
    assert (b.latest.rag, b.direction_previous, b.direction_last_year) == (
        Rag.RED,
        Direction.WORSENING,
        Direction.WORSENING,
    )
    assert (c.latest, c.direction_previous) == (None, None)
    assert d.latest is None
    # Year to date: Q1 starts again, so only last year's Q1 compares.
    assert (e.direction_previous, e.direction_last_year) == (None, Direction.WORSENING)
    assert a.trend == [90.0, 97.0, 110.0]
    counts = indicator_rag_counts(session, Selection(), dt.date(2026, 8, 1))
    assert counts == {Rag.RED: 2, Rag.AMBER: 0, Rag.GREEN: 1, None: 2}
    # A year earlier only Q1 2025/26 was known: 90 against 100 is Red at 5%.
    earlier = {r.ref: r for r in indicator_rows(session, Selection(), dt.date(2025, 8, 1))}
    assert (earlier["A"].latest.value, earlier["A"].latest.rag) == (90.0, Rag.RED)
    assert earlier["A"].direction_previous is None
    assert indicator_rag_counts(session, Selection(), dt.date(2025, 8, 1)) == {
        Rag.RED: 2,
        Rag.AMBER: 0,
        Rag.GREEN: 1,
        None: 2,
    }
    assert indicator_rag_counts(session, Selection(), dt.date(2025, 1, 1)) == {
        Rag.RED: 0,
        Rag.AMBER: 0,
        Rag.GREEN: 0,
        None: 5,
    }
    # The RAG filter picks by the latest figure's RAG.
    assert [
        r.ref for r in indicator_rows(session, Selection(rags=(Rag.RED,)), dt.date(2026, 8, 1))
    ] == [
        "B",
        "E",
    ]


def test_own_tolerance_overrides_the_plan(session):
    plan = add_plan(session, "VAWG")
    plan.indicator_tolerance = 10.0
    wide = add_indicator(session, plan, "A", targets={"Q1 2026/27": 100.0})
    absolute = add_indicator(
        session, plan, "B", targets={"Q1 2026/27": 100.0}, tolerance=("absolute", 2.0)
    )
    for indicator in (wide, absolute):
        add_value(session, indicator, "Q1 2026/27", 95.0, at=NOW)
    session.commit()
    rows = {r.ref: r.latest.rag for r in indicator_rows(session, Selection(), None)}
    assert rows == {"A": Rag.AMBER, "B": Rag.RED}
    assert indicator_rag_counts(session, Selection(), None) == {
        Rag.RED: 1,
        Rag.AMBER: 1,
        Rag.GREEN: 0,
        None: 0,
    }
