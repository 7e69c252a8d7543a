"""Merged cells: a tall merged cell's value copied to every row it covers.

An owner or deadline merged down beside several actions applies to each of them. The copies
are remembered, so that a row holding nothing but copies still reads as empty.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

# Fields whose merged (tall) cells are not copied down: they identify one action each.
NOT_COPIED = ("action", "ref")


@dataclass(frozen=True)
class FilledGrid:
    """A sheet's rows with tall merged cells copied down (the sheet's own rows are untouched)."""

    rows: list[list[object]]
    # Row index -> columns holding a copy of the merged cell above, not typed there.
    copied: dict[int, set[int]] = field(default_factory=dict)
    # Rows with a cell merged across several columns.
    merged_across: set[int] = field(default_factory=set)


def fill_merged_cells(
    rows: list[list[object]],
    merges: Sequence[tuple[int, int, int, int]],
    mapping: dict[int, str],
) -> FilledGrid:
    """Copy each tall merged cell's value into the empty cells below it (not refs or actions)."""
    out = list(rows)
    own: set[int] = set()  # rows already copied, so the sheet's own lists stay as they were
    copied: dict[int, set[int]] = {}
    merged_across: set[int] = set()
    for first_row, first_col, last_row, last_col in merges:
        if last_col > first_col:
            merged_across.add(first_row)
        if last_row <= first_row or mapping.get(first_col) in NOT_COPIED:
            continue
        top = out[first_row][first_col] if first_col < len(out[first_row]) else None
        if top is None or top == "":
            continue
        for index in range(first_row + 1, min(last_row, len(out) - 1) + 1):
            row = out[index]
            if index not in own:
                row = out[index] = list(row)
                own.add(index)
            if len(row) <= first_col:
                row.extend([None] * (first_col + 1 - len(row)))
            if row[first_col] is None or row[first_col] == "":
                row[first_col] = top
                copied.setdefault(index, set()).add(first_col)
    return FilledGrid(out, copied, merged_across)
