"""The Overview's first screen: compact figures and the few actions that are off track.

Figures sit in wrapping rows (Streamlit's horizontal containers), so a phone shows two or
three to a row instead of one box per row. The RAG figures carry their colour as a bar on the
box's left edge beside their symbol and word.
"""

from __future__ import annotations

import streamlit as st

from pages.tables import deadline_cell
from pages.text import html_text
from plan.queries import ActionView, OffTrack
from rulebook.rag import RAG_COLOURS, RAG_ORDER, RAG_TEXT_COLOURS, Rag, rag_label

# How many of the off-track actions the first screen names; the rest are counted.
OFF_TRACK_SHOWN = 5


def _rag_edges() -> str:
    """Each RAG figure's box gets its RAG's colour on its left edge (the n-th box: n-th RAG)."""
    return "".join(
        f".st-key-standing > div:nth-child({n}) [data-testid='stMetric']"
        f" {{border-left: 0.45rem solid {RAG_COLOURS[rag]};}}"
        for n, rag in enumerate(RAG_ORDER, start=1)
    )


_FIGURE_BOXES = ", ".join(
    f".st-key-{key} [data-testid='stMetric']"
    for key in ("standing", "late", "changes", "indicators")
)

_FIGURE_ROWS = ", ".join(
    f".st-key-{key} > [data-testid='stElementContainer']"
    for key in ("standing", "late", "changes", "indicators")
)

# Compact boxes, and the page starting just under Streamlit's header: the first screen holds
# where the plan stands, what is off track and late, and what changed (tests/e2e).
FIRST_SCREEN_CSS = (
    "<style>"
    "[data-testid='stMainBlockContainer'] {padding-top: 3.5rem !important;}"
    "[data-testid='stMainBlockContainer'] h1 {padding-top: 0.25rem !important;}"
    f"{_FIGURE_BOXES} {{padding: 0 !important;}}"
    f"{_FIGURE_BOXES.replace(', ', ' > div, ')} > div {{padding: 0.35rem 0.6rem !important;}}"
    f"{_FIGURE_BOXES.replace('stMetric', 'stMetricValue')} {{font-size: 1.6rem !important;"
    " line-height: 1.15 !important;}"
    f"{_FIGURE_BOXES.replace('stMetric', 'stMetricLabel')} p {{font-size: 0.85rem !important;}}"
    ".off-track {list-style: none; padding: 0 !important; margin: 0 !important;}"
    ".off-track li {display: flex; gap: 0.5rem; align-items: baseline; margin: 0 0 0.4rem 0;"
    " line-height: 1.3; padding: 0;}"
    ".off-track .chip {flex: none; padding: 0.05rem 0.4rem; border-radius: 0.3rem;"
    " font-weight: 600; font-size: 0.85rem; white-space: nowrap;}"
    ".off-track .what {min-width: 0; display: -webkit-box; -webkit-line-clamp: 2;"
    " -webkit-box-orient: vertical; overflow: hidden; overflow-wrap: anywhere;}"
    ".off-track .when {font-weight: 600;}"
    # On a phone the action list is cards whose text wraps, in place of the wide table.
    ".action-cards {display: none; list-style: none; padding: 0 !important;}"
    ".action-cards li {border-bottom: 1px solid #d5d6d9; padding: 0.4rem 0; margin: 0;}"
    ".action-cards .chip {padding: 0.05rem 0.4rem; border-radius: 0.3rem; font-weight: 600;"
    " font-size: 0.85rem; white-space: nowrap;}"
    ".action-cards .text {display: block; overflow-wrap: anywhere; margin-top: 0.2rem;}"
    "@media (max-width: 640px) {.action-cards {display: block;}"
    " .st-key-overview_table {display: none;}"
    # Two figures to a row that fill it, whatever their width on a wider screen.
    f" {_FIGURE_ROWS} {{flex: 1 1 calc(50% - 0.5rem) !important;"
    " max-width: calc(50% - 0.5rem) !important; width: auto !important; min-width: 0 !important;}"
    f" {_FIGURE_BOXES} {{width: 100% !important;}}}}"
    f"{_rag_edges()}"
    "</style>"
)

# A figure box wide enough for "Due in 30 days" and a five-figure count; rows wrap.
FIGURE_WIDTH = 128


def figures(key: str, shown: list[tuple[str, int, str | None]], width: int = FIGURE_WIDTH) -> None:
    """A wrapping row of figure boxes: (label, count, help)."""
    with st.container(key=key, horizontal=True, gap="small"):
        for label, count, help_text in shown:
            st.metric(label, f"{count:,}", border=True, width=width, help=help_text)


def _lateness(view: ActionView) -> str:
    if view.overdue:
        return f"Overdue {view.days_overdue:,} day{'s' if view.days_overdue != 1 else ''}"
    deadline = deadline_cell(view)
    if view.deadline is None:  # "Ongoing", "TBC": the plan's words, not a date
        return f"Deadline: {deadline}" if deadline else "No deadline"
    return f"Due {deadline}"


def _chip(rag: Rag | None) -> str:
    return (
        f'<span class="chip" style="background: {RAG_COLOURS[rag]}; '
        f'color: {RAG_TEXT_COLOURS[rag]}">{rag_label(rag)}</span>'
    )


def _item(view: ActionView) -> str:
    chip = _chip(view.rag)
    ref = f"{html_text(view.ref)} " if view.ref else ""
    owner = f" ({html_text(view.owner)})" if view.owner else ""
    return (
        f'<li>{chip} <span class="what"><span class="when">{html_text(_lateness(view))}</span>:'
        f" {ref}{html_text(view.action)}{owner}</span></li>"
    )


def off_track_list(off_track: OffTrack) -> None:
    """The worst few Red or overdue actions, and how many more there are."""
    if not off_track.total:
        st.success("Nothing is Red or overdue.")
        return
    shown = len(off_track.worst)
    st.caption(
        f"The worst {shown} of {off_track.total:,} Red or overdue actions (all of them: "
        "**Overdue**, **Meeting view**)."
        if off_track.total > shown
        else f"{off_track.total:,} Red or overdue, worst first."
    )
    items = "".join(_item(view) for view in off_track.worst)
    st.html(f'<ul class="off-track">{items}</ul>')


def rag_figures(counts: dict[Rag | None, int]) -> None:
    figures("standing", [(rag_label(r), counts[r], None) for r in RAG_ORDER])


def _card(view: ActionView) -> str:
    ref = f"{html_text(view.ref)} " if view.ref else ""
    owner = f" · {html_text(view.owner)}" if view.owner else ""
    return (
        f"<li>{_chip(view.rag)} <strong>{html_text(_lateness(view))}</strong>{owner}"
        f'<span class="text">{ref}{html_text(view.action)}</span></li>'
    )


def phone_cards(views: list[ActionView]) -> None:
    """The page of actions as cards, shown instead of the table on a narrow screen."""
    st.html(f'<ul class="action-cards">{"".join(_card(view) for view in views)}</ul>')
