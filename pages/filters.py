"""The filter bar every dashboard page shares. Choices survive moving between pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass

import streamlit as st

from pages.common import EARLIEST_DATE, LATEST_DATE, PageData, today
from pages.session import ACTOR_KEY, current_actor
from pages.text import md
from plan.auth import Permission
from plan.queries import (
    PlanOption,
    Selection,
    objective_options,
    owner_options,
    plan_options,
)
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


@dataclass(frozen=True)
class _Choices:
    """What the filters can choose from, and the callbacks that keep each choice."""

    plans: list[PlanOption]
    names: list[str]
    objective_labels: dict[str, int]
    owners: list[str]
    closed_on: dt.date | None
    default_as_at: dt.date
    keep: dict[str, Callable[[], None]]
    rounds: dict[int, RoundChoice]
    reviewer: bool  # may see submitted updates (rulebook.review)


def _choices(data: PageData, with_comparison: bool) -> _Choices | None:
    """Restore each filter's last value (before its widget exists) and read the options."""
    plans = data.query(plan_options)
    if not plans:
        return None
    names = [ALL_PLANS, *(p.name for p in plans)]
    keep = {"plan": _keep("plan", ALL_PLANS, names)}
    plan_id = next((p.id for p in plans if p.name == st.session_state["plan"]), None)
    objective_labels = {o.label: o.id for o in data.query(objective_options, plan_id=plan_id)}
    owners = data.query(owner_options, plan_id=plan_id)
    keep["objectives"] = _keep("objectives", [], list(objective_labels))
    keep["owners"] = _keep("owners", [], owners)
    keep["rags"] = _keep("rags", [], list(_RAG_BY_LABEL))
    chosen = [p for p in plans if plan_id is None or p.id == plan_id]
    closed_on = closed_plans_as_at((p.period_end for p in chosen), today())
    default_as_at = closed_on or today()
    keep["as_at"] = _keep("as_at", default_as_at)
    if with_comparison:
        keep["compared_with"] = _keep_comparison(st.session_state["as_at"])
    rounds = {choice.id: choice for choice in data.query(round_choices)}
    if rounds:
        keep["as_at_round"] = _keep("as_at_round", None, [None, *rounds])
    actor = current_actor() if ACTOR_KEY in st.session_state else None
    reviewer = actor is not None and actor.can(Permission.REVIEW)
    if reviewer:
        keep["include_submitted"] = _keep("include_submitted", False)
    return _Choices(
        plans, names, objective_labels, owners, closed_on, default_as_at, keep, rounds, reviewer
    )


_COMPARED_CHOSEN = "_compared_with_chosen"


def _keep_comparison(as_at: dt.date) -> Callable[[], None]:
    """ "Compared with" follows "As at" (the quarter end before it) until the person chooses a
    date of their own, and again once that is no longer before "As at": figures "as at
    10 Oct 2025, compared with 30 Sep 2026" would compare with the future."""
    state = st.session_state
    if state.get(_COMPARED_CHOSEN) and state.get("_kept_compared_with", as_at) >= as_at:
        state[_COMPARED_CHOSEN] = False
    following = previous_quarter_end(as_at)
    keep = _keep("compared_with", following)
    if not state.get(_COMPARED_CHOSEN):
        state["compared_with"] = following

    def chosen() -> None:
        keep()
        state[_COMPARED_CHOSEN] = True

    return chosen


def _filters(choices: _Choices, with_comparison: bool) -> Filters:
    state = st.session_state
    plan_name = state["plan"]
    plan_id = next((p.id for p in choices.plans if p.name == plan_name), None)
    as_at: dt.date = state["as_at"]
    compared_with = state["compared_with"] if with_comparison else previous_quarter_end(as_at)
    submitted = choices.reviewer and state["include_submitted"]
    selection = Selection(
        entries=Entries.WITH_SUBMITTED if submitted else Entries.PUBLISHED,
        plan_id=plan_id,
        objective_ids=tuple(choices.objective_labels[label] for label in state["objectives"]),
        owners=tuple(state["owners"]),
        rags=tuple(_RAG_BY_LABEL[label] for label in state["rags"]),
    )
    chosen = choices.rounds.get(state["as_at_round"]) if choices.rounds else None
    in_round = chosen if chosen and chosen.period_end == as_at else None
    return Filters(selection, as_at, compared_with, plan_name, choices.closed_on, in_round)


