"""Indicators counted, filtered by RAG and paged in SQL agree with the figures worked out
row by row in Python (plan.queries.indicators.indicator_rows), on every date and filter."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from plan.queries.indicator_lists import indicator_count, indicator_options, indicator_page
from plan.queries.indicators import indicator_rag_counts, indicator_rows, red_indicators
from plan.queries.state import Selection
from rulebook.rag import Rag
from tests.builders import add_indicator, add_plan, add_value, noon

Q1, Q2, Q3 = "Q1 2025/26", "Q2 2025/26", "Q3 2025/26"
DATES = (
    dt.date(2025, 7, 1),  # nothing known yet
    dt.date(2025, 7, 25),  # Q1 figures
    dt.date(2025, 10, 25),  # Q2 figures, before the corrections
    dt.date(2025, 11, 30),  # corrections
    dt.date(2026, 1, 30),  # Q3, some not yet available
    None,  # everything
)
RAG_FILTERS = ((), (Rag.RED,), (Rag.AMBER, Rag.GREEN), (None,), (Rag.RED, None))


@pytest.fixture
def indicators(session):
    plan = add_plan(session, "VAWG", "First", "Second")
    first, second = plan.objectives
    targets = {Q1: 100.0, Q2: 100.0, Q3: 100.0}
    q1, q2, q3 = (
        noon(d) for d in (dt.date(2025, 7, 20), dt.date(2025, 10, 20), dt.date(2026, 1, 20))
    )
    later = noon(dt.date(2025, 11, 20))
    shapes = [
        # (objective, polarity, tolerance, entries: (period, value, at, status))
        (second, "higher is better", None, [(Q1, 120.0, q1), (Q2, 97.0, q2), (Q2, 80.0, later)]),
        (first, "lower is better", None, [(Q1, 104.0, q1), (Q2, 90.0, q2), (Q3, None, q3)]),
        (first, "higher is better", 10.0, [(Q1, 92.0, q1), (Q2, 110.0, q2), (Q3, 85.0, q3)]),
        (second, "contextual", None, [(Q1, 50.0, q1), (Q2, 60.0, q2)]),
        (first, "higher is better", None, []),
        (second, "lower is better", None, [(Q2, 130.0, q2), (Q2, 99.0, later), (Q3, 104.0, q3)]),
        (None, "higher is better", None, [(Q1, 96.0, q1)]),
    ]
    for number, (objective, polarity, tolerance, entries) in enumerate(shapes, start=1):
        settings = {"tolerance": ("absolute", tolerance)} if tolerance else {}
        indicator = add_indicator(
            session,
            plan,
            f"P{number}",
            objective=objective,
            polarity=polarity,
            targets=targets,
            **settings,
        )
        for period, value, at in entries:
            status = "value" if value is not None else "not yet available"
            add_value(session, indicator, period, value, at=at, status=status)
    session.commit()


@pytest.mark.parametrize("as_at", DATES)
def test_sql_lists_agree_with_the_rows(session, indicators, as_at):
    for rags in RAG_FILTERS:
        selection = Selection(rags=rags)
        rows = indicator_rows(session, selection, as_at)
        assert indicator_count(session, selection, as_at) == len(rows), rags
        options = indicator_options(session, selection, as_at)
        assert list(options) == [row.id for row in rows], rags
        assert list(options.values()) == [f"{row.ref} {row.name}" for row in rows]
        for offset in (0, 2, 5):
            page = indicator_page(session, selection, as_at, offset, 2)
            assert page == rows[offset : offset + 2], (rags, offset)
    every = indicator_rows(session, Selection(), as_at)
    latest = Counter(row.latest.rag if row.latest else None for row in every)
    counts = indicator_rag_counts(session, Selection(), as_at)
    assert counts == {rag: latest.get(rag, 0) for rag in (Rag.RED, Rag.AMBER, Rag.GREEN, None)}
    assert [r.id for r in red_indicators(session, Selection(), as_at)] == [
        r.id for r in every if r.latest and r.latest.rag is Rag.RED
    ]


def test_the_figures_on_the_dates(session, indicators):
    def rags(as_at):
        return {
            row.ref: row.latest.rag.value if row.latest and row.latest.rag else None
            for row in indicator_rows(session, Selection(), as_at)
        }

    # Before the corrections P1's Q2 is Amber (97 against 100, 5%), P6's Red (130).
    assert rags(dt.date(2025, 10, 25)) == {
        "P2": "Green",
        "P3": "Green",
        "P5": None,
        "P7": "Amber",
        "P1": "Amber",
        "P4": None,
        "P6": "Red",
    }
    after = rags(dt.date(2025, 11, 30))
    assert (after["P1"], after["P6"]) == ("Red", "Green")
    # Q3: P2 not yet available (no RAG); P3 15 short, beyond its own tolerance of 10.
    final = rags(None)
    assert (final["P2"], final["P3"], final["P6"]) == (None, "Red", "Amber")
