"""Rows around a plan table that are not actions: a RAG key, totals, notes and sign-off lines.

A file's own key ("Green = on target, Amber = slight slippage…") is read once for the whole
file, from any sheet, so that its rating words are read the way the file means them
(rulebook.rag_key). The same tests tell `row_kinds` which rows to report as skipped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from importers.cells import cell_text
from importers.sheet import Sheet
from rulebook.rag import Rag, rating_word
from rulebook.rag_key import key_of_cells

# Only short rows can be key rows; and only cells this long are looked at.
_KEY_CELL_CHARS = 400
_COLOUR_HINT = re.compile(r"red|amber|green|blue", re.IGNORECASE)
_TOTAL_LABELS = frozenset(
    {"red", "amber", "green", "blue", "r", "a", "g", "b", "total", "totals", "grand total"}
)
# "Red 3 / Amber 4 / Total 9": a label and a count, two or more times.
_COUNT = re.compile(r"\b(?:red|amber|green|blue|total)s?[ \t]{0,3}[:=]?[ \t]{0,3}\d+\b", re.I)
# Lines under a table that record who and when, not what is to be done.
_NOTE = re.compile(
    r"^\W{0,3}(?:notes?\b|n\.b\.|please note|source:|sign(?:ed)?[ -]?off|approved\s+by"
    r"|agreed\s+by|prepared\s+by|completed\s+by|date\s+of\s+(?:approval|sign)"
    r"|next\s+review|last\s+(?:updated|reviewed)|page\s+\d+\s+of\s+\d+)",
    re.IGNORECASE,
)


def file_rag_key(sheets: Sequence[Sheet]) -> dict[str, Rag]:
    """Every rating word the file's own key defines, from whichever sheet prints it."""
    key: dict[str, Rag] = {}
    for sheet in sheets:
        for row in sheet.rows:
            found = row_key(row)
            if found:
                key.update(found)
    return key


def row_key(row: Sequence[object]) -> dict[str, Rag] | None:
    """The key a row prints, or None; cheap for the rows that cannot be one."""
    texts = [c for c in row if c is not None and c != ""]
    if not texts or len(texts) > 2:
        return None
    cells = [cell_text(c) for c in texts]
    if any(len(t) > _KEY_CELL_CHARS for t in cells) or not _COLOUR_HINT.search(cells[0]):
        return None
    return key_of_cells(cells)


def is_totals_row(texts: Sequence[str]) -> bool:
    """A count per rating and a total: cells "Red | 3" or one cell "Red 3 / Amber 4"."""
    filled = [t for t in texts if t]
    if len(filled) == 1:
        return len(_COUNT.findall(filled[0][:_KEY_CELL_CHARS])) >= 2
    if len(filled) not in (2, 3):
        return False
    label, *counts = filled
    return rating_word(label) in _TOTAL_LABELS and all(c.isdigit() for c in counts)


def is_note_row(texts: Sequence[str]) -> bool:
    """A note or sign-off line ("Notes: …", "Signed off by …"), in at most two cells."""
    filled = [t for t in texts if t]
    return 0 < len(filled) <= 2 and bool(_NOTE.match(filled[0]))
