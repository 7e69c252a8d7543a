"""The sign-in form (e-mail and password, or single sign-on) on the Sign in page and on My
actions, where a reminder link opened signed out signs in and goes on to its action's form."""

from __future__ import annotations

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from pages.failures import report_failure
from pages.session import SSO_ERROR_KEY, sign_in_with_password, sso_configured
from pages.text import md
from plan.auth import SignInFailed


def show_sign_in_form(*, then_action: int | None = None) -> None:
    """Sign in, then rerun this page (its address, with any ?action=, unchanged); when the
    browser fetches its sign-in cookie first, it comes back to `then_action`'s form."""
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

    if not submitted:
        return
    try:
        fetching_cookie = sign_in_with_password(email, password, then_action=then_action)
    except SignInFailed as error:
        st.error(md(error))
    except SQLAlchemyError:
        report_failure("Signing in", outcome="You are not signed in.")
    else:
        if fetching_cookie:
            # The browser is on its way to the route that sets its cookie, then back.
            st.success("Signed in. Keeping you signed in on this browser…")
            st.stop()
        st.rerun()
