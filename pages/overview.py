"""Overview: where are we, what is off track, what is late, what changed."""

import streamlit as st

from pages.charts import rag_by_objective, rag_by_plan
from pages.common import page_data
from pages.filters import filter_bar
from pages.rag_key import show_rag_key
from pages.tables import page_picker, show_actions
from plan.queries import action_views, plan_overview
from rulebook.dates import format_uk_date
from rulebook.overdue import DUE_SOON_DAYS
from rulebook.rag import RAG_ORDER, Rag, rag_label

# More objective bars than fit a projected screen: the chart shows one bar per plan instead.
CHART_OBJECTIVES = 24

st.title("Overview")
data = page_data()
filters = filter_bar(data)
if filters is None:
    st.stop()

overview = data.query(
    plan_overview,
    selection=filters.selection,
    as_at=filters.as_at,
    compared_with=filters.compared_with,
    action_limit=0,  # listed a page at a time below
)

st.caption(
    f"{filters.describe()}. {overview.rag.total:,} actions in the rollup"
    + (f"; {overview.rag.cancelled:,} cancelled left out." if overview.rag.cancelled else ".")
)
# Thousands separators, and no more than five figures a row, so that a county-wide count
# such as 11,204 fits its box on a projected screen instead of being cut to "11…".
columns = st.columns(len(RAG_ORDER))
for column, rag in zip(columns, RAG_ORDER, strict=True):
    column.metric(rag_label(rag), f"{overview.rag.of(rag):,}", border=True)

# Indicators beside the actions: the selected indicators by the RAG of their latest figure.
INDICATOR_RAGS = (Rag.RED, Rag.AMBER, Rag.GREEN, None)
for column, rag in zip(st.columns(len(INDICATOR_RAGS)), INDICATOR_RAGS, strict=True):
    column.metric(f"Indicators {rag_label(rag)}", f"{overview.indicator_rag[rag]:,}", border=True)

late, soon, received = st.columns(3)
late.metric("⚠ Overdue", f"{overview.overdue:,}", border=True)
soon.metric(f"Due in {DUE_SOON_DAYS} days", f"{overview.due_soon:,}", border=True)
received.metric(
    "Updates",
    f"{overview.updates_since:,}",
    border=True,
    help=f"Progress updates recorded after {format_uk_date(filters.compared_with)}",
)
improved, worsened, new, completed = st.columns(4)
for column, label, count in (
    (improved, "↗ Improved", overview.movement.improved),
    (worsened, "↘ Worsened", overview.movement.worsened),
    (new, "• New", overview.movement.new),
    (completed, "★ Completed", overview.movement.completed),
):
    column.metric(label, f"{count:,}", border=True)
show_rag_key(data, filters.selection.plan_id)

listed = overview.rag.total + overview.rag.cancelled
if not listed:
    st.info("No actions match these filters on that date. Clear a filter in the sidebar.")
    st.stop()

if len(overview.by_objective) <= CHART_OBJECTIVES or len(overview.by_plan) == 1:
    st.subheader("RAG by objective")
    st.plotly_chart(rag_by_objective(overview.by_objective), key="rag_by_objective")
else:
    st.subheader("RAG by plan")
    st.caption(
        f"{len(overview.by_objective)} objectives in {len(overview.by_plan)} plans: "
        "choose a plan in the sidebar to see its objectives."
    )
    st.plotly_chart(rag_by_plan(overview.by_plan), key="rag_by_plan")

st.subheader("Actions")
offset, limit = page_picker(listed, key="overview_page", filters=filters, order="in plan order")
actions = data.query(
    action_views,
    selection=filters.selection,
    as_at=filters.as_at,
    compared_with=filters.compared_with,
    limit=limit,
    offset=offset,
)
show_actions(actions, key="overview_actions")
