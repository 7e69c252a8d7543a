"""Period column headings (importers.periods): which period and which role each one names."""

import datetime as dt

import pytest

from importers.periods import QuarterYear, period_column

FY_2017 = QuarterYear(2017, "the plan's period")


@pytest.mark.parametrize(
    ("header", "role", "label", "bare"),
    [
        ("Q1 RAG", "rag", "Q1 2017/18", True),
        ("Q1 update", "progress", "Q1 2017/18", True),
        ("RAG status Q2", "rag", "Q2 2017/18", True),
        ("Q4 Comments", "progress", "Q4 2017/18", True),
        ("RAG Jun-17", "rag", "Jun 2017", False),
        ("RAG Sep 17", "rag", "Sep 2017", False),
        ("Progress June 2017", "progress", "Jun 2017", False),
        ("Progress 2016/17 Q3", "progress", "Q3 2016/17", False),
        ("Q2 2018/19 RAG", "rag", "Q2 2018/19", False),
    ],
)
def test_period_headings_name_their_period_and_role(header, role, label, bare):
    column = period_column(header, FY_2017)
    assert column is not None
    assert (column.role, column.period.label, column.bare) == (role, label, bare)


@pytest.mark.parametrize(
    "header",
    ["RAG", "RAG status", "Progress", "Progress 2016/17", "Q1", "RAG June", "Q1 RAG update"],
)
def test_other_headings_are_not_period_columns(header):
    assert period_column(header, FY_2017) is None


def test_a_bare_quarter_takes_a_one_year_plans_year_else_the_as_at_dates():
    as_at = dt.date(2019, 1, 15)
    one_year = QuarterYear.choose(as_at, dt.date(2017, 4, 1), dt.date(2018, 3, 31))
    several = QuarterYear.choose(as_at, dt.date(2017, 4, 1), dt.date(2020, 3, 31))
    assert (one_year.label, one_year.reason) == ("2017/18", "the plan's period")
    assert (several.label, several.reason) == (
        "2018/19",
        "the financial year of the import's as-at date",
    )
