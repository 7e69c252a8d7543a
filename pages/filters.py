"""The filter bar every dashboard page shares. Choices survive moving between pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from pages.common import EARLIEST_DATE, LATEST_DATE, PageData, today
from pages.session import ACTOR_KEY, current_actor
from pages.text import md
from plan.auth import Permission
from plan.queries import Selection, objective_options, owner_options, plan_options
from plan.queries.rounds import RoundChoice, round_choices
from rulebook.dates import format_uk_date, previous_quarter_end
from rulebook.plan_periods import closed_plans_as_at
from rulebook.rag import RAG_ORDER, rag_label
from rulebook.review import Entries

ALL_PLANS = "All plans"
_RAG_BY_LABEL = {rag_label(rag): rag for rag in RAG_ORDER}


@dataclass(frozen=True)
class Filters:
    selection: Selection
    as_at: dt.date
    compared_with: dt.date
    plan_label: str
    # The latest period end when every selected plan had ended by today, else None.
    closed_on: dt.date | None = None
    # The update round whose period end "as at" is (chosen in the sidebar), else None.
    round: RoundChoice | None = None

    def describe(self) -> str:
        """What the figures are, as Markdown for a caption (the plan's name shown as written)."""
        return (
            f"{md(self.plan_label)}: as at {format_uk_date(self.as_at)}"
            + (f" (the end of round {md(self.round.name)})" if self.round else "")
            + f", compared with {format_uk_date(self.compared_with)}"
            + (
                " (including submitted updates not yet published)"
                if self.selection.entries is Entries.WITH_SUBMITTED
                else ""
            )
        )


def _keep(
    key: str, default: object, allowed: Collection[object] | None = None
) -> Callable[[], None]:
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


def _entries(sidebar: DeltaGenerator) -> Entries:
    """Published updates only, unless a reviewer asks to see submissions too."""
    actor = current_actor() if ACTOR_KEY in st.session_state else None
    if actor is None or not actor.can(Permission.REVIEW):
        return Entries.PUBLISHED
    sidebar.toggle(
        "Include submitted updates",
        key="include_submitted",
        help="Show owners' updates still waiting for review as if published.",
        on_change=_keep("include_submitted", False),
    )
    return Entries.WITH_SUBMITTED if st.session_state["include_submitted"] else Entries.PUBLISHED


def filter_bar(data: PageData, *, with_comparison: bool = True) -> Filters | None:
    """Render the filters in the sidebar; None (after saying so) when there are no plans."""
    plans = data.query(plan_options)
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

    objectives = data.query(objective_options, plan_id=plan_id)
    owners = data.query(owner_options, plan_id=plan_id)
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
    chosen = [p for p in plans if plan_id is None or p.id == plan_id]
    closed_on = closed_plans_as_at((p.period_end for p in chosen), today())
    default_as_at = closed_on or today()
    round_chosen = _round_picker(data, sidebar)
    as_at = sidebar.date_input(
        "As at",
        key="as_at",
        format="DD/MM/YYYY",
        min_value=EARLIEST_DATE,
        max_value=LATEST_DATE,
        help="Defaults to today or, when every plan shown has ended, to the day it ended.",
        on_change=_keep("as_at", default_as_at),
    )
    compared_with = previous_quarter_end(as_at)
    if with_comparison:
        compared_with = sidebar.date_input(
            "Compared with",
            key="compared_with",
            format="DD/MM/YYYY",
            min_value=EARLIEST_DATE,
            max_value=LATEST_DATE,
            help="Defaults to the end of the quarter before the default 'As at' date "
            "(financial year from April).",
            on_change=_keep("compared_with", previous_quarter_end(default_as_at)),
        )
    if closed_on is not None and as_at == closed_on:
        st.caption(
            f":material/event_available: {'This plan' if plan_id else 'Every plan shown'} "
            f"ended by {format_uk_date(closed_on)}, so it is shown as it ended. "
            "Choose another **As at** date in the sidebar to see a different day."
        )
    selection = Selection(
        entries=_entries(sidebar),
        plan_id=plan_id,
        objective_ids=tuple(objective_labels[label] for label in st.session_state["objectives"]),
        owners=tuple(st.session_state["owners"]),
        rags=tuple(_RAG_BY_LABEL[label] for label in st.session_state["rags"]),
    )
    in_round = round_chosen if round_chosen and round_chosen.period_end == as_at else None
    return Filters(selection, as_at, compared_with, plan_name, closed_on, in_round)


def _round_picker(data: PageData, sidebar: DeltaGenerator) -> RoundChoice | None:
    """ "As at a round's period end": choosing a round sets "as at" to its period end (and
    "compared with" to the quarter end before), so the figures are exactly the round's."""
    choices = {choice.id: choice for choice in data.query(round_choices)}
    if not choices:
        return None
    keep = _keep("as_at_round", None, [None, *choices])

    def chosen() -> None:
        keep()
        picked = choices.get(st.session_state["as_at_round"])
        if picked is not None:
            for key, day in (
                ("as_at", picked.period_end),
                ("compared_with", previous_quarter_end(picked.period_end)),
            ):
                st.session_state[key] = st.session_state[f"_kept_{key}"] = day

    sidebar.selectbox(
        "As at a round's period end",
        [None, *choices],
        format_func=lambda id_: "No round: choose a date" if id_ is None else choices[id_].label,
        key="as_at_round",
        placeholder="No round: choose a date",
        on_change=chosen,
        help="Sets 'As at' to the round's period end, so the figures and the board paper "
        "show exactly that round.",
    )
    return choices.get(st.session_state["as_at_round"])
