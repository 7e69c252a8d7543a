"""Objectives: one row per objective with its RAG counts and direction of travel."""

import pandas as pd
import streamlit as st

from pages.charts import objective_label
from pages.common import page_data, style_rag_column
from pages.filters import filter_bar
from pages.tables import page_picker
from plan.queries import objective_trends, worst_first
from rulebook.dates import format_uk_date, year_earlier
from rulebook.rag import RAG_ORDER, rag_label

PAGE_SIZE = 50
ORDERS = {"Plan order": False, "Most off track first": True}

st.title("Objectives")
data = page_data()
filters = filter_bar(data)
if filters is None:
    st.stop()

st.caption(
    f"{filters.describe()}; and with {format_uk_date(year_earlier(filters.as_at))}, "
    "a year earlier. Percent complete is Blue out of all actions but cancelled ones."
)
order = st.radio("Order", list(ORDERS), horizontal=True, key="objectives_order")
trends = data.query(
    objective_trends,
    selection=filters.selection,
    as_at=filters.as_at,
    compared_with=filters.compared_with,
)
if ORDERS[order]:  # the same cached figures, sorted: no new queries for a new order
    trends = worst_first(trends)

if not trends:
    st.info("No objectives match these filters on that date.")
    st.stop()

offset, limit = page_picker(
    len(trends),
    key="objectives_page",
    filters=(filters, order),
    order=order.lower(),
    noun="Objectives",
    size=PAGE_SIZE,
)

frame = pd.DataFrame(
    [
        {
            "Plan": trend.rollup.plan,
            "Objective": objective_label(trend.rollup),
            # What a chair reads first, before the counts behind it.
            "Worst RAG": rag_label(trend.rollup.rag.worst),
            "Since comparison": trend.since_comparison.label,
            "Overdue": trend.rollup.overdue,
            **{rag_label(rag): trend.rollup.rag.of(rag) for rag in RAG_ORDER},
            "Cancelled": trend.rollup.rag.cancelled,
            "% complete": trend.rollup.rag.percent_complete,
            "Since a year ago": trend.since_year_earlier.label,
        }
        for trend in trends[offset : offset + limit]
    ]
)
st.dataframe(
    style_rag_column(frame, "Worst RAG"),
    hide_index=True,
    width="stretch",
    height="content",  # every objective of the page, not ten and a scroll bar inside
    # (Columns are not pinned: Streamlit greys a pinned column's text, below AA contrast.)
    column_config={
        # Narrow enough that the RAG counts fit beside long plan names on a projector.
        "Plan": st.column_config.TextColumn(width="small"),
        "Objective": st.column_config.TextColumn(width="medium"),
        **{
            name: st.column_config.NumberColumn(width="small")
            for name in ("Overdue", *(rag_label(rag) for rag in RAG_ORDER), "Cancelled")
        },
        "% complete": st.column_config.NumberColumn(format="%.0f%%", width="small"),
    },
)
