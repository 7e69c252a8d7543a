import dataclasses
import datetime

import pytest

from rulebook.deadlines import DeadlineReading, read_deadline

D = datetime.date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D(2014, 3, 31), DeadlineReading(D(2014, 3, 31), False, "2014-03-31", True)),
        (
            datetime.datetime(2014, 3, 31, 0, 0),
            DeadlineReading(D(2014, 3, 31), False, "2014-03-31", True),
        ),
        (
            datetime.datetime(2014, 3, 31, 15, 30),
            DeadlineReading(D(2014, 3, 31), False, "2014-03-31", True),
        ),
    ],
)
def test_date_values(value, expected):
    reading = read_deadline(value)
    assert reading == expected
    assert type(reading.date) is datetime.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # ISO
        ("2021-12-31", D(2021, 12, 31)),
        ("2021-12-31 00:00:00", D(2021, 12, 31)),
        # a day with a time of day, as exports write it: the day is the deadline
        ("2016-03-31T00:00:00Z", D(2016, 3, 31)),
        ("2016-03-31T09:30:00+01:00", D(2016, 3, 31)),
        ("31/03/2018 00:00", D(2018, 3, 31)),
        ("3/4/2018 9:30 am", D(2018, 4, 3)),
        ("31 March 2014, 10:00", D(2014, 3, 31)),
        # day, month in words, short or long year (Excel's dd-mmm-yy)
        ("30-Nov-2017", D(2017, 11, 30)),
        ("30-Nov-17", D(2017, 11, 30)),
        ("1 Mar 16", D(2016, 3, 1)),
        # the month in words first
        ("October 31, 2018", D(2018, 10, 31)),
        ("March 31 2019", D(2019, 3, 31)),
        # week commencing: the day written
        ("w/c 12 March 2018", D(2018, 3, 12)),
        ("Week commencing 5/11/2018", D(2018, 11, 5)),
        # numeric, day first
        ("31/03/2020", D(2020, 3, 31)),
        ("31/3/20", D(2020, 3, 31)),
        ("31.03.2020", D(2020, 3, 31)),
        ("6.12.13", D(2013, 12, 6)),
        ("31-03-2020", D(2020, 3, 31)),
        ("01/04/2012", D(2012, 4, 1)),
        ("04/01/2012", D(2012, 1, 4)),
        # day month year
        ("31 March 2014", D(2014, 3, 31)),
        ("31st March 2014", D(2014, 3, 31)),
        ("1 Apr 2012", D(2012, 4, 1)),
        ("2nd Sept 2011", D(2011, 9, 2)),
        ("23rd of November 2013", D(2013, 11, 23)),
        # month and year -> end of month
        ("Nov 2013", D(2013, 11, 30)),
        ("November 2014", D(2014, 11, 30)),
        ("Sept 2011", D(2011, 9, 30)),
        ("Jan 2014", D(2014, 1, 31)),
        ("Mar 2014", D(2014, 3, 31)),
        ("Dec 2013", D(2013, 12, 31)),
        ("Feb 2014", D(2014, 2, 28)),
        ("Feb 2016", D(2016, 2, 29)),
        ("August 2014", D(2014, 8, 31)),
        ("JUNE 2014", D(2014, 6, 30)),
        # ranges -> end of the last month
        ("March-June 2014", D(2014, 6, 30)),
        ("March –June 2014", D(2014, 6, 30)),
        ("March- July 2014", D(2014, 7, 31)),
        ("March –April 2014", D(2014, 4, 30)),
        ("March-April 2014", D(2014, 4, 30)),
        ("Jan 2014 - March 2015", D(2015, 3, 31)),
        ("March to June 2014", D(2014, 6, 30)),
        ("November 2013 — February 2014", D(2014, 2, 28)),
        # end of / by
        ("End of March 2014", D(2014, 3, 31)),
        ("end March 2014", D(2014, 3, 31)),
        ("By end of March 2014", D(2014, 3, 31)),
        ("by March 2014", D(2014, 3, 31)),
        ("By 31/03/2020", D(2020, 3, 31)),
        ("End of Q4 2019/20", D(2020, 3, 31)),
        # financial-year quarters
        ("Q1 2019/20", D(2019, 6, 30)),
        ("Q2 2019/20", D(2019, 9, 30)),
        ("Q3 2019/20", D(2019, 12, 31)),
        ("Q4 2019/20", D(2020, 3, 31)),
        ("Q4 2019-20", D(2020, 3, 31)),
        ("2019/20 Q4", D(2020, 3, 31)),
        ("Q4 19/20", D(2020, 3, 31)),
        ("q2 2019/2020", D(2019, 9, 30)),
        ("Q3 2019 / 20", D(2019, 12, 31)),
        # financial years
        ("2020/21", D(2021, 3, 31)),
        ("2020-21", D(2021, 3, 31)),
        ("2020/2021", D(2021, 3, 31)),
        ("1999/00", D(2000, 3, 31)),
    ],
)
def test_dated_text(text, expected):
    assert read_deadline(text) == DeadlineReading(expected, False, text, True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("April 2012 and on going", D(2012, 4, 30)),
        ("April 2012 and ongoing", D(2012, 4, 30)),
        ("April 2012 onwards", D(2012, 4, 30)),
        ("April 2012 and on-going", D(2012, 4, 30)),
        ("31/03/2020 and ongoing", D(2020, 3, 31)),
    ],
)
def test_dated_and_ongoing(text, expected):
    assert read_deadline(text) == DeadlineReading(expected, True, text, True)


