"""Sign-in that lasts (issue 16.4), in the real browser: a reload and a new tab stay signed in;
signing out in one tab signs the other out; disabling the account signs the browser out."""

from sqlalchemy import select

from plan import accounts, auth
from plan.database import make_engine, make_session_factory
from plan.models import SignInToken
from sign_in_cookie import COOKIE_NAME
from tests.e2e.conftest import settle, snapshot
from tests.e2e.test_owner import sign_in

SIGNED_IN = "You are signed in as"


def _signed_in(tab) -> bool:
    settle(tab)
    heading = tab.get_by_role("heading", level=1).inner_text()
    return heading.startswith("Your account")


def _open(context, url: str):
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    tab.goto(url)
    return tab


def _cookie(context) -> dict:
    (cookie,) = [c for c in context.cookies() if c["name"] == COOKIE_NAME]
    return cookie


def _tokens(url: str) -> list[SignInToken]:
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        rows = list(session.scalars(select(SignInToken).order_by(SignInToken.id)))
    engine.dispose()
    return rows


def test_a_reload_and_a_new_tab_stay_signed_in_until_signing_out(page, demo_server):
    base = demo_server.url
    page.goto(base)  # the server's first visit loads the demo: let it finish first
    settle(page, chart=True)
    sign_in(page, base, "owner@demo.local")
    page.wait_for_url(f"{base}/sign_in")
    cookie = _cookie(page.context)
    # Random bytes only: not the e-mail, not the role; out of reach of scripts; this site only.
    assert "owner" not in cookie["value"] and "demo" not in cookie["value"]
    assert (cookie["httpOnly"], cookie["sameSite"], cookie["secure"]) == (True, "Strict", False)
    assert 11.9 * 3600 < cookie["expires"] - _now(page) <= 12 * 3600
    row = _tokens(demo_server.database_url)[-1]
    assert row.token_hash not in cookie["value"] and len(row.token_hash) == 64

    page.reload()
    assert _signed_in(page)
    snapshot(page, "sign-in-after-reload")
    other = _open(page.context, f"{base}/sign_in")
    assert _signed_in(other)
    assert other.get_by_text("Kylie Thornton (demo owner)").count() >= 1
    # A page that needs a sign-in opens straight away in the new tab too.
    other.goto(f"{base}/my_actions")
    settle(other)
    assert other.get_by_text("Sign in first").count() == 0

    page.get_by_role("button", name="Sign out").click()
    # The browser goes to /api/sign-out (which deletes the cookie) and back to the sign-in page.
    page.get_by_role("heading", name="Sign in", exact=True, level=1).wait_for()
    settle(page)
    assert [c for c in page.context.cookies() if c["name"] == COOKIE_NAME] == []
    assert _tokens(demo_server.database_url)[-1].revoked_reason == "signed out"
    # The other tab is signed out on its next run, without a reload (moving page in the app)…
    other.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Your account").click()
    assert not _signed_in(other)
    # …and after one.
    other.goto(f"{base}/my_actions")
    settle(other)
    assert other.get_by_text("Sign in first").count() == 1
    other.close()


def test_disabling_the_account_signs_the_browser_out(page, demo_server):
    base = demo_server.url
    sign_in(page, base, "chair@demo.local")
    page.wait_for_url(f"{base}/sign_in")
    page.reload()
    assert _signed_in(page)
    engine = make_engine(demo_server.database_url)
    with make_session_factory(engine).begin() as session:
        accounts.set_disabled(session, None, "chair@demo.local")
    engine.dispose()
    page.reload()
    assert not _signed_in(page)
    snapshot(page, "sign-in-after-disabling")
    assert _tokens(demo_server.database_url)[-1].revoked_reason == "account disabled"


def test_a_role_change_signs_the_browser_out_on_its_next_run(page, demo_server):
    base = demo_server.url
    sign_in(page, base, "viewer@demo.local")
    page.wait_for_url(f"{base}/sign_in")
    settle(page)
    engine = make_engine(demo_server.database_url)
    with make_session_factory(engine).begin() as session:
        accounts.set_role(session, None, "viewer@demo.local", auth.Role.OFFICER)
    engine.dispose()
    # No reload: the open tab's next run (moving to another page) finds the sign-in ended.
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="My actions").click()
    settle(page)
    assert page.get_by_text("Sign in first").count() == 1


def _now(page) -> float:
    return page.evaluate("Date.now() / 1000")
