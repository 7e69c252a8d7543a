"""Returns (officers): open and close update rounds; per owner and per objective, the updates
received, outstanding and overdue; the list to chase, and both as CSV."""

import re

import pandas as pd
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from pages.common import session_factory, today
from pages.failures import report_failure
from pages.session import require_actor
from pages.text import md
from plan.auth import Permission, PermissionDenied
from plan.database import Busy
from plan.exporters.round_returns import chase_csv, counts_csv
from plan.mail import MailError, mail_settings, tracker_url
from plan.queries import plan_options
from plan.queries.flags import FlagCount, flags_by_objective, flags_by_owner
from plan.queries.rounds import (
    ReplyCount,
    RoundSummary,
    replies_by_objective,
    replies_by_owner,
    rounds,
    to_chase,
)
from plan.queries.state import Selection
from plan.services.reminders import reminders_for, reminders_text, send_reminders
from plan.services.rounds import RoundError, submit_close_round, submit_open_round
from rulebook.dates import format_uk_date, quarter_end
from rulebook.flags import Flag
from rulebook.rounds import Reply, reply_label

actor = require_actor(Permission.CHASE)
factory = session_factory()
st.title("Returns")
as_at = today()

if "returns_flash" in st.session_state:
    st.success(md(st.session_state.pop("returns_flash")))

with factory() as session:
    plans = [option.name for option in plan_options(session)]
    every_round = rounds(session)

with (
    st.expander("Open a round", expanded=not every_round),
    st.form("open_round", clear_on_submit=False),
):
    name = st.text_input("Name", placeholder="Q3 2026/27", key="round_name")
    left, right = st.columns(2)
    period_end = left.date_input(
        "Period end", value=quarter_end(as_at), format="DD/MM/YYYY", key="round_period_end"
    )
    due = right.date_input("Updates due by", value=None, format="DD/MM/YYYY", key="round_due")
    chosen_plans = st.multiselect("Plans (none chosen: every plan)", plans, key="round_plans")
    if st.form_submit_button("Open the round", type="primary"):
        if due is None or period_end is None:
            st.error("Give the period end and the date updates are due by.")
        else:
            try:
                opened = submit_open_round(
                    factory,
                    actor,
                    name,
                    period_end=period_end,
                    due=due,
                    plan_names=chosen_plans,
                )
            except (RoundError, PermissionDenied, Busy) as error:
                st.error(md(error))
            except SQLAlchemyError:
                report_failure("Opening an update round")
            else:
                st.session_state["returns_flash"] = (
                    f"Opened {opened.name}: {opened.actions} actions asked for an update "
                    f"by {format_uk_date(opened.due)}."
                )
                st.session_state["returns_round"] = opened.name
                st.rerun()

if not every_round:
    st.info("No update rounds yet: open one above.")
    st.stop()

by_name = {summary.name: summary for summary in every_round}
if st.session_state.get("returns_round") not in by_name:
    st.session_state["returns_round"] = every_round[0].name


def _choice(round_name: str) -> str:
    summary = by_name[round_name]
    state = "open" if summary.is_open else "closed"
    return f"{round_name} ({state}, due {format_uk_date(summary.due)})"


chosen = st.selectbox("Round", list(by_name), format_func=_choice, key="returns_round")
summary: RoundSummary = by_name[chosen]
with factory() as session:
    owners = replies_by_owner(session, summary.id, as_at)
    objectives = replies_by_objective(session, summary.id, as_at)
    chase = to_chase(session, summary.id, as_at)
    owner_flags = flags_by_owner(session, Selection(), as_at, round_id=summary.id)
    objective_flags = flags_by_objective(session, Selection(), as_at, round_id=summary.id)

closed = (
    f"closed {format_uk_date(summary.closed_at.date())} by {summary.closed_by}"
    if summary.closed_at
    else "open"
)
st.caption(
    md(
        f"Period ending {format_uk_date(summary.period_end)}, updates due by "
        f"{format_uk_date(summary.due)}; plans: {', '.join(summary.plans)}; opened "
        f"{format_uk_date(summary.opened_at.date())} by {summary.opened_by}; {closed}. "
        f"As at {format_uk_date(as_at)}."
    )
)
overdue = sum(item.reply is Reply.OVERDUE for item in chase)
columns = st.columns(4)
columns[0].metric("Actions asked", summary.actions)
columns[1].metric("Received", summary.received)
columns[2].metric("Outstanding", summary.outstanding - overdue)
columns[3].metric("Overdue", overdue)


def _counts(rows: list[ReplyCount], heading: str, with_plan: bool) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                **({"Plan": row.plan} if with_plan else {}),
                heading: row.name,
                "Received": row.received,
                "Outstanding": row.outstanding,
                "Overdue": row.overdue,
            }
            for row in rows
        ]
    )


