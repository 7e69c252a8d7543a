"""Turn one sheet's grid of cell values into action rows, in passes.

Every reader (xlsx, csv, docx) produces `Sheet` grids; `read_sheet` is the one place that
decides what is a header, an objective heading, an action, a continuation or a placeholder:

1. `locate_table`: the header row and the field each column holds;
2. `fill_merged_cells`: a tall merged cell's value copied to every row it covers;
3. `objective_above`: the objective heading written above the header, if any;
4. `classify_row`: what each row below the header is, on its own;
5. `ActionFold`: rows folded, top to bottom, into actions with their objectives;
6. `to_action_row`: each action's texts read as deadlines, RAG ratings and owners.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from importers.action_row import FileKey, to_action_row
from importers.cells import (
    cell_text,
    clean_markup,
    is_ref_like,
    is_rule,
    is_status_section,
    is_strict_heading,
    looks_numeric,
    split_heading,
    split_objective,
)
from importers.errors import ImportFileError
from importers.fold import ActionFold
from importers.header_rows import header_rows, label_row, single_row
from importers.headers import Override, find_header, map_columns, normalise_header
from importers.legend import KEY_ROW_SKIPPED, is_key_title_line, is_legend_row, row_key
from importers.limits import MAX_ROWS
from importers.merges import FilledGrid, fill_merged_cells
from importers.roles import RoleChooser
from importers.row_kinds import (
    Columns,
    RowKind,
    RowView,
    TableTraits,
    classify_row,
    parent_refs,
)
from importers.rows import ColumnRole, ReadResult
from importers.sheet import Sheet, SheetIssues
from importers.title_year import financial_years_named, title_lines
from rulebook.rag import Rag

# How far below the header an unlabelled column of refs is looked for.
_REF_SCAN_ROWS = 500
_WIDTH_SCAN_ROWS = 200
# A header found by its shape alone must lead to this many roles, the action among them.
_SHAPED_ROLES = 3
T = TypeVar("T")


@dataclass
class Table:
    """Where a sheet's action table starts and what each of its columns holds."""

    header_index: int  # the header's last row: the table's rows start below it
    first_header_row: int  # its first row (the group row of a header over two rows)
    mapping: dict[int, str]
    header_texts: list[str]
    roles: list[ColumnRole]


def locate_table(
    sheet: Sheet, override: Override | None = None, key: FileKey | None = None
) -> Table | str:
    """The sheet's action table (header rows, each column's role and why), or why it has none.
    `key` is the file's own printed RAG key: its words mark a column of ratings too."""
    rows = sheet.rows
    found = find_header(rows, override=override)
    ratings = dict(key) if key else None
    if found is None:
        return _table_by_shape(sheet, override, ratings) or "no header row naming an action column"
    header = header_rows(sheet, found, override)
    header_index = header.last
    chooser = RoleChooser(
        sheet,
        header.labels,
        header_index + 1,
        map_columns(header.keys, override),
        override,
        ratings,
    )
    mapping, roles = chooser.choose()
    if "action" not in mapping.values():
        return "no header row naming an action column"
    return _checked_table(rows, Table(header_index, header.first, mapping, header.labels, roles))


def _table_by_shape(
    sheet: Sheet, override: Override | None, key: dict[str, Rag] | None
) -> Table | None:
    """A header in words the tracker does not know: the first row of three or more short
    labels over columns whose values show an action and at least two other roles."""
    index = label_row(sheet.rows)
    if index is None:
        return None
    header = single_row(sheet.rows, index)
    mapping, roles = RoleChooser(
        sheet, header.labels, index + 1, map_columns(header.keys, override), override, key
    ).choose()
    if "action" not in mapping.values() or len(mapping) < _SHAPED_ROLES:
        return None
    return _checked_table(sheet.rows, Table(index, index, mapping, header.labels, roles))


def _checked_table(rows: Sequence[Sequence[object]], table: Table) -> Table | str:
    header_index, mapping = table.header_index, table.mapping
    action_column = next(i for i, f in mapping.items() if f == "action")
    action_values = [
        r[action_column]
        for r in rows[header_index + 1 :]
        if action_column < len(r) and cell_text(r[action_column])
    ]
    if action_values and all(looks_numeric(v) for v in action_values):
        return "its action column holds only numbers: a summary, not a list of actions"
    return table


