"""Overdue: every late action, most overdue first; ongoing actions listed apart."""

import streamlit as st

from pages.common import page_data
from pages.filters import filter_bar
from pages.tables import page_picker, show_actions
from plan.queries import overdue_actions, overdue_counts

st.title("Overdue actions")
data = page_data()
filters = filter_bar(data, with_comparison=False)
if filters is None:
    st.stop()

counts = data.query(overdue_counts, selection=filters.selection, as_at=filters.as_at)
st.caption(filters.describe().split(", compared")[0])
first, second = st.columns(2)
first.metric("⚠ Overdue", f"{counts.dated:,}", border=True)
second.metric("Deadline passed, marked ongoing", f"{counts.ongoing:,}", border=True)
if not counts.dated + counts.ongoing:
    st.success("Nothing is overdue for these filters on that date.")
    st.stop()

offset, limit = page_picker(
    counts.dated + counts.ongoing, key="overdue_page", filters=filters, order="most overdue first"
)
late = data.query(
    overdue_actions, selection=filters.selection, as_at=filters.as_at, limit=limit, offset=offset
)
dated = [view for view in late if not view.ongoing]
ongoing = [view for view in late if view.ongoing]
if dated:
    show_actions(dated, days_overdue=True, key="overdue_actions")
if ongoing:
    st.subheader("Marked ongoing")
    st.caption("The deadline has passed but the plan says the action carries on.")
    show_actions(ongoing, days_overdue=True, key="overdue_ongoing")
