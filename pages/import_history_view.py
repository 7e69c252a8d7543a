"""The import page's period history: the dated entries a tracker's period column groups ("Q1 RAG
| Q1 update | Q2 RAG") add to each action, shown before importing exactly as the import writes
them (plan.import_history)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from importers import ReadResult
from plan.import_history import period_entries, with_history
from rulebook.dates import format_uk_date
from rulebook.plan_periods import Period
from rulebook.rag import Rag, rag_label

HISTORY_KEY = "import_history"


def history_read(
    state: Any,  # st.session_state
    preview_key: object,
    result: ReadResult,
    as_at: dt.date,
    plan_period: Period,
) -> ReadResult:
    """`result` with its period groups read as history, as at the page's as-at date and in the
    plan's period; worked out again only when one of them, or `preview_key` (the file and
    the choices it was read with), changes."""
    key = (preview_key, as_at, plan_period)
    cached = state.get(HISTORY_KEY)
    if cached is None or cached[0] != key:
        cached = (key, with_history(result, as_at, plan_period))
        state[HISTORY_KEY] = cached
    return cached[1]


def period_history_table(result: ReadResult, as_at: dt.date) -> pd.DataFrame:
    """One line per dated entry the period columns give, action by action, oldest first."""
    return pd.DataFrame(
        [
            {
                "Where": f"{row.sheet}, row {row.row}",
                "Ref": row.ref or "",
                "Action": row.action,
                "Period": dated.entry.reporting_period,
                "As at": format_uk_date(dated.day),
                "RAG": _rating(dated.entry.rag, dated.entry.rag_text),
                "Update": dated.entry.progress,
            }
            for row in result.rows
            for dated in period_entries(row, as_at)
        ],
        columns=["Where", "Ref", "Action", "Period", "As at", "RAG", "Update"],
    )


def _rating(rag: Rag | None, rag_text: str | None) -> str:
    label = rag_label(rag)
    return f"{label} ('{rag_text}' as written)" if rag_text else label


def show_period_history(result: ReadResult, as_at: dt.date) -> None:
    """The history the period columns give, if the file has any: a count and the entries."""
    table = period_history_table(result, as_at)
    if table.empty:
        return
    actions = table["Where"].nunique()
    st.subheader("History from period columns")
    st.caption(
        f"{len(table)} dated entries for {actions} actions: each is recorded as at the end of "
        "its period (or the as-at date, if that comes first). The latest filled period is each "
        "action's current RAG and update; an empty later period does not erase an earlier one."
    )
    st.dataframe(table, hide_index=True, width="stretch")
