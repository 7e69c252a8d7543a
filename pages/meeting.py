"""Meeting view: the exceptions one at a time, in large type, for a projected screen: the Red,
overdue or worsened actions, then the Red indicators."""

import streamlit as st

from pages.common import page_data, rag_cell_style
from pages.filters import filter_bar
from pages.indicator_display import figure_text
from pages.style import hide
from pages.tables import deadline_cell, updated_on
from pages.text import html_text, md
from plan.queries import ActionView, meeting_exceptions
from plan.queries.flags import action_flags, flags_by_objective, flags_by_owner
from plan.queries.indicators import IndicatorRow, red_indicators
from rulebook.flags import reasons_text
from rulebook.indicators import direction_text
from rulebook.movement import exception_reasons, movement_label
from rulebook.rag import rag_label

st.title("Meeting view")
data = page_data()
filters = filter_bar(data)
if filters is None:
    st.stop()

actions = data.query(
    meeting_exceptions,
    selection=filters.selection,
    as_at=filters.as_at,
    compared_with=filters.compared_with,
)
indicators = data.query(red_indicators, selection=filters.selection, as_at=filters.as_at)
checks = {
    "selection": filters.selection,
    "as_at": filters.as_at,
    "round_id": filters.round.id if filters.round else None,
}
flags = data.query(action_flags, **checks)
with st.expander(f"Data quality: {len(flags)} actions with automatic checks"):
    for label, counts in (
        ("owner", data.query(flags_by_owner, **checks)),
        ("objective", data.query(flags_by_objective, **checks)),
    ):
        flagged = [c for c in counts if c.total]
        st.markdown(
            f"**Per {label}**: "
            + ("; ".join(f"{md(c.name)} {c.total}" for c in flagged) or "no checks raised")
        )
exceptions: list[ActionView | IndicatorRow] = [*actions, *indicators]
st.caption(
    f"Red, overdue or worsened actions ({len(actions)}), then Red indicators "
    f"({len(indicators)}). {filters.describe()}. Next: → or Page Down; previous: ← or Page Up "
    "(a presentation clicker's buttons)."
)
if not exceptions:
    st.success(
        "No exceptions: no action is Red, overdue or worse than at the comparison date, "
        "and no indicator is Red."
    )
    st.stop()

position = min(st.session_state.get("meeting_index", 0), len(exceptions) - 1)
st.session_state["meeting_index"] = position


def step(by: int) -> None:
    st.session_state["meeting_index"] = position + by


at_first, at_last = position == 0, position >= len(exceptions) - 1
previous, counter, following = st.columns([1, 3, 1])
previous.button(
    "◀ Previous",
    key="meeting_previous",
    shortcut="Left",
    disabled=at_first,
    width="stretch",
    on_click=step,
    args=(-1,),
)
following.button(
    "Next ▶",
    key="meeting_next",
    shortcut="Right",
    disabled=at_last,
    width="stretch",
    on_click=step,
    args=(1,),
)
# A presentation clicker sends Page Down and Page Up: the same steps, on buttons kept out of sight
# (a button takes one shortcut). The keys work wherever the focus is, except in a text field.
with st.container(key="meeting_clicker"):
    st.button(
        "Next",
        key="meeting_page_down",
        shortcut="PageDown",
        disabled=at_last,
        on_click=step,
        args=(1,),
    )
    st.button(
        "Previous",
        key="meeting_page_up",
        shortcut="PageUp",
        disabled=at_first,
        on_click=step,
        args=(-1,),
    )
hide("meeting_clicker")
counter.markdown(
    f"<p style='text-align:center;font-size:1.4rem'>Exception {position + 1} of "
    f"{len(exceptions)}</p>",
    unsafe_allow_html=True,
)


def rag_badge(label: str) -> str:
    return (
        f'<span style="{rag_cell_style(label)};padding:0.2rem 0.8rem;border-radius:0.4rem">'
        f"{html_text(label)}</span>"
    )


def checks_line(view: ActionView) -> str:
    said = reasons_text(flags.get(view.id, ()))
    return f"<br>⚑ Checks: {html_text(said)}" if said else ""


def action_card(view: ActionView) -> str:
    reasons = exception_reasons(view.rag, view.overdue, view.days_overdue, view.movement)
    return f"""
<div style="font-size:2rem;line-height:1.35">
  {rag_badge(rag_label(view.rag))}
  <span style="font-size:1.3rem">&nbsp;{html_text(movement_label(view.movement))}</span>
  <p style="margin-top:0.8rem"><b>{html_text(view.ref)}</b> {html_text(view.action)}</p>
  <p style="font-size:1.5rem">Owner: {html_text(view.owner or "—")}<br>
  Deadline: {html_text(deadline_cell(view) or "—")}<br>
  Why it is here: {html_text(", ".join(reasons))}{checks_line(view)}</p>
  <p style="font-size:1.4rem">Latest update ({html_text(updated_on(view.updated_at))}):
  {html_text(view.latest_update or "none recorded")}</p>
</div>
"""


def indicator_card(row: IndicatorRow) -> str:
    latest = row.latest
    assert latest is not None  # a Red indicator has a latest figure
    travel = [
        f"{label} {direction_text(direction)}"
        for label, direction in (
            ("against last period:", row.direction_previous),
            ("against last year:", row.direction_last_year),
        )
        if direction is not None
    ]
    return f"""
<div style="font-size:2rem;line-height:1.35">
  {rag_badge(rag_label(latest.rag))}
  <span style="font-size:1.3rem">&nbsp;Indicator{html_text(" (demo)" if row.demo else "")}</span>
  <p style="margin-top:0.8rem"><b>{html_text(row.ref)}</b> {html_text(row.name)}</p>
  <p style="font-size:1.5rem">{html_text(latest.period.label)}:
  {html_text(figure_text(latest, row.unit))} against a target of
  {html_text(figure_text(latest, row.unit, target=True))}<br>
  Owner: {html_text(" / ".join(row.owners) or "—")}<br>
  Direction of travel: {html_text("; ".join(travel) or "no earlier figure to compare")}</p>
  <p style="font-size:1.4rem">Corrective action: {html_text(latest.note or "none recorded")}</p>
</div>
"""


shown = exceptions[position]
card = action_card(shown) if isinstance(shown, ActionView) else indicator_card(shown)
st.markdown(card, unsafe_allow_html=True)
