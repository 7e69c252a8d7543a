"""One action: everything about it, and its full history as a timeline."""

import streamlit as st

from pages.charts import rag_history
from pages.common import page_data, rag_cell_style, session_factory
from pages.filters import filter_bar
from pages.tables import as_at_of, deadline_cell
from pages.text import md
from pages.url_choice import choose_from_address, keep_in_address
from plan.queries import action_detail, action_options
from rulebook.rag import rag_label

st.title("Action")
data = page_data()
filters = filter_bar(data, with_comparison=False)
if filters is None:
    st.stop()

labels = dict(data.query(action_options, selection=filters.selection, as_at=filters.as_at))
if not labels:
    st.info("No actions match these filters on that date.")
    st.stop()

choose_from_address("action", "action_id", labels)
action_id = st.selectbox("Action", list(labels), format_func=labels.__getitem__, key="action_id")
keep_in_address("action", "action_id", action_id)

with session_factory()() as session:
    detail = action_detail(
        session, action_id=action_id, as_at=filters.as_at, entries=filters.selection.entries
    )
if detail is None:  # removed since the list was read, or not yet in the plan on that date
    st.info("That action is not in the tracker on that date.")
    st.stop()
view = detail.view

st.markdown(
    f"<span style='{rag_cell_style(rag_label(view.rag))}; padding:0.3rem 0.8rem;"
    f"border-radius:0.4rem;font-size:1.3rem'>{rag_label(view.rag)}</span>",
    unsafe_allow_html=True,
)
st.subheader(md(view.action))
left, right = st.columns(2)
left.markdown(f"**Plan:** {md(view.plan)}  \n**Objective:** {md(view.objective) or '—'}")
owners = ", ".join(view.owners)
if owners == (view.owner or ""):  # the plan names them just as they are matched: say it once
    left.markdown(f"**Owner:** {md(owners) or '—'}")
else:
    left.markdown(f"**Owner (as written):** {md(view.owner) or '—'}")
    left.markdown(f"**Owners:** {md(owners) or '—'}")
right.markdown(
    f"**Deadline:** {md(deadline_cell(view)) or '—'}"
    + (" (ongoing)" if view.ongoing else "")
    + (f"  \n**⚠ Overdue by {view.days_overdue} days**" if view.overdue else "")
)
right.markdown(f"**Status:** {view.status.value.capitalize()}")
for label, value in (
    ("Milestone", detail.milestone),
    ("Target / outcome", detail.target),
    ("Resourcing", detail.resourcing),
    ("Indicator", detail.indicator_link),
    *detail.extra.items(),
):
    if value:
        st.markdown(f"**{md(label)}:** {md(value)}")

st.subheader("History")
if not detail.history:
    st.info("No progress updates recorded yet.")
    st.stop()
if any(entry.rag for entry in detail.history):
    st.plotly_chart(rag_history(detail.history), key="rag_history")
for entry in reversed(detail.history):
    with st.container(border=True):
        st.markdown(
            f"**{as_at_of(entry)}** · {rag_label(entry.rag)} · "
            f"{entry.status.value.capitalize()} · by {md(entry.author)} · "
            f"from {md(entry.source_detail or entry.source)}"
        )
        if entry.progress:
            st.text(entry.progress)
