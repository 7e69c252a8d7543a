"""Overview: where are we, what is off track, what is late, what changed."""

import streamlit as st

from pages.charts import rag_by_objective
from pages.common import cached_query
from pages.filters import filter_bar
from pages.tables import show_actions
from plan.queries import plan_overview
from plan.rules.dates import format_uk_date
from plan.rules.rag import RAG_ORDER, rag_label

SHOWN = 500

st.title("Overview")
filters = filter_bar()
if filters is None:
    st.stop()

overview = cached_query(
    plan_overview,
    selection=filters.selection,
    as_at=filters.as_at,
    compared_with=filters.compared_with,
    action_limit=SHOWN,
)

st.caption(
    f"{filters.describe()}. {overview.rag.total} actions in the rollup"
    + (f"; {overview.rag.cancelled} cancelled left out." if overview.rag.cancelled else ".")
)
columns = st.columns(len(RAG_ORDER))
for column, rag in zip(columns, RAG_ORDER, strict=True):
    column.metric(rag_label(rag), overview.rag.of(rag), border=True)

late, soon, received, improved, worsened, new, completed = st.columns(7)
late.metric("⚠ Overdue", overview.overdue, border=True)
soon.metric("Due in 30 days", overview.due_soon, border=True)
received.metric(
    "Updates",
    overview.updates_since,
    border=True,
    help=f"Progress updates recorded after {format_uk_date(filters.compared_with)}",
)
improved.metric("↗ Improved", overview.movement.improved, border=True)
worsened.metric("↘ Worsened", overview.movement.worsened, border=True)
new.metric("• New", overview.movement.new, border=True)
completed.metric("★ Completed", overview.movement.completed, border=True)

if not overview.actions:
    st.info("No actions match these filters on that date. Clear a filter in the sidebar.")
    st.stop()

st.subheader("RAG by objective")
st.plotly_chart(rag_by_objective(overview.by_objective), key="rag_by_objective")

st.subheader("Actions")
listed = overview.rag.total + overview.rag.cancelled
if listed > len(overview.actions):
    st.caption(
        f"Listing the first {len(overview.actions)} of {listed} actions in plan order: narrow "
        "the list with the filters, or download the board paper for all of them."
    )
show_actions(overview.actions, key="overview_actions")
