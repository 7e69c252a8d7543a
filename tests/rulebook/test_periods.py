"""Reporting periods as councils write them, and the periods around them."""

from __future__ import annotations

import datetime as dt

import pytest

from rulebook.periods import (
    Period,
    PeriodKind,
    is_target_heading,
    period_containing,
    previous_period,
    read_period,
    same_period_last_year,
    shifted,
)

D = dt.date


@pytest.mark.parametrize(
    ("written", "start", "end", "label"),
    [
        ("Q1 2016/17", D(2016, 4, 1), D(2016, 6, 30), "Q1 2016/17"),
        ("Q2 2016/17", D(2016, 7, 1), D(2016, 9, 30), "Q2 2016/17"),
        ("Q3 2016/17", D(2016, 10, 1), D(2016, 12, 31), "Q3 2016/17"),
        ("Q4 2016/17", D(2017, 1, 1), D(2017, 3, 31), "Q4 2016/17"),
        ("q4 16/17", D(2017, 1, 1), D(2017, 3, 31), "Q4 2016/17"),
        ("Q2 2016-17", D(2016, 7, 1), D(2016, 9, 30), "Q2 2016/17"),
        ("Q2 2016/2017", D(2016, 7, 1), D(2016, 9, 30), "Q2 2016/17"),
        ("Q4 2099/00", D(2100, 1, 1), D(2100, 3, 31), "Q4 2099/00"),
        ("2015/16", D(2015, 4, 1), D(2016, 3, 31), "2015/16"),
        ("FY 2015-16", D(2015, 4, 1), D(2016, 3, 31), "2015/16"),
        ("Apr-16", D(2016, 4, 1), D(2016, 4, 30), "Apr 2016"),
        ("Feb-16", D(2016, 2, 1), D(2016, 2, 29), "Feb 2016"),
        ("Sept 2016", D(2016, 9, 1), D(2016, 9, 30), "Sep 2016"),
        ("December 2016", D(2016, 12, 1), D(2016, 12, 31), "Dec 2016"),
        (dt.datetime(2016, 5, 1), D(2016, 5, 1), D(2016, 5, 31), "May 2016"),
        (D(2016, 5, 17), D(2016, 5, 1), D(2016, 5, 31), "May 2016"),
        ("Target 2016/17", D(2016, 4, 1), D(2017, 3, 31), "2016/17"),
        ("Target Q3 2016/17", D(2016, 10, 1), D(2016, 12, 31), "Q3 2016/17"),
    ],
)
def test_read_period(written, start, end, label):
    period = read_period(written)
    assert period == Period(start, end)
    assert period is not None and period.label == label


@pytest.mark.parametrize(
    "written", ["Indicator", "Q5 2016/17", "2016/18", "Q1 2016/18", "Smarch 2016", "", None, 2016]
)
def test_not_a_period(written):
    assert read_period(written) is None


def test_target_headings():
    assert is_target_heading("Target 2016/17")
    assert is_target_heading(" target Q1 2016/17")
    assert not is_target_heading("Q1 2016/17")
    assert not is_target_heading(None)


@pytest.mark.parametrize(
    ("period", "previous", "last_year"),
    [
        ("Q1 2016/17", "Q4 2015/16", "Q1 2015/16"),
        ("Q4 2016/17", "Q3 2016/17", "Q4 2015/16"),
        ("Apr 2016", "Mar 2016", "Apr 2015"),
        ("Jan 2017", "Dec 2016", "Jan 2016"),
        ("2016/17", "2015/16", "2015/16"),
    ],
)
def test_previous_and_last_year(period, previous, last_year):
    here = read_period(period)
    assert here is not None
    assert previous_period(here).label == previous
    assert same_period_last_year(here).label == last_year


def test_kinds_and_shifts():
    quarter = period_containing(PeriodKind.QUARTER, D(2026, 2, 14))
    assert (quarter.kind, quarter.label) == (PeriodKind.QUARTER, "Q4 2025/26")
    assert [shifted(quarter, n).label for n in (1, 2, 5)] == [
        "Q1 2026/27",
        "Q2 2026/27",
        "Q1 2027/28",
    ]
    assert period_containing(PeriodKind.YEAR, D(2026, 3, 31)).label == "2025/26"
    assert period_containing(PeriodKind.MONTH, D(2024, 2, 10)).end == D(2024, 2, 29)
