"""My actions: the signed-in owner's actions as compact cards (overdue and due soon first), and
the update form for the one chosen, at the top of the page.

Phone first: the cards wrap the action's text, the picker and the form come before the wide
table (folded away at the bottom), and the action chosen is kept in the address
(`my_actions?action=ID`, the link a reminder e-mail gives), so the link opens its form, also
after signing in (signed out, the page shows the sign-in form itself and keeps the address),
and a reload keeps it.
"""

import pandas as pd
import streamlit as st

from pages.action_cards import (
    asked_words,
    card_style,
    deadline_words,
    due_words,
    scroll_to_top,
    show_card,
)
from pages.common import session_factory, style_rag_column, today
from pages.session import current_actor, show_identity
from pages.sign_in_form import show_sign_in_form
from pages.text import md
from pages.update_form import (
    describe_update,
    forget_saved,
    render_board_decision_form,
    render_update_form,
    show_flash,
)
from plan.auth import Permission, may_update_owners
from plan.queries.flags import action_flags
from plan.queries.my_actions import MyAction, actions_for
from plan.queries.options import plan_options
from plan.queries.review import review_notes
from plan.queries.rounds import asks_for
from plan.queries.state import Selection
from plan.services import action_history
from rulebook.dates import format_uk_date
from rulebook.flags import REASONS
from rulebook.overdue import DUE_SOON_DAYS
from rulebook.plan_periods import closed_plans_as_at
from rulebook.rag import rag_label
from rulebook.rounds import Reply, reply_label

CHOSEN_KEY = "owner_chosen_action"  # the action whose form is open (None: the list)
LINK_SEEN_KEY = "owner_link_seen"  # the ?action= last applied, so a stale one is not reapplied
PICKER_KEY = "chosen_action"
SCROLL_UP_KEY = "owner_scroll_up"  # a card was chosen: show the page from its top once
CARDS_SHOWN = 30  # an officer's "All actions" can be thousands: the rest through the picker


def _linked_action() -> int | None:
    wanted = st.query_params.get("action", "")
    return int(wanted) if wanted.isdigit() else None


def _choose(action_id: int | None) -> None:
    forget_saved()
    st.session_state[CHOSEN_KEY] = action_id
    st.session_state[SCROLL_UP_KEY] = True


def _picked() -> None:
    _choose(st.session_state.get(PICKER_KEY))


def _chosen_action() -> int | None:
    """The action chosen on the page, or newly asked for by the address (a reminder link)."""
    link = _linked_action()
    if link is not None and st.session_state.get(LINK_SEEN_KEY) != link:
        st.session_state[LINK_SEEN_KEY] = link
        _choose(link)
    return st.session_state.get(CHOSEN_KEY)


def _keep_in_address(chosen: int | None) -> None:
    st.session_state[LINK_SEEN_KEY] = chosen
    if chosen is None:
        st.query_params.pop("action", None)
    elif st.query_params.get("action") != str(chosen):
        st.query_params["action"] = str(chosen)


signed_in = current_actor()
st.title("My actions")
if signed_in is None:
    # Signing in here keeps the address, so a reminder's link goes on to its action's form.
    st.info(
        "Sign in first to update the action your link is for: its update form opens next."
        if _linked_action() is not None
        else "Sign in first: nobody can change anything without signing in."
    )
    show_sign_in_form(then_action=_linked_action())
    st.stop()
actor = signed_in
show_identity(actor)
factory = session_factory()
show_flash()
card_style()

sees_all = actor.can(Permission.UPDATE_ANY_ACTION) or not actor.can(Permission.UPDATE_OWN_ACTIONS)
# Only a choice when there is one: a disabled radio's grey label is 2.5:1 (WCAG AA: 4.5).
if sees_all and actor.owner_names:
    scope = st.radio(
        "Show", ["All actions", "Actions I answer for"], horizontal=True, key="my_actions_scope"
    )
    everything = scope == "All actions"
else:
    everything = sees_all

if not actor.can(Permission.UPDATE_OWN_ACTIONS) and not actor.can(Permission.BOARD_DECISION):
    st.info(f"Your role is {actor.role.value}: you can see every action but not change any.")

with factory() as session:
    items = actions_for(session, actor, today=today(), everything=everything)
    asks = asks_for(session, [item.id for item in items], today())
    flags = action_flags(
        session, Selection(owners=() if everything else actor.owner_names), today()
    )
    notes = review_notes(session, [item.id for item in items])
    period_ends = {option.name: option.period_end for option in plan_options(session)}
# When every plan listed has ended, the dashboard shows them as they ended; this page counts
# overdue as at today (an update is recorded today), so say why the two differ.
plans_ended_on = closed_plans_as_at({period_ends.get(item.plan) for item in items}, today())

if not items:
    if actor.owner_names:
        st.info(
            "No actions in the plans are owned by "
            + md(", ".join(actor.owner_names))
            + ". If a plan writes your name differently, ask an admin to link that name too."
        )
    else:
        st.info(
            "Your account is not linked to any owner name yet. Ask an admin to link it to your "
            'name as the plans write it (python -m plan users link EMAIL "Your Name").'
        )
    st.stop()

by_id = {item.id: item for item in items}
chosen = _chosen_action()
if chosen is not None and chosen not in by_id:
    st.warning(
        "The action the link is for is not one of your actions (or no longer in the plans): "
        "choose one below."
    )
    _choose(chosen := None)
_keep_in_address(chosen)


