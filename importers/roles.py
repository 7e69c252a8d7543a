"""Each column's role in a plan table, and why: from its header words first, then its values.

Header words stay the first signal (importers.headers). An unknown header must not sink a
file, though: when no column is headed as the action, the columns with unknown headers are
profiled, and long free text reads as the action (then the update), RAG words or fills as
the RAG, dates and deadline texts as the deadline, short repeated names as the owner and refs
such as "1.1", "A2" or "P1.3" as the ref. A column left of the action whose cells are merged
down over its actions holds their objective. A SharePoint / Microsoft Lists export keeps its
metadata columns as extra fields, and a "Priority" of High/Normal/Low is no objective.

The result is one `ColumnRole` per column (index, header text, role, reason), for the report
and for any later pass that reads a column group (period columns, mapping overrides).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from importers.cells import cell_text, is_ref_like, is_strict_heading, looks_numeric
from importers.headers import Override, normalise_header
from importers.period_headers import period_columns
from importers.rows import ColumnRole
from importers.sheet import Sheet
from rulebook.deadlines import read_deadline
from rulebook.rag import Rag, is_combined_rating, read_rag

HEADER_WORD = "header word"
YOUR_MAPPING = "your mapping"
# Rows under the header whose values are profiled: enough to judge a column, cheap at 200k rows.
PROFILE_ROWS = 200
# SharePoint / Microsoft Lists columns that describe the list item, not the action.
SHAREPOINT_METADATA = frozenset(
    {
        "id",
        "created",
        "modified",
        "created by",
        "modified by",
        "item type",
        "path",
        "content type",
        "version",
        "attachments",
        "compliance asset id",
        "app created by",
        "app modified by",
    }
)
_PRIORITY_LEVELS = frozenset(
    {"high", "medium", "normal", "low", "critical", "urgent", "(1) high", "(2) normal", "(3) low"}
)
# Mean length of a column of free text (an action or an update), and of a column of names.
_FREE_TEXT_CHARS = 25
_NAME_CHARS = 40
_MOSTLY = 0.6
# Updates are written row by row; a column repeating a few texts is a label (a strategy link).
_MOSTLY_DISTINCT = 0.8


@dataclass
class Profile:
    """What one column's values look like, as shares of its non-empty values."""

    values: int = 0
    mean_chars: float = 0.0
    refs: float = 0.0
    rags: float = 0.0
    dates: float = 0.0
    numbers: float = 0.0
    distinct: float = 1.0
    merged_down: float = 0.0  # rows covered by a tall merged cell of this column
    fills: float = 0.0  # cells whose fill colour reads as a RAG


def profile_column(
    sheet: Sheet,
    rows: Sequence[Sequence[object]],
    column: int,
    first: int,
    merged: dict[int, int],
    key: Mapping[str, Rag] | None = None,
) -> Profile:
    """The profile of `column` over the rows from `first`, up to PROFILE_ROWS of them; `key`
    is the file's own printed RAG key, whose words are ratings too."""
    values: list[object] = []
    texts: list[str] = []
    fills = 0
    last = min(len(rows), first + PROFILE_ROWS)
    for index in range(first, last):
        row = rows[index]
        value = row[column] if column < len(row) else None
        text = cell_text(value)
        if sheet.fill_rag(index, column) is not None:
            fills += 1
        if text and not is_strict_heading(text):
            values.append(value)
            texts.append(text)
    count = len(texts)
    if not count:
        return Profile(fills=fills / max(1, last - first))
    return Profile(
        values=count,
        mean_chars=sum(map(len, texts)) / count,
        refs=sum(1 for t in texts if is_ref_like(t)) / count,
        rags=sum(1 for t in texts if _is_rating(t, key)) / count,
        dates=sum(1 for v in values if _is_date(v)) / count,
        numbers=sum(1 for v in values if looks_numeric(v)) / count,
        distinct=len(set(texts)) / count,
        merged_down=merged.get(column, 0) / max(1, last - first),
        fills=fills / max(1, last - first),
    )


