"""An owner's action as a compact card (phone first): RAG word, symbol and colour, the action's
text wrapped, due date, what an update round asks and the checks; and the RAG colours for the
one-tap RAG choice on the update form."""

from __future__ import annotations

import streamlit as st

from pages.text import html_text
from plan.queries.my_actions import MyAction
from plan.queries.rounds import RoundAsk
from rulebook.dates import format_uk_date
from rulebook.flags import REASONS, Flag
from rulebook.rag import RAG_COLOURS, RAG_TEXT_COLOURS, Rag, rag_label
from rulebook.rounds import reply_label

# Rounded boxes in the RAG colours (AA pairs, rulebook/rag.py); the card text wraps, so a phone
# shows the whole action without sideways scrolling.
_CARD_STYLE = (
    "<style>"
    ".owner-card{overflow-wrap:anywhere;line-height:1.45}"
    ".owner-card .rag-pill{display:inline-block;padding:0 .45em;border-radius:.35em;"
    "font-weight:600;white-space:nowrap}"
    ".owner-card .card-facts{margin-top:.25em;font-size:.92em}"
    "</style>"
)


def rag_pill(rag: Rag | None) -> str:
    return (
        f'<span class="rag-pill" style="background:{RAG_COLOURS[rag]};'
        f'color:{RAG_TEXT_COLOURS[rag]}">{html_text(rag_label(rag))}</span>'
    )


def due_words(item: MyAction) -> str:
    if item.overdue:
        return "⚠ Overdue"
    if item.due_soon:
        return "Due soon"
    return ""


def deadline_words(item: MyAction) -> str:
    shown = format_uk_date(item.deadline) or item.deadline_text or ""
    if item.deadline != item.baseline_deadline:
        shown += f" (baseline {format_uk_date(item.baseline_deadline) or 'none'})"
    return shown


def asked_words(ask: RoundAsk | None) -> str:
    if ask is None:
        return ""
    return f"{reply_label(ask.reply)} · {ask.round}, due {format_uk_date(ask.due)}"


def card_html(item: MyAction, ask: RoundAsk | None, flags: tuple[Flag, ...]) -> str:
    """The card as an HTML block: every text from the plan or a person through html_text()."""
    title = f"{item.ref} " if item.ref else ""
    facts = [
        f"Due {deadline_words(item)}" if deadline_words(item) else "No deadline",
        due_words(item),
        f"Update round: {asked_words(ask)}" if ask else "",
        *(f"⚑ {REASONS[flag]}" for flag in flags),
    ]
    return (
        f'<div class="owner-card">{rag_pill(item.rag)} '
        f"<strong>{html_text(title)}</strong>{html_text(item.action)}"
        f'<div class="card-facts">{html_text(" · ".join(f for f in facts if f))}</div>'
        f'<div class="card-facts">{html_text(item.plan)}</div></div>'
    )


def card_style() -> None:
    """Once per page, before any card."""
    st.html(_CARD_STYLE)


def show_card(item: MyAction, ask: RoundAsk | None, flags: tuple[Flag, ...]) -> None:
    st.markdown(card_html(item, ask, flags), unsafe_allow_html=True)


def rag_choice_style() -> None:
    """Colour each option of the RAG radio (Red, Amber, Green, Blue, in that order) with its
    RAG colour; the chosen one gets a thick outline. Word and symbol stay in the label."""
    rules = [
        f'[class*="st-key-rag_"] [role="radiogroup"] > div:nth-of-type({n}) > label{{'
        f"background:{RAG_COLOURS[rag]};color:{RAG_TEXT_COLOURS[rag]};"
        "padding:.35em .7em;border-radius:.4em;margin:0 .35em .35em 0}"
        for n, rag in enumerate(Rag, start=1)
    ]
    rules.append(
        '[class*="st-key-rag_"] [role="radiogroup"] label:has(input:checked)'
        "{outline:3px solid #000;outline-offset:2px}"
    )
    rules.append(
        '[class*="st-key-rag_"] [role="radiogroup"] label p{color:inherit;font-weight:600}'
    )
    st.html("<style>" + "".join(rules) + "</style>")


def scroll_to_top() -> None:
    """After choosing a card far down the list, show the form from its top (the browser keeps
    the scroll position across a rerun, which would land mid-form)."""
    st.html(
        "<script>document.querySelector('[data-testid=\"stMain\"]')?.scrollTo({top: 0})</script>",
        unsafe_allow_javascript=True,
    )
