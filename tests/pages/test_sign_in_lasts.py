"""Sign-in that lasts, as the pages see it: a browser's cookie signs a new session in, and every
run checks the sign-in again (issue 16.4; the browser itself: tests/e2e/test_sign_in_lasts.py)."""

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from plan import accounts as account_admin
from plan import sign_in_tokens
from plan.models import Role, SignInToken
from tests.builders import DEMO_TEST_PASSWORD, actor_of, add_user, cheap_hasher
from tests.pages.conftest import PAGES_NOW

pytestmark = pytest.mark.time_machine(PAGES_NOW)
APP = Path(__file__).resolve().parents[2] / "app.py"


@pytest.fixture(autouse=True)
def fast_passwords(monkeypatch):
    monkeypatch.setattr("plan.auth._hasher", cheap_hasher())


@pytest.fixture
def accounts(factory):
    with factory() as session:
        add_user(session, "owner@test.org", "owner", owner_names=["Kylie Thornton"])
        add_user(session, "admin@test.org", "admin")
        session.commit()


@pytest.fixture
def new_app(database_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("TRACKER_LOAD_DEMO", "0")
    st.cache_resource.clear()
    yield lambda: AppTest.from_file(str(APP), default_timeout=30)
    st.cache_resource.clear()


def _sign_in(at: AppTest, email: str = "owner@test.org") -> AppTest:
    at.switch_page("pages/sign_in.py").run()
    at.text_input(key="sign_in_email").input(email)
    at.text_input(key="sign_in_password").input(DEMO_TEST_PASSWORD)
    at.form_submit_button[0].click().run()
    assert not at.exception, at.exception
    return at


def _my_actions(at: AppTest) -> AppTest:
    at.switch_page("pages/my_actions.py").run()
    assert not at.exception, at.exception
    return at


def _signed_out(at: AppTest) -> bool:
    return any("Sign in first" in info.value for info in at.info)


def _cookie_for(factory, email: str) -> str:
    """What a browser's cookie holds after signing in (the ticket redeemed by the route)."""
    with factory.begin() as session:
        grant = sign_in_tokens.grant(session, actor_of(session, email))
    with factory.begin() as session:
        redeemed = sign_in_tokens.redeem(session, grant.ticket)
    assert redeemed is not None
    return redeemed.token


def test_signing_in_on_the_page_starts_a_lasting_sign_in(new_app, accounts, factory):
    at = _sign_in(new_app().run())
    assert at.success and "role **owner**" in at.success[0].value
    with factory() as session:
        (row,) = session.query(SignInToken).all()
        assert (row.role, row.revoked_at, row.token_hash) == (Role.OWNER, None, None)
    assert not _signed_out(_my_actions(at))
    at.switch_page("pages/sign_in.py").run()
    at.button(key="sign_out").click().run()
    with factory() as session:
        assert session.query(SignInToken).one().revoked_reason == "signed out"


def test_the_cookie_signs_a_new_session_in(new_app, accounts, factory, monkeypatch):
    token = _cookie_for(factory, "owner@test.org")
    monkeypatch.setattr("pages.session.cookie_token", lambda: token)
    at = _my_actions(new_app().run())
    assert not _signed_out(at)
    # A cookie whose sign-in was revoked (signed out in another tab) signs nobody in.
    with factory.begin() as session:
        (row,) = session.query(SignInToken).all()
        sign_in_tokens.revoke(session, row.id, reason=sign_in_tokens.Revoked.SIGNED_OUT)
    assert _signed_out(_my_actions(at))  # this session, on its next run
    assert _signed_out(_my_actions(new_app().run()))  # and a new one
    monkeypatch.setattr("pages.session.cookie_token", lambda: "made up")
    assert _signed_out(_my_actions(new_app().run()))


@pytest.mark.parametrize("change", ["disable", "role"])
def test_disabling_or_a_new_role_signs_an_open_session_out(
    new_app, accounts, factory, change, monkeypatch
):
    by_form = _my_actions(_sign_in(new_app().run()))
    token = _cookie_for(factory, "owner@test.org")
    monkeypatch.setattr("pages.session.cookie_token", lambda: token)
    by_cookie = _my_actions(new_app().run())
    assert not _signed_out(by_cookie) and not _signed_out(by_form)
    with factory.begin() as session:
        admin = actor_of(session, "admin@test.org")
        if change == "disable":
            account_admin.set_disabled(session, admin, "owner@test.org")
        else:
            account_admin.set_role(session, admin, "owner@test.org", Role.OFFICER)
    assert _signed_out(_my_actions(by_cookie))
    assert _signed_out(_my_actions(by_form))
