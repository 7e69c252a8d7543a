"""One indicator: its chart with target line and tolerance band, the period table with notes,
the history of corrections, and (for its owners and officers) the form to enter a value."""

import datetime as dt

import pandas as pd
import streamlit as st

from pages.common import page_data, rag_cell_style, session_factory, style_rag_column
from pages.failures import report_failure
from pages.filters import filter_bar
from pages.indicator_chart import indicator_chart
from pages.indicator_display import figure_text, number_text
from pages.session import current_actor
from pages.text import md
from pages.url_choice import choose_from_address, keep_in_address
from plan.auth import PermissionDenied
from plan.models import Indicator
from plan.queries.indicator_lists import indicator_options
from plan.queries.indicators import figure_directions, indicator_rows, value_history
from plan.services.indicator_values import (
    FREQUENCY_PERIOD,
    ValueConflict,
    ValueInput,
    may_enter_values,
    newest_entry_ids,
    submit_indicator_value,
)
from plan.services.validation import InvalidUpdate
from rulebook.dates import format_uk_date
from rulebook.indicators import Polarity, ValueStatus, direction_text
from rulebook.periods import period_containing, shifted
from rulebook.rag import rag_label

st.title("Indicator")
data = page_data()
filters = filter_bar(data, with_comparison=False)
if filters is None:
    st.stop()
# The select box lists every selected indicator (ids and names only); the figures are read
# for the chosen one alone.
labels = data.query(indicator_options, selection=filters.selection, as_at=filters.as_at)
if not labels:
    st.info("No indicators match these filters on that date.")
    st.stop()
choose_from_address("indicator", "indicator_id", labels)
indicator_id = st.selectbox(
    "Indicator", list(labels), format_func=labels.__getitem__, key="indicator_id"
)
keep_in_address("indicator", "indicator_id", indicator_id)
chosen = data.query(
    indicator_rows,
    selection=filters.selection,
    as_at=filters.as_at,
    indicator_ids=(indicator_id,),
)
if not chosen:  # removed since the options were read
    st.info("That indicator is no longer there: choose another.")
    st.stop()
row = chosen[0]
latest = row.latest

if row.demo:
    st.warning("Demo data: this indicator's values are made up, for trying the tracker.")
label = rag_label(latest.rag if latest else None)
st.markdown(
    f"<span style='{rag_cell_style(label)}; padding:0.3rem 0.8rem;border-radius:0.4rem;"
    f"font-size:1.3rem'>{label}</span>",
    unsafe_allow_html=True,
)
st.subheader(md(f"{row.ref} {row.name}"), anchor=False)
left, right = st.columns(2)
left.markdown(
    f"**Plan:** {md(row.plan)}  \n**Objective:** {md(row.objective) or '—'}  \n"
    f"**Owners:** {md(', '.join(row.owners)) or '—'}"
)
kind, amount = row.tolerance
if kind.value == "percent":
    tolerance = f"{amount:g}%"
elif row.unit == "%":  # an absolute tolerance on a percentage is in points, not a percent
    tolerance = f"{amount:g} percentage points"
else:
    tolerance = number_text(amount, row.unit)
# A contextual indicator has no target, so no tolerance and no better or worse: say so.
contextual = row.polarity is Polarity.CONTEXTUAL
right.markdown(
    f"**Unit:** {md(row.unit)}; **{row.polarity.value.capitalize()}**; reported "
    f"{row.frequency.value}{' (year to date)' if row.cumulative else ''}  \n"
    + (
        "Watched for context: no target, so not rated"
        if contextual
        else f"**Amber within:** {tolerance} of target"
    )
)
if latest is not None:
    st.markdown(
        f"**Latest:** {latest.period.label}: {md(figure_text(latest, row.unit))}"
        + (
            ""
            if contextual
            else f" (target {md(figure_text(latest, row.unit, target=True)) or 'none'}); "
            f"against last period {direction_text(row.direction_previous) or '—'}, "
            f"against last year {direction_text(row.direction_last_year) or '—'}"
        )
    )
st.plotly_chart(indicator_chart(row), width="stretch")

