"""Who is signed in: the current account in st.session_state, sign-in and sign-out (password or
Streamlit's single sign-on with `st.login`). Permissions are enforced again in plan/services."""

from __future__ import annotations

import datetime as dt
import os

import streamlit as st

from pages.common import session_factory
from pages.text import md
from plan import auth, services
from plan.auth import ROLE_SUMMARY, Actor, Permission, PermissionDenied, SignInFailed

ACTOR_KEY = "signed_in_actor"
SIGNED_IN_AT_KEY = "signed_in_at"
SSO_TRIED_KEY = "sso_tried_for"
SSO_ERROR_KEY = "sso_error"
# A browser session left signed in ends after this long, even without signing out.
SESSION_LIFETIME = dt.timedelta(hours=12)
SIGN_IN_PAGE = "pages/sign_in.py"


def sso_configured() -> bool:
    """True when `.streamlit/secrets.toml` has an [auth] section for st.login."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _sso_claims() -> dict[str, object] | None:
    """What the identity provider said about the person signed in with st.login, if anyone."""
    if not sso_configured():
        return None
    user = st.user
    if not user.get("is_logged_in"):
        return None
    return {"email": user.get("email") or "", "email_verified": user.get("email_verified")}


def client_address() -> str:
    """The browser's address, which sign-in throttling counts attempts by.

    Behind a reverse proxy every browser seems to come from the proxy: set
    TRACKER_CLIENT_IP_HEADER to the header the proxy writes (X-Forwarded-For: the last address,
    the one the proxy added; or X-Real-IP). Never set it without a proxy that overwrites it.
    """
    header = os.environ.get("TRACKER_CLIENT_IP_HEADER", "").strip()
    forwarded = st.context.headers.get(header) if header else None
    if isinstance(forwarded, str) and forwarded.split(",")[-1].strip():
        return forwarded.split(",")[-1].strip()
    address = st.context.ip_address
    # None when the browser is on this machine (and a stand-in object under AppTest).
    return address if isinstance(address, str) and address else "local"


def _remember(actor: Actor) -> None:
    st.session_state[ACTOR_KEY] = actor
    st.session_state[SIGNED_IN_AT_KEY] = dt.datetime.now(dt.UTC)


def _forget() -> None:
    for key in (ACTOR_KEY, SIGNED_IN_AT_KEY):
        st.session_state.pop(key, None)


def current_actor() -> Actor | None:
    """The signed-in person, re-read from the database (a disabled account is signed out)."""
    actor: Actor | None = st.session_state.get(ACTOR_KEY)
    if actor is None:
        claims = _sso_claims()
        if claims is not None and st.session_state.get(SSO_TRIED_KEY) != claims["email"]:
            st.session_state[SSO_TRIED_KEY] = claims["email"]
            try:
                actor = services.sso_sign_in(session_factory(), claims)
            except SignInFailed as error:
                st.session_state[SSO_ERROR_KEY] = str(error)
                return None
            _remember(actor)
    if actor is None:
        return None
    started = st.session_state.get(SIGNED_IN_AT_KEY)
    if started is None or dt.datetime.now(dt.UTC) - started > SESSION_LIFETIME:
        _forget()
        return None
    with session_factory()() as session:
        try:
            actor = auth.refresh(session, actor)
        except PermissionDenied:
            _forget()
            return None
    st.session_state[ACTOR_KEY] = actor
    return actor


def sign_in_with_password(email: str, password: str) -> Actor:
    actor = services.sign_in(session_factory(), email, password, client=client_address())
    _remember(actor)
    return actor


def sign_out() -> None:
    actor = st.session_state.get(ACTOR_KEY)
    if actor is not None:
        services.sign_out(session_factory(), actor)
    _forget()
    # Everything typed or opened in this browser session goes with it.
    for key in list(st.session_state.keys()):
        if key != SSO_TRIED_KEY:
            del st.session_state[key]
    if _sso_claims() is not None:
        st.logout()


def require_actor(permission: Permission | None = None) -> Actor:
    """The signed-in actor, or stop the page with a way to sign in (or a clear refusal)."""
    actor = current_actor()
    if actor is None:
        st.info("Sign in first: nobody can change anything without signing in.")
        st.page_link(SIGN_IN_PAGE, label="Sign in", icon=":material/login:")
        st.stop()
    show_identity(actor)
    if permission is not None and not actor.can(permission):
        st.warning(
            f"You are signed in as {actor.role.value} ({ROLE_SUMMARY[actor.role]}), "
            f"so you cannot {permission.value} here."
        )
        st.stop()
    return actor


def show_identity(actor: Actor) -> None:
    st.sidebar.caption(f"Signed in as **{md(actor.name)}** ({actor.role.value})")
