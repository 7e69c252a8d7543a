"""Turn one sheet's grid of cell values into action rows: header, sections, continuations.

Every reader (xlsx, csv, docx) produces `Sheet` grids; `read_sheet` is the one place that
decides what is a header, an objective heading, an action, a continuation or a placeholder.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from importers.errors import ImportFileError
from importers.headers import Override, find_header, map_columns, normalise_header
from importers.rows import ActionRow, ReadResult, RowIssue
from rulebook.deadlines import read_deadline
from rulebook.owners import split_owners
from rulebook.rag import Rag, read_rag

_KEYWORD = r"(?:strategic\s+)?(?:objective|priority|theme|workstream|outcome)s?"
# "Objective 2 – Communication", "Strategic Objective: Victims", "Priority 1: Prevention".
_SECTION = re.compile(
    rf"^\s*{_KEYWORD}\b\s*(?P<ref>\d+[a-z]?)?\s*(?:[:.–—-]\s*)?(?P<title>.*)$",
    re.IGNORECASE | re.DOTALL,
)
# The same, but only with a number or a separator after the keyword: safe outside the table.
_STRICT_SECTION = re.compile(
    rf"^\s*{_KEYWORD}\s*(?:\d+[a-z]?\b\s*(?:[:.–—-]\s*)?|[:.–—-]\s*)\S", re.IGNORECASE
)
_OBJECTIVE_REF = re.compile(
    rf"^\s*(?:{_KEYWORD}\s*)?(?P<ref>\d+[a-z]?)\s*[:.–—-]\s*(?P<title>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
_REF_LIKE = re.compile(r"^[A-Za-z]{0,3}\s?\d+(?:\.\d+)*[a-z]?\.?$")
_NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?%?$")
_DESCRIPTION_BREAK = re.compile(r"\s{2,}(?=[A-Z])")
_TAG = re.compile(r"<[^>]+>")
# Formatting tags that text copies of Word tables carry (<b>, <p>, <a href=…>), not "<5 days".
_HTML = re.compile(r"</?(?:p|b|i|u|em|strong|span|a|br|div|font)\b[^>]*>", re.IGNORECASE)
_MARKDOWN_HEADING = re.compile(r"^\s*#{1,6}\s+", re.MULTILINE)
_EMPHASIS = re.compile(r"\*\*|__")
_SEPARATOR = re.compile(r"^[-=_:|+\s]+$")
# Cheap test for "could this row be a header?": it must name the action column.
_ACTION_HINT = re.compile(r"action|activit|task|what we will do", re.IGNORECASE)
_SPACES = re.compile(r"[ \t]+")
_TEXT_FIELDS = (
    "objective",
    "objective_description",
    "ref",
    "action",
    "milestone",
    "lead",
    "target",
    "progress",
    "resourcing",
    "indicator",
)
# Fields whose merged (tall) cells are not copied down: they identify one action each.
_NOT_FILLED = ("action", "ref")
# Excel serial dates between 1960 and 2100; other numbers in a deadline column are not dates.
_SERIAL_RANGE = (21916, 73051)
MAX_ROWS = 200_000


@dataclass
class Sheet:
    """One sheet (or CSV file, or run of Word tables) as plain values, row 1 first."""

    name: str
    rows: list[list[object]]
    # (row index, column index) -> RAG read from the cell's fill colour.
    fill_rags: dict[tuple[int, int], Rag] = field(default_factory=dict)
    # Lazy fill lookup (xlsx): asked only for the RAG column's cells.
    fill_lookup: Callable[[int, int], Rag | None] | None = None
    # Merged ranges, 0-based and inclusive: (first row, first column, last row, last column).
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    # Rows whose filled cells are all bold (only rows with a single filled cell are needed).
    bold_rows: set[int] = field(default_factory=set)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)
    hidden: bool = False
    # Rows that are objective headings given outside the table (Word paragraphs):
    # row index -> (heading text, description or None).
    sections: dict[int, tuple[str, str | None]] = field(default_factory=dict)
    # Where each row is, when not (name, index + 1): Word tables are numbered separately.
    locations: list[tuple[str, int]] | None = None
    # A text file: a line with no delimiter at all is text around the table, not a row of it.
    text_lines: bool = False
    # Things the reader noticed: (row index or None, message).
    notes: list[tuple[int | None, str]] = field(default_factory=list)

    def fill_rag(self, index: int, column: int) -> Rag | None:
        if self.fill_lookup is not None:
            return self.fill_lookup(index, column)
        return self.fill_rags.get((index, column))

    def where(self, index: int) -> tuple[str, int]:
        if self.locations is not None and index < len(self.locations):
            return self.locations[index]
        return self.name, index + 1


def cell_text(value: object) -> str:
    """A cell as the text a person would read in it."""
    if value is None:
        return ""
    if isinstance(value, str):
        if "<" in value:
            value = _HTML.sub("", value)
        if "\r" in value:
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        return value.strip()
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def split_objective(text: str) -> tuple[str | None, str]:
    """("2", "Communication") from "Objective 2 – Communication"; (None, text) otherwise."""
    text = _SPACES.sub(" ", text.strip())
    match = _OBJECTIVE_REF.match(text)
    if match:
        return match["ref"], match["title"].strip()
    section = _SECTION.match(text)
    if section and section["title"].strip():
        return section["ref"], section["title"].strip()
    return None, text


def split_heading(text: str) -> tuple[str, str | None]:
    """A heading cell's objective and the description written after it, if any.

    "Strategic Objective: Victims  To provide support…" or the same on two lines gives
    ("Strategic Objective: Victims", "To provide support…").
    """
    text = clean_markup(text)
    first, _, rest = text.partition("\n")
    section = _SECTION.match(first)
    start = section.start("title") + 1 if section else 1
    found = _DESCRIPTION_BREAK.search(first, start)
    if found and len(first) - found.end() >= 12:
        rest = (first[found.end() :] + "\n" + rest).strip()
        first = first[: found.start()]
    description = re.sub(r"\s+", " ", rest).strip() or None
    return first.strip(), description


def clean_markup(text: str) -> str:
    """Text as a reader sees it: HTML tags and Markdown emphasis and heading marks removed
    (text copies of Word tables carry them); two emphasised spans glued together become two
    lines ("**Victims****To provide…**")."""
    text = _TAG.sub("", text.replace("****", "**\n**"))
    text = _MARKDOWN_HEADING.sub("", text)
    return _EMPHASIS.sub("", text).strip()


def is_strict_heading(text: str) -> bool:
    return bool(_STRICT_SECTION.match(clean_markup(text)))


def _looks_numeric(value: object) -> bool:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return True
    return bool(_NUMBER.match(cell_text(value)))


@dataclass
class _Pending:
    index: int
    row: int
    label: str
    values: dict[str, object]
    extra: dict[str, str]
    objective: str | None
    objective_description: str | None
    fill_rag: Rag | None
    joined: list[int] = field(default_factory=list)


def _infer_ref_column(
    rows: list[list[object]], header_index: int, header: list[object], mapping: dict[int, str]
) -> int | None:
    """An unlabelled column holding values like "1.1", "2.3": the refs, though nobody said so."""
    if "ref" in mapping.values():
        return None
    width = max((len(r) for r in rows[header_index : header_index + 200]), default=0)
    for column in range(width):
        if column in mapping or (column < len(header) and cell_text(header[column])):
            continue
        values = [
            cell_text(r[column])
            for r in rows[header_index + 1 : header_index + 500]
            if column < len(r)
            and cell_text(r[column])
            and not is_strict_heading(cell_text(r[column]))
        ]
        refs = sum(1 for v in values if _REF_LIKE.match(v))
        if values and refs >= 0.8 * len(values):
            return column
    return None


def locate_table(
    sheet: Sheet, override: Override | None = None
) -> tuple[int, dict[int, str]] | str:
    """(header row index, column mapping) of the sheet's action table, or why it has none."""
    rows = sheet.rows
    header_index = find_header(rows, override=override)
    if header_index is None:
        return "no header row naming an action column"
    mapping = map_columns(rows[header_index], override)
    action_column = next(i for i, f in mapping.items() if f == "action")
    action_values = [
        r[action_column]
        for r in rows[header_index + 1 :]
        if action_column < len(r) and cell_text(r[action_column])
    ]
    if action_values and all(_looks_numeric(v) for v in action_values):
        return "its action column holds only numbers: a summary, not a list of actions"
    return header_index, mapping