table = pd.DataFrame(
    [
        {
            "Period": figure.period.label,
            "Period end": format_uk_date(figure.period.end),
            "Value": figure_text(figure, row.unit),
            "Target": figure_text(figure, row.unit, target=True),
            "RAG": rag_label(figure.rag),
            "vs last period": direction_text(figure_directions(row, figure)[0]),
            "vs last year": direction_text(figure_directions(row, figure)[1]),
            "Note": figure.note or "",
        }
        for figure in reversed(row.figures)
    ]
)
st.dataframe(style_rag_column(table, "RAG"), hide_index=True, width="stretch")

with session_factory()() as session:
    history = value_history(session, indicator_id, filters.as_at)
if any(not entry.current for entry in history):
    st.markdown("**Corrections** (the newest entry for a period replaces the older ones)")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Period": entry.period.label,
                    "Entry": "current" if entry.current else "superseded",
                    "Value": number_text(entry.value, row.unit)
                    if entry.status is ValueStatus.VALUE
                    else entry.status.value.capitalize(),
                    "Note": entry.note or "",
                    "By": entry.author,
                    "Recorded": format_uk_date(entry.recorded_at.date()),
                }
                for entry in history
            ]
        ),
        hide_index=True,
        width="stretch",
    )

actor = current_actor()
if actor is None:
    st.caption("Owners of this indicator and officers can sign in to enter a value.")
    st.stop()
with session_factory()() as session:
    indicator = session.get(Indicator, indicator_id)
    allowed = indicator is not None and may_enter_values(actor, indicator)
if not allowed:
    st.caption("Only this indicator's owners and officers can enter its values.")
    st.stop()

st.subheader("Enter a value", anchor=False)
flash = st.session_state.pop("indicator_flash", None)
if flash:
    st.success(flash)
today = dt.date.today()
current_period = period_containing(FREQUENCY_PERIOD[row.frequency], today)
recent = [shifted(current_period, -n) for n in range(0, 9)]
# Also the indicator's own periods that have started (a figure that arrives late, or a closed
# plan's last quarter), newest first; the last complete period is chosen to start with.
choices = sorted(
    {*recent, *(f.period for f in row.figures if f.period.start <= today)},
    key=lambda p: p.end,
    reverse=True,
)
period = st.selectbox(
    "Period",
    choices,
    index=choices.index(recent[1]),
    format_func=lambda p: p.label,
    key=f"ind_period_{indicator_id}",
)
opened = f"ind_opened_{indicator_id}_{period.end.isoformat()}"
if opened not in st.session_state:
    with session_factory()() as session:
        st.session_state[opened] = newest_entry_ids(session, [(indicator_id, period.end)]).get(
            (indicator_id, period.end)
        )
with st.form(f"indicator_form_{indicator_id}"):
    status = st.radio(
        "This period's figure",
        list(ValueStatus),
        format_func=lambda s: s.value.capitalize(),
        horizontal=True,
        key=f"ind_status_{indicator_id}",
    )
    value = st.number_input(
        f"Value ({row.unit})", value=None, step=1.0, key=f"ind_value_{indicator_id}"
    )
    note = st.text_area(
        "Note (required for a Red value: what corrective action is being taken)",
        key=f"ind_note_{indicator_id}",
    )
    saved = st.form_submit_button("Save value")
if saved:
    entry = ValueInput(period, ValueStatus(str(status)), value, note)
    try:
        submit_indicator_value(
            session_factory(),
            actor,
            indicator_id,
            entry,
            expected_latest_id=st.session_state[opened],
        )
    except InvalidUpdate as refused:
        for error in refused.errors:
            st.error(error.message)
    except ValueConflict as conflict:
        st.session_state.pop(opened, None)
        st.error(str(conflict))
    except PermissionDenied as denied:
        st.error(str(denied))
    except Exception:
        st.error(report_failure("saving the indicator value"))
    else:
        st.session_state.pop(opened, None)
        shown_later = (
            f" It shows from {format_uk_date(today)}: choose that date or later in "
            f'"As at" (this page is as at {format_uk_date(filters.as_at)}).'
            if filters.as_at < today
            else ""
        )
        st.session_state["indicator_flash"] = f"Saved {period.label} for {row.ref}.{shown_later}"
        st.rerun()
