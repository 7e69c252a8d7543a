"""The actions CSV: the command line's `export --format csv` and the Board papers page's
"Actions (CSV)" download are this one file.

The columns are the JSON export's keys, in the same order. It is UTF-8 with a byte-order mark
(so Excel shows the RAG symbols and any accents), rows end in CRLF, the RAG is shown as on
screen ("✖ Red", "– Not rated"), yes/no for true/false, owners joined by "; ", and text that
would start a formula gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from plan.exporters.records import EXPORT_COLUMNS, action_record
from plan.exporters.safe_cells import csv_text
from plan.queries import ActionView
from rulebook.rag import rag_label

BOM = "\ufeff"


def actions_csv(views: Iterable[ActionView]) -> str:
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for view in views:
        record = action_record(view) | {"rag": rag_label(view.rag)}
        writer.writerow([csv_text(record[column]) for column in EXPORT_COLUMNS])
    return buffer.getvalue()
