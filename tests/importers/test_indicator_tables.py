"""Indicator tables as councils keep them, built in the test: wide (a column per period and
target columns) and long (indicator, period, value, target), as .xlsx and .csv."""

from __future__ import annotations

import datetime as dt

import pytest

from importers import ImportFileError
from importers.indicators import read_indicator_file
from rulebook.indicators import Frequency, Polarity, ValueStatus
from rulebook.periods import read_period
from tests.builders import csv_bytes, xlsx_bytes

V, NYA, SUP = ValueStatus.VALUE, ValueStatus.NOT_YET_AVAILABLE, ValueStatus.SUPPRESSED

WIDE = [
    ["Safer Barnet Partnership: VAWG indicators 2016/17"],
    [],
    [
        "Ref",
        "Indicator",
        "Polarity",
        "Unit",
        "Lead",
        "2015/16",
        "Q1 2016/17",
        "Q2 2016/17",
        "Q3 2016/17",
        "Q4 2016/17",
        "Target 2016/17",
    ],
    [
        "VAWG1",
        "Repeat MARAC referrals",
        "Lower is better",
        "%",
        "Kylie Thornton",
        27,
        30,
        28.5,
        "n/a",
        None,
        28,
    ],
    ["VAWG2", "Sanction detection rate", "Higher", "%", "Police", None, "12%", 14, "*", None, 15],
    [
        "VAWG3",
        "Domestic abuse incidents",
        "Contextual",
        "count",
        "Police",
        4100,
        1050,
        "1,110",
        990,
        1010,
        None,
    ],
    [
        "VAWG4",
        "IDVA caseload",
        "higher is better",
        "count",
        "IDVA service",
        None,
        80,
        "eighty",
        90,
        95,
        85,
    ],
]


def _period(label: str):
    period = read_period(label)
    assert period is not None
    return period


@pytest.mark.parametrize(
    ("name", "data"),
    [("indicators.xlsx", xlsx_bytes(("Indicators", WIDE))), ("indicators.csv", csv_bytes(WIDE))],
)
def test_wide_table(name, data):
    read = read_indicator_file(data, name)
    assert read.layout == "wide"
    got = {i.ref: i for i in read.indicators}
    assert list(got) == ["VAWG1", "VAWG2", "VAWG3", "VAWG4"]
    marac, sanction, incidents, idva = got.values()
    assert (marac.name, marac.polarity, marac.unit, marac.owner, marac.frequency) == (
        "Repeat MARAC referrals",
        Polarity.LOWER_IS_BETTER,
        "%",
        "Kylie Thornton",
        Frequency.QUARTERLY,
    )
    assert marac.values == {
        _period("Q1 2016/17"): (V, 30.0, None),
        _period("Q2 2016/17"): (V, 28.5, None),
        _period("Q3 2016/17"): (NYA, None, None),
    }
    # The annual outturn of a quarterly indicator is its baseline; the annual target
    # applies to each quarter of the year.
    assert (marac.baseline_value, marac.baseline_period) == (27.0, "2015/16")
    assert marac.targets == {_period(f"Q{q} 2016/17"): 28.0 for q in (1, 2, 3, 4)}
    assert sanction.values == {
        _period("Q1 2016/17"): (V, 12.0, None),
        _period("Q2 2016/17"): (V, 14.0, None),
        _period("Q3 2016/17"): (SUP, None, None),
    }
    assert sanction.polarity is Polarity.HIGHER_IS_BETTER
    assert incidents.polarity is Polarity.CONTEXTUAL
    assert incidents.targets == {}
    assert [v[1] for v in incidents.values.values()] == [1050.0, 1110.0, 990.0, 1010.0]
    assert idva.values == {
        _period("Q1 2016/17"): (V, 80.0, None),
        _period("Q3 2016/17"): (V, 90.0, None),
        _period("Q4 2016/17"): (V, 95.0, None),
    }
    sheet = "Indicators" if name.endswith("xlsx") else "indicators.csv"
    assert incidents.baseline_value == 4100.0
    baseline = "2015/16: an annual figure for a quarterly indicator: kept as its baseline"
    assert [str(issue) for issue in read.issues] == [
        f"{name}, sheet '{sheet}', row 4, {baseline}",
        f"{name}, sheet '{sheet}', row 6, {baseline}",
        f"{name}, sheet '{sheet}', row 7, Q2 2016/17: 'eighty' is not a number; "
        "the value was not imported",
    ]


def test_wide_monthly_with_date_headers_and_cumulative_targets():
    rows = [
        [
            "Indicator",
            "Cumulative",
            "Polarity",
            dt.datetime(2016, 4, 1),
            "May-16",
            "Target 2016/17",
        ],
        ["Referrals to perpetrator programmes", "Yes", "Higher is better", 5, 11, 60],
    ]
    read = read_indicator_file(xlsx_bytes(("Monthly", rows)), "monthly.xlsx")
    (only,) = read.indicators
    assert only.frequency is Frequency.MONTHLY and only.cumulative and only.ref is None
    assert only.values == {
        _period("Apr 2016"): (V, 5.0, None),
        _period("May 2016"): (V, 11.0, None),
    }
    # Year to date: the annual target is the year end's.
    assert only.targets == {_period("Mar 2017"): 60.0}


LONG = [
    ["Ref", "Indicator", "Polarity", "Period", "Value", "Target", "Commentary"],
    ["DA1", "Repeat MARAC referrals", "lower is better", "Q1 2016/17", 30, 28, "Above target"],
    ["DA1", "Repeat MARAC referrals", "", "Q2 2016/17", 28.5, 28, ""],
    ["DA2", "IDVA caseload", "higher is better", "Q1 2016/17", 80, 85, ""],
    ["DA2", "IDVA caseload", "", "Q2 2016/17", "suppressed", 85, ""],
    ["DA2", "IDVA caseload", "", "Summer", 99, "", ""],
]


@pytest.mark.parametrize(
    ("name", "data"),
    [("long.xlsx", xlsx_bytes(("Data", LONG))), ("long.csv", csv_bytes(LONG))],
)
def test_long_table(name, data):
    read = read_indicator_file(data, name)
    assert read.layout == "long"
    marac, idva = read.indicators
    assert (marac.ref, marac.polarity, marac.frequency) == (
        "DA1",
        Polarity.LOWER_IS_BETTER,
        Frequency.QUARTERLY,
    )
    assert marac.values == {
        _period("Q1 2016/17"): (V, 30.0, "Above target"),
        _period("Q2 2016/17"): (V, 28.5, None),
    }
    assert marac.targets == {_period("Q1 2016/17"): 28.0, _period("Q2 2016/17"): 28.0}
    assert idva.values == {
        _period("Q1 2016/17"): (V, 80.0, None),
        _period("Q2 2016/17"): (SUP, None, None),
    }
    assert idva.targets == {_period("Q1 2016/17"): 85.0, _period("Q2 2016/17"): 85.0}
    assert [(i.row, i.field, i.message) for i in read.issues] == [
        (6, "period", "'Summer' is not a period like Q1 2016/17")
    ]


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("empty.csv", b"", "is empty"),
        ("plan.csv", csv_bytes([["Action", "Owner"], ["Do it", "Me"]]), "holds no indicator table"),
        ("notes.pdf", b"%PDF-1.4", "is not an .xlsx or .csv file"),
    ],
)
def test_unreadable_files_say_why(name, data, words):
    with pytest.raises(ImportFileError) as error:
        read_indicator_file(data, name)
    assert str(error.value).startswith(f"{name}: ") and words in str(error.value)
