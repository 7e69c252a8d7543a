import datetime

import pytest

from rulebook.plan_periods import (
    PeriodError,
    check_period,
    closed_plans_as_at,
    is_closed,
    period_from_name,
)

D = datetime.date


@pytest.mark.parametrize(
    ("name", "period"),
    [
        ("Reducing Violence Against Women and Children Delivery Plan 2011/14", (2011, 2014)),
        ("Domestic Abuse Action Plan 2013-14", (2013, 2014)),
        ("VAWG Action Plan 2025-28", (2025, 2028)),
        ("Sefton Prevention Strategy 2007-2010", (2007, 2010)),
        ("Warwickshire VAWG 2015 – 18", (2015, 2018)),
        ("Plan 1999/01", (1999, 2001)),
        ("Plan 2024/2025 refresh", (2024, 2025)),
    ],
)
def test_a_name_naming_financial_years_gives_april_to_march(name, period):
    start, end = period
    assert period_from_name(name) == (D(start, 4, 1), D(end, 3, 31))


@pytest.mark.parametrize(
    "name",
    [
        "Domestic Abuse Steering Group Action Plan",
        "Plan 2014",  # one year: no period
        "Plan 2014/13",  # backwards
        "Plan 2001-2030",  # longer than any plan
        "Version 12/14",  # not a year
        "Meeting 01/04/2014",  # a date, not a period
        "Ref 2011/14/3",
    ],
)
def test_a_name_without_a_period_gives_none(name):
    assert period_from_name(name) is None


def test_a_period_cannot_end_before_it_starts():
    check_period(D(2013, 4, 1), D(2014, 3, 31))
    check_period(D(2014, 3, 31), D(2014, 3, 31))
    check_period(None, D(2014, 3, 31))
    with pytest.raises(PeriodError, match=r"cannot end \(31/03/2013\) before it starts"):
        check_period(D(2013, 4, 1), D(2013, 3, 31))


def test_a_plan_is_closed_from_the_day_after_its_end():
    end = D(2014, 3, 31)
    assert not is_closed(end, D(2014, 3, 31))
    assert is_closed(end, D(2014, 4, 1))
    assert not is_closed(None, D(2030, 1, 1))


def test_closed_plans_are_shown_as_at_their_latest_end():
    today = D(2026, 11, 25)
    assert closed_plans_as_at([D(2014, 3, 31), D(2013, 3, 31)], today) == D(2014, 3, 31)
    # One plan still running, or with no recorded end: today stands.
    assert closed_plans_as_at([D(2014, 3, 31), D(2027, 3, 31)], today) is None
    assert closed_plans_as_at([D(2014, 3, 31), None], today) is None
    assert closed_plans_as_at([], today) is None
    assert closed_plans_as_at([D(2026, 11, 25)], today) is None
    assert closed_plans_as_at([D(2026, 11, 24)], today) == D(2026, 11, 24)
