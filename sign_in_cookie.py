"""The sign-in cookie: two routes on Streamlit's own web server (st.App, see server.py).

Streamlit 1.67 cannot set a cookie from a script (st.context.cookies is read-only), but its
`st.App` serves extra Starlette routes beside the app, and a route's response can. So:

- GET /api/sign-in?ticket=T: a page that has just checked a password sends the browser here
  with a one-use ticket (plan.sign_in_tokens.grant); the route redeems it for a random token,
  sets the cookie (HttpOnly, SameSite=Strict, Secure over HTTPS, for the sign-in's remaining
  lifetime) and redirects to the sign-in page;
- GET /api/sign-out: revokes the token in the cookie (the page has usually done so already)
  and deletes the cookie, then redirects to the sign-in page.

The pages read the cookie with st.context.cookies, and check its token on every run.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from starlette.responses import RedirectResponse
from starlette.routing import Route
from streamlit import config
from streamlit.url_util import make_url_path

from plan import sign_in_tokens
from plan.database import database_url, make_engine, make_session_factory, run_write
from plan.models import utcnow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker
    from starlette.requests import Request

COOKIE_NAME = "tracker_sign_in"
SIGN_IN_ROUTE = "api/sign-in"
SIGN_OUT_ROUTE = "api/sign-out"
SIGN_IN_PAGE = "sign_in"
MY_ACTIONS_PAGE = "my_actions"

# Set by routes(): the pages send the browser to these routes only when they exist (a plain
# `streamlit run app.py` has none, and sign-in then lasts for the Streamlit session only).
_state: dict[str, bool] = {"mounted": False}
_factories: dict[str, sessionmaker[Session]] = {}


def mounted() -> bool:
    return _state["mounted"]


def url(route: str, **query: str) -> str:
    """The path of one of our routes (or a page), under the server's base URL path."""
    path = make_url_path(config.get_option("server.baseUrlPath"), route)
    if query:
        from urllib.parse import urlencode

        path += "?" + urlencode(query)
    return path


def _factory() -> sessionmaker[Session]:
    """The database the pages use (DATABASE_URL); migrated by the pages on their first run."""
    if "db" not in _factories:
        _factories["db"] = make_session_factory(make_engine(database_url()))
    return _factories["db"]


def _back_to_sign_in(action: str = "") -> RedirectResponse:
    # 303: the browser follows with a GET, and the ticket's URL is not kept in its history.
    # A reminder link's action (digits only, to My actions only) goes back to its form.
    back = url(MY_ACTIONS_PAGE, action=action) if action.isdigit() else url(SIGN_IN_PAGE)
    response = RedirectResponse(back, status_code=303)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def finish_sign_in(request: Request) -> RedirectResponse:
    ticket = request.query_params.get("ticket", "")
    response = _back_to_sign_in(request.query_params.get("action", "")[:12])
    if not ticket or len(ticket) > 200:
        return response
    redeemed = run_write(_factory(), lambda s: sign_in_tokens.redeem(s, ticket, now=utcnow()))
    if redeemed is not None:
        left = redeemed.expires_at - utcnow()
        response.set_cookie(
            COOKIE_NAME,
            redeemed.token,
            max_age=max(int(left / dt.timedelta(seconds=1)), 0),
            path=url(""),
            secure=request.url.scheme == "https",
            httponly=True,
            samesite="strict",
        )
    return response


def sign_out(request: Request) -> RedirectResponse:
    token = request.cookies.get(COOKIE_NAME, "")
    if token:
        run_write(_factory(), lambda s: _revoke(s, token))
    response = _back_to_sign_in()
    response.delete_cookie(
        COOKIE_NAME,
        path=url(""),
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )
    return response


def _revoke(session: Session, token: str) -> None:
    signed_in = sign_in_tokens.by_token(session, token)
    if signed_in is not None:
        reason = sign_in_tokens.Revoked.SIGNED_OUT
        sign_in_tokens.revoke(session, signed_in.token_id, reason=reason)


def routes() -> list[Route]:
    """The two routes, for st.App(routes=...); from now on the pages use them."""
    _state["mounted"] = True
    return [
        Route(url(SIGN_IN_ROUTE), finish_sign_in, methods=["GET"]),
        Route(url(SIGN_OUT_ROUTE), sign_out, methods=["GET"]),
    ]
