"""Meeting view: the exceptions one at a time, in large type, for a projected screen."""

import streamlit as st

from pages.common import page_data, rag_cell_style
from pages.filters import filter_bar
from pages.tables import deadline_cell, updated_on
from pages.text import html_text
from plan.queries import meeting_exceptions
from rulebook.movement import exception_reasons, movement_label
from rulebook.rag import rag_label

st.title("Meeting view")
data = page_data()
filters = filter_bar(data)
if filters is None:
    st.stop()

exceptions = data.query(
    meeting_exceptions,
    selection=filters.selection,
    as_at=filters.as_at,
    compared_with=filters.compared_with,
)
st.caption(f"Red, overdue or worsened actions. {filters.describe()}.")
if not exceptions:
    st.success("No exceptions: nothing is Red, overdue or worse than at the comparison date.")
    st.stop()

position = min(st.session_state.get("meeting_index", 0), len(exceptions) - 1)
st.session_state["meeting_index"] = position


def step(by: int) -> None:
    st.session_state["meeting_index"] = position + by


previous, counter, following = st.columns([1, 3, 1])
previous.button("◀ Previous", disabled=position == 0, width="stretch", on_click=step, args=(-1,))
following.button(
    "Next ▶", disabled=position >= len(exceptions) - 1, width="stretch", on_click=step, args=(1,)
)
counter.markdown(
    f"<p style='text-align:center;font-size:1.4rem'>Exception {position + 1} of "
    f"{len(exceptions)}</p>",
    unsafe_allow_html=True,
)

view = exceptions[position]
reasons = exception_reasons(view.rag, view.overdue, view.days_overdue, view.movement)
label = rag_label(view.rag)
st.markdown(
    f"""
<div style="font-size:2rem;line-height:1.35">
  <span style="{rag_cell_style(label)};padding:0.2rem 0.8rem;border-radius:0.4rem">
    {html_text(label)}</span>
  <span style="font-size:1.3rem">&nbsp;{html_text(movement_label(view.movement))}</span>
  <p style="margin-top:0.8rem"><b>{html_text(view.ref)}</b> {html_text(view.action)}</p>
  <p style="font-size:1.5rem">Owner: {html_text(view.owner or "—")}<br>
  Deadline: {html_text(deadline_cell(view) or "—")}<br>
  Why it is here: {html_text(", ".join(reasons))}</p>
  <p style="font-size:1.4rem">Latest update ({html_text(updated_on(view.updated_at))}):
  {html_text(view.latest_update or "none recorded")}</p>
</div>
""",
    unsafe_allow_html=True,
)
