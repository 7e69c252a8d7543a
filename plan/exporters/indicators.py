"""One record per indicator and period with the indicator export keys (README: "Indicators"),
as JSON or as CSV (UTF-8 with a byte-order mark, cells that would start a formula neutralised).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from plan.exporters.safe_cells import csv_text
from plan.queries.indicators import IndicatorRow, figure_directions

INDICATOR_COLUMNS = (
    "plan",
    "objective",
    "ref",
    "indicator",
    "unit",
    "polarity",
    "period",
    "period_end",
    "status",
    "value",
    "target",
    "rag",
    "direction_previous",
    "direction_last_year",
    "note",
    "demo",
)


def indicator_records(rows: Iterable[IndicatorRow]) -> list[dict[str, Any]]:
    """Every period with a value or a target, oldest first, for each indicator in order."""
    records = []
    for row in rows:
        for figure in row.figures:
            previous, last_year = figure_directions(row, figure)
            records.append(
                {
                    "plan": row.plan,
                    "objective": row.objective,
                    "ref": row.ref,
                    "indicator": row.name,
                    "unit": row.unit,
                    "polarity": row.polarity.value,
                    "period": figure.period.label,
                    "period_end": figure.period.end.isoformat(),
                    "status": figure.status.value if figure.status else None,
                    "value": figure.value,
                    "target": figure.target,
                    "rag": figure.rag.value if figure.rag else None,
                    "direction_previous": previous.value if previous else None,
                    "direction_last_year": last_year.value if last_year else None,
                    "note": figure.note,
                    "demo": row.demo,
                }
            )
    return records


def indicators_json(rows: Iterable[IndicatorRow]) -> str:
    return json.dumps(indicator_records(rows), ensure_ascii=False, indent=2) + "\n"


def indicators_csv(rows: Iterable[IndicatorRow]) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(INDICATOR_COLUMNS)
    for record in indicator_records(rows):
        writer.writerow([csv_text(record[column]) for column in INDICATOR_COLUMNS])
    return buffer.getvalue()
