"""The Board papers page's CSV: the Actions sheet's columns after Plan and Objective."""

from __future__ import annotations

import csv
import io

from plan.exporters.board_paper import ACTION_COLUMNS
from plan.exporters.safe_cells import csv_text
from plan.queries import ActionView

ACTION_SHEET_COLUMNS = tuple(column.heading for column in ACTION_COLUMNS)
ACTIONS_CSV_COLUMNS = ("Plan", "Objective", *ACTION_SHEET_COLUMNS)


def actions_csv(views: list[ActionView]) -> str:
    """The board paper's Actions sheet as CSV (UTF-8 with BOM so Excel reads the symbols)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(ACTIONS_CSV_COLUMNS)
    for view in views:
        values = (view.plan, view.objective, *(column.value(view) for column in ACTION_COLUMNS))
        writer.writerow([csv_text(v) for v in values])
    return buffer.getvalue()
