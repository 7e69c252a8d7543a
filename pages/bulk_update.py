"""Bulk update (officers): update many actions of a plan at once in an editable grid.

Each filled-in row is checked like the update form; if any row has a problem, the problems are
shown and nothing is saved.
"""

import datetime as dt
import math

import pandas as pd
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from pages.common import session_factory, today
from pages.failures import report_failure
from pages.session import require_actor
from pages.text import md
from pages.update_form import FLASH_KEY, show_flash
from plan.auth import Permission, PermissionDenied
from plan.queries import plan_options
from plan.queries.my_actions import actions_for
from plan.services import BulkRejected, BulkRow, Busy, ProgressInput, submit_bulk
from rulebook.dates import format_uk_date
from rulebook.rag import Rag, rag_label

EDITABLE = (
    "New RAG",
    "Progress",
    "Issue (Red/Amber)",
    "Being done (Red/Amber)",
    "% complete",
    "Revised deadline",
    "Reason",
    "Evidence link",
    "Completed on",
)
RAG_BY_LABEL = {rag_label(rag): rag for rag in Rag}

actor = require_actor(Permission.BULK_UPDATE)
factory = session_factory()
st.title("Bulk update")
show_flash()
with factory() as session:
    options = plan_options(session)
if not options:
    st.info("No plans yet: import one first.")
    st.stop()
choice = st.selectbox("Plan", [o.name for o in options], key="bulk_plan")
plan_id = next(o.id for o in options if o.name == choice)
with factory() as session:
    items = actions_for(session, actor, today=today(), everything=True, plan_id=plan_id)
items.sort(key=lambda item: item.id)

# The newest update of each action when the grid was opened: saving checks nobody came between.
opened_key = f"bulk_opened_{plan_id}"
st.session_state.setdefault(opened_key, {item.id: item.latest_update_id for item in items})
opened: dict[int, int | None] = st.session_state[opened_key]

st.caption(
    "Fill in a row for each action to update: New RAG and Progress are required; Red and Amber "
    "also need the issue and what is being done; Blue needs the completion date. Empty rows "
    "are left alone."
)
# Text cells start as "" rather than None, which the grid would show as the word "None".
grid = pd.DataFrame(
    {
        "Ref": [item.ref or "" for item in items],
        "Action": [item.action for item in items],
        "Owner": [item.owner or "" for item in items],
        "RAG": [rag_label(item.rag) for item in items],
        "Deadline": [format_uk_date(item.deadline) for item in items],
        "New RAG": [""] * len(items),
        "Progress": [""] * len(items),
        "Issue (Red/Amber)": [""] * len(items),
        "Being done (Red/Amber)": [""] * len(items),
        "% complete": pd.Series([None] * len(items), dtype="Int64"),
        "Revised deadline": pd.Series([None] * len(items), dtype="object"),
        "Reason": [""] * len(items),
        "Evidence link": [""] * len(items),
        "Completed on": pd.Series([None] * len(items), dtype="object"),
    }
)
# A new key after each save: the browser then shows a clean grid.
generation = st.session_state.get("bulk_generation", 0)
editor_key = f"bulk_grid_{plan_id}_{generation}"
edited = st.data_editor(
    grid,
    key=editor_key,
    hide_index=True,
    num_rows="fixed",
    placeholder="",  # an empty date or percentage is blank, not the word "None"
    width="stretch",
    disabled=["Ref", "Action", "Owner", "RAG", "Deadline"],
    column_config={
        "New RAG": st.column_config.SelectboxColumn(options=list(RAG_BY_LABEL)),
        "% complete": st.column_config.NumberColumn(min_value=0, max_value=100, step=1),
        "Revised deadline": st.column_config.DateColumn(format="DD/MM/YYYY"),
        "Completed on": st.column_config.DateColumn(format="DD/MM/YYYY"),
        "Evidence link": st.column_config.TextColumn(),
        # The columns to fill in start within a laptop's width. (Not pinned: Streamlit greys
        # a pinned column's text, below AA contrast.)
        "Ref": st.column_config.TextColumn(width=50),
        "Action": st.column_config.TextColumn(width="medium"),
        "Owner": st.column_config.TextColumn(width="small"),
        "RAG": st.column_config.TextColumn(width="small"),
        "Deadline": st.column_config.TextColumn(width=95),  # "30 Nov 2014" whole
    },
)


def _blank(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _text(value: object) -> str:
    return "" if _blank(value) else str(value)


def _date(value: object) -> dt.date | None:
    if _blank(value):
        return None
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _rows(frame: pd.DataFrame) -> list[BulkRow]:
    rows = []
    for position, record in enumerate(frame.to_dict("records")):
        if all(_blank(record[column]) for column in EDITABLE):
            continue
        item = items[position]
        percent = record["% complete"]
        rows.append(
            BulkRow(
                action_id=item.id,
                label=f"{item.ref or ''} {item.action[:50]}".strip(),
                expected_latest_update_id=opened.get(item.id),
                entry=ProgressInput(
                    rag=RAG_BY_LABEL.get(_text(record["New RAG"])),
                    progress=_text(record["Progress"]),
                    issue=_text(record["Issue (Red/Amber)"]),
                    remedy=_text(record["Being done (Red/Amber)"]),
                    percent_complete=None if _blank(percent) else int(percent),
                    revised_deadline=_date(record["Revised deadline"]),
                    revised_deadline_reason=_text(record["Reason"]),
                    evidence_link=_text(record["Evidence link"]),
                    completed_on=_date(record["Completed on"]),
                ),
            )
        )
    return rows


if st.button("Save all", type="primary", key="bulk_save"):
    rows = _rows(edited)
    if not rows:
        st.info("No row is filled in: nothing to save.")
    else:
        try:
            saved = submit_bulk(factory, actor, rows)
        except BulkRejected as rejected:
            st.error(
                f"{len(rejected.problems)} of {len(rows)} rows need attention, so nothing was "
                "saved. Your entries are still in the grid."
            )
            st.dataframe(
                pd.DataFrame(
                    [
                        {"Row": problem.label, "Problem": " ".join(problem.messages)}
                        for problem in rejected.problems
                    ]
                ),
                hide_index=True,
                width="stretch",
            )
        except (PermissionDenied, Busy) as error:
            st.error(md(error))
        except SQLAlchemyError:
            report_failure("Saving a bulk update")
        else:
            st.session_state.pop(opened_key, None)
            st.session_state["bulk_generation"] = generation + 1
            st.session_state[FLASH_KEY] = f"Saved {len(saved)} updates."
            st.rerun()