owner_tab, objective_tab, chase_tab, quality_tab = st.tabs(
    ["Per owner", "Per objective", "To chase", "Data quality"]
)
with owner_tab:
    st.dataframe(_counts(owners, "Owner", False), hide_index=True, width="stretch")
with objective_tab:
    st.dataframe(_counts(objectives, "Objective", True), hide_index=True, width="stretch")
with chase_tab:
    if not chase:
        st.success("Every update asked for has come in.")
    else:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Reply": reply_label(item.reply),
                        "Owner": item.owner or "",
                        "Ref": item.ref or "",
                        "Action": item.action,
                        "Plan": item.plan,
                        "Objective": item.objective or "",
                        "Last update": (
                            format_uk_date(item.last_update_at.date())
                            if item.last_update_at
                            else "never"
                        ),
                    }
                    for item in chase
                ]
            ),
            hide_index=True,
            width="stretch",
            column_config={"Action": st.column_config.TextColumn(width="large")},
        )


def _flag_table(rows: list[FlagCount], heading: str, with_plan: bool) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                **({"Plan": row.plan} if with_plan else {}),
                heading: row.name,
                **{f"⚑ {flag.value.capitalize()}": row.counts[flag] for flag in Flag},
                "Flags": row.total,
            }
            for row in rows
            if row.total
        ]
    )


with quality_tab:
    st.caption(
        "The automatic checks on every plan as at today, each counted where it applies; the "
        "round checks look at this round and the one before it."
    )
    if not any(row.total for row in owner_flags):
        st.success("No action is flagged.")
    else:
        st.dataframe(_flag_table(owner_flags, "Owner", False), hide_index=True, width="stretch")
        st.dataframe(
            _flag_table(objective_flags, "Objective", True), hide_index=True, width="stretch"
        )

slug = re.sub(r"[^A-Za-z0-9]+", "-", summary.name).strip("-").lower() or "round"
left, right = st.columns(2)
left.download_button(
    "To chase (CSV)",
    chase_csv(summary, chase),
    file_name=f"returns-{slug}-to-chase.csv",
    mime="text/csv",
    icon=":material/download:",
    key="download_chase",
)
right.download_button(
    "Replies per owner and objective (CSV)",
    counts_csv(summary, owners, objectives),
    file_name=f"returns-{slug}-counts.csv",
    mime="text/csv",
    icon=":material/download:",
    key="download_counts",
)


def _reminders() -> None:
    """Who would be reminded, who has no address; send (mail set up) or download."""
    st.subheader("Reminders")
    try:
        settings = mail_settings()
    except MailError as error:
        settings = None
        st.warning(md(f"Mail settings cannot be used: {error}"))
    base_url = tracker_url()
    with factory() as session:
        found = reminders_for(session, summary.name, as_at, base_url=base_url)
    if found.reminders:
        st.dataframe(
            pd.DataFrame(
                [
                    {"To": f"{r.name} <{r.email}>", "Actions": len(r.items), "Subject": r.subject}
                    for r in found.reminders
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption("Nobody with an account has an update outstanding.")
    if found.no_address:
        st.warning(
            "No address (no account linked to the owner name): chase by hand: "
            + md("; ".join(f"{name} ({count})" for name, count in found.no_address))
        )
    if base_url is None:
        st.caption("TRACKER_URL is not set: the reminders have no links to the update form.")
    st.download_button(
        "Reminders (text)",
        reminders_text(found),
        file_name=f"reminders-{slug}.txt",
        mime="text/plain",
        icon=":material/download:",
        key="download_reminders",
    )
    if settings is None:
        st.info("Mail is not set up (SMTP_URL): download the reminders and send them by hand.")
        return
    st.caption(md(f"Mail goes through {settings.described}; each address once a day at most."))
    if not found.reminders or not st.button("Send reminders now", key="send_reminders"):
        return
    try:
        _, outcomes = send_reminders(
            factory, actor, summary.name, settings=settings, base_url=base_url, today=as_at
        )
    except (RoundError, PermissionDenied, Busy) as error:
        st.error(md(error))
        return
    except SQLAlchemyError:
        report_failure("Sending reminders", outcome="Some reminders may not have been sent.")
        return
    st.dataframe(
        pd.DataFrame(
            [
                {"To": o.email, "Actions": o.actions, "Outcome": o.outcome, "Detail": o.detail}
                for o in outcomes
            ]
        ),
        hide_index=True,
        width="stretch",
        key="reminder_outcomes",
    )


if summary.is_open:
    _reminders()

if summary.is_open and st.button("Close this round", key="close_round"):
    try:
        done = submit_close_round(factory, actor, summary.name)
    except (RoundError, PermissionDenied, Busy) as error:
        st.error(md(error))
    except SQLAlchemyError:
        report_failure("Closing an update round")
    else:
        st.session_state["returns_flash"] = (
            f"Closed {done.name}: {done.received} of {done.actions} updates received."
        )
        st.rerun()
