"""Plans (officers): each plan's period (a plan whose period has ended is shown as it ended)
and its own RAG key."""

import pandas as pd
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from pages.common import EARLIEST_DATE, LATEST_DATE, page_data, session_factory, today
from pages.failures import report_failure
from pages.session import require_actor
from pages.text import md
from plan.auth import Permission, PermissionDenied
from plan.queries import plan_options
from plan.queries.plan_settings import plan_settings
from plan.services.plans import PlanNotFound, submit_plan_period, submit_rag_key
from rulebook.dates import format_uk_date
from rulebook.plan_periods import PeriodError, is_closed
from rulebook.rag import Rag, rag_label
from rulebook.rag_key import RagKeyError, make_rag_key

st.title("Plans")
actor = require_actor(Permission.EDIT_PLANS)
plans = page_data().query(plan_options)
if not plans:
    st.info("No plans yet. Import one on the **Import a plan** page.")
    st.stop()

if "plans_saved" in st.session_state:
    st.success(st.session_state.pop("plans_saved"))
st.caption(
    "The period a plan covers. Once every plan shown has ended, the dashboard opens as at the "
    "day the latest one ended; otherwise as at today."
)
st.dataframe(
    pd.DataFrame(
        [
            {
                "Plan": plan.name,
                "Actions": plan.actions,
                "Period start": format_uk_date(plan.period_start),
                "Period end": format_uk_date(plan.period_end),
                "Status": "Ended" if is_closed(plan.period_end, today()) else "Running",
            }
            for plan in plans
        ]
    ),
    hide_index=True,
    width="stretch",
)

st.subheader("Change a plan's period")
by_name = {plan.name: plan for plan in plans}
name = st.selectbox("Plan", list(by_name), key="plans_plan")
chosen = by_name[name]
left, right = st.columns(2)
start = left.date_input(
    "Period start",
    value=chosen.period_start,
    format="DD/MM/YYYY",
    min_value=EARLIEST_DATE,
    max_value=LATEST_DATE,
    key=f"plans_start_{chosen.id}",
)
end = right.date_input(
    "Period end",
    value=chosen.period_end,
    format="DD/MM/YYYY",
    min_value=EARLIEST_DATE,
    max_value=LATEST_DATE,
    key=f"plans_end_{chosen.id}",
)
if st.button("Save the period", type="primary", key="plans_save"):
    try:
        result = submit_plan_period(session_factory(), actor, chosen.id, start, end)
    except (PermissionDenied, PeriodError, PlanNotFound) as error:
        st.error(md(str(error)))
    except SQLAlchemyError:
        report_failure("Saving a plan period")
    else:
        st.session_state["plans_saved"] = (
            f"Saved: '{md(result.plan)}' runs "
            f"{format_uk_date(result.start) or 'from an unknown date'} to "
            f"{format_uk_date(result.end) or 'an unknown date'}."
        )
        st.rerun()  # the table above is drawn again with the saved period

st.subheader("The plan's RAG key")
st.caption(
    "What each rating means as this partnership writes it: shown beside the RAG choice in the "
    "update form, under the Overview's figures and on the board paper's Key sheet."
)
with session_factory()() as session:
    [settings] = plan_settings(session, chosen.id)
key = settings.rag_key
with st.form(f"rag_key_{chosen.id}"):
    typed = {
        rag: st.text_area(
            f"{rag_label(rag)} means",
            value=key.meaning(rag),
            key=f"rag_key_{rag.value}_{chosen.id}",
        )
        for rag in Rag
    }
    uses_blue = st.checkbox(
        "This plan uses Blue for complete actions", value=key.uses_blue, key=f"blue_{chosen.id}"
    )
    if st.form_submit_button("Save the RAG key"):
        try:
            saved_key = make_rag_key(typed, uses_blue)
            submit_rag_key(session_factory(), actor, chosen.id, saved_key)
        except (PermissionDenied, RagKeyError, PlanNotFound) as error:
            st.error(md(str(error)))
        except SQLAlchemyError:
            report_failure("Saving a RAG key")
        else:
            st.session_state["plans_saved"] = f"Saved the RAG key of '{md(chosen.name)}'."
            st.rerun()
