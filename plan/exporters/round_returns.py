"""A round's returns as CSV for officers: the list to chase, and the replies per owner and
per objective. UTF-8 with a byte-order mark, CRLF rows, no cell that starts a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from plan.exporters.safe_cells import csv_text
from plan.queries.rounds import ChaseItem, ReplyCount, RoundSummary
from rulebook.dates import format_uk_date

BOM = "\ufeff"
CHASE_COLUMNS = ("round", "due", "plan", "objective", "ref", "action", "owner", "reply")
COUNT_COLUMNS = ("round", "by", "plan", "name", "received", "outstanding", "overdue")


def _csv(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_text(value) for value in row])
    return buffer.getvalue()


def chase_csv(summary: RoundSummary, items: Iterable[ChaseItem]) -> str:
    """The actions the round still waits for, one row each."""
    due = format_uk_date(summary.due)
    return _csv(
        CHASE_COLUMNS,
        (
            (summary.name, due, i.plan, i.objective, i.ref, i.action, i.owner, i.reply.value)
            for i in items
        ),
    )


def counts_csv(
    summary: RoundSummary, by_owner: Iterable[ReplyCount], by_objective: Iterable[ReplyCount]
) -> str:
    """Received / outstanding / overdue per owner, then per objective."""
    rows = [("owner", c) for c in by_owner] + [("objective", c) for c in by_objective]
    return _csv(
        COUNT_COLUMNS,
        (
            (summary.name, by, c.plan, c.name, c.received, c.outstanding, c.overdue)
            for by, c in rows
        ),
    )