def _is_rating(text: str, key: Mapping[str, Rag] | None) -> bool:
    """A rating word, including "Not rated" and a combined rating ("R/A") that is not read."""
    return read_rag(text, key).unrecognised is None or is_combined_rating(text)


def _is_date(value: object) -> bool:
    if isinstance(value, dt.date):
        return True
    if isinstance(value, int | float) and not isinstance(value, bool):
        return 21916 <= value <= 73051  # an Excel serial date, 1960-2100
    text = cell_text(value)
    if len(text) > 60:
        return False
    reading = read_deadline(text)
    return reading.date is not None or reading.ongoing  # "Ongoing" is a deadline text too


class RoleChooser:
    """Chooses every column's role for one table, recording why."""

    def __init__(
        self,
        sheet: Sheet,
        header_texts: list[str],
        first_data_row: int,
        mapping: dict[int, str],
        override: Override | None,
        key: Mapping[str, Rag] | None = None,
    ) -> None:
        self.sheet = sheet
        self.key = key
        self.rows = sheet.rows
        self.header_texts = header_texts
        self.first = first_data_row
        self.mapping = dict(mapping)
        self.override = override or {}
        self.reasons: dict[int, str] = {
            i: YOUR_MAPPING if self._overridden(i) else HEADER_WORD for i in mapping
        }
        self.kept: dict[int, str] = {}  # column -> why it is kept as an extra field
        width = max((len(r) for r in self.rows[self.first : self.first + PROFILE_ROWS]), default=0)
        self.width = max(width, len(header_texts))
        self.merged = self._merged_down()

    def choose(self) -> tuple[dict[int, str], list[ColumnRole]]:
        self._sharepoint()
        self._priority_is_no_objective()
        self._period_columns()
        self._target_dates()
        if "action" not in self.mapping.values():
            self._from_content(_CONTENT_RULES)
        else:
            self._merged_objective()
            # The action is named, but a rating or a deadline column may be headed in words
            # the tracker does not know ("Q3 position"): their values are unmistakable.
            self._from_content(_CONTENT_RULES[1:3])
            self._update_by_content()
            # Last, once those are placed: short repeated names ("Partner leading") are the
            # owner when no column is headed as the owner.
            self._from_content(_OWNER_RULE, hint=_OWNER_HINT)
        return self.mapping, self.roles()

    def roles(self) -> list[ColumnRole]:
        out = []
        for column in range(self.width):
            header = self.header_texts[column] if column < len(self.header_texts) else ""
            role = self.mapping.get(column)
            if role is not None:
                reason = self.reasons.get(column, HEADER_WORD)
            elif column in self.kept:
                reason = self.kept[column]
            elif header:
                reason = "not recognised: kept as an extra field"
            else:
                continue  # an empty column with no header: nothing to report
            out.append(ColumnRole(column=column, header=header, role=role, reason=reason))
        return out

    def _overridden(self, column: int) -> bool:
        header = self.header_texts[column] if column < len(self.header_texts) else ""
        return normalise_header(header) in self.override

    def _free(self, column: int) -> bool:
        """A column no header word, mapping or metadata rule has claimed."""
        return (
            column not in self.mapping and column not in self.kept and not self._overridden(column)
        )

    def _claim(self, column: int, field: str, reason: str) -> None:
        self.mapping[column] = field
        self.reasons[column] = f"content: {reason}"

    def _merged_down(self) -> dict[int, int]:
        """Column -> rows under the header covered by one of its tall merged cells."""
        counts: dict[int, int] = {}
        for first_row, first_col, last_row, last_col in self.sheet.merges:
            if last_row > first_row and first_col == last_col and last_row >= self.first:
                covered = min(last_row, self.first + PROFILE_ROWS) - max(first_row, self.first)
                counts[first_col] = counts.get(first_col, 0) + max(0, covered) + 1
        return counts

    def _profile(self, column: int) -> Profile:
        return profile_column(self.sheet, self.rows, column, self.first, self.merged, self.key)

    def _sharepoint(self) -> None:
        """A SharePoint list export: its metadata columns (ID included) are extra fields."""
        keys = [normalise_header(h) for h in self.header_texts]
        if sum(1 for k in keys if k in SHAREPOINT_METADATA and k != "id") < 3:
            return
        for column, key in enumerate(keys):
            if key in SHAREPOINT_METADATA and not self._overridden(column):
                self.mapping.pop(column, None)
                self.kept[column] = "SharePoint list metadata: kept as an extra field"

    def _period_columns(self) -> None:
        """ "Q1 RAG", "RAG status Q2": kept for the period pass, which makes each period history."""
        for column in period_columns(self.header_texts):
            if not self._overridden(column):
                self.mapping.pop(column, None)
                self.kept[column] = PERIOD_COLUMN

    def _target_dates(self) -> None:
        """A "Target" column of dates, when no column names the deadline, is the target date
        (a target outcome is text)."""
        if "deadline" in self.mapping.values():
            return
        for column, field in list(self.mapping.items()):
            named = field == "target" and not self._overridden(column)
            if named and _is_dates(self._profile(column)):
                self._claim(column, "deadline", "dates under a target header")
                return

    def _priority_is_no_objective(self) -> None:
        """An objective column holding only priority levels (High/Normal/Low) is a priority."""
        for column, field in list(self.mapping.items()):
            if field != "objective" or self._overridden(column):
                continue
            texts = {
                cell_text(r[column]).casefold()
                for r in self.rows[self.first : self.first + PROFILE_ROWS]
                if column < len(r) and cell_text(r[column])
            }
            if texts and texts <= _PRIORITY_LEVELS:
                del self.mapping[column]
                self.kept[column] = (
                    "content: priority levels, not objectives: kept as an extra field"
                )

    def _merged_objective(self) -> None:
        """Left of the action, a column merged down over its actions holds their objective;
        so does one headed "Outcome": a target is each action's own, an outcome they share
        is their objective."""
        if {"objective", "objective_description"} & set(self.mapping.values()):
            return
        action = next(i for i, f in self.mapping.items() if f == "action")
        for column in range(action):
            shared = self._free(column) or (
                self.mapping.get(column) == "target" and not self._overridden(column)
            )
            if not shared or self.merged.get(column, 0) == 0:
                continue
            profile = self._profile(column)
            if profile.values and profile.merged_down >= 0.5 and profile.refs < 0.5:
                self._claim(column, "objective", "merged down over its actions")
                return
        self._repeated_outcome(action)

    def _repeated_outcome(self, action: int) -> None:
        """Left of the action, an "Outcome" written again on the next action's row (a CSV
        cannot merge cells) is an outcome they share: their objective."""
        for column in range(action):
            if self.mapping.get(column) != "target" or self._overridden(column):
                continue
            texts = [
                cell_text(r[column]) if column < len(r) else ""
                for r in self.rows[self.first : self.first + PROFILE_ROWS]
            ]
            if any(a and a == b for a, b in pairwise(texts)):
                self._claim(column, "objective", "the same outcome on its actions' rows")
                return

    def _update_by_content(self) -> None:
        """The action is named and no column is the update: right of the action, a column
        under an unknown header ("Notes", "Narrative") holding long free text that differs
        from row to row is the update, as it would be under an unknown action header."""
        if "progress" in self.mapping.values():
            return
        action = next(i for i, f in self.mapping.items() if f == "action")
        for column in range(action + 1, self.width):
            if (
                self._free(column)
                and self._header_allows(column, _UPDATE_HINT)
                and _is_update(self._profile(column))
            ):
                self._claim(column, "progress", "long free text, after the action")
                return

    def _header_allows(self, column: int, hint: re.Pattern[str]) -> bool:
        """No header, or one whose words fit the field ("Partner leading" an owner, "Notes so
        far" an update): beside a named action, "Funding source" or "Expected impact" hold
        repeated labels or long text too, and are neither."""
        header = self.header_texts[column] if column < len(self.header_texts) else ""
        return not header.strip() or bool(hint.search(normalise_header(header)))

    def _from_content(
        self, rules: Sequence[ContentRule], *, hint: re.Pattern[str] | None = None
    ) -> None:
        """The free columns read by their values, for the fields the rules name (only under a
        header that fits `hint`, if given)."""
        taken = set(self.mapping.values())
        if all(field in taken for field, _, _ in rules):
            return
        profiles = {
            c: self._profile(c)
            for c in range(self.width)
            if self._free(c) and (hint is None or self._header_allows(c, hint))
        }
        for field, test, reason in rules:
            if field in taken:
                continue
            column = next((c for c, p in profiles.items() if test(p)), None)
            if column is not None:
                self._claim(column, field, reason)
                taken.add(field)
                del profiles[column]
        if "action" in taken:
            self._merged_objective()