def infer_ref_column(
    rows: Sequence[Sequence[object]], header_index: int, mapping: dict[int, str]
) -> int | None:
    """An unlabelled column holding values like "1.1", "2.3": the refs, though nobody said so."""
    if "ref" in mapping.values():
        return None
    header = rows[header_index]
    width = max((len(r) for r in rows[header_index : header_index + _WIDTH_SCAN_ROWS]), default=0)
    for column in range(width):
        if column in mapping or (column < len(header) and cell_text(header[column])):
            continue
        values = [
            cell_text(r[column])
            for r in rows[header_index + 1 : header_index + _REF_SCAN_ROWS]
            if column < len(r)
            and cell_text(r[column])
            and not is_strict_heading(cell_text(r[column]))
        ]
        refs = sum(1 for v in values if is_ref_like(v))
        if values and refs >= 0.8 * len(values):
            return column
    return None


def objective_above(
    sheet: Sheet, rows: Sequence[Sequence[object]], header_index: int
) -> tuple[str, str | None] | None:
    """The nearest objective heading above the header (with the line under it as its
    description), or None."""
    below: str | None = None  # the line of text just under the heading, if any
    for index in range(header_index - 1, -1, -1):
        if index in sheet.sections:
            objective, description = sheet.sections[index]
            return (None, None) if is_status_section(objective) else (objective, description)
        texts = {cell_text(c) for c in rows[index]} - {""}
        if len(texts) == 1 and is_status_section(next(iter(texts))):
            return None, None  # "Completed actions": the table under it has no objective
        if len(texts) == 1 and is_strict_heading(next(iter(texts))):
            objective, description = split_heading(next(iter(texts)))
            if description is None and below and not is_rule(below):
                description = " ".join(clean_markup(below).split())
            return objective, description
        below = next(iter(texts)) if len(texts) == 1 else (None if texts else below)
    return None


