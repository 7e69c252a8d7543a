"""Overdue: every late action, most overdue first; ongoing actions listed apart."""

import streamlit as st

from pages.common import session_factory
from pages.filters import filter_bar
from pages.tables import show_actions
from plan.queries import overdue_actions

st.title("Overdue actions")
filters = filter_bar(with_comparison=False)
if filters is None:
    st.stop()

with session_factory()() as session:
    late = overdue_actions(session, selection=filters.selection, as_at=filters.as_at)

dated = [view for view in late if not view.ongoing]
ongoing = [view for view in late if view.ongoing]
st.caption(filters.describe().split(", compared")[0])
first, second = st.columns(2)
first.metric("⚠ Overdue", len(dated), border=True)
second.metric("Deadline passed, marked ongoing", len(ongoing), border=True)

if not late:
    st.success("Nothing is overdue for these filters on that date.")
    st.stop()
if dated:
    show_actions(dated, days_overdue=True, key="overdue_actions")
if ongoing:
    st.subheader("Marked ongoing")
    st.caption("The deadline has passed but the plan says the action carries on.")
    show_actions(ongoing, days_overdue=True, key="overdue_ongoing")
