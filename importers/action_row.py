"""One action's cell texts made into a validated `ActionRow`: deadline, RAG, status, owners."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

from importers.cells import cell_text, split_objective
from importers.lead_line import split_lead_line
from importers.rows import ActionRow
from importers.sheet import SheetIssues
from rulebook.deadlines import DeadlineReading, read_deadline
from rulebook.owners import split_owners
from rulebook.rag import Rag, RagReading, is_combined_rating, read_rag

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
# A file's own key, hashable so that readings stay cached: (rating word, RAG) pairs.
FileKey = frozenset[tuple[str, Rag]]
_NO_KEY: FileKey = frozenset()

# Excel serial dates between 1960 and 2100; other numbers in a deadline column are not dates.
_SERIAL_RANGE = (21916, 73051)


@dataclass(slots=True)
class PendingAction:
    """An action read from the sheet, still open to continuation rows below it (slots: a
    20k-action sheet holds 20k of these before they become rows)."""

    index: int
    row: int
    label: str
    values: dict[str, object]  # field -> cell text (the deadline: the cell's value)
    extra: dict[str, str]
    objective: str | None
    objective_description: str | None
    fill_rag: Rag | None
    # The fill colours of period RAG cells, by header (importers.periods).
    fills: dict[str, Rag] = field(default_factory=dict)


def to_action_row(
    item: PendingAction, issues: SheetIssues, key: FileKey | None = None
) -> ActionRow:
    """`key`: the file's own printed RAG key, if it has one (importers.legend)."""
    values = item.values
    texts = {f: cell_text(values.get(f)) or None for f in _TEXT_FIELDS}
    deadline = _deadline(item, issues)
    rag, status, unrecognised = _rating(item, issues, key or _NO_KEY)
    objective_ref, objective_title = (
        _split_objective(item.objective) if item.objective else (None, None)
    )
    action, lead = texts["action"] or "", texts["lead"]
    if lead is None:
        action, lead = split_lead_line(action)
    return ActionRow(
        sheet=item.label,
        row=item.row,
        objective=objective_title,
        objective_ref=objective_ref,
        objective_description=item.objective_description,
        ref=texts["ref"],
        action=action,
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
        fills=item.fills,
    )


def _deadline(item: PendingAction, issues: SheetIssues) -> DeadlineReading:
    deadline = _read_deadline(_deadline_value(item.values.get("deadline")))
    if not deadline.recognised:
        issues.add(
            item.index,
            f"deadline '{deadline.text}' is not a date the tracker can read: "
            "kept as written, no deadline set",
            "deadline",
        )
    return deadline


def _rating(item: PendingAction, issues: SheetIssues, key: FileKey):
    """(RAG, delivery status, unrecognised RAG text) from the RAG and status cells and the
    RAG cell's fill colour: typed text wins over colour."""
    rag_text = cell_text(item.values.get("rag"))
    reading = _read_rag(rag_text, key)
    rag, status = reading.rag, reading.status
    if reading.unrecognised:
        issues.add(item.index, _unrecognised(reading.unrecognised), "RAG")
    if item.fill_rag is not None:
        if rag is None and not rag_text:
            rag = item.fill_rag
            status = read_rag(str(rag)).status
        elif rag is not None and rag != item.fill_rag:
            issues.add(
                item.index,
                f"RAG text says {rag} but the cell is coloured {item.fill_rag}: used the text",
                "RAG",
            )
    rag, status = _with_status(item, rag, status, issues)
    if rag == Rag.BLUE and status is None:
        status = read_rag("Complete").status
    return rag, status, reading.unrecognised


def _unrecognised(text: str) -> str:
    if is_combined_rating(text):
        return (
            f"RAG '{text}' gives two ratings at once: kept as written, not rated "
            "(the tracker never picks one)"
        )
    return f"RAG '{text}' is not a RAG rating: kept as written, not rated"


def _with_status(item: PendingAction, rag, status, issues: SheetIssues):
    """A delivery status column, where there is one, wins over the status the RAG implies."""
    status_text = cell_text(item.values.get("status"))
    if not status_text:
        return rag, status
    reading = read_rag(status_text)
    if reading.status is None:
        issues.add(
            item.index, f"status '{status_text}' is not a delivery status: ignored", "status"
        )
        return rag, status
    return rag or reading.rag, reading.status


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


def _from_serial(number: float) -> dt.date | None:
    if not _SERIAL_RANGE[0] <= number <= _SERIAL_RANGE[1]:
        return None
    return dt.date(1899, 12, 30) + dt.timedelta(days=int(number))


@lru_cache(maxsize=4096)
def _read_deadline(value: dt.date | str) -> DeadlineReading:
    return read_deadline(value)


@lru_cache(maxsize=1024)
def _split_objective(objective: str) -> tuple[str | None, str]:
    """Cached: every action of an objective repeats it, so its parts are made once."""
    return split_objective(objective)


@lru_cache(maxsize=4096)
def _owners(lead: str | None) -> tuple[str, ...]:
    return tuple(split_owners(lead))


@lru_cache(maxsize=1024)
def _read_rag(text: str, key: FileKey) -> RagReading:
    return read_rag(text, dict(key))
