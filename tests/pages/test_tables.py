"""Action tables: what a 1366-wide laptop shows beside the sidebar without scrolling sideways."""

import datetime as dt

import pytest

from pages.tables import ACTION_COLUMNS, actions_frame
from plan.models import DeliveryStatus
from plan.queries import ActionView
from rulebook.rag import Rag

# The table's width beside the sidebar at 1366x768, measured in Chromium (artifacts/screens).
LAPTOP_TABLE_PX = 875


def _view() -> ActionView:
    return ActionView(
        id=1,
        plan="VAWG",
        objective="Prevention",
        ref="1.1",
        action="Run the campaign",
        owner="GMP",
        owners=("GMP",),
        deadline=dt.date(2026, 3, 31),
        deadline_text="March 2026",
        ongoing=False,
        rag=Rag.RED,
        status=DeliveryStatus.IN_PROGRESS,
        latest_update="Delayed",
        updated_at=None,
        overdue=True,
        days_overdue=4,
        movement="worsened",
    )


@pytest.mark.parametrize("days_overdue", [False, True])
def test_rating_lateness_action_owner_and_link_fit_a_laptop(days_overdue):
    columns = list(actions_frame([_view()], days_overdue=days_overdue).columns)
    first = columns[: columns.index("Details") + 1]
    assert {"RAG", "Action", "Owner", "Deadline", "Details"} <= set(first)
    assert ("Days overdue" in first) == days_overdue
    assert sum(ACTION_COLUMNS[name]["width"] for name in first) <= LAPTOP_TABLE_PX
    assert columns[-1] == "Objective"