def read_sheet(
    sheet: Sheet,
    result: ReadResult,
    *,
    override: Override | None = None,
    sheet_objective: str | None = None,
) -> str | None:
    """Read one sheet's actions into `result`; a reason when the sheet is not an action table."""
    rows = sheet.rows

    def issue(
        index: int | None, message: str, field_name: str | None = None, *, skipped=False
    ) -> None:
        label, number = sheet.where(index) if index is not None else (sheet.name, None)
        result.issues.append(
            RowIssue(
                file=result.file,
                sheet=label,
                row=number,
                field=field_name,
                message=message,
                skipped=skipped,
            )
        )

    located = locate_table(sheet, override)
    if isinstance(located, str):
        return located
    header_index, mapping = located
    header = list(rows[header_index])
    action_column = next(i for i, f in mapping.items() if f == "action")

    for index, message in sheet.notes:
        issue(index, message)
    if sheet.hidden:
        issue(None, "the sheet is hidden in the workbook: read anyway")

    ref_column = _infer_ref_column(rows, header_index, header, mapping)
    header_texts = [" ".join(cell_text(c).split()) for c in header]
    if ref_column is not None:
        mapping[ref_column] = "ref"
        while len(header_texts) <= ref_column:
            header_texts.append("")
        result.columns.setdefault(f"(column {ref_column + 1}, no header)", "ref")
    for index, text in enumerate(header_texts):
        if index in mapping:
            result.columns.setdefault(text or f"(column {index + 1}, no header)", mapping[index])
        elif text and text not in result.unmapped_columns:
            result.unmapped_columns.append(text)
    for column in sorted(sheet.hidden_columns):
        if column < len(header_texts) and (
            header_texts[column] or any(column < len(r) and cell_text(r[column]) for r in rows)
        ):
            name = header_texts[column] or f"column {column + 1}"
            issue(header_index, f"column '{name}' is hidden in the workbook: read anyway")

    # Tall merged cells (an owner or deadline shared by several actions) apply to every row.
    filled: set[tuple[int, int]] = set()
    merged_across: set[int] = set()
    for first_row, first_col, last_row, last_col in sheet.merges:
        if last_col > first_col:
            merged_across.add(first_row)
        if last_row > first_row and mapping.get(first_col) not in _NOT_FILLED:
            top = rows[first_row][first_col] if first_col < len(rows[first_row]) else None
            if top is None or top == "":
                continue
            for index in range(first_row + 1, min(last_row, len(rows) - 1) + 1):
                row = rows[index]
                if len(row) <= first_col:
                    row.extend([None] * (first_col + 1 - len(row)))
                if row[first_col] is None or row[first_col] == "":
                    row[first_col] = top
                    filled.add((index, first_col))

    data_indices = [i for i in range(header_index + 1, len(rows)) if any(rows[i])]
    bold_data = sum(1 for i in data_indices if i in sheet.bold_rows)
    bold_means_heading = bold_data <= max(1, len(data_indices) // 2)

    objective, description = sheet_objective, None
    below: str | None = None  # the line of text just under the heading, if any
    for index in range(header_index - 1, -1, -1):
        if index in sheet.sections:
            objective, description = sheet.sections[index]
            break
        texts = {cell_text(c) for c in rows[index]} - {""}
        if len(texts) == 1 and is_strict_heading(next(iter(texts))):
            objective, description = split_heading(next(iter(texts)))
            if description is None and below and not _SEPARATOR.match(below):
                description = " ".join(clean_markup(below).split())
            break
        below = next(iter(texts)) if len(texts) == 1 else (None if texts else below)

    def is_header_repeat(row_map: dict[int, str]) -> bool:
        return (
            "action" in row_map.values()
            and len(row_map) >= 2
            and all(mapping.get(i) == f for i, f in row_map.items())
        )

    pending: list[_Pending] = []
    heading_at: tuple[int, int] | None = None  # the last heading row, and actions before it
    for index in range(header_index + 1, len(rows)):
        if index in sheet.sections:
            objective, description = sheet.sections[index]
            continue
        cells = rows[index]
        texts = [cell_text(c) if c is not None else "" for c in cells]
        real = (
            [t if (index, i) not in filled else "" for i, t in enumerate(texts)]
            if filled
            else texts
        )
        if not any(real):
            continue
        if all(_SEPARATOR.match(t) for t in real if t):
            continue  # a ruled line between rows ("--|--"), not data
        result.rows_read += 1
        if result.rows_read > MAX_ROWS:
            raise ImportFileError(result.file, f"has more than {MAX_ROWS:,} rows; split the plan")
        if index in sheet.hidden_rows:
            issue(index, "the row is hidden in the workbook: read anyway")
        # Only a row that names the action column can be a header: test that cheaply first.
        at_action = texts[action_column] if action_column < len(texts) else ""
        hinted = (
            override is not None
            or (len(at_action) < 40 and _ACTION_HINT.search(at_action) is not None)
            or (max(map(len, texts)) < 40 and _ACTION_HINT.search("|".join(texts)) is not None)
        )
        row_map = map_columns(cells, override) if hinted else {}
        if is_header_repeat(row_map):
            continue  # the header repeated after a page break or under a section
        if "action" in row_map.values() and len(row_map) >= 3:
            mapping = row_map
            header_texts = texts
            action_column = next(i for i, f in mapping.items() if f == "action")
            issue(index, "a different header row: the rows below it are read by its columns")
            continue

        filled_cells = [(i, t) for i, t in enumerate(real) if t]
        if sheet.text_lines and len(cells) == 1 and len(header) > 1:
            text = real[0]
            if is_strict_heading(text):
                objective, description = split_heading(text)
                heading_at = (index, len(pending))
            elif heading_at is not None and heading_at[1] == len(pending) and not description:
                description = " ".join(clean_markup(text).split())
            elif not _REF_LIKE.match(text):
                issue(index, "a line of text outside the table: skipped", skipped=True)
            else:
                issue(
                    index,
                    f"only a ref ('{text}') and nothing else: not an action, skipped",
                    skipped=True,
                )
            continue
        if len({t for _, t in filled_cells}) == 1:
            column, text = filled_cells[0]
            field_name = mapping.get(column)
            across = index in merged_across
            bold = bold_means_heading and index in sheet.bold_rows and column <= action_column
            if field_name in ("objective", "objective_description") and len(filled_cells) == 1:
                pass  # an objective written on its own row of the objective column: below
            elif (
                is_strict_heading(text)
                or (field_name != "action" and _SECTION.match(clean_markup(text)))
                or ((across or bold) and not _REF_LIKE.match(text))
                # Text on its own left of the actions: a heading if actions follow, else a note.
                or (column < action_column and not _REF_LIKE.match(text))
            ):
                objective, description = split_heading(text)
                heading_at = (index, len(pending))
                continue

        values = {f: cells[i] if i < len(cells) else None for i, f in mapping.items()}
        extra = {
            (header_texts[i] if i < len(header_texts) else "") or f"Column {i + 1}": texts[i]
            for i in range(len(texts))
            if i not in mapping and texts[i]
        }
        if cell_text(values.get("objective")):
            objective = cell_text(values["objective"])
            description = cell_text(values.get("objective_description")) or None
        elif cell_text(values.get("objective_description")):
            description = cell_text(values["objective_description"])
        action_text = cell_text(values.get("action"))
        ref = cell_text(values.get("ref"))
        others = [
            t
            for i, t in enumerate(real)
            if t and mapping.get(i) not in ("ref", "objective", "objective_description")
        ]
        if not action_text:
            if ref and not others:
                issue(
                    index,
                    f"only a ref ('{ref}') and nothing else: not an action, skipped",
                    skipped=True,
                )
            elif not ref and not others:
                pass  # an objective on a row of its own
            elif not ref and pending:
                previous = pending[-1]
                for i, f in mapping.items():
                    if f in ("objective", "objective_description") or (index, i) in filled:
                        continue
                    text = real[i] if i < len(real) else ""
                    if text:
                        before = cell_text(previous.values.get(f))
                        previous.values[f] = f"{before} {text}" if before else text
                for key, text in extra.items():
                    before = previous.extra.get(key)
                    previous.extra[key] = f"{before} {text}" if before else text
                previous.joined.append(index)
                label, number = sheet.where(previous.index)
                same = label == sheet.where(index)[0]
                where = f"row {number}" if same else f"{label} row {number}"
                issue(
                    index,
                    f"no action text: read as the continuation of {where} and joined",
                )
            else:
                shown = f" (ref '{ref}')" if ref else ""
                issue(index, f"no action text{shown}: not an action, skipped", skipped=True)
            continue
        rag_column = next((i for i, f in mapping.items() if f == "rag"), None)
        fill_rag = sheet.fill_rag(index, rag_column) if rag_column is not None else None
        label, number = sheet.where(index)
        # Keep the texts already made (the deadline raw: a date cell or serial number).
        values = {f: texts[i] if i < len(texts) else "" for i, f in mapping.items()} | {
            "deadline": values.get("deadline")
        }
        pending.append(
            _Pending(index, number, label, values, extra, objective, description, fill_rag)
        )

    if heading_at is not None and heading_at[1] == len(pending):
        issue(
            heading_at[0], "a line with no actions under it: not an action, skipped", skipped=True
        )
    for item in pending:
        result.rows.append(_to_row(item, issue))
    return None


def _deadline_value(value: object) -> dt.date | str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_serial(value) or cell_text(value)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    if text.isdigit() and len(text) == 5:
        return _from_serial(int(text)) or text
    return text


@lru_cache(maxsize=4096)
def _read_deadline(value: dt.date | str):
    return read_deadline(value)


@lru_cache(maxsize=4096)
def _owners(lead: str | None) -> tuple[str, ...]:
    return tuple(split_owners(lead))


@lru_cache(maxsize=1024)
def _read_rag(text: str):
    return read_rag(text)


def _to_row(item: _Pending, issue) -> ActionRow:
    values = item.values
    texts = {f: cell_text(values.get(f)) or None for f in _TEXT_FIELDS}
    deadline = _read_deadline(_deadline_value(values.get("deadline")))
    if not deadline.recognised:
        issue(
            item.index,
            f"deadline '{deadline.text}' is not a date the tracker can read: "
            "kept as written, no deadline set",
            "deadline",
        )

    rag_text = cell_text(values.get("rag"))
    reading = _read_rag(rag_text)
    rag, status, unrecognised = reading.rag, reading.status, reading.unrecognised
    if unrecognised:
        issue(
            item.index,
            f"RAG '{unrecognised}' is not a RAG rating: kept as written, not rated",
            "RAG",
        )
    if item.fill_rag is not None:
        if rag is None and not rag_text:
            rag = item.fill_rag
            status = read_rag(str(rag)).status
        elif rag is not None and rag != item.fill_rag:
            issue(
                item.index,
                f"RAG text says {rag} but the cell is coloured {item.fill_rag}: used the text",
                "RAG",
            )
    status_text = cell_text(values.get("status"))
    if status_text:
        status_reading = read_rag(status_text)
        if status_reading.status is not None:
            status = status_reading.status
            rag = rag or status_reading.rag
        else:
            issue(item.index, f"status '{status_text}' is not a delivery status: ignored", "status")
    if rag == Rag.BLUE and status is None:
        status = read_rag("Complete").status

    objective_ref, objective_title = (
        split_objective(item.objective) if item.objective else (None, None)
    )
    lead = texts["lead"]
    return ActionRow(
        sheet=item.label,
        row=item.row,
        objective=objective_title,
        objective_ref=objective_ref,
        objective_description=item.objective_description,
        ref=texts["ref"],
        action=texts["action"] or "",
        milestone=texts["milestone"],
        lead=lead,
        owners=list(_owners(lead)),
        deadline=deadline.date,
        deadline_text=deadline.text,
        ongoing=deadline.ongoing,
        target=texts["target"],
        resourcing=texts["resourcing"],
        indicator=texts["indicator"],
        rag=rag,
        status=status,
        rag_text=unrecognised,
        progress=texts["progress"],
        extra=item.extra,
    )


def _from_serial(number: float) -> dt.date | None:
    if not _SERIAL_RANGE[0] <= number <= _SERIAL_RANGE[1]:
        return None
    return dt.date(1899, 12, 30) + dt.timedelta(days=int(number))


__all__ = [
    "Sheet",
    "cell_text",
    "is_strict_heading",
    "normalise_header",
    "read_sheet",
    "split_heading",
    "split_objective",
]