@pytest.mark.parametrize(
    ("text", "ongoing"),
    [
        ("Ongoing", True),
        ("ongoing", True),
        ("On going", True),
        ("on-going", True),
        ("On–going", True),
        ("Ongoing.", True),
        ("Continuous", True),
        ("TBC", False),
        ("tbc", False),
        ("TBA", False),
        ("N/A", False),
        ("n/a", False),
        ("", False),
        ("   ", False),
    ],
)
def test_recognised_without_date(text, ongoing):
    reading = read_deadline(text)
    assert reading.date is None
    assert reading.ongoing is ongoing
    assert reading.recognised is True
    assert reading.text == " ".join(text.split())


def test_none_is_blank():
    assert read_deadline(None) == DeadlineReading(None, False, "", True)


@pytest.mark.parametrize(
    "text",
    [
        "April 2011-02-28",  # really in a seed plan
        "Summer",
        "asap",
        "2014",
        "Spring 2014",
        "31/02/2020",  # no such day
        "13/13/2020",
        "Q4 2019",  # calendar or financial? not guessed
        "Q5 2019/20",
        "2019/21",  # not a financial year
        "2019-12",
        "Jan 2015 - March 2014",  # ends before it starts
        "Marchember 2014",
        "Ongoing review",
        "Summer 2014 and ongoing",
        "2021-13-01",
        "March 2014 09:00",  # a time makes sense after a day only
        "31/03/2018 25:00",
        "30-Nov",
    ],
)
def test_unrecognised_is_kept_not_guessed(text):
    assert read_deadline(text) == DeadlineReading(None, False, text, False)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("  31 March 2014  ", "31 March 2014"),
        ("March\n2014", "March 2014"),
        ("By end of\n  March   2014", "By end of March 2014"),
        ("Summer\n\nterm", "Summer term"),
    ],
)
def test_text_is_kept_with_whitespace_collapsed(value, text):
    assert read_deadline(value).text == text


def test_case_of_text_is_kept():
    assert read_deadline("END OF MARCH 2014") == DeadlineReading(
        D(2014, 3, 31), False, "END OF MARCH 2014", True
    )


def test_reading_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        read_deadline("Ongoing").ongoing = False  # type: ignore[misc]


def test_the_longest_deadline_is_read_and_longer_text_is_not_a_date():
    longest = "From by the end of September. 2025 until September., 2026, and on - going"
    assert read_deadline(longest) == DeadlineReading(D(2026, 9, 30), True, longest, True)
    long_text = "March 2026 " + "to be confirmed by the board " * 4
    assert read_deadline(long_text) == DeadlineReading(None, False, long_text.strip(), False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Apr 17 – Mar 18", datetime.date(2018, 3, 31)),  # a financial year's months
        ("Apr 17 - Sep 17", datetime.date(2017, 9, 30)),
        ("Apr 2017 - Mar 18", datetime.date(2018, 3, 31)),
        # Day numbers, not years: never read as 2030 or 2031, so the import warns.
        ("May 17 - June 30", None),
        ("Jan 15 to Mar 31", None),
    ],
)
def test_two_digits_after_each_month_are_years_only_a_year_apart(text, expected):
    reading = read_deadline(text)
    assert (reading.date, reading.recognised) == (expected, expected is not None)