def _widgets(choices: _Choices, with_comparison: bool) -> None:
    sidebar, keep = st.sidebar, choices.keep
    sidebar.selectbox("Plan", choices.names, key="plan", on_change=keep["plan"])
    sidebar.multiselect(
        "Objectives",
        list(choices.objective_labels),
        key="objectives",
        placeholder="All objectives",
        on_change=keep["objectives"],
    )
    sidebar.multiselect(
        "Owners", choices.owners, key="owners", placeholder="All owners", on_change=keep["owners"]
    )
    sidebar.multiselect(
        "RAG", list(_RAG_BY_LABEL), key="rags", placeholder="Any RAG", on_change=keep["rags"]
    )
    if choices.rounds:
        _round_picker(choices.rounds, keep["as_at_round"])
    sidebar.date_input(
        "As at",
        key="as_at",
        format="DD/MM/YYYY",
        min_value=EARLIEST_DATE,
        max_value=LATEST_DATE,
        help="Defaults to today or, when every plan shown has ended, to the day it ended.",
        on_change=keep["as_at"],
    )
    if with_comparison:
        sidebar.date_input(
            "Compared with",
            key="compared_with",
            format="DD/MM/YYYY",
            min_value=EARLIEST_DATE,
            max_value=LATEST_DATE,
            help="Defaults to the end of the quarter before the default 'As at' date "
            "(financial year from April).",
            on_change=keep["compared_with"],
        )
    if choices.reviewer:
        sidebar.toggle(
            "Include submitted updates",
            key="include_submitted",
            help="Show owners' updates still waiting for review as if published.",
            on_change=keep["include_submitted"],
        )


def closed_plan_note(filters: Filters) -> None:
    """Say so when the page shows closed plans as they ended (the default for them)."""
    if filters.closed_on is not None and filters.as_at == filters.closed_on:
        st.caption(
            f":material/event_available: "
            f"{'This plan' if filters.selection.plan_id else 'Every plan shown'} "
            f"ended by {format_uk_date(filters.closed_on)}, so it is shown as it ended. "
            "Choose another **As at** date in the sidebar to see a different day."
        )


def _no_plans() -> None:
    st.info(
        "No plans yet. Import an action plan on the **Import a plan** page, or from the "
        "command line with `python -m plan import PATH` (.xlsx or .csv)."
    )


def filter_bar(data: PageData, *, with_comparison: bool = True) -> Filters | None:
    """Render the filters in the sidebar; None (after saying so) when there are no plans."""
    choices = _choices(data, with_comparison)
    if choices is None:
        _no_plans()
        return None
    _widgets(choices, with_comparison)
    filters = _filters(choices, with_comparison)
    closed_plan_note(filters)
    return filters


def filters_first(
    data: PageData, *, with_comparison: bool = True
) -> tuple[Filters, Callable[[], None]] | None:
    """The filters as `filter_bar` reads them, before any widget is drawn, and a function that
    draws the sidebar later: a page can send its first figures before the sidebar's widgets,
    whose scripts the browser would load first (README, "In the browser")."""
    choices = _choices(data, with_comparison)
    if choices is None:
        _no_plans()
        return None
    return _filters(choices, with_comparison), lambda: _widgets(choices, with_comparison)


def _round_picker(rounds: dict[int, RoundChoice], keep: Callable[[], None]) -> None:
    """ "As at a round's period end": choosing a round sets "as at" to its period end (and
    "compared with" to the quarter end before), so the figures are exactly the round's."""

    def chosen() -> None:
        keep()
        picked = rounds.get(st.session_state["as_at_round"])
        if picked is not None:
            for key, day in (
                ("as_at", picked.period_end),
                ("compared_with", previous_quarter_end(picked.period_end)),
            ):
                st.session_state[key] = st.session_state[f"_kept_{key}"] = day

    st.sidebar.selectbox(
        "As at a round's period end",
        [None, *rounds],
        format_func=lambda id_: "No round: choose a date" if id_ is None else rounds[id_].label,
        key="as_at_round",
        placeholder="No round: choose a date",
        on_change=chosen,
        help="Sets 'As at' to the round's period end, so the figures and the board paper "
        "show exactly that round.",
    )
