"""Fix a column mapping once, keep it: the overrides a plan's file was imported with.

`import --map FIELD=COLUMN --extra COLUMN --sheet NAME` (and the same choices on the import
page, "not a plan field" included) are stored with the plan in the import's own transaction,
so next quarter's file of the same shape imports without asking. Choices given now win over
remembered ones, column by column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from importers import FIELDS, ReadResult, RowIssue, read_plan_file
from importers.errors import MissingColumnsError
from plan.models import ImportMapping, Plan

AS_GIVEN = "as given"
REMEMBERED = "remembered from the plan's last import"
# The stored mapping's key for the columns kept as extra fields: not a field name, so a
# mapping stored before it existed reads the same.
EXTRA_KEY = "(not a plan field)"


@dataclass(frozen=True)
class ColumnChoice:
    """Which column holds which field (as the file writes its headers), which columns are no
    plan field (kept as extra fields, whatever their header suggests), and which sheet."""

    columns: dict[str, str] = field(default_factory=dict)  # field -> column header
    sheet: str | None = None
    # Where each field's column (and "sheet") came from: AS_GIVEN or REMEMBERED.
    sources: dict[str, str] = field(default_factory=dict)
    # Column header -> where the choice came from, for columns that are no plan field.
    extra: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.columns or self.sheet or self.extra)

    @property
    def override(self) -> dict[str, str] | None:
        """The reader's mapping: column header -> field ("" for no field)."""
        fields = {column: name for name, column in self.columns.items()}
        return (dict.fromkeys(self.extra, "") | fields) or None

    def without(self, columns: Sequence[str]) -> ColumnChoice:
        dropped = set(columns)
        kept = {f: c for f, c in self.columns.items() if c not in dropped}
        extra = {c: source for c, source in self.extra.items() if c not in dropped}
        sources = {f: self.sources[f] for f in kept}
        if self.sheet:
            sources["sheet"] = self.sources.get("sheet", AS_GIVEN)
        return ColumnChoice(kept, self.sheet, sources, extra)

    def source_of(self, column: str) -> str:
        """Where the choice for `column` came from."""
        for name, mapped in self.columns.items():
            if mapped == column:
                return self.sources.get(name, AS_GIVEN)
        return self.extra.get(column, AS_GIVEN)

    def lines(self) -> list[str]:
        """The mapping used, for the import report."""
        out = [
            f"  - {name} = '{column}' ({self.sources.get(name, AS_GIVEN)})"
            for name, column in self.columns.items()
        ]
        out.extend(
            f"  - '{column}' is no plan field: kept as an extra column ({source})"
            for column, source in self.extra.items()
        )
        if self.sheet:
            out.append(f"  - sheet '{self.sheet}' ({self.sources.get('sheet', AS_GIVEN)})")
        return ["Column mapping used:", *out] if out else []


def parse_map(items: Sequence[str]) -> dict[str, str]:
    """`["action=Commitment", "lead=Responsible agency"]` -> field -> column; ValueError
    saying what is wrong with the first bad one."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, column = item.partition("=")
        name, column = name.strip().lower(), column.strip()
        if not sep or not column:
            raise ValueError(f"'{item}' is not FIELD=COLUMN (e.g. action=Commitment)")
        if name not in FIELDS:
            raise ValueError(f"'{name}' is not a plan field; fields: {', '.join(FIELDS)}")
        out[name] = column
    return out


def given(columns: dict[str, str], sheet: str | None, extra: Sequence[str] = ()) -> ColumnChoice:
    """The choices given now; ValueError when a column is both a field's and no field's."""
    both = [column for column in extra if column in columns.values()]
    if both:
        raise ValueError(f"'{both[0]}' is given both as a plan field and as no plan field")
    sources = dict.fromkeys(columns, AS_GIVEN) | ({"sheet": AS_GIVEN} if sheet else {})
    return ColumnChoice(dict(columns), sheet, sources, dict.fromkeys(extra, AS_GIVEN))


def remembered(session: Session, plan_name: str) -> ColumnChoice:
    """The choice the plan called `plan_name` was last imported with (empty if none)."""
    stored = session.scalar(
        select(ImportMapping)
        .join(Plan, Plan.id == ImportMapping.plan_id)
        .where(Plan.name == plan_name)
    )
    if stored is None:
        return ColumnChoice()
    saved = stored.columns or {}
    columns = {str(k): str(v) for k, v in saved.items() if k in FIELDS}
    extra = saved.get(EXTRA_KEY)
    extra_columns = [str(c) for c in extra] if isinstance(extra, list) else []
    sources = dict.fromkeys(columns, REMEMBERED) | ({"sheet": REMEMBERED} if stored.sheet else {})
    return ColumnChoice(columns, stored.sheet, sources, dict.fromkeys(extra_columns, REMEMBERED))


def combined(kept: ColumnChoice, now: ColumnChoice) -> ColumnChoice:
    """`now`'s choices over `kept`'s; a column chosen now (for a field, or for none) frees it
    from whatever `kept` chose for it."""
    taken = set(now.columns.values()) | set(now.extra)
    columns = {f: c for f, c in kept.columns.items() if c not in taken} | now.columns
    sources = {f: kept.sources[f] for f in columns if f not in now.columns} | {
        f: now.sources.get(f, AS_GIVEN) for f in now.columns
    }
    extra = {c: s for c, s in kept.extra.items() if c not in taken} | now.extra
    sheet = now.sheet or kept.sheet
    if sheet:
        sources["sheet"] = (
            now.sources.get("sheet", AS_GIVEN)
            if now.sheet
            else kept.sources.get("sheet", REMEMBERED)
        )
    return ColumnChoice(columns, sheet, sources, extra)


def remember(
    session: Session, plan: Plan, choice: ColumnChoice, who: str, now: dt.datetime
) -> None:
    """Keep `choice` as the plan's mapping (replacing the one before); nothing when empty."""
    if not choice:
        return
    stored = session.get(ImportMapping, plan.id)
    if stored is None:
        stored = ImportMapping(plan_id=plan.id, updated_by=who)
        session.add(stored)
    stored.columns = dict(choice.columns) | (
        {EXTRA_KEY: list(choice.extra)} if choice.extra else {}
    )
    stored.sheet = choice.sheet
    stored.updated_by = who
    stored.updated_at = now


Reader = Callable[[dict[str, str] | None, str | None], ReadResult]


def read_with(choice: ColumnChoice, read: Reader) -> tuple[ReadResult, ColumnChoice]:
    """Read with the choice. A remembered column the file no longer has is dropped with a
    warning (the file changed shape); one given now that it lacks stays an error naming it."""
    try:
        return read(choice.override, choice.sheet), choice
    except MissingColumnsError as error:
        gone = [c for c in error.columns if choice.source_of(c) == REMEMBERED]
        if not gone or len(gone) < len(error.columns):
            raise
    narrower = choice.without(gone)
    result = read(narrower.override, narrower.sheet)
    listed = ", ".join(f"'{c}'" for c in gone)
    result.issues.append(
        RowIssue(
            file=result.file,
            message=f"the remembered column mapping names {listed}, which this file does not "
            "have: read without it",
        )
    )
    return result, narrower


def file_reader(
    data: bytes, filename: str, progress: Callable[[float, str], None] | None
) -> Reader:
    """A Reader over `importers.read_plan_file` for the command line."""

    def read(override: dict[str, str] | None, sheet: str | None) -> ReadResult:
        return read_plan_file(data, filename, override, progress=progress, sheet=sheet)

    return read