def _is_refs(p: Profile) -> bool:
    return p.values > 0 and p.refs >= 0.8


def _is_rags(p: Profile) -> bool:
    return (p.values > 0 and p.rags >= _MOSTLY) or (p.values == 0 and p.fills >= _MOSTLY)


def _is_dates(p: Profile) -> bool:
    return p.values > 0 and p.dates >= _MOSTLY


def _is_free_text(p: Profile) -> bool:
    return p.values > 0 and p.mean_chars >= _FREE_TEXT_CHARS and p.numbers < 0.5 and p.rags < 0.5


def _is_update(p: Profile) -> bool:
    """Free text written for each row: not a repeated label, a date or a ref."""
    return _is_free_text(p) and p.distinct >= _MOSTLY_DISTINCT and p.dates < 0.5 and p.refs < 0.5


def _is_names(p: Profile) -> bool:
    return (
        p.values > 0
        and p.mean_chars <= _NAME_CHARS
        and p.numbers < 0.5
        and p.dates < 0.5
        and p.rags < 0.5
        and p.refs < 0.5
        and (p.distinct < 1.0 or p.values < 3)
    )


ContentRule = tuple[str, Callable[[Profile], bool], str]
# In this order: the strongest signals first, so a column of refs is never taken for names.
_CONTENT_RULES: tuple[ContentRule, ...] = (
    ("ref", _is_refs, "refs such as '1.1'"),
    ("rag", _is_rags, "RAG words or fill colours"),
    ("deadline", _is_dates, "dates and deadline texts"),
    ("action", _is_free_text, "long free text"),
    ("progress", _is_free_text, "long free text, after the action"),
    ("lead", _is_names, "short repeated names"),
)


