"""What a reader produces: validated action rows and row-numbered issues, no database."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.dataclasses import dataclass

from rulebook.rag import DeliveryStatus, Rag
from rulebook.text import clean_text

_TEXT_FIELDS = (
    "sheet",
    "objective",
    "objective_ref",
    "objective_description",
    "ref",
    "action",
    "milestone",
    "lead",
    "deadline_text",
    "target",
    "resourcing",
    "indicator",
    "rag_text",
    "progress",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class PeriodReport:
    """What a row's column group for one reporting period says ("Q1 RAG | Q1 update")."""

    label: str  # the period as the tracker names it: "Q1 2017/18", "Jun 2017"
    start: dt.date
    end: dt.date
    rag: Rag | None = None
    status: DeliveryStatus | None = None
    rag_text: str | None = None  # a rating that could not be read, kept as written
    progress: str | None = None


# A validated dataclass with slots, not a BaseModel: a 20k-action file holds 20k of these at
# once, and a model's per-instance dict and fields-set cost about 3 KB each (60 MB at 20k).
@dataclass(frozen=True, slots=True, kw_only=True)
class ActionRow:
    """One action as read from a file, with where it came from."""

    sheet: str
    row: int = Field(ge=1, description="1-based row number in the sheet or file")
    objective: str | None = None
    objective_ref: str | None = None
    objective_description: str | None = None
    ref: str | None = None
    action: str = Field(min_length=1)
    milestone: str | None = None
    lead: str | None = None
    owners: list[str] = Field(default_factory=list)
    deadline: dt.date | None = None
    deadline_text: str = ""
    ongoing: bool = False
    target: str | None = None
    resourcing: str | None = None
    indicator: str | None = None
    rag: Rag | None = None
    status: DeliveryStatus | None = None
    rag_text: str | None = None
    progress: str | None = None
    extra: dict[str, str] = Field(default_factory=dict)
    # RAG read from the fill colour of a period group's RAG cell, by the cell's header (the
    # period pass reads them with the extra fields' texts; importers.periods).
    fills: dict[str, Rag] = Field(default_factory=dict)
    # The filled period column groups, oldest first (importers.periods).
    periods: tuple[PeriodReport, ...] = ()

    @field_validator(*_TEXT_FIELDS, mode="before")
    @classmethod
    def _clean(cls, value: object) -> object:
        """Text is cleaned once, here, on its way in from a file (rulebook.text)."""
        return clean_text(value) if isinstance(value, str) else value

    @field_validator("owners", mode="before")
    @classmethod
    def _clean_names(cls, value: object) -> object:
        if isinstance(value, list):
            return [clean_text(v) if isinstance(v, str) else v for v in value]
        return value

    @field_validator("extra", mode="before")
    @classmethod
    def _clean_extra(cls, value: object) -> object:
        if isinstance(value, dict):
            return {clean_text(str(k)): clean_text(str(v)) for k, v in value.items()}
        return value


class RowIssue(BaseModel):
    """A warning about one place in the file; never silently dropped."""

    model_config = ConfigDict(frozen=True)

    file: str
    sheet: str | None = None
    row: int | None = None
    field: str | None = None
    message: str
    skipped: bool = Field(default=False, description="the row was not imported")

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet and self.sheet.startswith("table ") and self.sheet[6:].isdigit():
            where.append(self.sheet)  # a Word table
        elif self.sheet:
            where.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field:
            where.append(self.field)
        return f"{', '.join(where)}: {self.message}"


class ColumnRole(BaseModel):
    """What one column of a table was read as, and why: "header word", "your mapping", or
    "content: …" when its values decided (importers.roles)."""

    model_config = ConfigDict(frozen=True)

    sheet: str = ""
    column: int = Field(ge=0, description="0-based column index")
    header: str = ""
    role: str | None = Field(default=None, description="the plan field; None: an extra field")
    reason: str = ""

    def __str__(self) -> str:
        name = self.header or f"column {self.column + 1}, no header"
        return f"'{name}': {self.role or 'extra field'} ({self.reason})"


class SkippedSheet(BaseModel):
    model_config = ConfigDict(frozen=True)

    sheet: str
    reason: str


class ReadResult(BaseModel):
    """Everything a reader found in one file."""

    file: str
    rows: list[ActionRow] = Field(default_factory=list)
    issues: list[RowIssue] = Field(default_factory=list)
    sheets_read: list[str] = Field(default_factory=list)
    sheets_skipped: list[SkippedSheet] = Field(default_factory=list)
    columns: dict[str, str] = Field(
        default_factory=dict, description="source header -> field it was read as"
    )
    unmapped_columns: list[str] = Field(default_factory=list)
    # Every column of every table read, with the role chosen for it and why.
    column_roles: list[ColumnRole] = Field(default_factory=list)
    rows_read: int = 0
    # When the file says it was last saved (xlsx, docx), for telling old copies from new.
    saved_at: dt.datetime | None = None
    # The file's own printed RAG key (rating word -> RAG), for its period columns' ratings too.
    rag_key: dict[str, Rag] = Field(default_factory=dict)
    # The financial years (first calendar year) the file's name, its sheets' names and the
    # lines above its tables name ("Delivery Plan 2025/26"): a bare "Q2" column is read in
    # the one year named (importers.title_year).
    title_years: list[int] = Field(default_factory=list)

    @property
    def rows_skipped(self) -> list[RowIssue]:
        """The rows that were read but not imported, each with why."""
        return [issue for issue in self.issues if issue.skipped]

    @property
    def objectives(self) -> list[str]:
        seen: dict[str, None] = {}
        for row in self.rows:
            if row.objective:
                seen.setdefault(row.objective, None)
        return list(seen)
