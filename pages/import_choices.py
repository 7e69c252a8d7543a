"""The import page's choices beyond the columns: the sheet, the as-at date, and applying the
column mapping a plan remembers from its last import (plan.import_mappings), columns chosen as
"not a plan field" included."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session, sessionmaker

from importers import ReadResult
from importers.headers import normalise_header
from plan.import_mappings import ColumnChoice, given, remembered

EVERY_SHEET = "(every sheet with actions)"
NOT_A_FIELD = "(not a plan field: keep as an extra column)"
MAP_KEY = "import_map_"
SHEET_KEY = "import_sheet"


def apply_remembered(
    state: Any,  # st.session_state
    factory: sessionmaker[Session],
    plan_name: str,
    headers: Sequence[str],
    sheets: Sequence[str],
) -> ColumnChoice:
    """Preset the page's column and sheet choices to the mapping `plan_name` remembers (for
    the columns this file has); the mapping, empty when the plan has none."""
    with factory() as session:
        choice = remembered(session, plan_name)
    by_key = {normalise_header(header): header for header in headers}
    chosen = [*choice.columns.items(), *((NOT_A_FIELD, column) for column in choice.extra)]
    for field, column in chosen:
        header = by_key.get(normalise_header(column))
        if header is not None:
            state[MAP_KEY + header] = field
    if choice.sheet in sheets:
        state[SHEET_KEY] = choice.sheet
    return choice


def chosen_mapping(override: dict[str, str], sheet: str | None) -> ColumnChoice:
    """The page's overrides (header -> field, "" for not a plan field) as a choice to
    remember, "not a plan field" included."""
    fields = {field: header for header, field in override.items() if field}
    return given(fields, sheet, [header for header, field in override.items() if not field])


def sheet_names(sheets_read: Sequence[str], skipped: Sequence[str]) -> list[str]:
    return [*sheets_read, *(name for name in skipped if name not in sheets_read)]


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def column_roles_table(result: ReadResult, labels: Mapping[str, str]) -> pd.DataFrame:
    """Each column the reader placed, the plan field it became and why (a header word, your
    mapping, or its content), so a guess is easy to check before importing."""
    sheets = {role.sheet for role in result.column_roles}
    return pd.DataFrame(
        [
            {
                **({"Sheet": role.sheet} if len(sheets) > 1 else {}),
                "Column": role.header or f"column {role.column + 1} (no header)",
                "Read as": labels.get(role.role, role.role) if role.role else "extra field",
                "Why": role.reason,
            }
            for role in result.column_roles
        ]
    )