def _is_repeated_names(p: Profile) -> bool:
    """Short names seen on several rows, some more than once: with the action named, only
    names that repeat say "owner" (one row's "Karen Cooney" could be anything)."""
    return _is_names(p) and p.values >= 3 and p.distinct < 1.0


# Why a period group's column is no field of its own (importers.periods may say otherwise).
PERIOD_COLUMN = "a period column: each filled period becomes history"
_OWNER_RULE: tuple[ContentRule, ...] = (("lead", _is_repeated_names, "short repeated names"),)
# Header words that let a column beside a named action be read by its values as the owner, or
# as the update (normalised: lower case, punctuation as spaces).
_OWNER_HINT = re.compile(
    r"\b(?:partners?|agenc(?:y|ies)|organi[sz]ations?|officers?|persons?|people|teams?"
    r"|services?|leads?|leading|who|owners?|responsib\w*|assigned|contacts?|departments?"
    r"|bod(?:y|ies)|managers?|champions?|sponsors?|delivered|delivering|by)\b"
)
_UPDATE_HINT = re.compile(
    r"\b(?:notes?|narratives?|remarks?|comments?|commentary|position|latest|status"
    r"|progress|updates?|so far|to date|where (?:we|things) (?:are|stand)|where are we"
    r"|done|achieved|happened|now)\b"
)
