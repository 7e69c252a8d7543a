"""My actions: the signed-in owner's actions, overdue and due soon first, and the update form."""

import pandas as pd
import streamlit as st

from pages.common import session_factory, style_rag_column, today
from pages.session import require_actor
from pages.text import md
from pages.update_form import (
    describe_update,
    render_board_decision_form,
    render_update_form,
    show_flash,
)
from plan.auth import Permission, may_update_owners
from plan.queries.flags import action_flags
from plan.queries.my_actions import MyAction, actions_for
from plan.queries.review import review_notes
from plan.queries.rounds import RoundAsk, asks_for
from plan.queries.state import Selection
from plan.services import action_history
from rulebook.dates import format_uk_date
from rulebook.flags import REASONS
from rulebook.overdue import DUE_SOON_DAYS
from rulebook.rag import rag_label
from rulebook.rounds import Reply, reply_label

# A reminder's link (TRACKER_URL/my_actions?action=ID) opens the form for that action, also
# when the owner has to sign in first: the id is kept for this browser session until used.
linked = st.query_params.get("action", "")
if linked.isdigit() and st.session_state.get("linked_action_seen") != linked:
    st.session_state["linked_action_seen"] = linked
    st.session_state["linked_action"] = int(linked)
actor = require_actor()
factory = session_factory()
st.title("My actions")
show_flash()

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


def _due(item: MyAction) -> str:
    if item.overdue:
        return "⚠ Overdue"
    if item.due_soon:
        return "Due soon"
    return ""


def _deadline(item: MyAction) -> str:
    shown = format_uk_date(item.deadline) or item.deadline_text or ""
    if item.deadline != item.baseline_deadline:
        shown += f" (baseline {format_uk_date(item.baseline_deadline) or 'none'})"
    return shown


overdue = sum(item.overdue for item in items)
due_soon = sum(item.due_soon for item in items)
st.caption(
    f"{len(items)} actions as at {format_uk_date(today())}: {overdue} overdue, "
    f"{due_soon} due in the next {DUE_SOON_DAYS} days."
)


def _asked(ask: RoundAsk | None) -> str:
    if ask is None:
        return ""
    return f"{reply_label(ask.reply)} · {ask.round}, due {format_uk_date(ask.due)}"


for round_name in sorted({ask.round for ask in asks.values()}):
    asked = [ask for ask in asks.values() if ask.round == round_name]
    waiting = [ask for ask in asked if ask.reply is not Reply.RECEIVED]
    st.info(
        md(
            f"Update round {round_name}: an update is asked for on {len(asked)} of these "
            f"actions by {format_uk_date(asked[0].due)}; {len(asked) - len(waiting)} received, "
            f"{len(waiting)} still to do."
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
table = pd.DataFrame(
    [
        {
            "Due": _due(item),
            "Update round": _asked(asks.get(item.id)),
            "Checks": "; ".join(f"⚑ {REASONS[flag]}" for flag in flags.get(item.id, ())),
            "RAG": rag_label(item.rag),
            "Ref": item.ref or "",
            "Action": item.action,
            "Plan": item.plan,
            "Owner": item.owner or "",
            "Deadline": _deadline(item),
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
st.dataframe(
    style_rag_column(table),
    hide_index=True,
    width="stretch",
    column_config={
        "Action": st.column_config.TextColumn(width="large"),
        "Last update": st.column_config.TextColumn(width="large"),
    },
)

by_id = {item.id: item for item in items}
if st.session_state.get("linked_action") in by_id:
    st.session_state["chosen_action"] = st.session_state.pop("linked_action")
chosen = st.selectbox(
    "Action to update",
    list(by_id),
    index=None,
    format_func=lambda action_id: (
        f"{_due(by_id[action_id]) or rag_label(by_id[action_id].rag)} · {by_id[action_id].label}"
    ),
    placeholder="Choose an action",
    key="chosen_action",
)
if chosen is None:
    st.stop()
item = by_id[chosen]
st.subheader(md(f"{item.ref or ''} {item.action}".strip()))
st.caption(f"{md(item.plan)} · owner: {md(item.owner) or 'none named'}")
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