def heading_bold_rows(
    rows: Sequence[Sequence[object]], header_index: int, bold_rows: set[int]
) -> set[int]:
    """The bold rows, if bold marks headings: not when most rows under the header are bold."""
    data = [i for i in range(header_index + 1, len(rows)) if any(rows[i])]
    bold_data = sum(1 for i in data if i in bold_rows)
    return bold_rows if bold_data <= max(1, len(data) // 2) else set()


def read_sheet(
    sheet: Sheet,
    result: ReadResult,
    *,
    override: Override | None = None,
    sheet_objective: str | None = None,
    file_key: FileKey | None = None,
) -> str | None:
    """Read one sheet's actions into `result`; a reason when the sheet is not an action table."""
    located = locate_table(sheet, override, file_key)
    if isinstance(located, str):
        return located
    header_index = located.header_index
    _note_title_years(result, sheet, located.first_header_row)
    issues = SheetIssues(sheet, result)
    for index, message in sheet.notes:
        issues.add(index, message)
    _keys_above(sheet, located.first_header_row, issues)
    if sheet.hidden:
        issues.add(None, "the sheet is hidden in the workbook: read anyway")
    columns = _header_columns(sheet, located, result, issues)
    grid = fill_merged_cells(sheet.rows, sheet.merges, columns.mapping)
    heading = objective_above(sheet, grid.rows, located.first_header_row) or (
        sheet_objective,
        None,
    )
    traits = TableTraits(
        override=override,
        lone_cells_are_lines=sheet.text_lines and len(sheet.rows[header_index]) > 1,
        parent_refs=_parent_refs(grid.rows, header_index, columns),
    )
    fold = ActionFold(sheet, columns, heading, issues, traits)
    _fold_rows(sheet, grid, header_index, fold, result)
    for item in _handed_over(fold.finish()):
        result.rows.append(to_action_row(item, issues, file_key))
    return None


def _note_title_years(result: ReadResult, sheet: Sheet, first_header_row: int) -> None:
    named = financial_years_named(sheet.name)
    for line in title_lines(sheet.rows, first_header_row):
        named |= financial_years_named(line)
    result.title_years.extend(sorted(named - set(result.title_years)))


def _keys_above(sheet: Sheet, first_header_row: int, issues: SheetIssues) -> None:
    """A RAG key printed above the header ("RAG key: Green = on target…") is read for the
    whole file (importers.legend) and, like one under the table, reported as skipped."""
    after_key = False
    for index in range(first_header_row):
        texts = [cell_text(c) for c in sheet.rows[index]]
        legend = after_key and is_legend_row(texts)
        if legend or is_key_title_line(texts) or row_key(sheet.rows[index]):
            issues.add(index, f"{KEY_ROW_SKIPPED}: not an action, skipped", skipped=True)
            after_key = True
        elif any(texts):
            after_key = False


def _handed_over(items: list[T]) -> Iterator[T]:
    """`items` in order, each let go of as it is taken (the list ends empty): a pending
    action is freed as its row is made, so a sheet's actions are not all held twice."""
    items.reverse()
    while items:
        yield items.pop()


def _parent_refs(
    rows: Sequence[Sequence[object]], header_index: int, columns: Columns
) -> frozenset[str]:
    column = columns.column("ref")
    if column is None:
        return frozenset()
    return parent_refs([cell_text(r[column]) for r in rows[header_index + 1 :] if column < len(r)])


def _header_columns(sheet: Sheet, table: Table, result: ReadResult, issues: SheetIssues) -> Columns:
    """The header's columns, with an unlabelled column of refs; recorded in the result."""
    rows = sheet.rows
    header_index, mapping, roles = table.header_index, table.mapping, list(table.roles)
    header_texts = list(table.header_texts)
    ref_column = infer_ref_column(rows, header_index, mapping)
    if ref_column is not None:
        mapping[ref_column] = "ref"
        header_texts.extend([""] * (ref_column + 1 - len(header_texts)))
        result.columns.setdefault(f"(column {ref_column + 1}, no header)", "ref")
        roles.append(
            ColumnRole(column=ref_column, role="ref", reason="content: refs such as '1.1'")
        )
    for index, text in enumerate(header_texts):
        if index in mapping:
            result.columns.setdefault(text or f"(column {index + 1}, no header)", mapping[index])
        elif text and text not in result.unmapped_columns:
            result.unmapped_columns.append(text)
    result.column_roles.extend(
        role.model_copy(update={"sheet": sheet.name})
        for role in sorted(roles, key=lambda r: r.column)
    )
    for column in sorted(sheet.hidden_columns):
        if column < len(header_texts) and (
            header_texts[column] or any(column < len(r) and cell_text(r[column]) for r in rows)
        ):
            name = header_texts[column] or f"column {column + 1}"
            issues.add(header_index, f"column '{name}' is hidden in the workbook: read anyway")
    header_rows_texts = {
        tuple(cell_text(c) for c in rows[i])
        for i in range(table.first_header_row, header_index + 1)
    }
    return Columns(mapping, header_texts, repeated=frozenset(header_rows_texts))


def _fold_rows(
    sheet: Sheet,
    grid: FilledGrid,
    header_index: int,
    fold: ActionFold,
    result: ReadResult,
) -> None:
    """Classify each row under the header and fold it in, counting the rows read."""
    bold = heading_bold_rows(grid.rows, header_index, sheet.bold_rows)
    empty: set[int] = set()
    for index in range(header_index + 1, len(grid.rows)):
        if index in sheet.sections:
            fold.section(sheet.sections[index])
            continue
        row = RowView.of(
            index,
            grid.rows[index],
            grid.copied.get(index, empty),
            merged_across=index in grid.merged_across,
            bold=index in bold,
        )
        kind = classify_row(row, fold.columns, fold.traits)
        if kind in (RowKind.BLANK, RowKind.RULE):
            continue
        result.rows_read += 1
        if result.rows_read > MAX_ROWS:
            raise ImportFileError(result.file, f"has more than {MAX_ROWS:,} rows; split the plan")
        if index in sheet.hidden_rows:
            fold.issues.add(index, "the row is hidden in the workbook: read anyway")
        fold.take(row, kind)


__all__ = [
    "MAX_ROWS",
    "Sheet",
    "cell_text",
    "is_strict_heading",
    "locate_table",
    "normalise_header",
    "read_sheet",
    "split_heading",
    "split_objective",
]
