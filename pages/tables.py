"""Action tables as the pages show them: UK dates, RAG words on coloured cells."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import streamlit as st

from pages.common import style_rag_column
from plan.queries import ActionView, HistoryEntry
from rulebook.dates import deadline_display, format_uk_date
from rulebook.movement import movement_label
from rulebook.rag import rag_label


def updated_on(moment: dt.datetime | None) -> str:
    return format_uk_date(moment.date()) if moment else ""


def as_at_of(entry: HistoryEntry) -> str:
    """A history entry's date: the day it describes, and when it was recorded if later."""
    shown, recorded = format_uk_date(entry.day), updated_on(entry.recorded_at)
    if recorded == shown:
        return shown
    period = f" ({entry.reporting_period})" if entry.reporting_period else ""
    return f"{shown}{period}, recorded {recorded}"


def deadline_cell(view: ActionView) -> str:
    """The current deadline; a revised one names the baseline it replaced."""
    baseline = deadline_display(view.baseline_deadline, view.deadline_text)
    if view.deadline is not None and view.deadline != view.baseline_deadline:
        # No brackets around the baseline: it may carry the plan's own words in brackets.
        return f"{format_uk_date(view.deadline)}, revised from {baseline or 'no deadline'}"
    return baseline


def actions_frame(views: list[ActionView], *, days_overdue: bool = False) -> pd.DataFrame:
    """What a laptop shows without scrolling sideways comes first: the rating, what is late
    and by when, the action and its owner, and the link to it; the long texts follow."""
    rows = []
    for view in views:
        row: dict[str, object] = {"Ref": view.ref or "", "RAG": rag_label(view.rag)}
        if days_overdue:  # what the list is about, before the long text
            row["Days overdue"] = view.days_overdue
            row["Deadline"] = deadline_cell(view)
        row["Action"] = view.action
        row["Owner"] = view.owner or ""
        if not days_overdue:
            row["Deadline"] = deadline_cell(view)
            row["Overdue"] = "Yes" if view.overdue else ""
        row["Details"] = f"action?action={view.id}"
        if view.movement is not None:
            row["Since"] = movement_label(view.movement)
        row["Status"] = view.status.value.capitalize()
        row["Latest update"] = view.latest_update or ""
        row["Updated"] = updated_on(view.updated_at)
        row["Objective"] = view.objective or ""
        rows.append(row)
    return pd.DataFrame(rows)


# Column widths in pixels: Ref to Details fit the 875 pixels a 1366-wide laptop gives a table
# beside the sidebar (tests/e2e/test_screens.py).
ACTION_COLUMNS = {
    "Ref": st.column_config.TextColumn(width=50),
    "RAG": st.column_config.TextColumn(width=105),
    "Days overdue": st.column_config.NumberColumn(width=110),  # its header whole
    "Action": st.column_config.TextColumn(width=270),
    "Owner": st.column_config.TextColumn(width=140),
    "Deadline": st.column_config.TextColumn(width=140),
    "Overdue": st.column_config.TextColumn(width=70),
    "Details": st.column_config.LinkColumn(display_text="Open", width=55),
    "Latest update": st.column_config.TextColumn(width="large"),
    "Objective": st.column_config.TextColumn(width="medium"),
}


def show_actions(views: list[ActionView], *, days_overdue: bool = False, key: str) -> None:
    """A page of actions, every row shown (no box with its own scroll bar) up to a page's
    worth; a longer list keeps the grid's own scrolling."""
    frame = actions_frame(views, days_overdue=days_overdue)
    st.dataframe(
        style_rag_column(frame),
        hide_index=True,
        width="stretch",
        height="content" if len(frame) <= PAGE_SIZE else "auto",
        key=key,
        column_config=ACTION_COLUMNS,
    )


PAGE_SIZE = 100


def page_picker(
    total: int,
    *,
    key: str,
    filters: object,
    order: str,
    noun: str = "Actions",
    size: int = PAGE_SIZE,
) -> tuple[int, int]:
    """The (offset, limit) of the page of a long list to show, with a page picker.

    A page shows a bounded number of rows, so a page costs the same at 100 actions or
    100,000. A list longer than one page shows a page number input; changing the filters
    (anything in `filters`) goes back to page 1.
    """
    if total <= size:
        return 0, size
    pages = math.ceil(total / size)
    shown_for = f"{key}_filters"
    if st.session_state.get(shown_for) != repr(filters) or st.session_state.get(key, 1) > pages:
        st.session_state[key] = 1
    st.session_state[shown_for] = repr(filters)
    picker, note = st.columns([1, 4], vertical_alignment="bottom")
    number = picker.number_input(f"Page (of {pages:,})", 1, pages, step=1, key=key)
    offset = (number - 1) * size
    note.caption(
        f"{noun} {offset + 1:,} to {min(offset + size, total):,} of {total:,}, {order}. "
        "Narrow the list with the filters, or download the board paper for all of them."
    )
    return offset, size
