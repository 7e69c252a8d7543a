import datetime

import pytest

from rulebook.overdue import CLOSED_STATUSES, days_overdue, is_overdue
from rulebook.rag import DeliveryStatus

D = datetime.date
S = DeliveryStatus
AS_AT = D(2026, 11, 25)


def test_closed_statuses():
    assert frozenset({S.COMPLETE, S.CANCELLED}) == CLOSED_STATUSES


@pytest.mark.parametrize(
    ("deadline", "status", "overdue", "days"),
    [
        (D(2026, 11, 24), None, True, 1),
        (D(2026, 11, 24), S.NOT_STARTED, True, 1),
        (D(2026, 11, 24), S.IN_PROGRESS, True, 1),
        (D(2026, 11, 24), S.DEFERRED, True, 1),
        (D(2026, 11, 24), S.COMPLETE, False, 0),
        (D(2026, 11, 24), S.CANCELLED, False, 0),
        (D(2025, 11, 25), S.IN_PROGRESS, True, 365),
        (D(2014, 3, 31), None, True, (AS_AT - D(2014, 3, 31)).days),
        # due today is not yet overdue
        (D(2026, 11, 25), S.IN_PROGRESS, False, 0),
        (D(2026, 11, 25), None, False, 0),
        (D(2026, 12, 31), S.NOT_STARTED, False, 0),
        (None, None, False, 0),
        (None, S.IN_PROGRESS, False, 0),
        (None, S.COMPLETE, False, 0),
    ],
)
def test_overdue(deadline, status, overdue, days):
    assert is_overdue(deadline, status, AS_AT) is overdue
    assert days_overdue(deadline, status, AS_AT) == days
