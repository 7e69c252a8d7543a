"""Who is signed in: the current account, sign-in and sign-out (password or Streamlit's single
sign-on with `st.login`). Permissions are enforced again in plan/services.

A password sign-in lasts for the browser, not only the Streamlit session: it is a row in
`sign_in_tokens` (plan.sign_in_tokens), and the browser holds its random token in an HttpOnly
cookie set by the tracker's own route (sign_in_cookie.py). Every run checks it again, so
signing out in one tab, disabling the account or changing its role signs every tab out on its
next run.
"""

from __future__ import annotations

import datetime as dt
import os

import streamlit as st

import sign_in_cookie
from pages.common import session_factory
from pages.text import md
from plan import auth, services, sign_in_tokens
from plan.auth import ROLE_SUMMARY, Actor, Permission, PermissionDenied, SignInFailed

ACTOR_KEY = "signed_in_actor"
SIGNED_IN_AT_KEY = "signed_in_at"
# The sign_in_tokens row this session is signed in by (from its own sign-in or the cookie).
TOKEN_ID_KEY = "sign_in_token_id"
SSO_TRIED_KEY = "sso_tried_for"
SSO_ERROR_KEY = "sso_error"
# A browser left signed in is signed out after this long, even without signing out.
SESSION_LIFETIME = sign_in_tokens.TOKEN_LIFETIME
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


def _remember(actor: Actor, token_id: int | None = None) -> None:
    st.session_state[ACTOR_KEY] = actor
    st.session_state[SIGNED_IN_AT_KEY] = dt.datetime.now(dt.UTC)
    if token_id is not None:
        st.session_state[TOKEN_ID_KEY] = token_id


def _forget() -> None:
    for key in (ACTOR_KEY, SIGNED_IN_AT_KEY, TOKEN_ID_KEY):
        st.session_state.pop(key, None)


def cookie_token() -> str | None:
    """The sign-in token this browser sent when the session started, if any."""
    value = st.context.cookies.get(sign_in_cookie.COOKIE_NAME)
    return value if isinstance(value, str) and value else None


def _browser_sign_in() -> sign_in_tokens.BrowserSignIn | None:
    """This session's lasting sign-in, checked again (None: never signed in, or it ended)."""
    token_id = st.session_state.get(TOKEN_ID_KEY)
    token = cookie_token() if token_id is None and ACTOR_KEY not in st.session_state else None
    if token_id is None and token is None:
        return None
    with session_factory()() as session:
        if token_id is not None:
            return sign_in_tokens.by_id(session, token_id)
        return sign_in_tokens.by_token(session, token or "")


def current_actor() -> Actor | None:
    """The signed-in person, re-read from the database on every run: a sign-out in another tab,
    a disabled account or a changed role signs this session out."""
    had_token = TOKEN_ID_KEY in st.session_state
    lasting = _browser_sign_in()
    if lasting is not None:
        _remember(lasting.actor, lasting.token_id)
        return lasting.actor
    if had_token:
        _forget()
        return None
    return _session_actor()


def _session_actor() -> Actor | None:
    """A sign-in kept in this Streamlit session only (single sign-on, whose own cookie
    st.login keeps; and page tests, which put an actor in st.session_state)."""
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


def sign_in_with_password(email: str, password: str, *, then_action: int | None = None) -> bool:
    """Sign in; True when the browser is being sent to fetch its cookie (stop the page).

    `then_action`: the browser comes back to that action's update form on My actions (a
    reminder's link) rather than to the sign-in page."""
    factory = session_factory()
    actor = services.sign_in(factory, email, password, client=client_address())
    grant = auth.start_browser_sign_in(factory, actor)
    _remember(actor, grant.token_id)
    if not sign_in_cookie.mounted():
        return False
    back = {} if then_action is None else {"action": str(then_action)}
    _send_browser_to(sign_in_cookie.url(sign_in_cookie.SIGN_IN_ROUTE, ticket=grant.ticket, **back))
    return True


def sign_out() -> bool:
    """Sign out everywhere in this browser; True when the browser is being sent elsewhere
    (to delete the cookie, or to the identity provider): stop the page."""
    actor = st.session_state.get(ACTOR_KEY)
    if actor is not None:
        services.sign_out(session_factory(), actor, token_id=st.session_state.get(TOKEN_ID_KEY))
    _forget()
    # Everything typed or opened in this browser session goes with it.
    for key in list(st.session_state.keys()):
        if key != SSO_TRIED_KEY:
            del st.session_state[key]
    if _sso_claims() is not None:
        st.logout()
        return True
    if sign_in_cookie.mounted() and cookie_token() is not None:
        _send_browser_to(sign_in_cookie.url(sign_in_cookie.SIGN_OUT_ROUTE))
        return True
    return False


def _send_browser_to(url: str) -> None:
    """Send this tab to one of the tracker's routes, as st.login and st.logout send it to
    theirs: Streamlit's `auth_redirect` message (an internal; see README, "The Streamlit
    internals", and tests/pages/test_streamlit_internals.py)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    context = get_script_run_ctx()
    if context is None:
        return
    message = ForwardMsg()
    message.auth_redirect.url = url
    context.enqueue(message)


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
    # Small body text, not st.caption: a caption's faded grey is 4.43:1 on the sidebar (AA: 4.5).
    # "as Kylie Thornton (demo owner), owner": a name may end in brackets of its own.
    st.sidebar.markdown(f":small[Signed in as **{md(actor.name)}**, {actor.role.value}]")
