"""Turn one sheet's grid of cell values into action rows: header, sections, continuations."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from importers.headers import find_header, header_score, map_columns, normalise_header
from importers.rows import ActionRow, ReadResult, RowIssue
from plan.rules.deadlines import read_deadline
from plan.rules.owners import split_owners
from plan.rules.rag import Rag, read_rag

# "Objective 2 – Communication", "Strategic Objective: Victims", "Priority 1: Prevention".
_SECTION = re.compile(
    r"^\s*(?:strategic\s+)?(?:objective|priority|theme|workstream|outcome)\b"
    r"\s*(?P<ref>\d+[a-z]?)?\s*(?:[:.–—-]\s*)?(?P<title>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_OBJECTIVE_REF = re.compile(
    r"^\s*(?:(?:strategic\s+)?(?:objective|priority|theme|workstream)\s*)?"
    r"(?P<ref>\d+[a-z]?)\s*[:.–—-]\s*(?P<title>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
_TAG = re.compile(r"<[^>]+>")
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
# Excel serial dates between 1960 and 2100; other numbers in a deadline column are not dates.
_SERIAL_RANGE = (21916, 73051)


@dataclass
class Sheet:
    """One sheet (or CSV file, or Word table) as plain values, row 1 first."""

    name: str
    rows: list[list[object]]
    # (row index, column index) -> RAG read from the cell's fill colour.
    fill_rags: dict[tuple[int, int], Rag] = field(default_factory=dict)


def cell_text(value: object) -> str:
    """A cell as the text a person would read in it."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def split_objective(text: str) -> tuple[str | None, str]:
    """("2", "Communication") from "Objective 2 – Communication"; (None, text) otherwise."""
    match = _OBJECTIVE_REF.match(text)
    if match:
        return match["ref"], match["title"].strip()
    section = _SECTION.match(text)
    if section and section["title"].strip():
        return section["ref"], section["title"].strip()
    return None, text.strip()


def section_heading(texts: list[str]) -> str | None:
    """The objective a row announces, when the row is only an objective heading."""
    distinct = {t for t in texts if t}
    if len(distinct) != 1:
        return None
    text = _TAG.sub("", distinct.pop()).strip()
    return text if _SECTION.match(text) else None


@dataclass
class _Pending:
    row: int
    values: dict[str, object]
    extra: dict[str, str]
    objective: str | None
    objective_description: str | None
    fill_rag: Rag | None
    joined: list[int] = field(default_factory=list)


def read_sheet(sheet: Sheet, result: ReadResult) -> bool:
    """Read one sheet's actions into `result`; False when the sheet is not an action table."""
    header_index = find_header(sheet.rows)
    if header_index is None:
        return False
    header = sheet.rows[header_index]
    mapping = map_columns(header)
    header_texts = [cell_text(c) for c in header]
    normalised_header = [normalise_header(c) for c in header]
    for index, text in enumerate(header_texts):
        if index in mapping:
            result.columns.setdefault(text, mapping[index])
        elif text and text not in result.unmapped_columns:
            result.unmapped_columns.append(text)
    rag_column = next((i for i, f in mapping.items() if f == "rag"), None)
    score = header_score(header)

    def issue(row: int | None, message: str, field_name: str | None = None) -> None:
        result.issues.append(
            RowIssue(file=result.file, sheet=sheet.name, row=row, field=field_name, message=message)
        )

    pending: list[_Pending] = []
    objective: str | None = None
    description: str | None = None
    for index in range(header_index + 1, len(sheet.rows)):
        cells = sheet.rows[index]
        row_number = index + 1
        texts = [cell_text(c) for c in cells]
        if not any(texts):
            continue
        result.rows_read += 1
        if (
            header_score(cells) >= score
            and [normalise_header(c) for c in cells][: len(normalised_header)]
            == normalised_header[: len(cells)]
        ):
            continue  # the header repeated after a page break or under a section
        heading = section_heading(texts)
        if heading is not None:
            objective, description = heading, None
            continue
        values = {f: cells[i] if i < len(cells) else None for i, f in mapping.items()}
        extra = {
            header_texts[i] or f"Column {i + 1}": texts[i]
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
            t for i, t in enumerate(texts) if t and mapping.get(i) not in ("ref", "objective")
        ]
        if not action_text:
            if ref and not others:
                issue(row_number, f"only a ref ('{ref}') and nothing else: not an action, skipped")
            elif not ref and pending and others:
                previous = pending[-1]
                for f, value in values.items():
                    if f in ("objective", "objective_description"):
                        continue
                    text = cell_text(value)
                    if text:
                        before = cell_text(previous.values.get(f))
                        previous.values[f] = f"{before} {text}" if before else text
                for key, text in extra.items():
                    before = previous.extra.get(key)
                    previous.extra[key] = f"{before} {text}" if before else text
                previous.joined.append(row_number)
                issue(
                    row_number,
                    f"no action text: read as the continuation of row {previous.row} and joined",
                )
            else:
                issue(row_number, "no action text: skipped")
            continue
        fill_rag = sheet.fill_rags.get((index, rag_column)) if rag_column is not None else None
        pending.append(
            _Pending(row_number, values, extra, objective, description, fill_rag or None)
        )

    for item in pending:
        result.rows.append(_to_row(item, sheet.name, issue))
    return True


def _to_row(item: _Pending, sheet_name: str, issue) -> ActionRow:
    values = item.values
    texts = {f: cell_text(values.get(f)) or None for f in _TEXT_FIELDS}
    deadline_value = values.get("deadline")
    if isinstance(deadline_value, int | float) and not isinstance(deadline_value, bool):
        deadline_value = _from_serial(deadline_value) or cell_text(deadline_value)
    elif not isinstance(deadline_value, dt.date):
        deadline_value = cell_text(deadline_value)
    deadline = read_deadline(deadline_value)
    if not deadline.recognised:
        issue(
            item.row,
            f"deadline '{deadline.text}' is not a date the tracker can read: "
            "kept as written, no deadline set",
            "deadline",
        )

    rag_text = cell_text(values.get("rag"))
    reading = read_rag(rag_text)
    rag, status, unrecognised = reading.rag, reading.status, reading.unrecognised
    if unrecognised:
        issue(
            item.row,
            f"RAG '{unrecognised}' is not a RAG rating: kept as written, not rated",
            "RAG",
        )
    if item.fill_rag is not None:
        if rag is None and not rag_text:
            rag = item.fill_rag
        elif rag is not None and rag != item.fill_rag:
            issue(
                item.row,
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
            issue(item.row, f"status '{status_text}' is not a delivery status: ignored", "status")
    if rag == Rag.BLUE and status is None:
        status = read_rag("Complete").status

    objective_ref, objective_title = (
        split_objective(item.objective) if item.objective else (None, None)
    )
    lead = texts["lead"]
    return ActionRow(
        sheet=sheet_name,
        row=item.row,
        objective=objective_title,
        objective_ref=objective_ref,
        objective_description=item.objective_description,
        ref=texts["ref"],
        action=texts["action"] or "",
        milestone=texts["milestone"],
        lead=lead,
        owners=split_owners(lead),
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