def _what_a_card_opens() -> tuple[str, str]:
    """The picker's label and the cards' button word, for what this role can do with an action:
    a chair records board decisions, a viewer only looks."""
    if actor.can(Permission.UPDATE_OWN_ACTIONS):
        return "Action to update", "Update"
    if actor.can(Permission.BOARD_DECISION):
        return "Action to record a board decision on", "Record a decision on"
    return "Action to open", "Open"


def _show_list(items: list[MyAction]) -> None:
    overdue = sum(item.overdue for item in items)
    due_soon = sum(item.due_soon for item in items)
    ended = (
        f" Their plans ended by {format_uk_date(plans_ended_on)}: the dashboard shows them as "
        "they stood then, so its figures differ."
        if plans_ended_on
        else ""
    )
    st.caption(
        f"{len(items)} actions as at {format_uk_date(today())}: {overdue} overdue, "
        f"{due_soon} due in the next {DUE_SOON_DAYS} days.{ended}"
    )
    for round_name in sorted({ask.round for ask in asks.values()}):
        asked = [ask for ask in asks.values() if ask.round == round_name]
        waiting = [ask for ask in asked if ask.reply is not Reply.RECEIVED]
        st.info(
            md(
                f"Update round {round_name}: an update is asked for on {len(asked)} of these "
                f"actions by {format_uk_date(asked[0].due)}; {len(asked) - len(waiting)} "
                f"received, {len(waiting)} still to do."
            ),
            icon=":material/mark_email_unread:",
        )
    returned = [item for item in items if item.id in notes and not notes[item.id].waiting]
    if returned:
        st.warning(
            md(f"{len(returned)} of your updates came back from review: ")
            + "; ".join(
                f"{md(i.ref or i.action[:40])}: {md(notes[i.id].describe())}" for i in returned
            ),
            icon=":material/undo:",
        )
    label, verb = _what_a_card_opens()
    st.selectbox(
        label,
        list(by_id),
        index=None,
        format_func=lambda action_id: by_id[action_id].label,
        placeholder=f"Choose an action, or press {verb} on one below",
        key=PICKER_KEY,
        on_change=_picked,
    )
    for item in items[:CARDS_SHOWN]:
        with st.container(border=True, key=f"card_{item.id}"):
            show_card(item, asks.get(item.id), flags.get(item.id, ()))
            st.button(
                f"{verb} {md(item.ref)}" if item.ref else f"{verb} this action",
                key=f"update_{item.id}",
                icon=":material/edit:",
                on_click=_choose,
                args=(item.id,),
            )
    if len(items) > CARDS_SHOWN:
        st.caption(
            f"The {CARDS_SHOWN} most urgent of {len(items)} are shown as cards; choose any "
            "other in the box above."
        )
    _show_table(items)


def _show_table(items: list[MyAction]) -> None:
    """Every field side by side, for a wide screen: below the cards, folded."""
    table = pd.DataFrame(
        [
            {
                "Due": due_words(item),
                "Update round": asked_words(asks.get(item.id)),
                "Checks": "; ".join(f"⚑ {REASONS[flag]}" for flag in flags.get(item.id, ())),
                "RAG": rag_label(item.rag),
                "Ref": item.ref or "",
                "Action": item.action,
                "Plan": item.plan,
                "Owner": item.owner or "",
                "Deadline": deadline_words(item),
                "% complete": "" if item.percent_complete is None else f"{item.percent_complete}%",
                "Last update": item.latest_update or "",
                "Updated": (
                    f"{format_uk_date(item.updated_at.date())} by {item.updated_by}"
                    if item.updated_at
                    else ""
                ),
            }
            for item in items
        ]
    )
    with st.expander("All of these as a table (for a wide screen)"):
        st.dataframe(
            style_rag_column(table),
            hide_index=True,
            width="stretch",
            column_config={
                "Action": st.column_config.TextColumn(width="large"),
                "Last update": st.column_config.TextColumn(width="large"),
            },
        )


def _show_chosen(item: MyAction) -> None:
    st.button(
        "All my actions",
        key="back_to_list",
        icon=":material/arrow_back:",
        on_click=_choose,
        args=(None,),
    )
    show_card(item, asks.get(item.id), flags.get(item.id, ()))
    st.caption(f"Owner: {md(item.owner) or 'none named'}")
    if item.id in asks:
        ask = asks[item.id]
        st.markdown(
            md(f"Update round {ask.round} asks for an update by {format_uk_date(ask.due)}: ")
            + f"**{reply_label(ask.reply)}**"
        )
    if item.id in notes:
        (st.info if notes[item.id].waiting else st.warning)(md(notes[item.id].describe()))
    if may_update_owners(actor, item.owners):
        render_update_form(factory, actor, item)
    elif actor.can(Permission.BOARD_DECISION):
        st.markdown("**Record a board decision**")
        render_board_decision_form(factory, actor, item)
    else:
        st.info("You can see this action but not update it.")
    _show_history(item)


def _show_history(item: MyAction) -> None:
    with factory() as session:
        history = action_history(session, item.id)
    if history.decisions:
        st.markdown("**Board decisions**")
        for decision in history.decisions:
            when = format_uk_date(decision.meeting_date or decision.recorded_at.date())
            st.markdown(f"- {when}, recorded by {md(decision.author)}: {md(decision.decision)}")
    with st.expander(f"History ({len(history.updates)} most recent updates)"):
        if not history.updates:
            st.write("No updates yet.")
        for update in history.updates:
            st.markdown(describe_update(update))


if chosen is None:
    _show_list(items)
else:
    _show_chosen(by_id[chosen])
if st.session_state.pop(SCROLL_UP_KEY, False):
    scroll_to_top()  # last, so the gap its element takes is at the bottom
