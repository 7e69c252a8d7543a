"""Review (officers): which plans ask for review, and the submitted updates waiting for it,
each with what it changes against the published state; publish it, or return it with a
comment the owner sees in My actions."""

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from pages.common import session_factory
from pages.failures import report_failure
from pages.session import require_actor
from pages.text import md
from plan.auth import Permission, PermissionDenied
from plan.database import Busy
from plan.queries import plan_options
from plan.queries.review import Submission, review_queue, reviewed_plans
from plan.services.review import (
    ReviewError,
    submit_publish,
    submit_return,
    submit_review_required,
)
from plan.services.validation import InvalidUpdate
from rulebook.dates import format_uk_date

actor = require_actor(Permission.REVIEW)
factory = session_factory()
st.title("Review")
if "review_flash" in st.session_state:
    st.success(md(st.session_state.pop("review_flash")))

with factory() as session:
    plans = plan_options(session)
    reviewed = reviewed_plans(session)
    queue = review_queue(session)

st.caption(
    "On a plan under review, an owner's update is submitted: it shows on the dashboard and in "
    "board papers only once published here (officers can tick **Include submitted updates** "
    "in the sidebar to see them before)."
)
with st.expander(f"Plans under review: {len(reviewed)} of {len(plans)}"):
    for plan in plans:
        on = st.toggle(md(plan.name), value=plan.id in reviewed, key=f"review_plan_{plan.id}")
        if on != (plan.id in reviewed):
            try:
                submit_review_required(factory, actor, plan.id, on)
            except (PermissionDenied, ReviewError, Busy) as error:
                st.error(md(error))
            except SQLAlchemyError:
                report_failure("Switching review")
            else:
                state = "now reviewed" if on else "no longer reviewed"
                st.session_state["review_flash"] = f"{plan.name}: owners' updates {state}."
                st.rerun()

st.subheader(f"Waiting for review: {len(queue)}")
if not queue:
    st.info("Nothing is waiting for review.")
    st.stop()


def _decide(item: Submission) -> None:
    publish, back = st.columns([1, 3])
    comment = back.text_input(
        "Comment for the owner (to return it)", key=f"review_comment_{item.update_id}"
    )
    try:
        if publish.button("Publish", type="primary", key=f"publish_{item.update_id}"):
            submit_publish(factory, actor, item.update_id)
            st.session_state["review_flash"] = (
                f"Published the update on {item.ref or item.action[:60]}."
            )
            st.rerun()
        if back.button("Return to the owner", key=f"return_{item.update_id}"):
            submit_return(factory, actor, item.update_id, comment or "")
            st.session_state["review_flash"] = (
                f"Returned the update on {item.ref or item.action[:60]} to {item.author}."
            )
            st.rerun()
    except (PermissionDenied, ReviewError, InvalidUpdate, Busy) as error:
        st.error(md(error))
    except SQLAlchemyError:
        report_failure("Reviewing an update")


for item in queue:
    with st.container(border=True):
        title = f"{item.ref or ''} {item.action[:200]}".strip()
        st.markdown(
            f"**{md(title)}**  \n"
            f"{md(item.plan)} · {md(item.objective or 'no objective')} · submitted by "
            f"{md(item.author)} on {format_uk_date(item.submitted_at.date())}"
        )
        st.markdown("  \n".join(md(change) for change in item.changes))
        if item.progress:
            st.markdown(f"Progress: {md(item.progress)}")
        if item.issue or item.remedy:
            st.markdown(f"Issue: {md(item.issue or '')}  \nBeing done: {md(item.remedy or '')}")
        _decide(item)
