"""Recognising an action-plan header row by the words partnerships actually use."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

# field -> header texts (normalised) that mean it. The first field to claim a column wins.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "objective_description": ("objective description", "description of objective"),
    "objective": (
        "objective",
        "objectives",
        "obj",
        "strategic objective",
        "priority",
        "strategic priority",
        "priority area",
        "theme",
        "workstream",
        "aim",
        "strategic aim",
        "goal",
        "strategic goal",
        "strand",
    ),
    "ref": (
        "ref",
        "ref no",
        "reference",
        "no",
        "number",
        "action id",
        "action no",
        "action ref",
        "action number",
        # Performance systems (Pentana, Camms, InPhase) export the ref as a code.
        "code",
        "action code",
        "id",
        "#",
    ),
    "action": (
        "action",
        "actions",
        "action text",
        "activity",
        "activities",
        "what we will do",
        "task",
        "commitment",
        "commitments",
        "our commitment",
        "title",
        "action description",
        "description of action",
        "key actions",
        "actions to be taken",
        "action required",
        "actions required",
        "specific actions",
        "key tasks",
        "tasks",
    ),
    "milestone": ("milestone", "milestones", "key milestones"),
    "lead": (
        "owner",
        "owners",
        "lead",
        "leads",
        "lead officer",
        "lead agency",
        "responsible officer",
        "responsible",
        "responsibility",
        "action owner",
        "by whom",
        "by who",
        "who by",
        "who",
        "lead organisation",
        "lead organization",
        "lead partner",
        "lead agency officer",
        "responsible agency",
        "responsible organisation",
        "responsible person",
        "responsible lead",
        "assigned to",
        "named lead",
        "accountable officer",
        "accountable lead",
    ),
    "deadline": (
        "deadline",
        "completion date",
        "due date",
        "timescale",
        "timescales",
        "by when",
        "target date",
        "date due",
        "due",
        "when",
        "target completion date",
        "due by",
        "completion by",
        "complete by",
        "to be completed by",
        "end date",
        "target end date",
        "date for completion",
        "expected completion",
        "expected completion date",
        "timeframe",
    ),
    "target": (
        "target",
        "targets",
        "outcome",
        "outcomes",
        "target outcome",
        "expected outcome",
        "success measure",
        "measure of success",
    ),
    "rag": (
        "rag",
        "rag status",
        "rag rating",
        "status",
        "rating",
        "overall rag",
        "current rag",
        # Blue, Red, Amber, Green: a RAG with Blue for complete.
        "brag",
        "brag status",
        "brag rating",
    ),
    "status": ("delivery status", "progress status", "action status"),
    "progress": (
        "progress",
        "update",
        "updates",
        "progress report",
        "progress update",
        "latest update",
        "comments",
        "commentary",
        "progress to date",
        "progress so far",
        "progress notes",
        "progress comments",
        "latest note",
        "latest notes",
        "current position",
        "position statement",
        "progress made",
        "update on progress",
        "status update",
        "narrative",
        "progress narrative",
        "narrative update",
        "progress commentary",
    ),
    "resourcing": ("resourcing", "resources", "resource", "funding", "budget"),
    "indicator": (
        "indicator",
        "indicators",
        "indicator link",
        "ni sta",
        "performance indicator",
        "kpi",
    ),
}

_FALLBACK: dict[str, str] = {
    "partner": "lead",
    "partners": "lead",
    "partner agency": "lead",
    "partner agencies": "lead",
    # A review's action plan: the recommendation is the action when no column names one.
    "recommendation": "action",
    "recommendations": "action",
    "deliverable": "action",
    "deliverables": "action",
    "key deliverables": "action",
}
# Header words that name the RAG, unless a column headed "RAG" is there too.
_STATUS_WORDS = frozenset({"status", "current status", "overall status"})
_LOOKUP: dict[str, str] = {
    synonym: field for field, synonyms in SYNONYMS.items() for synonym in synonyms
}
_NON_WORD = re.compile(r"[^a-z0-9#]+")
# A tag ends at the next "<" too: "[^>]+" rescanned the rest of "<<<<…" from every "<".
_TAG = re.compile(r"<[^<>]+>")

# A header row must name the action and at least one other plan column.
MIN_HEADER_FIELDS = 2


def normalise_header(text: object) -> str:
    if text is None:
        return ""
    cleaned = _TAG.sub(" ", str(text)).lower().replace("’", "'")
    return _NON_WORD.sub(" ", cleaned).strip()


# Words that date a column rather than name it: "RAG status Q2", "Progress 2016/17 Q3",
# "RAG Jun-17". Looked for only once the header as written names no field.
_PERIOD_WORD = re.compile(
    r"\b(?:q[1-4]|quarter [1-4]|(?:19|20)\d\d(?: \d\d(?:\d\d)?)?|\d\d \d\d"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*(?: \d\d(?:\d\d)?)?"
    r"|current|latest)\b"
)


# Words that say whose or how important a column is, not what it holds: "Partnership
# Objective", "Key objective", "Agreed action", "Action Reference" (the action's own ref).
# Looked for only once the header as written names no field.
_QUALIFIER = re.compile(
    r"^(?:(?:partnership|key|strategic|our|main|overall|agreed|local|borough|county|city"
    r"|high level|delivery|plan|action|task|activity)\s)+"
)

# A last word that says the column holds the field's name or wording: "Task name", "Owner
# name", "Lead details", "Progress summary" ("description" is left out: "Objective
# description" is a field of its own).
_DESCRIPTOR_LAST = re.compile(r"\s(?:name|names|title|details|summary)$")
_RAG_LAST = re.compile(r"\srag(?: rating| status)?$")
# A header asking who or when: "Who will lead", "Who is responsible", "When by", "By when?".
_QUESTION = re.compile(r"^(?:by )?(who|when)\b")


@lru_cache(maxsize=4096)
def lookup_field(key: str) -> str | None:
    """The field a normalised header names: as written, once its period words are left out,
    or once the qualifying words in front of it are."""
    field = _LOOKUP.get(key)
    if field is None and key:
        field = _LOOKUP.get(" ".join(_PERIOD_WORD.sub(" ", key).split()))
    if field is None and (qualified := _QUALIFIER.match(key)) is not None:
        field = _LOOKUP.get(key[qualified.end() :])
    if field is None and (described := _DESCRIPTOR_LAST.search(key)) is not None:
        field = _LOOKUP.get(key[: described.start()])
    if field is None and key.count(" ") == 1:
        field = _LOOKUP.get(" ".join(reversed(key.split())))  # "Agency responsible"
    if field is None and _RAG_LAST.search(key):
        field = "rag"  # "Progress RAG", "Delivery RAG rating": whatever the RAG is of
    if field is None and (asked := _QUESTION.match(key)) is not None:
        field = "lead" if asked[1] == "who" else "deadline"  # "Who will lead", "When by"
    return field


# "Owner(s)", "RAG (see key)", "Due Date (dd/mm/yy)": a bracket says more about the column.
_BRACKETED = re.compile(r"\([^()]{0,40}\)")
# "Actions/Activities", "Timescale / Deadline": two names for one column. No "\s*" around
# the separator: searched from every space of a long run of spaces it rescanned the rest of
# the run each time (normalise_header trims the parts anyway).
_ALTERNATIVES = re.compile(r"/|&|\band\b|\bor\b")


def field_for(header: object) -> str | None:
    """The field a header names, as written or (once nothing else does) without its brackets,
    or by every one of its alternatives that names a field, when they name the same one."""
    key = normalise_header(header)
    if not key:
        return None
    field = lookup_field(key)
    if field is None and "(" in str(header):
        field = lookup_field(normalise_header(_BRACKETED.sub(" ", str(header))))
    if field is None and _ALTERNATIVES.search(str(header)):
        # Each alternative may carry its own bracket: "Lead Officer(s) / Agency".
        unbracketed = _BRACKETED.sub(" ", str(header))
        parts = [normalise_header(p) for p in _ALTERNATIVES.split(unbracketed)]
        named = {lookup_field(p) for p in parts if p} - {None}
        field = named.pop() if len(named) == 1 else None
    return field


FIELDS: tuple[str, ...] = tuple(SYNONYMS)

# Source header (normalised) -> field, or None for "not a plan field" (kept as an extra column).
Override = dict[str, str | None]


def make_override(mapping: dict[str, str] | None) -> Override | None:
    """Normalise a `{header text: field or ""}` column mapping; ValueError for unknown fields."""
    if not mapping:
        return None
    out: Override = {}
    for header, field in mapping.items():
        if field and field not in SYNONYMS:
            raise ValueError(f"'{field}' is not a plan field ({', '.join(FIELDS)})")
        out[normalise_header(header)] = field or None
    return out


def map_columns(cells: Sequence[object], override: Override | None = None) -> dict[int, str]:
    """Column index -> field, each field claimed by its first column only (a "Status" beside
    a "RAG" column holds the delivery status)."""
    mapping: dict[int, str] = {}
    claimed: set[str] = set()
    if override:
        # Fields the user chose win over guessed ones, wherever the column is.
        for index, cell in enumerate(cells):
            key = normalise_header(cell)
            field = override.get(key) if key else None
            if field and field not in claimed:
                mapping[index] = field
                claimed.add(field)
    keys = [normalise_header(cell) for cell in cells]
    _claim_named(keys, cells, mapping, claimed, override)
    # Headers that name a field only when no other column does ("Partners" beside "Lead" are
    # the partners who help).
    for index, key in enumerate(keys):
        field = _FALLBACK.get(key)
        if field and field not in claimed and index not in mapping and key not in (override or {}):
            mapping[index] = field
            claimed.add(field)
    return mapping


def _claim_named(
    keys: list[str],
    cells: Sequence[object],
    mapping: dict[int, str],
    claimed: set[str],
    override: Override | None,
) -> None:
    """Each column a header word names, the first column naming a field claiming it."""
    # Beside a column headed "RAG", one headed "Status" holds the delivery status.
    rag_named = any(k not in _STATUS_WORDS and _LOOKUP.get(k) == "rag" for k in keys)
    for index, key in enumerate(keys):
        if index in mapping or (override and key in override):
            continue
        field = "status" if rag_named and key in _STATUS_WORDS else field_for(cells[index])
        if field and field not in claimed:
            mapping[index] = field
            claimed.add(field)


def header_score(cells: Sequence[object], override: Override | None = None) -> int:
    """How strongly a row reads as a plan's header: 0 unless it names two plan fields.

    Naming the action counts most; a row naming other fields but no action (its action column
    headed in words the tracker does not know) can still be the header, its action column then
    found from the values under it (importers.roles).
    """
    fields = set(map_columns(cells, override).values())
    if len(fields) < MIN_HEADER_FIELDS:
        return 0
    return 2 * len(fields) + (2 if "action" in fields else -1)


def find_header(
    rows: Sequence[Sequence[object]], scan: int = 30, override: Override | None = None
) -> int | None:
    """Index of the best-scoring header row within the first `scan` non-empty rows, if any."""
    best_index, best_score = None, 0
    seen = 0
    for index, cells in enumerate(rows):
        if not any(c is not None and c != "" for c in cells):
            continue
        seen += 1
        if seen > scan:
            break
        score = header_score(cells, override)
        if score > best_score:
            best_index, best_score = index, score
    return best_index
