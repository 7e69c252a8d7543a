import datetime

import pytest

from rulebook.dates import (
    deadline_display,
    end_of_month,
    financial_quarter,
    financial_year_label,
    financial_year_start,
    format_uk_date,
    previous_quarter_end,
    quarter_end,
    quarter_label,
    utc_date,
    written_deadline,
)

D = datetime.date


@pytest.mark.parametrize(
    ("d", "text"),
    [
        (D(2026, 3, 31), "31 Mar 2026"),
        (D(2026, 4, 1), "1 Apr 2026"),
        (D(2026, 9, 5), "5 Sep 2026"),
        (D(2026, 12, 25), "25 Dec 2026"),
        (datetime.datetime(2026, 1, 2, 9, 0), "2 Jan 2026"),
        (None, ""),
    ],
)
def test_format_uk_date(d, text):
    assert format_uk_date(d) == text


@pytest.mark.parametrize(
    ("d", "start", "label"),
    [
        (D(2026, 3, 31), 2025, "2025/26"),
        (D(2026, 4, 1), 2026, "2026/27"),
        (D(2026, 1, 1), 2025, "2025/26"),
        (D(2026, 12, 31), 2026, "2026/27"),
        (D(2000, 1, 15), 1999, "1999/00"),
        (D(2009, 6, 1), 2009, "2009/10"),
    ],
)
def test_financial_year(d, start, label):
    assert financial_year_start(d) == start
    assert financial_year_label(d) == label


@pytest.mark.parametrize(
    ("month", "quarter"),
    [
        (4, 1),
        (5, 1),
        (6, 1),
        (7, 2),
        (8, 2),
        (9, 2),
        (10, 3),
        (11, 3),
        (12, 3),
        (1, 4),
        (2, 4),
        (3, 4),
    ],
)
def test_financial_quarter(month, quarter):
    assert financial_quarter(D(2026, month, 15)) == quarter


@pytest.mark.parametrize(
    ("d", "end"),
    [
        (D(2026, 4, 1), D(2026, 6, 30)),
        (D(2026, 6, 30), D(2026, 6, 30)),
        (D(2026, 7, 1), D(2026, 9, 30)),
        (D(2026, 11, 25), D(2026, 12, 31)),
        (D(2027, 1, 1), D(2027, 3, 31)),
        (D(2027, 3, 31), D(2027, 3, 31)),
    ],
)
def test_quarter_end(d, end):
    assert quarter_end(d) == end


@pytest.mark.parametrize(
    ("d", "previous"),
    [
        (D(2026, 11, 25), D(2026, 9, 30)),
        (D(2026, 9, 30), D(2026, 6, 30)),
        (D(2026, 10, 1), D(2026, 9, 30)),
        (D(2026, 4, 1), D(2026, 3, 31)),
        (D(2026, 3, 31), D(2025, 12, 31)),
        (D(2026, 1, 1), D(2025, 12, 31)),
        (D(2026, 1, 2), D(2025, 12, 31)),
    ],
)
def test_previous_quarter_end(d, previous):
    assert previous_quarter_end(d) == previous
    assert previous < d


@pytest.mark.parametrize(
    ("d", "label"),
    [
        (D(2026, 11, 25), "Q3 2026/27"),
        (D(2026, 4, 1), "Q1 2026/27"),
        (D(2026, 9, 30), "Q2 2026/27"),
        (D(2027, 3, 31), "Q4 2026/27"),
        (D(2026, 3, 31), "Q4 2025/26"),
    ],
)
def test_quarter_label(d, label):
    assert quarter_label(d) == label


@pytest.mark.parametrize(
    ("year", "month", "end"),
    [
        (2026, 1, D(2026, 1, 31)),
        (2026, 2, D(2026, 2, 28)),
        (2024, 2, D(2024, 2, 29)),
        (2000, 2, D(2000, 2, 29)),
        (1900, 2, D(1900, 2, 28)),
        (2026, 4, D(2026, 4, 30)),
        (2026, 12, D(2026, 12, 31)),
    ],
)
def test_end_of_month(year, month, end):
    assert end_of_month(year, month) == end


@pytest.mark.parametrize("month", [0, 13])
def test_end_of_month_rejects_bad_month(month):
    with pytest.raises(ValueError):
        end_of_month(2026, month)


@pytest.mark.parametrize(
    ("deadline", "text", "shown"),
    [
        (datetime.date(2014, 3, 31), "End of March 2014", "31 Mar 2014 (End of March 2014)"),
        (datetime.date(2014, 3, 31), "2014-03-31", "31 Mar 2014"),
        (datetime.date(2014, 3, 31), "31 Mar 2014", "31 Mar 2014"),
        (datetime.date(2014, 3, 31), None, "31 Mar 2014"),
        (None, "Ongoing", "Ongoing"),
        (None, None, ""),
    ],
)
def test_deadline_display(deadline, text, shown):
    assert deadline_display(deadline, text) == shown


@pytest.mark.parametrize(
    ("deadline", "text", "written"),
    [
        (datetime.date(2014, 3, 31), "End of March 2014", "End of March 2014"),
        (datetime.date(2014, 3, 31), " 2014-03-31 ", None),
        (datetime.date(2014, 3, 31), "31 Mar 2014", None),
        (datetime.date(2014, 3, 31), "31/03/2014", "31/03/2014"),
        (None, "Ongoing", "Ongoing"),
        (None, "  ", None),
        (None, None, None),
    ],
)
def test_written_deadline_only_when_it_says_more_than_the_date(deadline, text, written):
    assert written_deadline(deadline, text) == written


def test_utc_date_of_a_moment():
    late_in_london = datetime.datetime(
        2026, 6, 1, 0, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=1))
    )
    assert utc_date(late_in_london) == datetime.date(2026, 5, 31)
    assert utc_date(datetime.datetime(2026, 6, 1, 23, 59)) == datetime.date(2026, 6, 1)
    assert utc_date(None) is None
