"""Overview: actions by RAG, overdue count and the action table for a plan, as at a date."""

import pandas as pd
import streamlit as st

from pages.common import session_factory, style_rag_column, today
from plan.queries import plan_options, plan_overview
from plan.rules.dates import deadline_display, format_uk_date
from plan.rules.rag import RAG_ORDER, rag_label

ALL_PLANS = "All plans"

st.title("Overview")
factory = session_factory()
with factory() as session:
    options = plan_options(session)

if not options:
    st.info(
        "No plans yet. Import an action plan from the command line with "
        "`python -m plan import PATH` (.xlsx or .csv), then reload this page."
    )
    st.stop()

left, right = st.columns([3, 1])
choice = left.selectbox("Plan", [ALL_PLANS, *(o.name for o in options)], key="plan")
as_at = right.date_input("As at", value=today(), format="DD/MM/YYYY", key="as_at")
plan_id = next((o.id for o in options if o.name == choice), None)

with factory() as session:
    overview = plan_overview(session, plan_id=plan_id, as_at=as_at)

st.caption(
    f"{choice}: figures as at {format_uk_date(as_at)}. "
    f"{overview.rag.total} actions in the rollup"
    + (f"; {overview.rag.cancelled} cancelled left out." if overview.rag.cancelled else ".")
)
columns = st.columns(len(RAG_ORDER) + 1)
for column, rag in zip(columns, RAG_ORDER, strict=False):
    column.metric(rag_label(rag), overview.rag.of(rag))
columns[-1].metric("⚠ Overdue", overview.overdue)

if not overview.actions:
    st.info("This plan had no actions on that date.")
    st.stop()

table = pd.DataFrame(
    [
        {
            "Objective": view.objective or "",
            "Ref": view.ref or "",
            "RAG": rag_label(view.rag),
            "Action": view.action,
            "Owner": view.owner or "",
            "Deadline": deadline_display(view.deadline, view.deadline_text),
            "Overdue": "Yes" if view.overdue else "",
            "Status": view.status.value.capitalize(),
            "Latest update": view.latest_update or "",
        }
        for view in overview.actions
    ]
)
st.dataframe(
    style_rag_column(table),
    hide_index=True,
    width="stretch",
    column_config={
        "Objective": st.column_config.TextColumn(width="small"),
        "Ref": st.column_config.TextColumn(width=60),
        "RAG": st.column_config.TextColumn(width=110),
        "Action": st.column_config.TextColumn(width="large"),
        "Owner": st.column_config.TextColumn(width="medium"),
        "Deadline": st.column_config.TextColumn(width="medium"),
        "Overdue": st.column_config.TextColumn(width=80),
        "Latest update": st.column_config.TextColumn(width="large"),
    },
)
