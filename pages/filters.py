"""The filter bar every dashboard page shares. Choices survive moving between pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from pages.common import cached_query, today
from plan.queries import Selection, objective_options, owner_options, plan_options
from rulebook.dates import format_uk_date, previous_quarter_end
from rulebook.rag import RAG_ORDER, rag_label

ALL_PLANS = "All plans"
# Fixed bounds for the "as at" dates: without them Streamlit allows only ten years either side
# of today, so plans from 2012 could not be looked at as at then.
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(2099, 12, 31)
_RAG_BY_LABEL = {rag_label(rag): rag for rag in RAG_ORDER}


@dataclass(frozen=True)
class Filters:
    selection: Selection
    as_at: dt.date
    compared_with: dt.date
    plan_label: str

    def describe(self) -> str:
        return (
            f"{self.plan_label}: as at {format_uk_date(self.as_at)}, "
            f"compared with {format_uk_date(self.compared_with)}"
        )


def _keep(key: str, default, allowed=None):
    """Give widget `key` its last value (kept under a second key that pages never drop)."""
    store = f"_kept_{key}"
    value = st.session_state.get(store, default)
    if allowed is not None:
        value = [v for v in value if v in allowed] if isinstance(value, list) else value
        if not isinstance(value, list) and value not in allowed:
            value = default
    st.session_state[key] = value

    def save() -> None:
        st.session_state[store] = st.session_state[key]

    return save


def filter_bar(*, with_comparison: bool = True) -> Filters | None:
    """Render the filters in the sidebar; None (after saying so) when there are no plans."""
    plans = cached_query(plan_options)
    if not plans:
        st.info(
            "No plans yet. Import an action plan on the **Import a plan** page, or from the "
            "command line with `python -m plan import PATH` (.xlsx or .csv)."
        )
        return None

    sidebar = st.sidebar
    names = [ALL_PLANS, *(p.name for p in plans)]
    sidebar.selectbox("Plan", names, key="plan", on_change=_keep("plan", ALL_PLANS, names))
    plan_name = st.session_state["plan"]
    plan_id = next((p.id for p in plans if p.name == plan_name), None)

    objectives = cached_query(objective_options, plan_id=plan_id)
    owners = cached_query(owner_options, plan_id=plan_id)
    objective_labels = {o.label: o.id for o in objectives}
    sidebar.multiselect(
        "Objectives",
        list(objective_labels),
        key="objectives",
        placeholder="All objectives",
        on_change=_keep("objectives", [], list(objective_labels)),
    )
    sidebar.multiselect(
        "Owners",
        owners,
        key="owners",
        placeholder="All owners",
        on_change=_keep("owners", [], owners),
    )
    sidebar.multiselect(
        "RAG",
        list(_RAG_BY_LABEL),
        key="rags",
        placeholder="Any RAG",
        on_change=_keep("rags", [], list(_RAG_BY_LABEL)),
    )
    as_at = sidebar.date_input(
        "As at",
        key="as_at",
        format="DD/MM/YYYY",
        min_value=EARLIEST_DATE,
        max_value=LATEST_DATE,
        on_change=_keep("as_at", today()),
    )
    compared_with = previous_quarter_end(as_at)
    if with_comparison:
        compared_with = sidebar.date_input(
            "Compared with",
            key="compared_with",
            format="DD/MM/YYYY",
            min_value=EARLIEST_DATE,
            max_value=LATEST_DATE,
            help="Defaults to the end of the previous quarter (financial year from April).",
            on_change=_keep("compared_with", previous_quarter_end(today())),
        )
    selection = Selection(
        plan_id=plan_id,
        objective_ids=tuple(objective_labels[label] for label in st.session_state["objectives"]),
        owners=tuple(st.session_state["owners"]),
        rags=tuple(_RAG_BY_LABEL[label] for label in st.session_state["rags"]),
    )
    return Filters(selection, as_at, compared_with, plan_name)
