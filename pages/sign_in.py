"""Sign in with an e-mail and password (or single sign-on), see your role, sign out."""

import streamlit as st

from pages.common import session_factory
from pages.session import current_actor, sign_out
from pages.sign_in_form import show_sign_in_form
from pages.text import md
from plan.accounts import DEMO_ACCOUNTS, demo_accounts_present
from plan.auth import DEMO_PASSWORD, ROLE_SUMMARY

actor = current_actor()
if actor is not None:
    st.title("Your account")
    st.success(
        f"You are signed in as {md(actor.name)} ({md(actor.email)}) with the role "
        f"**{actor.role.value}**: {ROLE_SUMMARY[actor.role]}."
    )
    if actor.owner_names:
        st.markdown("You update the actions owned by: " + md(", ".join(actor.owner_names)) + ".")
    st.page_link("pages/my_actions.py", label="Go to my actions", icon=":material/checklist:")
    if st.button("Sign out", key="sign_out", icon=":material/logout:"):
        if sign_out():
            st.info("Signing out…")  # the browser is on its way to delete its cookie
            st.stop()
        st.rerun()
    st.stop()

st.title("Sign in")
st.caption("Sign in to update the actions you own. Anyone can look at the dashboard without it.")

show_sign_in_form()

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
