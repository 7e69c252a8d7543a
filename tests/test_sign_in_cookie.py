"""The sign-in cookie's routes (sign_in_cookie.py), on both databases: the cookie's attributes,
one use per ticket, sign-out deleting the cookie and revoking its token.

The whole journey in a real browser is tests/e2e/test_sign_in_lasts.py."""

from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from starlette.requests import Request
from starlette.responses import Response

import sign_in_cookie
from plan import sign_in_tokens
from plan.models import SignInToken
from tests.builders import actor_of, add_user


@pytest.fixture
def routes(database_url, factory, monkeypatch):
    """The two routes by path, on the test's database (called as Starlette would)."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setattr(sign_in_cookie, "_factories", {})
    # routes() tells the pages the routes exist: undo that for the tests that follow.
    monkeypatch.setattr(sign_in_cookie, "_state", {"mounted": False})
    mounted = {route.path: route.endpoint for route in sign_in_cookie.routes()}
    with factory() as session:
        add_user(session, "owner@x.org")
        session.commit()
    yield mounted
    if "db" in sign_in_cookie._factories:
        sign_in_cookie._factories["db"].kw["bind"].dispose()


def _get(routes, path: str, *, scheme="http", cookie: str | None = None, **query) -> Response:
    headers = [(b"cookie", f"{sign_in_cookie.COOKIE_NAME}={cookie}".encode())] if cookie else []
    scope = {
        "type": "http",
        "method": "GET",
        "scheme": scheme,
        "server": ("tracker.example", 443 if scheme == "https" else 80),
        "path": path,
        "query_string": urlencode(query).encode(),
        "headers": headers,
    }
    return routes[path](Request(scope))


def _set_cookie(reply: Response) -> str | None:
    return reply.headers.get("set-cookie")


def _token(reply: Response) -> str:
    return SimpleCookie(_set_cookie(reply))[sign_in_cookie.COOKIE_NAME].value


def _ticket(factory) -> str:
    with factory.begin() as session:
        return sign_in_tokens.grant(session, actor_of(session, "owner@x.org")).ticket


def test_a_ticket_sets_a_strict_http_only_cookie_once(routes, factory):
    assert sign_in_cookie.mounted()
    ticket = _ticket(factory)
    reply = _get(routes, "/api/sign-in", ticket=ticket)
    assert reply.status_code == 303 and reply.headers["location"] == "/sign_in"
    assert reply.headers["cache-control"] == "no-store"
    cookie = _set_cookie(reply)
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    assert "Max-Age=4319" in cookie  # the 12 hours (43,200 s, less the test's own seconds)
    assert "Secure" not in cookie  # plain http here
    token = _token(reply)
    with factory() as session:
        assert sign_in_tokens.by_token(session, token) is not None
    again = _get(routes, "/api/sign-in", ticket=ticket)
    assert again.status_code == 303 and _set_cookie(again) is None


def test_over_https_the_cookie_is_secure(routes, factory):
    reply = _get(routes, "/api/sign-in", scheme="https", ticket=_ticket(factory))
    assert "Secure" in _set_cookie(reply)


def test_no_or_a_made_up_ticket_sets_nothing(routes):
    for query in ({}, {"ticket": "made up"}, {"ticket": "x" * 5000}):
        reply = _get(routes, "/api/sign-in", **query)
        assert reply.status_code == 303 and _set_cookie(reply) is None


def test_a_reminder_links_action_comes_back_to_my_actions_and_nothing_else(routes, factory):
    reply = _get(routes, "/api/sign-in", ticket=_ticket(factory), action="12")
    assert reply.headers["location"] == "/my_actions?action=12" and _token(reply)
    for elsewhere in ("https://evil.example", "12&next=/x", "-1", ""):
        reply = _get(routes, "/api/sign-in", ticket=_ticket(factory), action=elsewhere)
        assert reply.headers["location"] == "/sign_in", elsewhere


def test_sign_out_revokes_the_token_and_deletes_the_cookie(routes, factory):
    token = _token(_get(routes, "/api/sign-in", ticket=_ticket(factory)))
    out = _get(routes, "/api/sign-out", cookie=token)
    assert out.status_code == 303 and out.headers["location"] == "/sign_in"
    assert f'{sign_in_cookie.COOKIE_NAME}=""' in _set_cookie(out)
    assert "Max-Age=0" in _set_cookie(out)
    with factory() as session:
        assert sign_in_tokens.by_token(session, token) is None
        assert session.query(SignInToken).one().revoked_reason == "signed out"


def test_streamlit_still_has_the_redirect_message_the_pages_use():
    """pages/session.py sends the browser to these routes with Streamlit's `auth_redirect`
    message, as st.login does (an internal: checked on Streamlit 1.67)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    message = ForwardMsg()
    message.auth_redirect.url = "/api/sign-in?ticket=t"
    assert message.WhichOneof("type") == "auth_redirect"
