"""The financial year a file names for itself: "VAWG Delivery Plan 2025/26" in its title lines,
a sheet called "2025-26", a file saved as "Tracker 2025-2026.xlsx".

A tracker's quarter columns often name no year ("Q1 RAG | Q2 RAG"): a person reads them in the
year the file's title gives, so the importer does too (importers.periods.QuarterYear).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from importers.cells import cell_text

# "2025/26", "2025-26", "2025–2026", "2025 / 26": a year and the next. Digits either side are
# another number ("12025/26"); "2025-06" is a month, not a year (06 does not follow 25).
_FINANCIAL_YEAR = re.compile(r"(?<!\d)(20\d{2}) ?[/\-–] ?(\d{2}|20\d{2})(?!\d)")


def financial_years_named(text: str) -> set[int]:
    """The financial years (their first calendar year) a text names."""
    years = set()
    for match in _FINANCIAL_YEAR.finditer(text):
        first, second = int(match.group(1)), int(match.group(2))
        if second % 100 == (first + 1) % 100 and (second < 100 or second == first + 1):
            years.add(first)
    return years


def title_lines(rows: Sequence[Sequence[object]], first_header_row: int) -> Iterable[str]:
    """The text of the lines above a table's header: its title, subtitle, "as at" line."""
    for row in rows[:first_header_row]:
        for value in row:
            if text := cell_text(value):
                yield text
