"""Sign in with an e-mail and password (or single sign-on), see your role, sign out."""

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from pages.common import session_factory
from pages.failures import report_failure
from pages.session import (
    SSO_ERROR_KEY,
    current_actor,
    sign_in_with_password,
    sign_out,
    sso_configured,
)
from pages.text import md
from plan.auth import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    ROLE_SUMMARY,
    SignInFailed,
    demo_accounts_present,
)

# A reminder link (my_actions?action=ID) sends a signed-out owner here with its action: after
# signing in they go straight back to that action's update form. Only an id is carried, and
# only to My actions, so the address cannot send anyone elsewhere.
wanted = st.query_params.get("action", "")
back_to_action = {"action": wanted} if wanted.isdigit() else None

actor = current_actor()
if actor is not None:
    st.title("Signed in")
    st.success(
        f"You are signed in as {md(actor.name)} ({md(actor.email)}) with the role "
        f"**{actor.role.value}**: {ROLE_SUMMARY[actor.role]}."
    )
    if actor.owner_names:
        st.markdown("You update the actions owned by: " + md(", ".join(actor.owner_names)) + ".")
    st.page_link(
        "pages/my_actions.py",
        label="Go to my actions",
        icon=":material/checklist:",
        query_params=back_to_action,
    )
    if st.button("Sign out", key="sign_out", icon=":material/logout:"):
        sign_out()
        st.rerun()
    st.stop()

st.title("Sign in")
if back_to_action:
    st.info(
        "Sign in to update the action your link is for: its update form opens next.",
        icon=":material/checklist:",
    )
else:
    st.caption(
        "Sign in to update the actions you own. Anyone can look at the dashboard without it."
    )

if sso_configured():
    st.button("Sign in with single sign-on", on_click=st.login, icon=":material/key:")
    if st.session_state.get(SSO_ERROR_KEY):
        st.error(md(st.session_state[SSO_ERROR_KEY]))
    st.divider()

with st.form("sign_in_form", clear_on_submit=True):
    email = st.text_input("E-mail", key="sign_in_email", autocomplete="username")
    password = st.text_input(
        "Password", type="password", key="sign_in_password", autocomplete="current-password"
    )
    submitted = st.form_submit_button("Sign in", type="primary")

if submitted:
    try:
        sign_in_with_password(email, password)
    except SignInFailed as error:
        st.error(md(error))
    except SQLAlchemyError:
        report_failure("Signing in", outcome="You are not signed in.")
    else:
        if back_to_action:
            st.switch_page("pages/my_actions.py", query_params=back_to_action)
        st.rerun()

with session_factory()() as session:
    demo_present = demo_accounts_present(session)
if demo_present:
    with st.expander("Demo accounts (this database holds the demo plans)", expanded=True):
        st.write(f"Every demo account has the password `{DEMO_PASSWORD}`.")
        st.table(
            [
                {
                    "E-mail": email,
                    "Role": role.value,
                    "Can": ROLE_SUMMARY[role],
                    "Owner names": ", ".join(owners),
                }
                for email, _name, role, owners in DEMO_ACCOUNTS
            ]
        )
