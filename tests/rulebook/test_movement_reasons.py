"""Why an action is an exception, in the words the meeting view and the board paper share."""

import pytest

from rulebook.movement import Movement, exception_reasons, is_exception
from rulebook.rag import DeliveryStatus, Rag


@pytest.mark.parametrize(
    ("rag", "overdue", "days", "movement", "reasons"),
    [
        (Rag.RED, False, 0, None, ["Red"]),
        (Rag.GREEN, True, 1, None, ["overdue by 1 day"]),
        (
            Rag.AMBER,
            True,
            1234,
            Movement.WORSENED,
            ["overdue by 1,234 days", "worse than at the comparison date"],
        ),
        (
            Rag.RED,
            True,
            30,
            Movement.WORSENED,
            ["Red", "overdue by 30 days", "worse than at the comparison date"],
        ),
        (Rag.GREEN, False, 0, Movement.IMPROVED, []),
    ],
)
def test_reasons_name_every_rule_that_makes_an_exception(rag, overdue, days, movement, reasons):
    assert exception_reasons(rag, overdue, days, movement) == reasons
    # Reasons exist exactly when the exception rule says so (for an open action).
    assert bool(reasons) == is_exception(rag, DeliveryStatus.IN_PROGRESS, overdue, movement)
