import dataclasses
import datetime as dt

import pytest
from pydantic import ValidationError

from importers import ActionRow
from rulebook.rag import Rag


def test_a_row_is_validated_and_coerced():
    row = ActionRow(sheet="Plan", row=4, action="Train staff", rag="Red", deadline="2026-03-31")
    assert (row.rag, row.deadline, row.owners, row.extra) == (
        Rag.RED,
        dt.date(2026, 3, 31),
        [],
        {},
    )


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"row": 0, "action": "Train staff"}, "row"),
        ({"row": 2, "action": ""}, "action"),
        ({"row": 2, "action": "Train staff", "rag": "Purple"}, "rag"),
        ({"row": 2}, "action"),
    ],
)
def test_a_bad_row_is_refused_naming_the_field(values, field):
    with pytest.raises(ValidationError) as raised:
        ActionRow(sheet="Plan", **values)
    assert [error["loc"][0] for error in raised.value.errors()] == [field]


def test_rows_are_frozen_and_keep_no_per_instance_dict():
    # Slots, not a dict: a 20,000-action file holds every row at once (issue 7, memory).
    row = ActionRow(sheet="Plan", row=2, action="Train staff")
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.action = "Changed"
    assert not hasattr(row, "__dict__")
