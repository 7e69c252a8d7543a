"""What each row below a plan's header is: an action, a heading, a continuation, a placeholder…

`classify_row` looks at one row and the columns in force, nothing else: what a row means for
the rows around it (the objective it sets, the action it continues) is decided in `fold`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from importers.cells import (
    cell_text,
    is_ref_like,
    is_rule,
    is_status_section,
    is_strict_heading,
    names_section,
)
from importers.headers import Override, map_columns, normalise_header
from importers.legend import (
    is_key_title_line,
    is_note_row,
    is_totals_row,
    row_key,
    starts_other_table,
)

# Cheap test for "could this row be a header?": it must name the action column.
_ACTION_HINT = re.compile(r"action|activit|task|what we will do", re.IGNORECASE)
# Cells this long are text, not column names: the hint is not looked for in them.
_HEADER_CELL_CHARS = 40
OBJECTIVE_FIELDS = ("objective", "objective_description")
# A ref lettered by its group: "A1", "B2.1" are in group "A", "B".
_LETTERED = re.compile(r"([A-Za-z]{1,3})[-\s]?\d")
_MOST_NOTE_CELLS = 3


class RowKind(StrEnum):
    BLANK = "blank"  # nothing typed in it (copies of a merged cell above do not count)
    RULE = "rule"  # a ruled line between rows ("--|--"), not data
    REPEATED_HEADER = "repeated header"  # after a page break or under a section
    NEW_HEADER = "new header"  # a different header: the rows below are read by its columns
    HEADING = "heading"  # an objective heading for the actions below it
    TEXT_LINE = "text line"  # a text file's line without a delimiter: not a table row
    REF_ONLY = "ref only"  # a placeholder: a ref and nothing else
    OBJECTIVE = "objective"  # only the objective columns filled in
    CONTINUATION = "continuation"  # no action and no ref: more text for the action above
    NO_ACTION = "no action"  # a ref and other cells, but no action text
    ACTION = "action"
    NUMBERED_HEADING = "numbered heading"  # "1 | Prevention" above actions 1.1, 1.2…
    KEY = "key"  # a RAG key or legend: "Green = on target", "Green | On target"
    TOTALS = "totals"  # "Red 3 / Amber 4 / Total 9"
    NOTE = "note"  # "Notes: …", "Signed off by …"
    OTHER_TABLE = "other table"  # the title or header of a table that is not an action table


@dataclass
class Columns:
    """The columns in force: which field each holds, and their header texts."""

    mapping: dict[int, str]
    header_texts: list[str]
    # The header's own rows as texts: the same rows again further down are repeated headers.
    repeated: frozenset[tuple[str, ...]] = frozenset()
    by_field: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.by_field = {f: i for i, f in self.mapping.items()}

    @property
    def action(self) -> int:
        return self.by_field["action"]

    def column(self, field_name: str) -> int | None:
        return self.by_field.get(field_name)

    def text(self, row: RowView, field_name: str) -> str:
        column = self.by_field.get(field_name)
        return row.texts[column] if column is not None and column < len(row.texts) else ""


@dataclass(slots=True)
class RowView:
    """One row as the classifier sees it."""

    index: int
    cells: Sequence[object]  # values, copies of tall merged cells included
    texts: list[str]  # each cell's text
    real: list[str]  # the texts typed in this row: copies of merged cells blanked
    merged_across: bool = False  # a cell of the row is merged across columns
    bold: bool = False  # its one filled cell is bold, in a table where bold marks headings

    @classmethod
    def of(
        cls,
        index: int,
        cells: Sequence[object],
        copied: set[int] = frozenset(),  # type: ignore[assignment]
        *,
        merged_across: bool = False,
        bold: bool = False,
    ) -> RowView:
        texts = [cell_text(c) if c is not None else "" for c in cells]
        real = [t if i not in copied else "" for i, t in enumerate(texts)] if copied else texts
        return cls(index, cells, texts, real, merged_across, bold)

    @property
    def first_text(self) -> tuple[int, str]:
        """The first cell typed in, and its text."""
        return next((i, t) for i, t in enumerate(self.real) if t)


@dataclass(frozen=True)
class TableTraits:
    """What holds for the whole table, whatever the row."""

    override: Override | None = None
    # A text file with a table more than one column wide: a line with no delimiter is a
    # heading or text around the table, never a row of it.
    lone_cells_are_lines: bool = False
    # Refs with numbered actions under them ("1" above "1.1", "1.2a"): objective headings.
    parent_refs: frozenset[str] = frozenset()


def classify_row(row: RowView, columns: Columns, traits: TableTraits) -> RowKind:
    """What the row is, judged from its own cells and the columns in force."""
    if not any(row.real):
        return RowKind.BLANK
    if all(is_rule(t) for t in row.real if t):
        return RowKind.RULE
    if columns.repeated and tuple(row.texts) in columns.repeated:
        return RowKind.REPEATED_HEADER
    header = _header_kind(row, columns, traits.override)
    if header is not None:
        return header
    if _is_key(row, columns):  # a text file's key is often one line with no delimiter
        return RowKind.KEY
    if traits.lone_cells_are_lines and len(row.cells) == 1:
        return _lone_line_kind(row.real[0])
    # A table's title or header row holds short labels: a long action text rules it out cheaply.
    if len(columns.text(row, "action")) <= _HEADER_CELL_CHARS and starts_other_table(row.real):
        return RowKind.OTHER_TABLE
    if _is_heading(row, columns):
        return RowKind.HEADING
    kind = _table_row_kind(row, columns)
    if kind in (RowKind.ACTION, RowKind.CONTINUATION, RowKind.NO_ACTION):
        return _not_an_action(row, columns, traits) or kind
    return kind


def _lone_line_kind(text: str) -> RowKind:
    """A text file's line with no delimiter: a glossary's title, a heading, or text."""
    if starts_other_table([text]):
        return RowKind.OTHER_TABLE
    heading = is_strict_heading(text) or is_status_section(text)
    return RowKind.HEADING if heading else RowKind.TEXT_LINE


def _is_key(row: RowView, columns: Columns) -> bool:
    """A RAG key row; not an action row holding only its RAG and its text."""
    if row_key(row.real) is None and not is_key_title_line(row.real):
        return False
    first = row.first_text[0]
    alone = sum(1 for t in row.real if t) == 1  # a key line, even typed in the RAG column
    return alone or columns.mapping.get(first) not in ("rag", "status")


def _not_an_action(row: RowView, columns: Columns, traits: TableTraits) -> RowKind | None:
    """A row shaped like a table row that is a numbered objective, totals or a note."""
    if traits.parent_refs and columns.text(row, "ref").rstrip(".") in traits.parent_refs:
        return RowKind.NUMBERED_HEADING if columns.text(row, "action") else None
    if is_totals_row(row.real):  # gives up at an action row's first cell of text
        return RowKind.TOTALS
    if sum(1 for t in row.real if t) > _MOST_NOTE_CELLS:
        return None  # most rows: a note fills a few cells only
    if is_note_row(row.real):
        return RowKind.NOTE
    return None


def parent_refs(refs: Sequence[str]) -> frozenset[str]:
    """The refs that number a group: "1" (or "1.0") when "1.1" or "1.2a" is also there, "A"
    when "A1" is."""
    present = {r.rstrip(".") for r in refs if r}
    # "1.0" is group 1 itself (the parent of "1.1"), not an item in it.
    groups = {r.split(".", 1)[0] for r in present if "." in r and not r.endswith(".0")}
    groups |= {m[1] for r in present if (m := _LETTERED.match(r))}
    return frozenset((groups & present) | {f"{g}.0" for g in groups} & present)


def _header_kind(row: RowView, columns: Columns, override: Override | None) -> RowKind | None:
    if not (override is not None or _names_the_action(row, columns)):
        return None
    found = map_columns(row.cells, override)
    if "action" not in found.values():
        return None
    if len(found) >= 2 and all(columns.mapping.get(i) == f for i, f in found.items()):
        # The same fields in the same places, and no field's column relabelled ("Deadline"
        # now "Date completed"): the header again, not a new one.
        relabelled = any(
            i not in found
            and i < len(row.texts)
            and row.texts[i]
            and _label(columns, i) != (normalise_header(row.texts[i]))
            for i in columns.mapping
        )
        if not relabelled:
            return RowKind.REPEATED_HEADER
    return RowKind.NEW_HEADER if len(found) >= 3 else None


def _label(columns: Columns, column: int) -> str:
    texts = columns.header_texts
    return normalise_header(texts[column]) if column < len(texts) else ""


def _names_the_action(row: RowView, columns: Columns) -> bool:
    """Only a row that names the action column can be a header: tested cheaply first."""
    action = columns.action
    at_action = row.texts[action] if action < len(row.texts) else ""
    if len(at_action) < _HEADER_CELL_CHARS and _ACTION_HINT.search(at_action):
        return True
    return (
        max(map(len, row.texts)) < _HEADER_CELL_CHARS
        and _ACTION_HINT.search("|".join(row.texts)) is not None
    )


def _is_heading(row: RowView, columns: Columns) -> bool:
    """One text on the row (maybe merged across it): an objective heading, unless it sits in
    the action column or is a ref; left of the actions, text on its own is a heading."""
    filled = [(i, t) for i, t in enumerate(row.real) if t]
    column, text = filled[0]
    if any(t != text for _, t in filled):
        return False
    field_name = columns.mapping.get(column)
    if field_name in OBJECTIVE_FIELDS and len(filled) == 1:
        return False  # an objective written on its own row of the objective column
    action = columns.action
    if is_strict_heading(text) or is_status_section(text):
        return True
    if field_name != "action" and names_section(text):
        return True
    marked = row.merged_across or (row.bold and column <= action)
    return (marked or column < action) and not is_ref_like(text)


def _table_row_kind(row: RowView, columns: Columns) -> RowKind:
    if cell_text(_value(row, columns.column("action"))):
        return RowKind.CONTINUATION if continues_above(row, columns) else RowKind.ACTION
    ref = cell_text(_value(row, columns.column("ref")))
    others = any(
        t and columns.mapping.get(i) not in ("ref", *OBJECTIVE_FIELDS)
        for i, t in enumerate(row.real)
    )
    if others:
        return RowKind.NO_ACTION if ref else RowKind.CONTINUATION
    return RowKind.REF_ONLY if ref else RowKind.OBJECTIVE


def continues_above(row: RowView, columns: Columns) -> bool:
    """Action text alone, starting in lower case ("and evaluate it after…"), in a table with
    refs: the rest of the action above, split over a page or typed on the next row."""
    action = columns.column("action")
    if columns.column("ref") is None or action is None:
        return False
    text = row.real[action] if action < len(row.real) else ""
    alone = not any(t for i, t in enumerate(row.real) if t and i != action)
    return alone and text[:1].islower()


def _value(row: RowView, column: int | None) -> object:
    return row.cells[column] if column is not None and column < len(row.cells) else None
