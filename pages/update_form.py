"""The update form for one action, and the chair's board-decision form (used by my_actions)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from pages.action_cards import rag_choice_style
from pages.failures import report_failure
from pages.rag_key import key_markdown
from pages.text import md, md_link
from plan.auth import Actor, Permission, PermissionDenied
from plan.queries.my_actions import MyAction
from plan.queries.plan_settings import settings_for_action
from plan.services import (
    Busy,
    Conflict,
    InvalidUpdate,
    ProgressInput,
    UpdateSummary,
    submit_board_decision,
    submit_progress,
)
from rulebook.dates import format_uk_date
from rulebook.rag import Rag, rag_label

FLASH_KEY = "update_flash"  # a message (Markdown) for the next run, after st.rerun


def opened_key(action_id: int) -> str:
    return f"opened_update_id_{action_id}"


def _generation_key(action_id: int) -> str:
    return f"form_generation_{action_id}"


def _key(field: str, action_id: int) -> str:
    # After a save the form gets new widget keys: the browser then shows empty fields
    # (removing the old keys from session_state does not clear what the browser holds).
    generation = st.session_state.get(_generation_key(action_id), 0)
    return f"{field}_{action_id}" + (f"_{generation}" if generation else "")


def _new_form(action_id: int) -> None:
    st.session_state[_generation_key(action_id)] = (
        st.session_state.get(_generation_key(action_id), 0) + 1
    )


def show_flash() -> None:
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.success(message)
        st.toast(message, icon=":material/check_circle:")


def describe_update(update: UpdateSummary) -> str:
    """An update as Markdown: what people wrote shown as text; the evidence link as its address."""
    lines = [f"**{md(update.describe())}**"]
    if update.issue:
        lines.append(f"Issue: {md(update.issue)}")
    if update.remedy:
        lines.append(f"Being done: {md(update.remedy)}")
    if update.percent_complete is not None:
        lines.append(f"{update.percent_complete}% complete")
    if update.revised_deadline:
        lines.append(
            f"Deadline revised to {format_uk_date(update.revised_deadline)}: "
            f"{md(update.revised_deadline_reason)}"
        )
    if update.completed_on:
        lines.append(f"Completed on {format_uk_date(update.completed_on)}")
    if update.evidence_link:
        lines.append(f"Evidence: {md_link(update.evidence_link)}")
    return "  \n".join(lines)


def saved_key(action_id: int) -> str:
    return f"saved_message_{action_id}"


def forget_saved() -> None:
    """The owner moved on: no confirmation is kept for any action."""
    for key in [k for k in st.session_state if str(k).startswith("saved_message_")]:
        del st.session_state[key]


def _another_update(action_id: int) -> None:
    st.session_state.pop(saved_key(action_id), None)


def _show_saved(action_id: int) -> bool:
    """The lasting confirmation, where the form was, until the owner moves on."""
    message = st.session_state.get(saved_key(action_id))
    if not message:
        return False
    # In place of the form, where the owner's eyes are: no toast covering the page's top.
    st.success(message, icon=":material/check_circle:")
    st.button(
        "Record another update for this action",
        key=f"another_update_{action_id}",
        on_click=_another_update,
        args=(action_id,),
    )
    return True


def render_update_form(factory: sessionmaker[Session], actor: Actor, item: MyAction) -> None:
    if _show_saved(item.id):
        return
    # The newest update when the form was first opened: saving checks nobody came in between.
    st.session_state.setdefault(opened_key(item.id), item.latest_update_id)
    expected = st.session_state[opened_key(item.id)]
    baseline = md(format_uk_date(item.baseline_deadline) or item.deadline_text or "none")
    current = format_uk_date(item.deadline) or "none"
    st.caption(
        f"Now {rag_label(item.rag)}. Baseline deadline {baseline}"
        + (f"; current deadline {current}." if item.deadline != item.baseline_deadline else ".")
    )
    with factory() as session:
        settings = settings_for_action(session, item.id)
    submits = settings is not None and settings.review_required and not actor.can(Permission.REVIEW)
    if submits:
        st.caption(
            ":material/rate_review: This plan's updates are reviewed: yours is submitted, and "
            "shows on the dashboard once an officer publishes it."
        )
    rag_choice_style()
    with st.form(f"update_form_{item.id}"):
        # One tap: every rating in view with its word, symbol and colour (no drop-down).
        rag = st.radio(
            "RAG rating (required)",
            list(Rag),
            index=None,
            horizontal=True,
            help=key_markdown(settings.rag_key) if settings else None,
            format_func=lambda r: rag_label(r) + (" (complete)" if r == Rag.BLUE else ""),
            key=_key("rag", item.id),
        )
        progress = st.text_area(
            "Progress since the last update (required)",
            key=_key("progress", item.id),
            height=100,
        )
        left, right = st.columns(2)
        issue = left.text_area(
            "If Red or Amber: what is the issue?", key=_key("issue", item.id), height=80
        )
        remedy = right.text_area(
            "If Red or Amber: what is being done about it?", key=_key("remedy", item.id), height=80
        )
        extra = _optional_fields(item.id, baseline)
        submitted = st.form_submit_button("Save update", type="primary", width="stretch")

    if not submitted:
        return
    entry = ProgressInput(
        rag=rag,
        progress=progress or "",
        issue=issue or "",
        remedy=remedy or "",
        percent_complete=int(extra.percent) if extra.percent is not None else None,
        revised_deadline=extra.revised,
        revised_deadline_reason=extra.reason or "",
        evidence_link=extra.link or "",
        completed_on=extra.completed,
    )
    _save(factory, actor, item, entry, expected)


@dataclass(frozen=True)
class _Optional:
    percent: float | None
    completed: dt.date | None
    link: str | None
    revised: dt.date | None
    reason: str | None


def _optional_fields(action_id: int, baseline: str) -> _Optional:
    """Folded away so Save stays near the required fields (a phone screen holds them all)."""
    with st.expander("More: percent complete, date completed (Blue), revised deadline, evidence"):
        left, middle, right = st.columns(3)
        percent = left.number_input(
            "Percent complete (optional)",
            min_value=0,
            max_value=100,
            value=None,
            step=5,
            key=_key("percent", action_id),
        )
        completed = middle.date_input(
            "If Blue: date completed",
            value=None,
            format="DD/MM/YYYY",
            key=_key("done", action_id),
        )
        link = right.text_input(
            "Evidence link (optional)", placeholder="https://", key=_key("link", action_id)
        )
        left, right = st.columns([1, 2])
        revised = left.date_input(
            "Revised deadline (optional)",
            value=None,
            format="DD/MM/YYYY",
            help=f"The original deadline ({baseline}) is kept as the baseline.",
            key=_key("revised", action_id),
        )
        reason = right.text_input("Reason for the revised deadline", key=_key("reason", action_id))
    return _Optional(percent, completed, link, revised, reason)


def _save(
    factory: sessionmaker[Session],
    actor: Actor,
    item: MyAction,
    entry: ProgressInput,
    expected: int | None,
) -> None:
    try:
        saved = submit_progress(factory, actor, item.id, entry, expected_latest_update_id=expected)
    except InvalidUpdate as error:
        st.error(
            "Nothing was saved. Please fix:\n"
            + "\n".join(f"- {md(e.message)}" for e in error.errors)
        )
    except Conflict as conflict:
        # The user has now seen the newer update: a second save records theirs after it.
        st.session_state[opened_key(item.id)] = conflict.newer.id if conflict.newer else None
        st.error(
            "Someone updated this action after you opened the form, so nothing was saved. "
            "Your text is still in the form: read the newer update below, change yours if "
            "needed, and press Save update again."
        )
        if conflict.newer:
            st.warning(describe_update(conflict.newer))
    except (PermissionDenied, Busy) as error:
        st.error(md(error))
    except SQLAlchemyError:
        report_failure(
            "Saving an update", outcome="Nothing was saved; your text is still in the form."
        )
    else:
        _new_form(item.id)
        st.session_state[opened_key(item.id)] = saved.id
        st.session_state[saved_key(item.id)] = (
            "Submitted for review" if saved.review_state == "submitted" else "Saved"
        ) + f": {rag_label(saved.rag)} for {md(item.ref) or 'the action'} ({md(item.action)})."
        st.rerun()


def render_board_decision_form(
    factory: sessionmaker[Session], actor: Actor, item: MyAction
) -> None:
    with st.form(f"decision_form_{item.id}", clear_on_submit=False):
        decision = st.text_area("Board decision (required)", key=_key("decision", item.id))
        meeting = st.date_input(
            "Meeting date", value=None, format="DD/MM/YYYY", key=_key("meeting", item.id)
        )
        submitted = st.form_submit_button("Record decision", type="primary")
    if not submitted:
        return
    try:
        submit_board_decision(factory, actor, item.id, decision or "", meeting_date=meeting)
    except InvalidUpdate as error:
        st.error("Nothing was saved: " + md(" ".join(e.message for e in error.errors)))
    except (PermissionDenied, Busy) as error:
        st.error(md(error))
    except SQLAlchemyError:
        report_failure("Recording a board decision")
    else:
        _new_form(item.id)
        st.session_state[FLASH_KEY] = (
            f"Board decision recorded for {md(item.ref or item.action[:60])}."
        )
        st.rerun()
